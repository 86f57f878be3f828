import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer } from './browser.ts';

/**
 * The forms carry the server's limits, in a German session: a number is read and shown with the German decimal
 * separator and grouping ("1.234,5") and arrives as 1234.5; a negative amount is not clamped but refused by the server
 * with its German message on the field; text inputs stop at the server's length; a new task cannot be given a due date
 * in the past.
 */
describe('form limits journey in a German browser', () => {
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', 'isms@example.com');
    await page.fill('input[name="password"]', 'manager password 1');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('reads and shows a German amount, saves it as a number, and stops the title at the server length', async () => {
    await page.goto(`${server.url}/s/${scopeId}/controls/new`);
    await page.getByRole('heading', { name: 'Neue Maßnahme' }).waitFor();
    const title = page.locator('input[name="title"]');
    // createControlBody: title at most 300 characters
    expect(await title.getAttribute('maxlength')).toBe('300');
    await title.fill('x'.repeat(320));
    expect((await title.inputValue()).length).toBe(300);
    await title.fill('Offline-Sicherungen');
    const cost = page.getByTestId('control-cost');
    await cost.fill('1234,5');
    await cost.blur();
    expect(await cost.inputValue()).toBe('1.234,5');
    await screenshot(page, 'form-limits-01-german-number-input');
    await page.getByTestId('save-control').click();
    await page.waitForURL((u) => /\/controls\/[0-9a-f-]{36}$/.test(u.pathname));
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = await page.request.get(`${server.url}/api/scopes/${scopeId}/controls/${id}`);
    expect(((await saved.json()) as { costEstimate: number }).costEstimate).toBe(1234.5);
    expect(errors).toEqual([]);
  });

  it('keeps a negative amount as typed and shows the server refusal on the field', async () => {
    await page.goto(`${server.url}/s/${scopeId}/controls/new`);
    await page.getByRole('heading', { name: 'Neue Maßnahme' }).waitFor();
    await page.locator('input[name="title"]').fill('Schulung');
    const cost = page.getByTestId('control-cost');
    await cost.fill('-5,25');
    await cost.blur();
    // not clamped to 0
    expect(await cost.inputValue()).toBe('-5,25');
    await page.getByTestId('save-control').click();
    const field = page.locator('.mantine-InputWrapper-root', { has: cost });
    await expect.poll(() => field.locator('.mantine-InputWrapper-error').textContent()).toMatch(/Kostenschätzung/);
    expect(new URL(page.url()).pathname).toBe(`/s/${scopeId}/controls/new`);
    await screenshot(page, 'form-limits-02-negative-amount-refused');
    expect(errors).toEqual([]);
  });

  it('offers a new task due dates from today on only', async () => {
    await page.goto(`${server.url}/s/${scopeId}/tasks`);
    await page.getByRole('button', { name: 'Neue Aufgabe' }).first().click();
    const modal = page.getByTestId('new-task-modal');
    expect(await modal.getByLabel('Titel').getAttribute('maxlength')).toBe('300');
    await modal.getByLabel('Fälligkeitsdatum').click();
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);
    // the days of the shown month (not the neighbouring months' days the calendar also shows)
    const day = (d: Date) => page.locator('button.mantine-DateInput-day:not([data-outside])', { hasText: new RegExp(`^${d.getDate()}$`) });
    await expect.poll(() => day(today).isEnabled()).toBe(true);
    // yesterday is in the same month view unless today is the first
    if (yesterday.getMonth() === today.getMonth()) expect(await day(yesterday).isDisabled()).toBe(true);
    await screenshot(page, 'form-limits-03-task-due-from-today');
    expect(errors).toEqual([]);
  });
});
