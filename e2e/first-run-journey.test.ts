import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';

/**
 * The foundation journey as a new customer meets it: first-run setup → log out and in → create an asset →
 * find it by search → see its audit entry. Screenshots land in test-artifacts/e2e/.
 */
describe('first-run journey in a browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets up, logs in, creates an asset, finds it and shows its audit entry', async () => {
    await page.goto(server.url);
    await page.waitForURL(/\/setup$/);
    await screenshot(page, '01-setup');
    await page.fill('input[name="adminName"]', 'ISMS Manager');
    await page.fill('input[name="adminEmail"]', 'isms@example.com');
    await page.fill('input[name="adminPassword"]', 'a long enough password');
    await page.fill('input[name="scopeName"]', 'Example Ltd');
    await page.getByRole('button', { name: 'Create administrator and scope' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    await screenshot(page, '02-after-setup');

    // log out and back in
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.fill('input[name="email"]', 'isms@example.com');
    await page.fill('input[name="password"]', 'wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByText(/not correct/i).count()).toBeGreaterThan(0);
    await page.fill('input[name="password"]', 'a long enough password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await screenshot(page, '03-my-work');

    // the asset register: empty state, then a new asset
    const scopeId = (await (await page.request.get(`${server.url}/api/scopes`)).json())[0].id as string;
    await page.goto(`${server.url}/s/${scopeId}/assets`);
    await page.getByRole('link', { name: 'New asset' }).first().waitFor();
    await screenshot(page, '04-assets-empty');
    await page.getByRole('link', { name: 'New asset' }).first().click();
    await page.locator('input[name="name"]').waitFor();
    // validation: saving without a name shows a message and writes nothing
    await page.getByRole('button', { name: 'Save asset' }).click();
    await expect.poll(() => page.getByText(/name is required/i).count()).toBeGreaterThan(0);
    await screenshot(page, '05-asset-form-validation');
    await page.fill('input[name="name"]', 'Customer database');
    await page.getByRole('button', { name: 'Save asset' }).click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);
    await screenshot(page, '06-asset-detail');

    // find it by search in the list
    await page.goto(`${server.url}/s/${scopeId}/assets`);
    await page.getByPlaceholder('Search assets').fill('customer');
    await page.waitForURL(/[?&]q=customer/);
    await expect.poll(() => page.getByRole('link', { name: /Customer database/ }).count()).toBeGreaterThan(0);
    await screenshot(page, '07-assets-search');
    await page
      .getByRole('link', { name: /Customer database/ })
      .first()
      .click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);

    // its audit entry
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-entry').first().waitFor();
    expect(await page.getByTestId('audit-entry').count()).toBe(1);
    expect(await page.getByTestId('audit-entry').first().textContent()).toMatch(/create/i);
    await screenshot(page, '08-asset-audit-trail');
    expect(errors).toEqual([]);
  });
});
