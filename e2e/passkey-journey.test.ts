import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';

/**
 * Passkeys in a real browser, with Chromium's virtual authenticator (WebAuthn over the DevTools protocol): the
 * administrator adds a passkey on the account page and keeps the recovery codes, requires a second factor of the
 * scope's managers, then signs in with the passkey alone, and with the password followed by the passkey. Passkeys are
 * bound to PRAXIS_PUBLIC_URL's host, so the browser uses http://localhost:<port>.
 */
describe('passkey journey in a browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite');
    base = `http://localhost:${new URL(server.url).port}`;
    (server.deps.config as { publicUrl: string }).publicUrl = base;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signInWithPassword = async () => {
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('isms@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  };
  const signedIn = () => page.waitForURL((u) => !u.pathname.startsWith('/login'));

  it('adds a passkey, requires MFA of managers, and signs in with the passkey alone and after the password', async () => {
    const setup = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        admin: { email: 'isms@example.com', name: 'ISMS Manager', password: 'a long enough password' },
        scope: { name: 'Example Ltd', profile: 'small' },
      }),
    });
    const scopeId = ((await setup.json()) as { memberships: { scopeId: string }[] }).memberships[0]!.scopeId;
    await signInWithPassword();
    await signedIn();

    // switching the requirement on needs one's own second factor first
    await page.goto(`${base}/s/${scopeId}/settings`);
    await page.getByTestId('scope-require-mfa').click({ force: true });
    await expect.poll(() => page.getByText(/so that you keep the manager's rights here/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('scope-require-mfa').isChecked()).toBe(false);

    await page.goto(`${base}/account`);
    await page.getByTestId('passkey-add').click();
    await page.getByLabel('Name of the passkey').fill('Work laptop');
    await page.getByTestId('passkey-add-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    await screenshot(page, 'passkey-01-recovery-codes');
    expect(await page.getByTestId('recovery-codes').locator('p').count()).toBe(10);
    await page.getByTestId('recovery-codes-saved').click();
    await expect.poll(() => page.getByTestId('passkey-row').textContent(), { timeout: 10_000 }).toContain('Work laptop');
    await screenshot(page, 'passkey-02-account');

    await page.goto(`${base}/s/${scopeId}/settings`);
    await page.getByTestId('scope-require-mfa').click({ force: true });
    await expect.poll(() => page.getByTestId('scope-require-mfa').isChecked(), { timeout: 10_000 }).toBe(true);

    // the passkey alone
    await context.clearCookies();
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await signedIn();

    // the password, then the passkey as the second factor
    await context.clearCookies();
    await signInWithPassword();
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await screenshot(page, 'passkey-03-second-step');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await signedIn();
    await page.goto(`${base}/account`);
    await expect.poll(() => page.getByTestId('passkey-row').textContent(), { timeout: 10_000 }).toContain('last used');
    expect(errors).toEqual([]);
  });
});
