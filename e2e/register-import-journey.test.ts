import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Risk and control import journey: the risk list and the control list open the same import wizard as the asset
 * register; a dry run refuses a row with its reason (an unknown threat, a likelihood off the scale), the fixed file
 * imports, and the records are in their lists.
 */
describe('risk and control import journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let tmp: string;

  beforeAll(async () => {
    journey = await openJourney([]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-register-import-'));
  });
  afterAll(async () => {
    await journey?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const workbook = async (name: string, rows: (string | number)[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet');
    for (const r of rows) ws.addRow(r);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    return file;
  };

  it('imports risks from the risk list and controls from the control list', async () => {
    const { server, scopeId, errors } = journey;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });

    const header = ['Title', 'Threat', 'Owner', 'C', 'Likelihood', 'Impact'];
    const bad = await workbook('risks.xlsx', [
      header,
      ['Phishing of staff', 'G 0.14', 'isms@example.com', 'yes', 3, 2],
      ['Flooded archive', 'G 0.99', 'ISMS Manager', 'no', 7, 1],
    ]);
    await desk.goto(`${server.url}/s/${scopeId}/risks`);
    await desk.getByTestId('import-risks').click();
    await desk.getByTestId('risk-import-check').waitFor();
    await desk.locator('[data-testid="risk-import-dialog"] input[type="file"]').setInputFiles(bad);
    await desk.getByTestId('risk-import-check').click();
    await desk.getByTestId('risk-import-rows').waitFor();
    expect(await desk.getByTestId('summary-refused').textContent()).toBe('1 refused');
    const rows = await desk.getByTestId('risk-import-rows').textContent();
    expect(rows).toContain('No threat of the catalog or of this scope is "G 0.99"');
    expect(rows).toContain('"7" in column "Likelihood" is not on the scope\'s scale');
    expect(await desk.getByTestId('risk-import-run').isDisabled()).toBe(true);
    await screenshot(desk, 'register-import-01-risks-dry-run');

    const good = await workbook('risks-fixed.xlsx', [header, ['Phishing of staff', 'G 0.14', 'isms@example.com', 'yes', 3, 2]]);
    await desk.locator('[data-testid="risk-import-dialog"] input[type="file"]').setInputFiles(good);
    await desk.getByTestId('risk-import-check').click();
    await desk.getByTestId('summary-refused').getByText('0 refused').waitFor();
    await desk.getByTestId('risk-import-run').click();
    await desk.getByText('Every row of risks-fixed.xlsx was imported').waitFor();
    await desk.getByRole('button', { name: 'Close' }).click();
    await desk.getByText('Phishing of staff').first().waitFor();

    const controls = await workbook('controls.xlsx', [
      ['Control', 'Status', 'Annex A', 'Risks', 'Owner'],
      ['Awareness training', 'in progress', 'A.6.3', 'Phishing of staff', 'ISMS Manager'],
      ['Mail filtering', 'implemented', 'A.8.23', '', 'isms@example.com'],
    ]);
    await desk.goto(`${server.url}/s/${scopeId}/controls`);
    await desk.getByTestId('import-controls').click();
    await desk.locator('[data-testid="control-import-dialog"] input[type="file"]').setInputFiles(controls);
    await desk.getByTestId('control-import-check').click();
    await desk.getByTestId('control-import-rows').waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe('2 to create');
    await screenshot(desk, 'register-import-02-controls-dry-run');
    await desk.getByTestId('control-import-run').click();
    await desk.getByText('Every row of controls.xlsx was imported').waitFor();
    await desk.getByRole('button', { name: 'Close' }).click();
    await desk.getByText('Mail filtering').first().waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
