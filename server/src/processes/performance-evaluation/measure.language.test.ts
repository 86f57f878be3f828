import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext, type TestUser, requester } from '../../test/harness.ts';

/**
 * A measure's link to a process names the process in the reader's language (the server's `processes` catalog), as the
 * process map does: German for `Accept-Language: de` or an account that says German, English otherwise. The link is
 * stored by the process's key.
 */
describe.each(dialects)('a measure’s process links in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let base: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;

  const send = requester(() => t).readIn;
  const labels = (m: { links: { type: string; key: string; label: string }[] }) => m.links.map((l) => [l.key, l.label]);

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    manager = built.manager;
    base = `/api/scopes/${built.scope.id}/measures`;
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[built.scope.id, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('names a linked process in German for a German reader and in English for an English one, on create, read and update', async () => {
    const created = await send('POST', base, manager, 'de-DE,de;q=0.9', {
      name: 'Bewertete Risiken',
      informationNeed: 'Werden die Risiken rechtzeitig bewertet?',
      formula: 'bewertet / alle × 100',
      unit: '%',
      direction: 'higher',
      target: 90,
      breachAt: 70,
      collectionFrequency: 'monthly',
      analysisFrequency: 'quarterly',
      sourceKind: 'manual',
      links: [{ type: 'process', key: 'risk-assessment' }],
    });
    expect(labels(created)).toEqual([['risk-assessment', 'Risikobeurteilung']]);

    // the account's language without a header; the header for anyone else
    expect(labels(await send('GET', `${base}/${created.id}`, german))).toEqual([['risk-assessment', 'Risikobeurteilung']]);
    expect(labels(await send('GET', `${base}/${created.id}`, manager, 'en'))).toEqual([['risk-assessment', 'Risk assessment']]);

    const updated = await send('PATCH', `${base}/${created.id}`, german, undefined, {
      version: created.version,
      links: [
        { type: 'process', key: 'risk-assessment' },
        { type: 'process', key: 'records-control' },
      ],
    });
    expect(labels(updated).sort()).toEqual([
      ['records-control', 'Lenkung von Aufzeichnungen'],
      ['risk-assessment', 'Risikobeurteilung'],
    ]);
    const english = await send('GET', `${base}/${created.id}`, manager, 'en');
    expect(labels(english).sort()).toEqual([
      ['records-control', 'Records control'],
      ['risk-assessment', 'Risk assessment'],
    ]);

    // stored by key; the audit trail's change names the links by key too, in no reader's language
    const stored = await t.deps.db.selectFrom('measure_link').select('target_key').where('measure_id', '=', created.id).execute();
    expect(stored.map((l) => l.target_key).sort()).toEqual(['records-control', 'risk-assessment']);
    const trail = await t.deps.db.selectFrom('audit_entry').select('changes').where('record_id', '=', created.id).orderBy('seq').execute();
    expect(trail.at(-1)?.changes).toContain('process:records-control');
    expect(trail.map((e) => e.changes).join()).not.toMatch(/Lenkung|Risikobeurteilung/);
  });
});
