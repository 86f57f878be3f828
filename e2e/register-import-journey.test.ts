import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { type JourneyLanguage, journeyLanguages } from './journey-text.ts';

/**
 * The files each language's user brings, headers and values in their own words (the importers know both): risks with
 * an unknown threat and a likelihood off the scale, and controls that name a risk of the first file by its title.
 */
const files: Record<
  JourneyLanguage,
  { risks: { header: string[]; phishing: (string | number)[]; flooded: (string | number)[] }; controls: string[][] }
> = {
  en: {
    risks: {
      header: ['Title', 'Threat', 'Owner', 'C', 'Likelihood', 'Impact'],
      phishing: ['Phishing of staff', 'G 0.14', 'isms@example.com', 'yes', 3, 2],
      flooded: ['Flooded archive', 'G 0.99', 'ISMS Manager', 'no', 7, 1],
    },
    controls: [
      ['Control', 'Status', 'Annex A', 'Risks', 'Owner'],
      ['Awareness training', 'in progress', 'A.6.3', 'Phishing of staff', 'ISMS Manager'],
      ['Mail filtering', 'implemented', 'A.8.23', '', 'isms@example.com'],
    ],
  },
  de: {
    risks: {
      header: ['Titel', 'Gefährdung', 'Verantwortlich', 'V', 'Eintrittswahrscheinlichkeit', 'Auswirkung'],
      phishing: ['Phishing bei Beschäftigten', 'G 0.14', 'isms@example.com', 'ja', 3, 2],
      flooded: ['Überflutetes Archiv', 'G 0.99', 'ISMS Manager', 'nein', 7, 1],
    },
    controls: [
      ['Maßnahme', 'Umsetzungsstatus', 'Anhang A', 'Risiken', 'Verantwortlich'],
      ['Sensibilisierungsschulung', 'in Umsetzung', 'A.6.3', 'Phishing bei Beschäftigten', 'ISMS Manager'],
      ['Mailfilter', 'umgesetzt', 'A.8.23', '', 'isms@example.com'],
    ],
  },
};

/**
 * Risk and control import journey: the risk list and the control list open the same import wizard as the asset
 * register; a dry run refuses a row with its reason (an unknown threat, a likelihood off the scale), the fixed file
 * imports, and the records are in their lists. It runs once in English and once in German, each with files in its own
 * language, and finds its words by catalog key.
 */
describe.each(journeyLanguages)('risk and control import journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let tmp: string;

  beforeAll(async () => {
    journey = await openJourney([], { lang });
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
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    /** a badge of the import's summary: `1 refused`, `2 to create`, with the number as the page formats it */
    const summary = (key: string, count: number) =>
      t(`imports:${key}`, { count, formatted: new Intl.NumberFormat(text.locale).format(count) });
    const { risks, controls: controlRows } = files[lang];
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);
    const method = (await (await desk.request.get(`${server.url}/api/scopes/${scopeId}/risk-method`)).json()) as {
      likelihood: unknown[];
    };

    const bad = await workbook('risks.xlsx', [risks.header, risks.phishing, risks.flooded]);
    await desk.goto(`${server.url}/s/${scopeId}/risks`);
    await desk.getByTestId('import-risks').click();
    await desk.getByTestId('risk-import-check').waitFor();
    await desk.locator('[data-testid="risk-import-dialog"] input[type="file"]').setInputFiles(bad);
    await desk.getByTestId('risk-import-check').click();
    await desk.getByTestId('risk-import-rows').waitFor();
    expect(await desk.getByTestId('summary-refused').textContent()).toBe(summary('summary.refused', 1));
    // the server's reasons, in the reader's language, naming the file's own column
    const rows = await desk.getByTestId('risk-import-rows').textContent();
    expect(rows).toContain(text.server('errors:riskImport.unknownThreat', { value: 'G 0.99' }));
    expect(rows).toContain(
      text.server('errors:riskImport.outOfScale', { value: '7', column: risks.header[4]!, max: method.likelihood.length }),
    );
    expect(await desk.getByTestId('risk-import-run').isDisabled()).toBe(true);
    await screenshot(desk, `${lang}-register-import-01-risks-dry-run`);

    const good = await workbook('risks-fixed.xlsx', [risks.header, risks.phishing]);
    await desk.locator('[data-testid="risk-import-dialog"] input[type="file"]').setInputFiles(good);
    await desk.getByTestId('risk-import-check').click();
    await desk.getByTestId('summary-refused').getByText(summary('summary.refused', 0), { exact: true }).waitFor();
    await desk.getByTestId('risk-import-run').click();
    await desk.getByText(t('risks:import.doneText', { file: 'risks-fixed.xlsx' })).waitFor();
    await desk.getByRole('button', { name: t('imports:close'), exact: true }).click();
    await desk.getByText(String(risks.phishing[0])).first().waitFor();

    const controls = await workbook('controls.xlsx', controlRows);
    await desk.goto(`${server.url}/s/${scopeId}/controls`);
    await desk.getByTestId('import-controls').click();
    await desk.locator('[data-testid="control-import-dialog"] input[type="file"]').setInputFiles(controls);
    await desk.getByTestId('control-import-check').click();
    await desk.getByTestId('control-import-rows').waitFor();
    expect(await desk.getByTestId('summary-created').textContent()).toBe(summary('summary.created', 2));
    expect(await desk.getByTestId('summary-refused').textContent()).toBe(summary('summary.refused', 0));
    await screenshot(desk, `${lang}-register-import-02-controls-dry-run`);
    await desk.getByTestId('control-import-run').click();
    await desk.getByText(t('controls:import.doneText', { file: 'controls.xlsx' })).waitFor();
    await desk.getByRole('button', { name: t('imports:close'), exact: true }).click();
    await desk.getByText(controlRows[2]![0]!).first().waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
