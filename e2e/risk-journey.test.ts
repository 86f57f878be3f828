import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser, screenshot, startServer } from './browser.ts';
import { browserLocale, type JourneyText, journeyLanguages, journeyText, literally } from './journey-text.ts';

/** steps wait for what the page shows, up to this long (a fresh server builds the SoA of 287 entries on first open) */
const poll = { timeout: 20_000, interval: 100 };
const NIST = path.resolve(
  import.meta.dirname,
  '../server/test-data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json',
);

/**
 * Issue 3 in a browser, as an ISMS manager meets it: first-run setup → import the NIST SP 800-53 MODERATE catalog
 * (upload with progress, import report) → an asset → a risk on it, scored → treatment "modify" with a NIST control →
 * decided → the residual risk accepted → a Statement of Applicability for the NIST catalog, pre-filled from the
 * treatment → its XLSX export, read back with exceljs. Once in English and once in German (the browser's language, from
 * the first-run setup on): buttons, options and texts are found by catalog key. Screenshots land in
 * test-artifacts/e2e/<lang>-risk-*.png.
 */
describe.each(journeyLanguages)('risk journey in a browser (issue 3, %s)', (lang) => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let text: JourneyText;
  const errors: string[] = [];

  beforeAll(async () => {
    text = await journeyText(lang);
    server = await startServer('sqlite');
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
      locale: browserLocale[lang],
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterEach(async (ctx) => {
    // what the page showed when a step failed
    if (ctx.task.result?.state === 'fail') await screenshot(page, `${lang}-risk-failure`).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Chooses an option of a Mantine Select / MultiSelect found by its data-testid, typing to search first. */
  async function choose(testId: string, option: string | RegExp, search?: string) {
    const input = page.getByTestId(testId);
    await input.click();
    if (search !== undefined) await input.fill(search);
    const opt = page.getByRole('option', { name: option }).first();
    await opt.waitFor();
    await opt.click();
  }

  it('imports NIST, treats a risk with a NIST control, accepts the residual risk and exports the SoA', async () => {
    const { t } = text;
    // first-run setup: the manager and the scope
    await page.goto(server.url);
    await page.waitForURL(/\/setup$/);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await page.fill('input[name="adminName"]', 'ISMS Manager');
    await page.fill('input[name="adminEmail"]', 'isms@example.com');
    await page.fill('input[name="adminPassword"]', 'a long enough password');
    await page.fill('input[name="scopeName"]', 'Example Ltd');
    await page.getByRole('button', { name: t('setup:create') }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));

    // import the NIST catalog through the page: progress, then the report
    await page.getByTestId('nav-catalogs').click();
    await page.waitForURL(/\/catalogs$/);
    await page.getByTestId('catalog-row').first().waitFor();
    await screenshot(page, `${lang}-risk-01-catalogs`);
    await page.getByTestId('import-catalog').click();
    await page.getByTestId('catalog-file').waitFor();
    await page.locator('input[type="file"]').setInputFiles(NIST);
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-report-title').textContent()).toMatch(/NIST Special Publication 800-53/);
    expect(await page.getByTestId('import-report-groups').textContent()).toBe('18');
    expect(await page.getByTestId('import-report-controls').textContent()).toBe('287');
    expect(await page.getByTestId('import-report-enhancements').textContent()).toBe('110');
    await screenshot(page, `${lang}-risk-02-import-report`);
    await page.getByTestId('open-imported-catalog').click();
    await page.waitForURL(/\/catalogs\/[0-9a-f-]{36}$/);
    await page.getByTestId('requirement-search').fill('AC-2');
    await expect.poll(() => page.getByTestId('requirement-row').filter({ hasText: 'Account Management' }).count(), poll).toBeGreaterThan(0);
    await screenshot(page, `${lang}-risk-03-catalog`);

    // an asset
    // (navigation inside the app from here on: one page load for the whole journey)
    await page.getByTestId('nav-assets').click();
    await page.getByTestId('new-asset').first().click();
    await page.locator('input[name="name"]').fill('Customer portal');
    await page.getByRole('button', { name: t('assets:form.save') }).click();
    await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);

    // a risk on the asset, scored high (likely × existential)
    await page.getByTestId('nav-risks').click();
    await page.getByTestId('new-risk').first().click();
    await page.getByTestId('risk-title').fill('Former employees keep access to the customer portal');
    await choose('risk-assets', /Customer portal/, 'Customer');
    await page.keyboard.press('Escape');
    // the manager owns the risk: the risk owner accepts the residual risk later
    await choose('risk-owner', /ISMS Manager/);
    for (const basis of ['inherent', 'current']) {
      await choose(`score-${basis}-likelihood`, /^3 · /);
      await choose(`score-${basis}-impact`, /^3 · /);
    }
    await expect.poll(() => page.getByTestId('score-current-level').getAttribute('data-level'), poll).toBe('high');
    await screenshot(page, `${lang}-risk-04-risk-form`);
    await page.getByTestId('save-risk').click();
    await page.waitForURL(/\/risks\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('risk-level-current').getAttribute('data-level'), poll).toBe('high');
    const riskRef = (await page.locator('[data-testid="page-header"]').textContent())?.match(/RSK-\d+/)?.[0];
    expect(riskRef).toBe('RSK-0001');
    await screenshot(page, `${lang}-risk-05-risk-scored`);

    // treatment: modify with AC-2 from the NIST catalog, target residual medium (rare × existential)
    await page.getByTestId('risk-tab-treatment').click();
    await page.getByTestId('start-treatment').click();
    await page.getByTestId('treatment-form').waitFor();
    await page.getByTestId('treatment-option-input').getByText(t('risks:treatmentOption.modify'), { exact: true }).click();
    await page.getByTestId('treatment-rationale').fill('Automated account management removes the access of leavers the same day.');
    await page.getByTestId('control-source').getByText(t('risks:picker.catalog'), { exact: true }).click();
    await choose('control-catalog', /NIST Special Publication 800-53/);
    await choose('control-search', /^AC-2 Account Management$/, 'AC-2');
    await page.getByTestId('treatment-control').first().waitFor();
    await choose('treatment-target-score-likelihood', /^1 · /);
    await choose('treatment-target-score-impact', /^3 · /);
    await expect.poll(() => page.getByTestId('treatment-target-score-level').getAttribute('data-level'), poll).toBe('medium');
    await screenshot(page, `${lang}-risk-06-treatment-form`);
    await page.getByTestId('save-treatment').click();
    await page.getByTestId('treatment-view').waitFor();
    await page.getByTestId('decide-treatment').click();
    await page.getByTestId('decide-confirm').click();
    await expect.poll(() => page.getByTestId('treatment-status').getAttribute('data-status'), poll).toBe('decided');
    await expect.poll(() => page.getByTestId('treatment-controls').textContent(), poll).toMatch(/CTL-0001/);
    await screenshot(page, `${lang}-risk-07-treatment-decided`);

    // the risk owner accepts the target residual risk (medium: within the acceptance criteria)
    await page.getByTestId('start-acceptance').click();
    await page.getByTestId('sign-justification').waitFor();
    if (await page.getByTestId('sign-basis').isVisible())
      await choose('sign-basis', new RegExp(`^${literally(t('risks:sign.targetResidualLevel'))}`));
    await page.getByTestId('sign-justification').fill('With automated leaver processing the remaining risk is acceptable.');
    await page.getByTestId('sign-confirm').click();
    await expect.poll(() => page.getByTestId('acceptance-state').getAttribute('data-state'), poll).toBe('effective');
    await screenshot(page, `${lang}-risk-08-accepted`);

    // the control the treatment created, linked to the NIST requirement and the risk
    await page.getByTestId('nav-controls').click();
    await page.waitForURL(/\/controls$/);
    await page.getByTestId('control-row').first().click();
    await page.waitForURL(/\/controls\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('linked-requirement').first().textContent(), poll).toMatch(/AC-2/);
    await screenshot(page, `${lang}-risk-09-control`);

    // the Statement of Applicability for the NIST catalog, pre-filled from the treatment
    await page.getByTestId('nav-soa').click();
    await page.waitForURL(/\/soa$/);
    await page.getByTestId('new-soa').first().click();
    await choose('soa-catalog', /NIST Special Publication 800-53/);
    await page.getByTestId('create-soa').click();
    await page.waitForURL(/\/soa\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('soa-count-total').textContent(), poll).toBe('287');
    expect(await page.getByTestId('soa-count-applicable').textContent()).toBe('1');
    await page.getByTestId('soa-search').fill('Account Management');
    await page.waitForURL(/[?&]q=Account/);
    await expect.poll(() => page.getByTestId('soa-entry').count(), poll).toBeLessThan(20);
    const entry = page.locator('[data-testid="soa-entry"][data-label="AC-2"]');
    await entry.waitFor();
    expect(await entry.getByTestId('soa-applicable').getAttribute('data-value')).toBe('yes');
    // the pre-filled justification names the treated risk, in the reader's language
    const prefilled = text.server('exports:soa.prefill.treatment', { risks: riskRef! });
    expect(await entry.getByTestId('soa-justification').textContent()).toContain(prefilled);
    await screenshot(page, `${lang}-risk-10-soa`);

    // download the XLSX and read it back
    await page.getByTestId('soa-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${lang}-risk-soa.xlsx`);
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const rows: string[][] = [];
    for (const sheet of workbook.worksheets)
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const ac2 = rows.find((r) => r.some((c) => c === 'AC-2' || c === 'ac-2'));
    expect(ac2, 'the AC-2 row of the SoA').toBeDefined();
    expect(ac2!.join(' | ')).toContain(prefilled);
    expect(ac2!.join(' | ')).toContain('CTL-0001');
    expect(rows.length).toBeGreaterThan(287);
    expect(errors).toEqual([]);
  }, 180_000);
});
