import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';

/**
 * A user whose browser prefers German: the pages, the server's messages, dates and the date pickers come in German; the
 * account page switches to English (kept across reloads) and back to the browser's language. The choice is kept on the
 * account: German chosen in an English browser is there again after signing out and in from a fresh browser.
 */
describe('language journey in a browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let scopeId: string;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite');
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        admin: { email: 'isms@example.com', name: 'ISMS-Managerin', password: 'manager password 1' },
        scope: { name: 'Beispiel GmbH', profile: 'small' },
      }),
    });
    scopeId = ((await setup.json()) as { memberships: { scopeId: string }[] }).memberships[0]?.scopeId as string;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'de-DE' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('speaks German to a German browser, and the account page switches to English and back', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await page.fill('input[name="email"]', 'isms@example.com');
    await page.fill('input[name="password"]', 'a wrong password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    // the server's refusal in the reader's language
    // (a wrong password takes the server a while on a busy machine: the refusal is waited for, not polled for a second)
    await page.getByText('E-Mail oder Passwort ist nicht korrekt').first().waitFor();
    await page.fill('input[name="password"]', 'manager password 1');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByRole('heading', { name: 'Meine Arbeit' }).waitFor();
    await screenshot(page, 'de-01-my-work');

    // a date picker with German month and weekday names, weeks from Monday
    await page.goto(`${server.url}/s/${scopeId}/controls/new`);
    await page.getByRole('heading', { name: 'Neue Maßnahme' }).waitFor();
    await page.getByLabel('Fälligkeitsdatum').first().click();
    const month = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric' }).format(new Date());
    await page.getByText(month).first().waitFor();
    await page.getByText('Mo', { exact: true }).first().waitFor();
    await screenshot(page, 'de-02-date-picker');

    // the account page: English for this browser, kept across a reload, then the browser's language again
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Konto' }).waitFor();
    await page.getByRole('combobox', { name: 'Sprache von Praxis' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'de-03-account-in-english');
    await page.getByRole('combobox', { name: 'Language of Praxis' }).click();
    await page.getByRole('option', { name: 'As the browser (Deutsch)' }).click();
    await page.getByRole('heading', { name: 'Konto' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('keeps German chosen on the account page across a sign-out and a sign-in from a fresh English browser', async () => {
    const english = () => browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const signIn = async (p: Page, button: string) => {
      await p.goto(`${server.url}/login`);
      await p.fill('input[name="email"]', 'isms@example.com');
      await p.fill('input[name="password"]', 'manager password 1');
      await p.getByRole('button', { name: button, exact: true }).click();
      await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    };
    const first = await english();
    const p1 = await first.newPage();
    p1.on('pageerror', (e) => errors.push(e.message));
    await signIn(p1, 'Log in');
    await p1.getByRole('heading', { name: 'My work' }).waitFor();
    await p1.goto(`${server.url}/account`);
    await p1.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await p1.getByRole('combobox', { name: 'Language of Praxis' }).click();
    await p1.getByRole('option', { name: 'Deutsch' }).click();
    await p1.getByRole('heading', { name: 'Konto' }).waitFor();
    await screenshot(p1, 'de-04-account-chose-german');
    await p1.getByTestId('user-menu').click();
    await p1.getByTestId('menu-logout').click();
    await p1.waitForURL((u) => u.pathname.startsWith('/login'));
    await first.close();

    // a fresh browser that prefers English, nothing kept in it: the account's setting decides after sign-in
    const second = await english();
    const p2 = await second.newPage();
    p2.on('pageerror', (e) => errors.push(e.message));
    await signIn(p2, 'Log in');
    await p2.getByRole('heading', { name: 'Meine Arbeit' }).waitFor();
    expect(await p2.locator('html').getAttribute('lang')).toBe('de');
    await p2.goto(`${server.url}/account`);
    await p2.getByRole('heading', { name: 'Konto' }).waitFor();
    expect(await p2.getByRole('combobox', { name: 'Sprache von Praxis' }).inputValue()).toBe('Deutsch');
    await screenshot(p2, 'de-05-fresh-browser-in-german');
    // back to the browser's language (English here)
    await p2.getByRole('combobox', { name: 'Sprache von Praxis' }).click();
    await p2.getByRole('option', { name: 'Wie der Browser (English)' }).click();
    await p2.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await second.close();
    expect(errors).toEqual([]);
  });
});
