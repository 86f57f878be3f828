import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText, pdfText } from '../server/src/test/document-text.ts';
import { openJourney, screenshot } from './browser.ts';

/**
 * Documents in German, in a browser whose language is German: the ISMS manager imports assets from an Excel file
 * (German headers and values), then opens a Statement of Applicability for the built-in ISO/IEC 27001 Annex A and
 * downloads it as Word and PDF; both files, read back, speak German.
 */
describe('German documents journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let tmp: string;

  beforeAll(async () => {
    journey = await openJourney([]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-german-documents-'));
  });
  afterAll(async () => {
    await journey?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function download(page: Page, testId: string): Promise<Buffer> {
    await page.getByTestId('soa-export').click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    return fs.readFileSync((await file.path())!);
  }

  it('imports assets from an XLSX file, then exports the SoA as DOCX and PDF, in German', async () => {
    const { server, scopeId, errors } = journey;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Inventar');
    ws.addRow(['Bezeichnung', 'Typ', 'Verantwortlich', 'Vertraulichkeit', 'Integrität', 'Verfügbarkeit']);
    ws.addRow(['Kundendatenbank', 'System', 'isms@example.com', 'hoch', 'hoch', 'normal']);
    ws.addRow(['Lohnabrechnung', 'Dienst', 'ISMS Manager', 'sehr hoch', 'hoch', 'hoch']);
    const file = path.join(tmp, 'inventar.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 }, { locale: 'de-DE' });
    expect(await desk.locator('html').getAttribute('lang')).toBe('de');

    // the import, worded in German
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('import-assets').first().click();
    await desk.getByTestId('asset-import-check').waitFor();
    await desk.locator('[data-testid="asset-import-dialog"] input[type="file"]').setInputFiles(file);
    await desk.getByTestId('asset-import-check').click();
    await desk.getByTestId('asset-import-rows').waitFor();
    await desk.getByTestId('summary-created').getByText('2 neu anzulegen').waitFor();
    await screenshot(desk, 'german-documents-01-import-check');
    await desk.getByTestId('asset-import-run').click();
    await desk.getByTestId('summary-created').getByText('2 angelegt').waitFor();
    await desk.keyboard.press('Escape');
    await desk.getByText('Kundendatenbank').first().waitFor();
    await desk.getByText('Lohnabrechnung').first().waitFor();

    // a Statement of Applicability for Annex A, downloaded as Word and PDF
    await desk.goto(`${server.url}/s/${scopeId}/soa`);
    await desk.getByTestId('new-soa').first().click();
    const catalog = desk.getByTestId('soa-catalog');
    await catalog.click();
    await desk.getByRole('option', { name: /27001/ }).first().click();
    await desk.getByTestId('create-soa').click();
    await desk.waitForURL(/\/soa\/[0-9a-f-]{36}$/);
    await desk.getByTestId('soa-export').waitFor();
    await desk
      .getByText(/^Erklärung zur Anwendbarkeit: /)
      .first()
      .waitFor(); // its default title in the creator's language
    await screenshot(desk, 'german-documents-02-soa');

    const docx = await docxText(await download(desk, 'export-docx'));
    expect(docx).toContain('Erklärung zur Anwendbarkeit');
    expect(docx).toContain('Informationssicherheitsrichtlinien'); // A.5.1 by the German edition's title
    const pdf = await pdfText(await download(desk, 'export-pdf'));
    expect(pdf).toContain('Erklärung zur Anwendbarkeit');
    expect(pdf).toContain('Informationssicherheitsrichtlinien');
    expect(errors).toEqual([]);
  }, 180_000);
});
