import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/src/app.ts';
import { loadOidcConfig } from '../server/src/auth/oidc.config.ts';
import { createDeps } from '../server/src/deps.ts';
import { createMigratedDatabase, type TestDatabase } from '../server/src/test/harness.ts';
import { startOidcProvider, type TestOidcProvider } from '../server/src/test/oidc-provider.ts';
import { launchBrowser, screenshot, webDist } from './browser.ts';
import { type JourneyText, journeyLanguages, journeyText } from './journey-text.ts';

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
 * for the code. It runs once in English and once in German (the browser's language), finding Praxis's words by catalog key;
 * the provider's own login form is the test provider's and stays as it is. Screenshots land in test-artifacts/e2e/.
 */
describe.each(journeyLanguages)('single sign-on journey in a browser (%s)', (lang) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let idp: TestOidcProvider;
  let browser: Browser;
  let page: Page;
  let url: string;
  let text: JourneyText;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    text = await journeyText(lang);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ redirectUri: `${url}/api/auth/oidc/callback` });
    idp.accounts.set('sam', { email: 'sam.sso@example.com', name: 'Sam Sso', groups: ['isms-team'] });
    db = await createMigratedDatabase('sqlite');
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
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: text.locale });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await idp?.close();
    await db?.destroy();
  });

  const shot = (name: string) => screenshot(page, `${lang}-sso-${name}`);
  /** the provider's name, as the test provider calls itself (PRAXIS_OIDC_NAME) */
  const providerName = 'Example ID';

  /** Praxis → the provider (its form, unless its session remembers the person) → back in Praxis (signed in, or asked for a code). */
  const signInThroughProvider = async () => {
    await page.goto(`${url}/login`);
    await page.getByTestId('login-sso').click();
    const backInPraxis = (u: URL) => u.origin === url && (!u.pathname.startsWith('/login') || u.searchParams.has('mfa'));
    await page.waitForURL((u) => u.href.startsWith(`${idp.issuer}/interaction`) || backInPraxis(u));
    if (page.url().startsWith(idp.issuer)) {
      await page.locator('input[name="login"]').waitFor();
      await shot('02-provider-login');
      await page.fill('input[name="login"]', 'sam');
      await page.fill('input[name="password"]', 'the provider checks this');
      // the test provider's own form, in its own words
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.waitForURL(backInPraxis);
    }
  };

  it('signs in through the provider, sets up an authenticator app, and then needs its code after the provider', async () => {
    const { t } = text;
    await page.goto(`${url}/login`);
    await expect.poll(() => page.getByTestId('login-sso').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.getByTestId('login-sso').textContent()).toBe(t('sso:signInWith', { name: providerName }));
    await page.getByText(t('sso:orPassword')).waitFor();
    await shot('01-login-page');
    // a sign-in cancelled at the provider comes back with the reason in words
    await page.goto(`${url}/login?sso=cancelled`);
    await expect.poll(() => page.getByTestId('sso-error').textContent()).toContain(t('sso:reason.cancelled', { name: providerName }));
    expect(await page.getByTestId('sso-error').textContent()).toContain(t('sso:failedTitle'));

    await signInThroughProvider();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const session = await (await page.request.get(`${url}/api/auth/session`)).json();
    expect(session.user).toMatchObject({ email: 'sam.sso@example.com', name: 'Sam Sso' });
    expect(session.memberships).toEqual([expect.objectContaining({ scopeName: 'Example Ltd', role: 'contributor' })]);
    await shot('03-signed-in');

    // an authenticator app under Account → Security; the account has no password of its own, and the page says why
    await page.goto(`${url}/account`);
    expect(session.user.hasPassword).toBe(false);
    await page.getByTestId('password-card').getByText(t('account:password.singleSignOn')).waitFor();
    expect(await page.getByTestId('password-card').locator('input').count()).toBe(0);
    await page.getByTestId('totp-setup').click();
    await page.getByTestId('totp-qr').waitFor();
    await page.getByText(t('account:security.totp.setupTitle')).waitFor();
    await shot('04-totp-setup');
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel(t('account:security.totp.code')).fill(await generate({ secret }));
    const usedStep = Math.floor(Date.now() / 30_000);
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByTestId('recovery-codes-saved').click();
    // on since today, in the language's date format
    const mfa = (await (await page.request.get(`${url}/api/me/mfa`)).json()) as { totp: { enabledAt: string } };
    const since = text.date(mfa.totp.enabledAt, { year: 'numeric', month: 'short', day: 'numeric' });
    await expect.poll(() => page.getByTestId('totp-status').textContent()).toBe(t('account:security.totp.on', { date: since }));

    // sign out; the provider still knows the person, but Praxis asks for the second factor
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    await page.waitForURL(/\/login/);
    await signInThroughProvider();
    await page.getByLabel(t('auth:mfa.code')).waitFor();
    await shot('05-second-factor');
    expect(await page.getByTestId('second-factor-step').textContent()).toContain(t('sso:secondStep'));
    expect((await page.request.get(`${url}/api/auth/session`)).status()).toBe(401);
    // a code is accepted once: wait for the app's next code
    while (Math.floor(Date.now() / 30_000) === usedStep) await page.waitForTimeout(500);
    await page.getByLabel(t('auth:mfa.code')).fill(await generate({ secret }));
    await page.getByRole('button', { name: t('auth:mfa.verify'), exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    expect((await (await page.request.get(`${url}/api/auth/session`)).json()).user.email).toBe('sam.sso@example.com');
    await shot('06-signed-in-with-code');
    expect(errors).toEqual([]);
  }, 120_000);
});
