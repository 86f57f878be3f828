import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createScopeContext, dialects, requester, type TestContext, type TestUser } from '../../test/harness.ts';
import { exportNonconformitiesCsv } from './improvement.export.ts';

describe.each(dialects)('nonconformities CSV export on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let viewer: TestUser;
  const { call, ok } = requester(() => t);
  /** the findings made below: their kind, severity and number of corrective actions */
  const findings: [title: string, kind: string, severity: string, actions: number][] = [
    ['Access reviews not done', 'nonconformity', 'major', 2],
    ['=cmd|calc', 'nonconformity', 'minor', 0],
    ['Backups untested', 'nonconformity', 'minor', 1],
    ['Visitor log incomplete', 'observation', 'observation', 0],
    ['Patch window missed', 'nonconformity', 'major', 3],
  ];

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Finding owner' });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    const base = `/api/scopes/${scopeId}/nonconformities`;
    for (const [title, kind, severity, actions] of findings) {
      const nc = await ok(
        'POST',
        base,
        manager,
        { title, kind, source: 'internal_audit', requirement: 'ISO 27001 A.5.18', severity, ownerId: owner.id },
        201,
      );
      for (let i = 1; i <= actions; i++)
        await ok('POST', `${base}/${nc.id}/corrective-actions`, owner, { title: `Fix ${i} of ${title}`, dueOn: `2099-0${i}-28` });
    }
  });
  afterAll(() => t.close());

  const get = (url: string, user: TestUser, language = 'en') =>
    t.app.inject({ method: 'GET', url, headers: { ...user.headers, 'accept-language': language } });
  const lines = (body: string) =>
    body
      .trim()
      .split('\n')
      .map((l) => l.split(','));

  it('writes one row per corrective action (one for a finding without), in the order of the references', async () => {
    const res = await get(`/api/scopes/${scopeId}/nonconformities.csv`, viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="nonconformities-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = lines(res.body);
    expect(header).toEqual([
      'reference',
      'kind',
      'title',
      'source',
      'source_record',
      'severity',
      'status',
      'owner',
      'requirement',
      'root_cause',
      'effectiveness',
      'closed_at',
      'corrective_action',
      'action_title',
      'action_assignee',
      'action_due_on',
      'action_status',
    ]);
    expect(rows).toHaveLength(findings.reduce((n, [, , , a]) => n + Math.max(1, a), 0));
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(['NC-0001', 'NC-0002', 'NC-0003', 'NC-0004', 'OBS-0001']);
    const patch = rows.filter((r) => r[2] === 'Patch window missed');
    expect(patch.map((r) => [r[1], r[3], r[5], r[6], r[7], r[8], r[13], r[14], r[15], r[16]])).toEqual(
      [1, 2, 3].map((i) => [
        'nonconformity',
        'internal_audit',
        'major',
        'in_progress',
        'Finding owner',
        'ISO 27001 A.5.18',
        `Fix ${i} of Patch window missed`,
        'Finding owner',
        `2099-0${i}-28`,
        'open',
      ]),
    );
    expect(patch.every((r) => /^[A-Z]+-\d+$/.test(r[12]!))).toBe(true);
    // a finding without corrective actions is one row; a formula-like title is prefixed
    expect(rows.filter((r) => r[0] === 'NC-0002')).toEqual([[...rows.find((r) => r[0] === 'NC-0002')!.slice(0, 12), '', '', '', '', '']]);
    expect(rows.find((r) => r[0] === 'NC-0002')![2]).toBe("'=cmd|calc");
  });

  it('filters like the list and speaks German to a German reader', async () => {
    const observations = lines((await get(`/api/scopes/${scopeId}/nonconformities.csv?kind=observation`, viewer)).body);
    expect(observations.slice(1).map((r) => r[2])).toEqual(['Visitor log incomplete']);
    expect(lines((await get(`/api/scopes/${scopeId}/nonconformities.csv?q=backups`, viewer)).body)).toHaveLength(2);
    const german = lines((await get(`/api/scopes/${scopeId}/nonconformities.csv`, viewer, 'de-DE,de;q=0.9')).body);
    expect(german[0]!.slice(0, 4)).toEqual(['Kennung', 'Art', 'Titel', 'Quelle']);
    const first = german.find((r) => r[0] === 'NC-0001')!;
    expect([first[1], first[3], first[5], first[6], first[16]]).toEqual([
      'Nichtkonformität',
      'Internes Audit',
      'Schwerwiegend',
      'Korrekturmaßnahme',
      'Offen',
    ]);
    expect(german.find((r) => r[0] === 'OBS-0001')![1]).toBe('Beobachtung');
    expect((await get(`/api/scopes/${scopeId}/nonconformities.csv?status=lost`, viewer)).statusCode).toBe(400);
  });

  it('is refused to employees (403) and to another scope (404)', async () => {
    const employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
    expect((await call('GET', `/api/scopes/${scopeId}/nonconformities.csv`, employee)).statusCode).toBe(403);
    const other = await buildScope(t.deps);
    expect((await call('GET', `/api/scopes/${scopeId}/nonconformities.csv`, other.manager)).statusCode).toBe(404);
  });

  it('reads in one ordered pass: two statements per batch, however many findings and corrective actions', async () => {
    const counter = t.db.database.queryCounter;
    const statements = async (filter: { q?: string }, batch?: number) => {
      const before = counter.count;
      let text = '';
      for await (const chunk of exportNonconformitiesCsv(t.deps, viewer.actor, scopeId, filter, 'en', batch)) text += chunk;
      return { statements: counter.count - before, rows: text.trim().split('\n').length - 1 };
    };
    // one finding (one action) and all five (eight rows): one batch each, the same statements
    const one = await statements({ q: 'Backups' });
    const all = await statements({});
    expect(one.rows).toBe(1);
    expect(all.rows).toBe(8);
    expect(all.statements).toBe(one.statements);
    expect(one.statements).toBe(2);
    // batches of two: 2 + 2 + 1 findings, two statements each; batches of five: one full batch, then one empty read
    expect((await statements({}, 2)).statements).toBe(6);
    expect((await statements({}, 5)).statements).toBe(2 + 1);
    expect(await statements({}, 1)).toEqual({ statements: 5 * 2 + 1, rows: 8 });
  });
});
