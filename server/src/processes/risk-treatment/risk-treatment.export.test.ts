import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createScopeContext, dialects, requester, type TestContext, type TestUser } from '../../test/harness.ts';
import { exportTreatmentPlanCsv } from './risk-treatment.export.ts';

describe.each(dialects)('treatment plan CSV export on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let viewer: TestUser;
  let control: { id: string; reference: string };
  const { call, ok } = requester(() => t);
  /** the treatments made below: their number of actions, by risk title */
  const plans: [title: string, option: string, actions: number][] = [
    ['Account takeover', 'modify', 2],
    ['Laptop theft', 'share', 1],
    ['=HYPERLINK("x")', 'retain', 0],
    ['Ransomware', 'modify', 3],
    ['Supplier outage', 'avoid', 0],
  ];

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Risk owner' });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    control = await ok('POST', `/api/scopes/${scopeId}/controls`, manager, { title: 'Multi-factor login', ownerId: owner.id }, 201);
    for (const [title, option, actions] of plans) {
      const risk = await ok('POST', `/api/scopes/${scopeId}/risks`, manager, { title, ownerId: owner.id }, 201);
      await ok('PUT', `/api/scopes/${scopeId}/risks/${risk.id}/treatment`, owner, {
        version: 0,
        option,
        rationale: 'Cost against benefit',
        objectives: ['First objective', 'Second objective'],
        controls: option === 'modify' ? [{ controlId: control.id }] : [],
        actions: Array.from({ length: actions }, (_, i) => ({
          title: `Action ${i + 1} of ${title.slice(0, 12)}`,
          ownerId: owner.id,
          dueOn: `2027-0${i + 1}-15`,
          costEstimate: 100 * (i + 1),
        })),
      });
    }
  });
  afterAll(() => t.close());

  const lines = (body: string) =>
    body
      .trim()
      .split('\n')
      .map((l) => l.split(','));

  it('writes one row per action (one for a treatment without), in the order of the references, formulas neutralised', async () => {
    const res = await call('GET', `/api/scopes/${scopeId}/treatments.csv`, viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="treatment-plan-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = lines(res.body);
    expect(header).toEqual([
      'treatment',
      'risk',
      'risk_title',
      'option',
      'status',
      'decided_by',
      'decided_at',
      'objectives',
      'controls',
      'action',
      'action_owner',
      'action_due_on',
      'action_status',
      'cost_estimate',
    ]);
    expect(rows).toHaveLength(plans.reduce((n, [, , a]) => n + Math.max(1, a), 0));
    const references = [...new Set(rows.map((r) => r[0]))];
    expect(references).toEqual(['TRT-0001', 'TRT-0002', 'TRT-0003', 'TRT-0004', 'TRT-0005']);
    const ransomware = rows.filter((r) => r[2] === 'Ransomware');
    expect(ransomware.map((r) => [r[3], r[7], r[8], r[9], r[10], r[11], r[12], r[13]])).toEqual(
      [1, 2, 3].map((i) => [
        'modify',
        'First objective; Second objective',
        control.reference,
        `Action ${i} of Ransomware`,
        'Risk owner',
        `2027-0${i}-15`,
        'open',
        String(100 * i),
      ]),
    );
    // a treatment without actions is one row with empty action cells; a formula-like title is prefixed
    const formula = res.body.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(formula).toContain(`"'=HYPERLINK(""x"")"`);
    expect(rows.filter((r) => r[2] === 'Supplier outage')).toEqual([expect.arrayContaining(['avoid', 'draft', '', '', '', '', ''])]);
  });

  const get = (url: string, user: TestUser, language = 'en') =>
    t.app.inject({ method: 'GET', url, headers: { ...user.headers, 'accept-language': language } });

  it('filters like the list and speaks German to a German reader', async () => {
    const shared = lines((await get(`/api/scopes/${scopeId}/treatments.csv?option=share`, viewer)).body);
    expect(shared.slice(1).map((r) => r[2])).toEqual(['Laptop theft']);
    expect(lines((await get(`/api/scopes/${scopeId}/treatments.csv?q=ransom`, viewer)).body)).toHaveLength(1 + 3);
    const german = lines((await get(`/api/scopes/${scopeId}/treatments.csv`, viewer, 'de-DE,de;q=0.9')).body);
    expect(german[0]!.slice(0, 5)).toEqual(['Behandlung', 'Risiko', 'Risikotitel', 'Option', 'Status']);
    expect(new Set(german.slice(1).map((r) => r[3]))).toEqual(new Set(['Mindern', 'Teilen', 'Tragen', 'Vermeiden']));
    expect(german.slice(1).every((r) => r[4] === 'Entwurf')).toBe(true);
    expect(german.find((r) => r[9] === 'Action 1 of Ransomware')![12]).toBe('Offen');
    expect((await get(`/api/scopes/${scopeId}/treatments.csv?option=maybe`, viewer)).statusCode).toBe(400);
  });

  it('is refused to employees (403) and to another scope (404)', async () => {
    const employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
    expect((await call('GET', `/api/scopes/${scopeId}/treatments.csv`, employee)).statusCode).toBe(403);
    const other = await buildScope(t.deps);
    expect((await call('GET', `/api/scopes/${scopeId}/treatments.csv`, other.manager)).statusCode).toBe(404);
  });

  it('reads in one ordered pass: three statements per batch, however many treatments and actions', async () => {
    const counter = t.db.database.queryCounter;
    const statements = async (filter: { q?: string }, batch?: number) => {
      const before = counter.count;
      let text = '';
      for await (const chunk of exportTreatmentPlanCsv(t.deps, viewer.actor, scopeId, filter, 'en', batch)) text += chunk;
      return { statements: counter.count - before, rows: text.trim().split('\n').length - 1 };
    };
    // one treatment (one action) and all five (seven rows): one batch each, the same statements
    const one = await statements({ q: 'Laptop' });
    const all = await statements({});
    expect(one.rows).toBe(1);
    expect(all.rows).toBe(8);
    expect(all.statements).toBe(one.statements);
    expect(one.statements).toBe(3);
    // batches of two: 2 + 2 + 1 treatments, three statements each; batches of five: one full batch, then one empty read
    expect((await statements({}, 2)).statements).toBe(9);
    expect((await statements({}, 5)).statements).toBe(3 + 1);
    const paged = await statements({}, 1);
    expect(paged).toEqual({ statements: 5 * 3 + 1, rows: 8 });
  });
});
