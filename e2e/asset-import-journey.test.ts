import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { type JourneyLanguage, journeyLanguages } from './journey-text.ts';

/**
 * The Excel list each language's user brings: headers and values in their own words (the importer knows both), with a
 * row whose owner is no member and whose availability is no protection level.
 */
const inventories: Record<JourneyLanguage, { sheet: string; file: string; fixed: string; rows: string[][] }> = {
  en: {
    sheet: 'Inventory',
    file: 'inventory.xlsx',
    fixed: 'inventory-fixed.xlsx',
    rows: [
      ['Name', 'Type', 'Owner', 'Confidentiality', 'Integrity', 'Availability', 'Internal remark'],
      ['Customer database', 'System', 'isms@example.com', 'high', 'high', 'normal', 'CRM'],
      ['Payroll', 'Service', 'ISMS Manager', 'very high', 'high', 'high', ''],
      ['Server room', 'Location', 'someone@example.com', 'normal', 'normal', '4', ''],
    ],
  },
  de: {
    sheet: 'Inventar',
    file: 'inventar.xlsx',
    fixed: 'inventar-korrigiert.xlsx',
    rows: [
      ['Bezeichnung', 'Typ', 'Verantwortlich', 'Vertraulichkeit', 'Integrität', 'Verfügbarkeit', 'Bemerkung intern'],
      ['Kundendatenbank', 'System', 'isms@example.com', 'hoch', 'hoch', 'normal', 'CRM'],
      ['Lohnabrechnung', 'Dienst', 'ISMS Manager', 'sehr hoch', 'hoch', 'hoch', ''],
      ['Serverraum', 'Standort', 'jemand@example.com', 'normal', 'normal', '4', ''],
    ],
  },
};

/**
 * Asset import journey: the ISMS manager uploads an Excel list of assets, checks the guessed columns, sees the dry run
 * refuse a row with its reason, fixes the column choice, and imports; the assets are in the register. It runs once in
 * English and once in German, each with a file in its own language, and finds its words by catalog key.
 */
describe.each(journeyLanguages)('asset import journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let tmp: string;

  beforeAll(async () => {
    journey = await openJourney([], { lang });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-asset-import-'));
  });
  afterAll(async () => {
    await journey?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const workbook = async (name: string, sheet: string, rows: string[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    return file;
  };

  it('uploads, maps, dry-runs with a refusal, then imports', async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    /** a badge of the import's summary: `1 refused`, `2 to create`, with the number as the page formats it */
    const summary = (key: string, count: number) =>
      t(`imports:${key}`, { count, formatted: new Intl.NumberFormat(text.locale).format(count) });
    const inventory = inventories[lang];
    const [header, customers, payroll, serverRoom] = inventory.rows as [string[], string[], string[], string[]];
    const file = await workbook(inventory.file, inventory.sheet, inventory.rows);

    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('import-assets').first().click();
    await desk.getByTestId('asset-import-check').waitFor();
    await desk.locator('[data-testid="asset-import-dialog"] input[type="file"]').setInputFiles(file);
    await desk.getByTestId('asset-import-check').click();
    await desk.getByTestId('asset-import-rows').waitFor();
    expect(await desk.getByTestId('summary-refused').textContent()).toBe(summary('summary.refused', 1));
    expect(await desk.getByText(t('imports:mappingSource.guessed')).count()).toBe(1);
    // the server's reasons, in the reader's language, naming the file's own column
    const rows = await desk.getByTestId('asset-import-rows').textContent();
    expect(rows).toContain(text.server('errors:assetImport.unknownOwner', { value: serverRoom[2]! }));
    expect(rows).toContain(text.server('errors:assetImport.levelOutOfRange', { value: '4', column: header[5]! }));
    expect(await desk.getByTestId('asset-import-run').isDisabled()).toBe(true);
    await screenshot(desk, `${lang}-asset-import-01-dry-run`);

    // the refused row goes; checked again, the rest imports
    const second = await workbook(inventory.fixed, inventory.sheet, [header, customers, payroll]);
    await desk.locator('[data-testid="asset-import-dialog"] input[type="file"]').setInputFiles(second);
    await desk.getByTestId('asset-import-check').click();
    await desk.getByTestId('asset-import-rows').waitFor();
    await desk.getByTestId('summary-refused').getByText(summary('summary.refused', 0), { exact: true }).waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe(summary('summary.created', 2));
    await desk.getByTestId('asset-import-run').click();
    await desk.getByText(t('assets:import.doneText', { file: inventory.fixed })).waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe(summary('summaryDone.created', 2));
    await screenshot(desk, `${lang}-asset-import-02-imported`);
    await desk.getByRole('button', { name: t('imports:close'), exact: true }).click();
    await desk.getByText(customers[0]!).first().waitFor();
    await desk.getByText(payroll[0]!).first().waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
