import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_A_KEY } from '../catalogs/iso27001-annex-a.ts';
import { createScopeContext, dialects, json, requester, TestClock, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * A 409 answers a stale change with the record as it is now (`details.current`), so that the client can show what
 * someone else saved: in the reader's words, like the record's own page — a disposed record's retention rule, a
 * treatment's and an SoA entry's Annex A requirement by the German edition.
 */
describe.each(dialects)('a conflict’s current record in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scope: string;
  let manager: TestUser;
  let german: TestUser;
  let malwareId: string;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const { call, readIn } = requester(() => t);
  const malware = { de: 'Schutz gegen Schadsoftware', en: 'Protection against malware' };

  beforeAll(async () => {
    const built = await createScopeContext(dialect, { clock });
    t = built.t;
    manager = built.manager;
    scope = `/api/scopes/${built.scopeId}`;
    german = { ...manager, headers: { ...manager.headers, 'accept-language': 'de' } } as TestUser;
    const annexA = (await readIn('GET', `${scope}/catalogs`, manager, 'en')).find((c: { key: string }) => c.key === ANNEX_A_KEY);
    const found = (await readIn('GET', `${scope}/catalogs/${annexA.id}/requirements?q=A.8.7`, manager, 'en')).items;
    malwareId = found.find((r: { identifier: string }) => r.identifier === 'A.8.7').id;
  });
  afterAll(async () => t?.close());

  const conflict = async (method: 'PATCH' | 'PUT' | 'POST', url: string, user: TestUser, payload: unknown) => {
    const res = await call(method, url, user, payload);
    expect(res.statusCode, res.body).toBe(409);
    return json(res).error.details.current;
  };

  it('names a disposed record’s retention rule in the reader’s language', async () => {
    const record = await readIn('POST', `${scope}/records`, manager, 'en', {
      title: 'Visitor log 2019',
      description: 'Paper visitor log',
      processKey: 'records-control',
      storage: 'external',
      location: 'Archive room, box 12',
      retentionMonths: 72,
      retentionStartOn: '2020-01-15',
    });
    const url = `${scope}/records/${record.id}`;
    await readIn('POST', `${url}/dispose`, manager, 'en', { version: 1, confirm: `DISPOSE ${record.reference}` });
    const rule = {
      de: 'Aufbewahrung 72 Monate ab 15.01.2020, endete am 15.01.2026',
      en: 'retention 72 months from Jan 15, 2020, ended Jan 15, 2026',
    };
    expect((await conflict('PATCH', url, german, { version: 1, title: 'Besucherbuch' })).disposalRule).toBe(rule.de);
    expect((await conflict('POST', `${url}/legal-hold`, german, { version: 1, hold: true, reason: 'Prozess' })).disposalRule).toBe(rule.de);
    expect((await conflict('POST', `${url}/dispose`, german, { version: 1, confirm: `DISPOSE ${record.reference}` })).disposalRule).toBe(
      rule.de,
    );
    expect((await conflict('PATCH', url, manager, { version: 1, title: 'Visitors' })).disposalRule).toBe(rule.en);
    // stored in English, whoever asked
    const stored = await t.deps.db
      .selectFrom('controlled_record')
      .select('disposal_rule')
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    expect(stored.disposal_rule).toBe('retention 72 months from 2020-01-15, ended 2026-01-15');
  });

  it('names a risk’s BSI threat in the reader’s language, on a stale change and a stale delete', async () => {
    const threats = (await readIn('GET', '/api/threats', manager, 'en')).items as { id: string; code: string }[];
    const spying = threats.find((x) => x.code === 'G 0.14')!;
    const risk = await readIn('POST', `${scope}/risks`, manager, 'en', { title: 'Industriespionage', threatId: spying.id });
    const url = `${scope}/risks/${risk.id}`;
    await readIn('PATCH', url, manager, 'en', { version: risk.version, description: 'Konkurrenz' });
    const title = { de: 'Ausspähen von Informationen (Spionage)', en: 'Interception of information / espionage' };
    for (const [user, words] of [
      [german, title.de],
      [manager, title.en],
    ] as const) {
      expect((await conflict('PATCH', url, user, { version: risk.version, title: 'Spionage' })).threat.title).toBe(words);
      const stale = await call('DELETE', `${url}?version=${risk.version}`, user);
      expect(stale.statusCode, stale.body).toBe(409);
      expect(json(stale).error.details.current.threat.title).toBe(words);
    }
  });

  it('names a treatment’s selected Annex A requirement in the reader’s language', async () => {
    const risk = await readIn('POST', `${scope}/risks`, manager, 'en', { title: 'Ransomware', currentLikelihood: 3, currentImpact: 3 });
    const url = `${scope}/risks/${risk.id}/treatment`;
    const body = {
      option: 'modify',
      rationale: 'Schadsoftware',
      controls: [{ requirementId: malwareId }],
      targetLikelihood: 1,
      targetImpact: 2,
    };
    await readIn('PUT', url, manager, 'en', { version: 0, ...body });
    await readIn('PUT', url, manager, 'en', { version: 1, ...body, rationale: 'Schadsoftware ist der Hauptweg hinein' });
    for (const [user, words] of [
      [german, malware.de],
      [manager, malware.en],
    ] as const) {
      expect((await conflict('PUT', url, user, { version: 1, ...body })).controls[0].requirement.title).toBe(words);
      expect((await conflict('POST', `${url}/decide`, user, { version: 1 })).controls[0].requirement.title).toBe(words);
    }
  });

  it('names an SoA’s catalog and an entry’s requirement in the reader’s language, on a conflict and on a save', async () => {
    const soa = await readIn('POST', `${scope}/soa`, manager, 'de', { catalogKey: ANNEX_A_KEY });
    // its default title in the creator's words, and a second one refused naming the catalog as each reader knows it
    expect(soa.title).toBe('Erklärung zur Anwendbarkeit: ISO/IEC 27001:2022 Anhang A');
    for (const [user, words] of [
      [german, 'ISO/IEC 27001:2022 Anhang A'],
      [manager, 'ISO/IEC 27001:2022 Annex A'],
    ] as const) {
      const twice = await call('POST', `${scope}/soa`, user, { catalogKey: ANNEX_A_KEY });
      expect(twice.statusCode, twice.body).toBe(409);
      expect(json(twice).error.message).toContain(words);
    }
    const entries = (await readIn('GET', `${scope}/soa/${soa.id}/entries?q=A.8.7`, manager, 'en')).items;
    const entry = entries.find((e: { requirement: { identifier: string } }) => e.requirement.identifier === 'A.8.7');
    const url = `${scope}/soa/${soa.id}/entries/${entry.id}`;
    const saved = await readIn('PATCH', url, manager, 'de', { version: entry.version, applicable: true, justification: 'Risiko R-1' });
    expect(saved.requirement.title).toBe(malware.de);
    expect((await conflict('PATCH', url, german, { version: entry.version, applicable: false })).requirement.title).toBe(malware.de);
    expect((await conflict('PATCH', url, manager, { version: entry.version, applicable: false })).requirement.title).toBe(malware.en);
  });
});
