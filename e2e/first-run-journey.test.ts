import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';
import { type JourneyText, journeyLanguages, journeyText } from './journey-text.ts';

/**
 * The foundation journey as a new customer meets it: first-run setup → log out and in → create an asset →
 * find it by search → see its audit entry. It runs once in English and once in German (the browser's language, which
 * the pages follow), finding its words by catalog key. Screenshots land in test-artifacts/e2e/.
 */
describe.each(journeyLanguages)('first-run journey in a browser (%s)', (lang) => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let text: JourneyText;
  const errors: string[] = [];

  beforeAll(async () => {
    text = await journeyText(lang);
    server = await startServer('sqlite');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: text.locale });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets up, logs in, creates an asset, finds it and shows its audit entry', async () => {
    const { t } = text;
    const shot = (name: string) => screenshot(page, `${lang}-first-run-${name}`);
    await page.goto(server.url);
    await page.waitForURL(/\/setup$/);
    await page.getByRole('button', { name: t('setup:create') }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await shot('01-setup');
    await page.fill('input[name="adminName"]', 'ISMS Manager');
    await page.fill('input[name="adminEmail"]', 'isms@example.com');
    await page.fill('input[name="adminPassword"]', 'a long enough password');
    await page.fill('input[name="scopeName"]', 'Example Ltd');
    await page.getByRole('button', { name: t('setup:create') }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    await shot('02-after-setup');

    // log out and back in
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: t('nav:shell.logOut') }).click();
    await page.waitForURL(/\/login/);
    await page.fill('input[name="email"]', 'isms@example.com');
    await page.fill('input[name="password"]', 'wrong password here');
    const logIn = page.getByRole('button', { name: t('auth:login.title'), exact: true });
    await logIn.click();
    // the server's refusal, in the reader's language (a wrong password takes the server a while on a busy machine)
    await page.getByText(text.server('errors:loginFailed')).first().waitFor();
    await page.fill('input[name="password"]', 'a long enough password');
    await logIn.click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await shot('03-my-work');

    // the asset register: empty state, then a new asset
    const scopeId = (await (await page.request.get(`${server.url}/api/scopes`)).json())[0].id as string;
    await page.goto(`${server.url}/s/${scopeId}/assets`);
    const newAsset = page.getByRole('link', { name: t('assets:list.new') }).first();
    await newAsset.waitFor();
    await shot('04-assets-empty');
    await newAsset.click();
    await page.locator('input[name="name"]').waitFor();
    // validation: saving without a name shows a message and writes nothing
    await page.getByRole('button', { name: t('assets:form.save') }).click();
    await page.getByText(t('assets:form.nameRequired')).first().waitFor();
    await shot('05-asset-form-validation');
    await page.fill('input[name="name"]', 'Customer database');
    await page.getByRole('button', { name: t('assets:form.save') }).click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);
    await shot('06-asset-detail');

    // find it by search in the list
    await page.goto(`${server.url}/s/${scopeId}/assets`);
    await page.getByPlaceholder(t('assets:list.search')).fill('customer');
    await page.waitForURL(/[?&]q=customer/);
    await expect.poll(() => page.getByRole('link', { name: /Customer database/ }).count()).toBeGreaterThan(0);
    await shot('07-assets-search');
    await page
      .getByRole('link', { name: /Customer database/ })
      .first()
      .click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);

    // its audit entry
    await page.getByRole('tab', { name: t('assets:detail.tab.audit') }).click();
    await page.getByTestId('audit-entry').first().waitFor();
    expect(await page.getByTestId('audit-entry').count()).toBe(1);
    expect(await page.getByTestId('audit-entry').first().textContent()).toContain(t('audit:action.create'));
    await shot('08-asset-audit-trail');
    expect(errors).toEqual([]);
  });
});
