import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDemoLanguage, seedDemoCommand } from '../cli/actions.ts';
import { buildScope, createTestContext, dialects, json, TestClock, type TestContext } from '../test/harness.ts';

/** What the demo writes in words (masked when the languages are compared); everything else must be the same. */
const wordKeys = new Set([
  'title',
  'name',
  'description',
  'tags',
  'vulnerability',
  'rationale',
  'objectives',
  'notes',
  'text',
  'label',
  'affected',
  'reason',
  'benefit',
  'requirement',
  'justification',
  'contentMd',
  'changeSummary',
  'department',
  'evidence',
  'comment',
  'scope',
  'conclusion',
  'discussion',
  'informationNeed',
  'object',
  'attribute',
  'baseMeasures',
  'derivedMeasure',
  'formula',
  'location',
  'legalHoldReason',
  'summary',
  'options',
]);

/** The lists the demo fills; each must hold the same records, references, dates and links in every language. */
const lists = [
  'assets',
  'risks',
  'controls',
  'evidence',
  'treatments',
  'documents',
  'incidents',
  'changes',
  'nonconformities',
  'opportunities',
  'records',
  'competences',
  'job-roles',
  'courses',
  'audits',
  'reviews',
  'measures',
  'tasks',
  'members',
  'soa',
];

/**
 * What may read the same in the German and the English demo: words that are the same in German, the test's own manager,
 * the demo people (users of the installation, named when a demo first invites them: here the German one), and built-in
 * content that Praxis words itself rather than the demo (role codes, recommended measures, catalog and threat titles as
 * the lists show them).
 */
const sameInBoth = new Set([
  'hosting',
  'isms',
  'saas',
  'Scope manager',
  'Leitung IT-Betrieb',
  'Personalleitung',
  'Leitung Softwareentwicklung',
  'Interne Revision',
  'Geschäftsführung',
  'Mitarbeiterin Vertrieb',
  'manager',
  'contributor',
  'auditor',
  'viewer',
  'employee',
  'A.8.7 Protection against malware',
  'ISO/IEC 27001:2022 Annex A',
  'Controls implemented or verified',
  'Evidence freshness',
  'Hand-off waiting time',
  'Incident time to close',
  'Incident time to triage',
  'Notifications made in time',
  'Overdue corrective actions',
  'Policy acknowledgement',
  'Risks above the acceptance criteria without a decided treatment',
  'Risks past their review date',
  'Training completion',
  'Malware',
  'Social engineering',
  'Failure or disruption of service providers',
  'Failure or disruption of the power supply',
  'Software vulnerabilities or errors',
  'Theft of devices, storage media and documents',
]);

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A record with its words and ids masked: what must be equal between the languages. */
function structure(value: unknown, key = ''): unknown {
  if (wordKeys.has(key) && value !== null) return '<words>';
  if (key === 'scopeName') return '<the scope>';
  if (typeof value === 'string') return value.endsWith('@test.example') ? '<the loading manager>' : value.replace(uuid, '<id>');
  if (Array.isArray(value)) return value.map((v) => structure(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structure(v, k)]));
  return value;
}

/** Every string the demo wrote as words, wherever it sits in a record. */
function words(value: unknown, key = '', into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (wordKeys.has(key) && value.trim()) into.add(value);
  } else if (Array.isArray(value)) for (const v of value) words(v, key, into);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) words(v, k, into);
  return into;
}

