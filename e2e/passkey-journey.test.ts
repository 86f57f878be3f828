import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';
import { type JourneyText, journeyLanguages, journeyText } from './journey-text.ts';

/**
 * Passkeys in a real browser, with Chromium's virtual authenticator (WebAuthn over the DevTools protocol): the
 * administrator adds a passkey on the account page and keeps the recovery codes, requires a second factor of the
 * scope's managers, then signs in with the passkey alone, and with the password followed by the passkey. Passkeys are
 * bound to PRAXIS_PUBLIC_URL's host, so the browser uses http://localhost:<port>. It runs once in English and once in
 * German (the browser's language), finding its words by catalog key.
 */
describe.each(journeyLanguages)('passkey journey in a browser (%s)', (lang) => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let text: JourneyText;
  const errors: string[] = [];

  beforeAll(async () => {
    text = await journeyText(lang);
    server = await startServer('sqlite');
    base = `http://localhost:${new URL(server.url).port}`;
    (server.deps.config as { publicUrl: string }).publicUrl = base;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: text.locale });
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
    const { t } = text;
    await page.goto(`${base}/login`);
    await page.getByLabel(t('auth:form.email'), { exact: true }).fill('isms@example.com');
    await page.getByLabel(t('auth:form.password'), { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: t('auth:login.title'), exact: true }).click();
  };
  const signedIn = () => page.waitForURL((u) => !u.pathname.startsWith('/login'));

  it('adds a passkey, requires MFA of managers, and signs in with the passkey alone and after the password', async () => {
    const { t } = text;
    const shot = (name: string) => screenshot(page, `${lang}-passkey-${name}`);
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
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);

    // switching the requirement on needs one's own second factor first: the server's refusal, in the reader's language
    await page.goto(`${base}/s/${scopeId}/settings`);
    await page.getByTestId('scope-require-mfa').click({ force: true });
    await page.getByText(text.server('errors:mfaEnrolFirst')).first().waitFor();
    expect(await page.getByText(t('scopes:mfa.notChanged')).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('scope-require-mfa').isChecked()).toBe(false);

    await page.goto(`${base}/account`);
    await page.getByTestId('passkey-add').click();
    await page.getByLabel(t('account:security.passkeys.name')).fill('Work laptop');
    await page.getByTestId('passkey-add-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByText(t('account:security.recovery.shownTitle')).first().waitFor();
    await shot('01-recovery-codes');
    expect(await page.getByTestId('recovery-codes').locator('p').count()).toBe(10);
    await page.getByTestId('recovery-codes-saved').click();
    await expect.poll(() => page.getByTestId('passkey-row').textContent()).toContain('Work laptop');
    expect(await page.getByTestId('passkey-row').textContent()).toContain(t('account:security.passkeys.neverUsed'));
    await shot('02-account');

    await page.goto(`${base}/s/${scopeId}/settings`);
    await page.getByTestId('scope-require-mfa').click({ force: true });
    await page
      .getByText(t('scopes:mfa.on', { scope: 'Example Ltd' }))
      .first()
      .waitFor();
    await expect.poll(() => page.getByTestId('scope-require-mfa').isChecked()).toBe(true);

    // the passkey alone
    await context.clearCookies();
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: t('auth:login.withPasskey'), exact: true }).click();
    await signedIn();

    // the password, then the passkey as the second factor
    await context.clearCookies();
    await signInWithPassword();
    const usePasskey = page.getByRole('button', { name: t('auth:mfa.usePasskey'), exact: true });
    await usePasskey.waitFor();
    await page.getByText(t('auth:mfa.subtitle')).waitFor();
    await shot('03-second-step');
    await usePasskey.click();
    await signedIn();

    // the account page says when the passkey was added and last used, in the language's date formats
    await page.goto(`${base}/account`);
    await page.getByTestId('passkey-row').waitFor();
    const [passkey] = (await (await page.request.get(`${base}/api/me/passkeys`)).json()) as { createdAt: string; lastUsedAt: string }[];
    const added = t('account:security.passkeys.created', {
      date: text.date(passkey!.createdAt, { year: 'numeric', month: 'short', day: 'numeric' }),
    });
    const lastUsed = t('account:security.passkeys.lastUsed', {
      date: text.date(passkey!.lastUsedAt, { dateStyle: 'medium', timeStyle: 'short' }),
    });
    await expect.poll(() => page.getByTestId('passkey-row').textContent()).toContain(`${added} · ${lastUsed}`);
    expect(errors).toEqual([]);
  });
});
