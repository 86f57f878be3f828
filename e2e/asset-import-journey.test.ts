import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Asset import journey: the ISMS manager uploads an Excel list of assets, checks the guessed columns, sees the dry run
 * refuse a row with its reason, fixes the column choice, and imports; the assets are in the register.
 */
describe('asset import journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let tmp: string;

  beforeAll(async () => {
    journey = await openJourney([]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-asset-import-'));
  });
  afterAll(async () => {
    await journey?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads, maps, dry-runs with a refusal, then imports', async () => {
    const { server, scopeId, errors } = journey;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Inventar');
    ws.addRow(['Bezeichnung', 'Typ', 'Verantwortlich', 'Vertraulichkeit', 'Integrität', 'Verfügbarkeit', 'Bemerkung intern']);
    ws.addRow(['Kundendatenbank', 'System', 'isms@example.com', 'hoch', 'hoch', 'normal', 'CRM']);
    ws.addRow(['Lohnabrechnung', 'Dienst', 'ISMS Manager', 'sehr hoch', 'hoch', 'hoch', '']);
    ws.addRow(['Serverraum', 'Standort', 'jemand@example.com', 'normal', 'normal', '4', '']);
    const file = path.join(tmp, 'inventar.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('import-assets').first().click();
    await desk.getByTestId('asset-import-check').waitFor();
    await desk.locator('[data-testid="asset-import-dialog"] input[type="file"]').setInputFiles(file);
    await desk.getByTestId('asset-import-check').click();
    await desk.getByTestId('asset-import-rows').waitFor();
    expect(await desk.getByTestId('summary-refused').textContent()).toBe('1 refused');
    const rows = await desk.getByTestId('asset-import-rows').textContent();
    expect(rows).toContain('No member of this scope is "jemand@example.com"');
    expect(rows).toContain('"4" in column "Verfügbarkeit" is not a protection level');
    expect(await desk.getByTestId('asset-import-run').isDisabled()).toBe(true);
    await screenshot(desk, 'asset-import-01-dry-run');

    // the refused row goes; checked again, the rest imports
    const fixed = new ExcelJS.Workbook();
    const sheet = fixed.addWorksheet('Inventar');
    for (const n of [1, 2, 3]) sheet.addRow(ws.getRow(n).values as ExcelJS.CellValue[]);
    const second = path.join(tmp, 'inventar-korrigiert.xlsx');
    fs.writeFileSync(second, Buffer.from(await fixed.xlsx.writeBuffer()));
    await desk.locator('[data-testid="asset-import-dialog"] input[type="file"]').setInputFiles(second);
    await desk.getByTestId('asset-import-check').click();
    await desk.getByTestId('asset-import-rows').waitFor();
    await desk.getByTestId('summary-refused').getByText('0 refused').waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe('2 to create');
    await desk.getByTestId('asset-import-run').click();
    await desk.getByText('Every row of inventar-korrigiert.xlsx was imported').waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe('2 created');
    await screenshot(desk, 'asset-import-02-imported');
    await desk.getByRole('button', { name: 'Close' }).click();
    await desk.getByText('Kundendatenbank').first().waitFor();
    await desk.getByText('Lohnabrechnung').first().waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