describe('the CLI chooses the demo language', () => {
  it('takes --lang, else a German locale, else English', () => {
    expect(cliDemoLanguage('de', {})).toBe('de');
    expect(cliDemoLanguage('en', { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliDemoLanguage(undefined, { LANG: 'de_AT.UTF-8' })).toBe('de');
    expect(cliDemoLanguage(undefined, { LC_ALL: 'en_GB.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliDemoLanguage(undefined, { LC_MESSAGES: 'de_CH.UTF-8' })).toBe('de');
    expect(cliDemoLanguage(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(cliDemoLanguage(undefined, {})).toBe('en');
  });
});

describe.each(dialects)('demo organisation in English and German on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t?.close());

  it('writes the same records, references, dates and links in both languages, only the words differ', { timeout: 300_000 }, async () => {
    // German first: the demo people are users of the installation, named when the demo first invites them
    const german = await buildScope(t.deps, { profile: 'large' });
    const load = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${german.scope.id}/demo`,
      headers: { ...german.manager.headers, 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' },
    });
    expect(load.statusCode, load.body).toBe(201);
    const english = await buildScope(t.deps, { profile: 'large' });
    const loaded = await t.app.inject({ method: 'POST', url: `/api/scopes/${english.scope.id}/demo`, headers: english.manager.headers });
    expect(loaded.statusCode, loaded.body).toBe(201);
    expect(json(load)).toEqual(json(loaded));
    // the CLI with --lang de, whatever the shell's locale
    const cli = await buildScope(t.deps, { profile: 'large' });
    const seeded = await seedDemoCommand(t.deps, { scope: cli.scope.id, as: cli.manager.email, lang: 'de' }, { LANG: 'en_US.UTF-8' });
    // and says so in German
    expect(seeded.stdout).toMatch(/^Demodaten in „.+“ geladen: [\d.]+ Assets, [\d.]+ offene Aufgaben\n$/);

    const read = async (scopeId: string, headers: Record<string, string>) => {
      const out: Record<string, { total: number; items: unknown[] }> = {};
      for (const list of lists) {
        const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/${list}?pageSize=200`, headers });
        expect(res.statusCode, `${list}: ${res.body.slice(0, 300)}`).toBe(200);
        const body = json(res);
        // in a language-independent order (lists sort by name or title by default)
        const items = (Array.isArray(body) ? body : body.items)
          .map((item: unknown) => ({ item, key: JSON.stringify(structure(item)) }))
          .sort((a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key))
          .map((x: { item: unknown }) => x.item);
        out[list] = { total: Array.isArray(body) ? body.length : body.total, items };
      }
      const trail = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit?pageSize=1`, headers }));
      out.audit = { total: trail.total, items: [] };
      return out;
    };
    const de = await read(german.scope.id, german.manager.headers);
    const en = await read(english.scope.id, english.manager.headers);
    const viaCli = await read(cli.scope.id, cli.manager.headers);

    for (const list of [...lists, 'audit']) {
      expect(de[list]!.total, list).toBeGreaterThan(0);
      expect(de[list]!.total, list).toBe(en[list]!.total);
      // the same records, references, states, dates and links; only the words differ
      expect(structure(de[list]!.items), list).toEqual(structure(en[list]!.items));
      // the CLI's German demo is the web's German demo, word for word
      expect(structure(viaCli[list]!.items.map((i) => ({ ...(i as object), words: [...words(i)] }))), list).toEqual(
        structure(de[list]!.items.map((i) => ({ ...(i as object), words: [...words(i)] }))),
      );
    }

    // no English text in the German demo as a German reader sees it, except what reads the same in both languages
    const inGerman = await read(german.scope.id, { ...german.manager.headers, 'accept-language': 'de' });
    const german_ = words(Object.values(inGerman).map((l) => l.items));
    const english_ = words(Object.values(en).map((l) => l.items));
    const shared = [...german_].filter((w) => english_.has(w) && !sameInBoth.has(w));
    expect(shared.sort()).toEqual([]);

    // a few known German texts
    const titles = (list: string) =>
      de[list]!.items.map((i) => (i as { title?: string; name?: string }).title ?? (i as { name: string }).name);
    expect(titles('documents')).toContain('Informationssicherheitsleitlinie');
    expect(titles('risks')).toContain('Schwachstelle im Webshop wird ausgenutzt');
    expect(titles('assets')).toContain('Kundenstammdaten');
    expect(titles('incidents')).toContain('Kundenliste an falschen Empfänger gesendet');
    expect(titles('controls')).toContain('Offline-Datensicherung mit quartalsweisen Wiederherstellungstests');
    expect(titles('courses')).toContain('Grundlagen der Informationssicherheit');
    expect(titles('reviews')).toContain('Jährliche Managementbewertung des ISMS');
    expect(titles('measures')).toContain('Klickrate der Phishing-Simulation');
    expect(titles('tasks')).toContain('Internes Auditprogramm vorbereiten');
    expect(titles('members')).toContain('Leitung IT-Betrieb');
    const policy = de.documents!.items.find((d) => (d as { title: string }).title === 'Informationssicherheitsleitlinie') as { id: string };
    // the SoA's exclusion, decided by a person, is justified in German
    const soa = de.soa!.items[0] as { id: string };
    const excluded = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${german.scope.id}/soa/${soa.id}/entries?applicable=no`,
        headers: german.manager.headers,
      }),
    );
    expect(
      excluded.items.map((e: { requirement: { label: string }; justification: string }) => [e.requirement.label, e.justification]),
    ).toEqual([['A.8.30', 'Sämtliche Software wird im eigenen Haus entwickelt; es wird keine Entwicklung ausgelagert.']]);
    const url = `/api/scopes/${german.scope.id}/documents/${policy.id}`;
    const document = json(await t.app.inject({ method: 'GET', url, headers: german.manager.headers }));
    const version = await t.app.inject({
      method: 'GET',
      url: `${url}/versions/${document.currentVersion.id}`,
      headers: german.manager.headers,
    });
    expect(version.body).toContain('# Informationssicherheitsleitlinie');
    expect(version.body).toContain('Risikoakzeptanzkriterien');
  });
});
