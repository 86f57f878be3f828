import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annexAThemesDe, annexATitle } from '../catalogs/iso27001-annex-a.de.ts';
import { ANNEX_A_KEY, annexAThemes } from '../catalogs/iso27001-annex-a.ts';
import { bsiElementaryThreatTitlesDe, threatTitle } from '../processes/risk-assessment/bsi-elementary-threats.de.ts';
import { bsiElementaryThreats } from '../processes/risk-assessment/bsi-elementary-threats.ts';
import { docxText, pdfText } from '../test/document-text.ts';
import { buildScope, createTestContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';

/** Built-in content with an official German form speaks German to German readers; so do the exports they ask for. */
describe('the German form of built-in content', () => {
  it('every BSI elementary threat has its official German title', () => {
    expect(bsiElementaryThreatTitlesDe).toHaveLength(bsiElementaryThreats.length);
    expect(bsiElementaryThreatTitlesDe.every((t) => t.trim().length > 0)).toBe(true);
    expect(new Set(bsiElementaryThreatTitlesDe).size).toBe(bsiElementaryThreats.length);
    const de = (code: string) => threatTitle({ code, title: 'x', builtin: true }, 'de');
    expect(de('G 0.1')).toBe('Feuer');
    expect(de('G 0.2')).toBe('Ungünstige klimatische Bedingungen');
    expect(de('G 0.47')).toBe('Schädliche Seiteneffekte IT-gestützter Angriffe');
    for (const t of bsiElementaryThreats) expect(de(t.code), t.code).not.toBe('x');
    // a scope's own threat and an English reader keep the stored words
    expect(threatTitle({ code: 'G 0.1', title: 'Fire', builtin: false }, 'de')).toBe('Fire');
    expect(threatTitle({ code: 'G 0.1', title: 'Fire', builtin: true }, 'en')).toBe('Fire');
  });

  it('every Annex A theme and control has its title of the German edition', () => {
    let controls = 0;
    for (const theme of annexAThemes) {
      const de = annexAThemesDe[theme.id];
      expect(de, `theme ${theme.id}`).toBeDefined();
      expect(de!.controls, `theme ${theme.id}`).toHaveLength(theme.controls.length);
      expect(annexATitle(ANNEX_A_KEY, `A.${theme.id}`, 'x', 'de')).toBe(de!.title);
      theme.controls.forEach((_, i) => {
        const title = annexATitle(ANNEX_A_KEY, `A.${theme.id}.${i + 1}`, 'x', 'de');
        expect(title, `A.${theme.id}.${i + 1}`).not.toBe('x');
        expect(title.trim().length).toBeGreaterThan(0);
      });
      controls += theme.controls.length;
    }
    expect(controls).toBe(93);
    expect(Object.keys(annexAThemesDe).sort()).toEqual(annexAThemes.map((t) => t.id).sort());
    expect(annexATitle(ANNEX_A_KEY, 'A.5.1', 'Policies for information security', 'de')).toBe('Informationssicherheitsrichtlinien');
    expect(annexATitle(ANNEX_A_KEY, 'A.8.23', 'Web filtering', 'de')).toBe('Webfilterung');
    // English readers and imported catalogs keep their words
    expect(annexATitle(ANNEX_A_KEY, 'A.5.1', 'Policies for information security', 'en')).toBe('Policies for information security');
    expect(annexATitle('other-catalog', 'A.5.1', 'Own words', 'de')).toBe('Own words');
  });
});

describe.each(dialects)('German readers over HTTP (%s)', (dialect) => {
  let t: TestContext;
  let manager: TestUser;
  let base: string;
  const get = (url: string, language = 'de-DE,de;q=0.9') =>
    t.app.inject({ method: 'GET', url, headers: { ...manager.headers, 'accept-language': language } });

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps);
    manager = s.manager;
    base = `/api/scopes/${s.scope.id}`;
  });
  afterAll(() => t.close());

  it('lists the BSI threats and the Annex A requirements by their German titles', async () => {
    const threats = json<{ items: { code: string; title: string }[] }>(await get(`/api/threats?scopeId=${base.split('/').at(-1)}`)).items;
    expect(threats.find((x) => x.code === 'G 0.1')!.title).toBe('Feuer');
    expect(threats.find((x) => x.code === 'G 0.43')!.title).toBe('Einspielen von Nachrichten');
    expect(json<{ items: { code: string; title: string }[] }>(await get('/api/threats', 'en')).items[0]!.title).toBe('Fire');

    const catalogs = json<{ id: string; key: string }[] | { items: { id: string; key: string }[] }>(await get(`${base}/catalogs`));
    const list = Array.isArray(catalogs) ? catalogs : catalogs.items;
    const annexA = list.find((c) => c.key === ANNEX_A_KEY)!;
    const requirements = json<{ items: { identifier: string; title: string }[] }>(
      await get(`${base}/catalogs/${annexA.id}/requirements?pageSize=200`),
    ).items;
    expect(requirements.find((r) => r.identifier === 'A.5.1')!.title).toBe('Informationssicherheitsrichtlinien');
    expect(requirements.find((r) => r.identifier === 'A.8')!.title).toBe('Technologische Maßnahmen');
  });

  it('exports the SoA as XLSX, PDF and DOCX in German, and in English for English readers', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `${base}/soa`,
      headers: manager.headers,
      payload: { catalogKey: ANNEX_A_KEY },
    });
    expect(created.statusCode, created.body).toBe(201);
    const url = `${base}/soa/${json(created).id}`;
    const entries = json<{ items: { requirement: { identifier: string; title: string }; group: { title: string } | null }[] }>(
      await get(`${url}/entries?pageSize=5`),
    ).items;
    expect(entries[0]!.requirement).toMatchObject({ identifier: 'A.5.1', title: 'Informationssicherheitsrichtlinien' });
    expect(entries[0]!.group!.title).toBe('Organisatorische Maßnahmen');

    const xlsx = await get(`${url}/export.xlsx`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.getWorksheet('Anwendbarkeit')!;
    expect(ws.getCell('A1').value).toBe('Erklärung zur Anwendbarkeit');
    expect(ws.getCell('A2').value).toBe('Geltungsbereich');
    expect(ws.getCell('B4').value).toBe('Version 1 (Entwurf, nicht freigegeben)');
    expect((ws.getRow(7).values as string[]).slice(1)).toEqual([
      'Kennung',
      'Titel',
      'Anwendbar',
      'Begründung',
      'Umsetzungsstatus',
      'Maßnahmen',
      'Gruppe',
    ]);
    const first = (ws.getRow(8).values as unknown[]).slice(1);
    expect(first[0]).toBe('A.5.1');
    expect(first[1]).toBe('Informationssicherheitsrichtlinien');
    expect(first[2]).toBe('Nicht entschieden');
    expect(first[4]).toBe('Nicht begonnen');
    expect(first[6]).toBe('A.5 Organisatorische Maßnahmen');

    const pdf = await pdfText((await get(`${url}/export.pdf`)).rawPayload);
    for (const words of ['Erklärung zur Anwendbarkeit', 'Informationssicherheitsrichtlinien', 'Begründung', 'Seite 1 von']) {
      expect(pdf).toContain(words);
    }
    for (const words of ['Justification', 'Requirements', 'Generated', 'page 1 of']) expect(pdf).not.toContain(words);

    const docx = await docxText((await get(`${url}/export.docx`)).rawPayload);
    for (const words of ['Erklärung zur Anwendbarkeit', 'Geltungsbereich', 'Webfilterung', 'Nicht entschieden'])
      expect(docx).toContain(words);

    const english = new ExcelJS.Workbook();
    await english.xlsx.load((await get(`${url}/export.xlsx`, 'en-GB')).rawPayload as never);
    expect(english.getWorksheet('SoA')!.getCell('A1').value).toBe('Statement of Applicability');
    expect((english.getWorksheet('SoA')!.getRow(8).values as unknown[])[2]).toBe('Policies for information security');
  });

  it('writes the incident report as PDF and DOCX in German', async () => {
    const reported = await t.app.inject({
      method: 'POST',
      url: `${base}/incidents`,
      headers: manager.headers,
      payload: { title: 'Laptop gestohlen', description: 'Im Zug liegen gelassen', affected: 'Vertrieb' },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const url = `${base}/incidents/${json(reported).id}`;
    const pdf = await pdfText((await get(`${url}/report.pdf`)).rawPayload);
    for (const words of [
      'Bericht zum Sicherheitsvorfall',
      'Status: gemeldet',
      'Art: Sicherheitsvorfall',
      'Kategorie: nicht gesichtet',
      'Zeitverlauf',
      'Erkenntnisse',
    ]) {
      expect(pdf).toContain(words);
    }
    const docx = await docxText((await get(`${url}/report.docx`)).rawPayload);
    for (const words of ['Bericht zum Sicherheitsvorfall', 'Kennung', 'Einstufung', 'Meldungen an Behörden', 'Aspekt'])
      expect(docx).toContain(words);
    expect(docx).not.toContain('Incident report');
    const englishPdf = await pdfText((await get(`${url}/report.pdf`, 'en')).rawPayload);
    expect(englishPdf).toContain('Status: reported');
  });

  it('writes a policy version as PDF and DOCX with German labels', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `${base}/documents`,
      headers: manager.headers,
      payload: { type: 'policy', title: 'Zugangsrichtlinie', classification: 'internal', contentMd: '# Zweck\n\nSchutz.\n' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const doc = json(created);
    const url = `${base}/documents/${doc.id}/versions/${doc.workingVersion.id}`;
    const pdf = await pdfText((await get(`${url}/pdf`)).rawPayload);
    for (const words of [
      'INTERN · erstellt',
      'Art: Richtlinie',
      'Version: 1 (Entwurf)',
      'Klassifizierung: intern',
      'Veröffentlicht: nicht veröffentlicht',
    ]) {
      expect(pdf).toContain(words);
    }
    const docx = await docxText((await get(`${url}/docx`)).rawPayload);
    for (const words of ['Informationssicherheit: Richtlinie', 'Kennung', 'Nächste Überprüfung']) expect(docx).toContain(words);
    expect(await pdfText((await get(`${url}/pdf`, 'en')).rawPayload)).toContain('Type: policy');
  });

  it('writes the audit report as PDF and DOCX in German', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `${base}/audits`,
      headers: manager.headers,
      payload: { title: 'Zugangssteuerung', scope: 'IT-Betrieb', plannedStart: '2026-03-02', plannedEnd: '2026-03-03' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const url = `${base}/audits/${json(created).id}`;
    const pdf = await pdfText((await get(`${url}/report.pdf`)).rawPayload);
    for (const words of [
      'Auditbericht',
      'Art: Internes Audit',
      'Status: Geplant',
      'Geplant: 2026-03-02 bis 2026-03-03',
      'Auditkriterien',
      'Keine.',
    ]) {
      expect(pdf).toContain(words);
    }
    const docx = await docxText((await get(`${url}/report.docx`)).rawPayload);
    for (const words of ['Auditbericht', 'Checklistenzeile', 'Feststellungen', 'Auditschlussfolgerung']) expect(docx).toContain(words);
    expect(await pdfText((await get(`${url}/report.pdf`, 'en')).rawPayload)).toContain('Source: Internal audit');
    const csv = (await get(`${base}/audits.csv`)).body.split('\n');
    expect(csv[0]).toBe('Kennung,Titel,Art,Externe Organisation,Status,Auditleitung,Geplanter Beginn,Geplantes Ende,Zyklus,Feststellungen');
    expect(csv[1]).toContain(',Intern,,Geplant,');
  });

  it('writes the management-review minutes as PDF and DOCX with German labels and headings', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `${base}/reviews`,
      headers: manager.headers,
      payload: { title: 'Managementbewertung 2026', chairId: manager.id, plannedOn: '2026-03-10' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const url = `${base}/reviews/${json(created).id}`;
    const pdf = await pdfText((await get(`${url}/minutes.pdf`)).rawPayload);
    for (const words of [
      'Protokoll der Managementbewertung',
      'Vorsitz:',
      'Status: Geplant',
      'Eingaben (ISO/IEC 27001 9.3.2)',
      'Entscheidungen (ISO/IEC 27001 9.3.3)',
    ]) {
      expect(pdf).toContain(words);
    }
    const docx = await docxText((await get(`${url}/minutes.docx`)).rawPayload);
    for (const words of ['Protokoll der Managementbewertung', 'Bewerteter Zeitraum', 'Diskussion', 'Keine.']) expect(docx).toContain(words);
    expect(await pdfText((await get(`${url}/minutes.pdf`, 'en')).rawPayload)).toContain('Minutes of the management review');
    const csv = (await get(`${base}/reviews.csv`)).body.split('\n');
    expect(csv[0]).toBe('Kennung,Titel,Status,Vorsitz,Geplant am,Zeitraum von,Zeitraum bis,Durchgeführt am,Entscheidungen');
    expect(csv[1]).toContain(',Geplant,');
  });

  it('exports the risk register as CSV with German headers, words and threat titles', async () => {
    const threats = json<{ items: { id: string; code: string }[] }>(await get('/api/threats')).items;
    const fire = threats.find((x) => x.code === 'G 0.1')!;
    const risk = await t.app.inject({
      method: 'POST',
      url: `${base}/risks`,
      headers: manager.headers,
      payload: {
        title: 'Brand im Serverraum',
        threatId: fire.id,
        consequences: { confidentiality: false, integrity: false, availability: true },
      },
    });
    expect(risk.statusCode, risk.body).toBe(201);
    const csv = (await get(`${base}/risks.csv`)).body;
    const [header, row] = csv.trim().split('\n');
    expect(header!.split(',').slice(0, 6)).toEqual([
      'Kennung',
      'Titel',
      'Status',
      'Risikoeigentümer',
      'E-Mail des Risikoeigentümers',
      'Gefährdung',
    ]);
    expect(row).toContain('G 0.1 Feuer');
    expect(row).toContain('identifiziert');
    expect(row).toContain(',nein,nein,ja,');
    const englishCsv = (await get(`${base}/risks.csv`, 'en')).body;
    expect(englishCsv.split('\n')[0]!.split(',').slice(0, 3)).toEqual(['reference', 'title', 'status']);
    expect(englishCsv).toContain('G 0.1 Fire');
  });
});
