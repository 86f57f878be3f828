import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/demo.service.ts';
import { pdfText } from '../test/document-text.ts';
import { buildUser, createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * The asset, control and measure CSVs, the awareness workbook and the audit pack's index speak the asker's language:
 * the request's, or their language setting when they have one (then without any Accept-Language).
 */
describe.each(dialects)('exports in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let german: TestUser;
  let base: string;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    await seedDemo(t.deps, manager.actor, scopeId);
    base = `/api/scopes/${scopeId}`;
    // a member whose account says German; their requests carry no Accept-Language at all
    german = await buildUser(t.deps, { name: 'Deutschsprachige Prüferin', memberships: [[scopeId, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  const get = async (url: string, user: TestUser, language?: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res;
  };
  const csv = async (url: string, user: TestUser, language?: string) =>
    (await get(url, user, language)).body
      .trim()
      .split('\n')
      .map((line) => line.split(','));

  it('exports assets with German headers, types, life-cycle states and protection levels', async () => {
    const [header, ...rows] = await csv(`${base}/assets.csv`, manager, 'de-DE,de;q=0.9');
    expect(header).toEqual([
      'Kennung',
      'Name',
      'Typ',
      'Verantwortlich',
      'E-Mail der verantwortlichen Person',
      'Lebenszyklus',
      'Vertraulichkeit',
      'Integrität',
      'Verfügbarkeit',
      'Schlagwörter',
      'Beschreibung',
      'Geändert am',
    ]);
    expect(rows.length).toBeGreaterThan(0);
    const words = rows.flat();
    expect(words).toContain('In Betrieb');
    expect(words.some((w) => ['Normal', 'Hoch', 'Sehr hoch'].includes(w))).toBe(true);
    expect(words.some((w) => ['Information', 'System', 'Dienst', 'Standort', 'Person / Rolle', 'Lieferant'].includes(w))).toBe(true);
    expect(words).not.toContain('in_operation');
    // English readers keep the codes the import reads; the setting decides without Accept-Language
    const english = await csv(`${base}/assets.csv`, manager);
    expect(english[0]!.slice(0, 3)).toEqual(['reference', 'name', 'type']);
    expect(english.flat()).toContain('in_operation');
    expect((await csv(`${base}/assets.csv`, german))[0]![0]).toBe('Kennung');
  });

  it('exports controls with German headers, status, effectiveness and overdue words', async () => {
    const [header, ...rows] = await csv(`${base}/controls.csv`, german);
    expect(header!.slice(0, 6)).toEqual([
      'Kennung',
      'Titel',
      'Status',
      'Wirksamkeit',
      'Verantwortlich',
      'E-Mail der verantwortlichen Person',
    ]);
    expect(header).toContain('Überfällig');
    expect(header).toContain('Nächste Verifizierung');
    const statusIndex = header!.indexOf('Status');
    const statuses = new Set(rows.map((r) => r[statusIndex]));
    expect([...statuses].every((s) => ['Geplant', 'In Umsetzung', 'Umgesetzt', 'Verifiziert', 'Nicht anwendbar'].includes(s!))).toBe(true);
    const overdue = header!.indexOf('Überfällig');
    expect(rows.every((r) => r[overdue] === 'ja' || r[overdue] === 'nein')).toBe(true);
    const english = await csv(`${base}/controls.csv`, manager, 'en');
    expect(english[0]!.slice(0, 4)).toEqual(['reference', 'title', 'status', 'effectiveness']);
  });

  it('exports measures with German headers, sources, directions and states', async () => {
    const [header, ...rows] = await csv(`${base}/measures.csv`, german);
    expect(header).toEqual([
      'Kennung',
      'Name',
      'Quelle',
      'Einheit',
      'Richtung',
      'Ziel',
      'Schwelle bei',
      'Letzter Wert',
      'Status',
      'Gemessen am',
      'Trend',
    ]);
    expect(rows.length).toBeGreaterThan(0);
    const words = rows.flat();
    expect(words.some((w) => w === 'Höher ist besser' || w === 'Niedriger ist besser')).toBe(true);
    expect(words.some((w) => ['Von Praxis berechnet', 'Manuell eingegeben', 'Von einem Skript übermittelt'].includes(w))).toBe(true);
    expect(words).not.toContain('higher is better');
    const english = await csv(`${base}/measures.csv`, manager);
    expect(english[0]).toContain('breach at');
  });

  it('exports the awareness workbook with German sheets, headers and roles', async () => {
    const res = await get(`${base}/awareness/export.xlsx`, german);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Richtlinien',
      'Schulungen',
      'Rollen im Anwendungsbereich',
      'Abteilungen',
      'Personen',
    ]);
    expect((wb.getWorksheet('Richtlinien')!.getRow(1).values as string[]).slice(1)).toEqual([
      'Kennung',
      'Titel',
      'Zugewiesen',
      'Erledigt',
      'Überfällig',
      'Quote (%)',
    ]);
    const people = wb.getWorksheet('Personen')!;
    expect((people.getRow(1).values as string[]).slice(1, 5)).toEqual(['Name', 'E-Mail', 'Rolle', 'Abteilung']);
    const roles = new Set<string>();
    people.eachRow((row, i) => {
      if (i > 1) roles.add(String(row.getCell(3).value ?? ''));
    });
    expect(roles.size).toBeGreaterThan(0);
    for (const role of roles) expect(['Manager', 'Bearbeiter', 'Auditor', 'Leser', 'Mitarbeitende', '']).toContain(role);
    const byRole = wb.getWorksheet('Rollen im Anwendungsbereich')!;
    expect(String(byRole.getRow(2).getCell(1).value)).toMatch(/^(Manager|Bearbeiter|Auditor|Leser|Mitarbeitende)$/);

    const english = new ExcelJS.Workbook();
    await english.xlsx.load((await get(`${base}/awareness/export.xlsx`, manager, 'en')).rawPayload as never);
    expect(english.worksheets.map((w) => w.name)).toEqual(['Policies', 'Courses', 'Scope roles', 'Departments', 'People']);
  });

  it("words the audit pack's index in German, sections, titles and notes included", async () => {
    const zip = await JSZip.loadAsync((await get(`${base}/audit-pack.zip`, german)).rawPayload);
    const index = (await pdfText(await zip.file('index.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    for (const words of [
      'Audit-Paket:',
      'Verzeichnis des Audit-Pakets',
      'Erstellt von',
      'Deutschsprachige Prüferin',
      'Anwendungsbereich des ISMS: Beschreibung, Prozesse und Verantwortliche',
      'Risikobeurteilung',
      'Risikoregister',
      'Erklärung zur Anwendbarkeit',
      'Ziele und Kennzahlen mit ihren letzten Werten',
      'Kompetenz und Bewusstsein',
      'Nichtkonformitäten mit ihren Korrekturmaßnahmen',
      'Stand ',
      'Bytes',
    ])
      expect(index, words).toContain(words);
    expect(index).not.toContain('Audit pack index');
    expect(index).not.toContain('Risk register');
    // the documents inside follow the same language
    const scope = (await pdfText(await zip.file('01-scope/scope.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    for (const words of [
      'Anwendungsbereich des ISMS:',
      'Organisationsprofil',
      'Kleine Organisation',
      'Prozesse und Verantwortliche',
      '(Planen)',
    ])
      expect(scope, words).toContain(words);
    const method = (await pdfText(await zip.file('03-risks/risk-method.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    for (const words of ['Risikomethode', 'Eintrittswahrscheinlichkeit', 'Risikoniveaus', 'Akzeptanzkriterien', 'akzeptiert durch'])
      expect(method, words).toContain(words);
    expect((await zip.file('03-risks/risk-register.csv')!.async('string')).split(',')[0]).toBe('Kennung');
    expect((await zip.file('06-performance/measures.csv')!.async('string')).split(',')[0]).toBe('Kennung');
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { files: { path: string; title: string }[] };
    expect(manifest.files.find((f) => f.path === '03-risks/risk-register.csv')!.title).toBe('Risikoregister');

    const english = await JSZip.loadAsync((await get(`${base}/audit-pack.zip`, manager)).rawPayload);
    const englishIndex = (await pdfText(await english.file('index.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    expect(englishIndex).toContain('Audit pack index');
    expect(englishIndex).toContain('Risk register');
  }, 120_000);
});
