import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/src/app.ts';
import { loadOidcConfig } from '../server/src/auth/oidc.config.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createDeps } from '../server/src/deps.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/test/harness.ts';
import { startOidcProvider, type TestOidcProvider } from '../server/src/test/oidc-provider.ts';
import { launchBrowser, screenshot, webDist } from './browser.ts';

/** A free loopback port: Praxis's address must be known before the provider registers its redirect URL. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Single sign-on as an employee of a company with its own identity provider meets it: "Sign in with Example ID" →
 * the provider's own login form → back in Praxis, provisioned with the role the provider's group gives; then an
 * authenticator app is set up under Account, and after signing out the provider alone no longer signs in: Praxis asks
 * for the code. Screenshots land in test-artifacts/e2e/.
 */
describe('single sign-on journey in a browser', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let idp: TestOidcProvider;
  let browser: Browser;
  let page: Page;
  let url: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ redirectUri: `${url}/api/auth/oidc/callback` });
    idp.accounts.set('sam', { email: 'sam.sso@example.com', name: 'Sam Sso', groups: ['isms-team'] });
    db = await createTestDatabase('sqlite');
    await migrateToLatest(db.database.db, 'sqlite');
    const env = idp.env({ PRAXIS_OIDC_GROUP_ROLES: JSON.stringify([{ group: 'isms-team', scope: 'Example Ltd', role: 'contributor' }]) });
    const config = { ...db.config, publicUrl: url, oidc: loadOidcConfig(env, url) };
    app = await buildApp(createDeps(config, db.database), { webDistDir: webDist });
    await app.listen({ port, host: '127.0.0.1' });
    // the installation exists: its administrator and first scope
    const setup = await fetch(`${url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        admin: { email: 'isms@example.com', name: 'ISMS Manager', password: 'manager password 1' },
        scope: { name: 'Example Ltd', profile: 'small' },
      }),
    });
    expect(setup.status).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await idp?.close();
    await db?.destroy();
  });

  /** Praxis → the provider (its form, unless its session remembers the person) → back in Praxis (signed in, or asked for a code). */
  const signInThroughProvider = async () => {
    await page.goto(`${url}/login`);
    await page.getByTestId('login-sso').click();
    const backInPraxis = (u: URL) => u.origin === url && (!u.pathname.startsWith('/login') || u.searchParams.has('mfa'));
    await page.waitForURL((u) => u.href.startsWith(`${idp.issuer}/interaction`) || backInPraxis(u));
    if (page.url().startsWith(idp.issuer)) {
      await page.locator('input[name="login"]').waitFor();
      await screenshot(page, 'sso-02-provider-login');
      await page.fill('input[name="login"]', 'sam');
      await page.fill('input[name="password"]', 'the provider checks this');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.waitForURL(backInPraxis);
    }
  };

  it('signs in through the provider, sets up an authenticator app, and then needs its code after the provider', async () => {
    await page.goto(`${url}/login`);
    await expect.poll(() => page.getByTestId('login-sso').count()).toBe(1);
    expect(await page.getByTestId('login-sso').textContent()).toBe('Sign in with Example ID');
    await screenshot(page, 'sso-01-login-page');
    // a sign-in cancelled at the provider comes back with the reason in words
    await page.goto(`${url}/login?sso=cancelled`);
    await expect.poll(() => page.getByTestId('sso-error').textContent()).toContain('The sign-in was cancelled at Example ID.');

    await signInThroughProvider();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const session = await (await page.request.get(`${url}/api/auth/session`)).json();
    expect(session.user).toMatchObject({ email: 'sam.sso@example.com', name: 'Sam Sso' });
    expect(session.memberships).toEqual([expect.objectContaining({ scopeName: 'Example Ltd', role: 'contributor' })]);
    await screenshot(page, 'sso-03-signed-in');

    // an authenticator app under Account → Security
    await page.goto(`${url}/account`);
    await page.getByTestId('totp-setup').click();
    await page.getByTestId('totp-qr').waitFor();
    await screenshot(page, 'sso-04-totp-setup');
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    const usedStep = Math.floor(Date.now() / 30_000);
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByTestId('recovery-codes-saved').click();
    await expect.poll(() => page.getByTestId('totp-status').textContent()).toMatch(/on/i);

    // sign out; the provider still knows the person, but Praxis asks for the second factor
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    await page.waitForURL(/\/login/);
    await signInThroughProvider();
    await page.getByLabel('Authentication code').waitFor();
    await screenshot(page, 'sso-05-second-factor');
    expect(await page.getByTestId('second-factor-step').textContent()).toContain('Your sign-in provider has confirmed you.');
    expect((await page.request.get(`${url}/api/auth/session`)).status()).toBe(401);
    // a code is accepted once: wait for the app's next code
    while (Math.floor(Date.now() / 30_000) === usedStep) await page.waitForTimeout(500);
    await page.getByLabel('Authentication code').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    expect((await (await page.request.get(`${url}/api/auth/session`)).json()).user.email).toBe('sam.sso@example.com');
    await screenshot(page, 'sso-06-signed-in-with-code');
    expect(errors).toEqual([]);
  }, 120_000);
});
