import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentTable } from '../policy-management/policy-management.tables.ts';
import type { TrainingCourseTable } from './competence-awareness.tables.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildUser,
  createScopeContext,
  dialects,
  documentRow,
  documentVersionRow,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';

/**
 * The dashboard on a small known dataset (today 2026-03-02):
 *   POL-1 (published, current v2): a: acknowledged, b: open due 2026-02-20 (overdue), c: open due 2026-03-20; d acknowledged v1 only
 *   POL-3 (published, current v1): a: open due 2026-02-10 (overdue), d: acknowledged
 *   POL-2 (retired): b open — not counted
 *   TRN-1 (active): a round 1 done, round 2 open due 2026-02-25 (overdue); b done; c open due 2026-04-01
 *   TRN-2 (retired): c open — not counted
 * People: a, b employees in Sales; c contributor in Operations; d employee without department; a former member with
 * an overdue acknowledgement and training, who left the scope and no longer counts.
 */
describe.each(dialects)('awareness dashboard on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;
  let d: TestUser;
  let auditor: TestUser;
  let contributorView: TestUser;
  const now = '2026-03-02T09:00:00.000Z';

  const call = (url: string, user: TestUser) => t.app.inject({ method: 'GET', url, headers: user.headers });
  const s = (p: string) => `/api/scopes/${scopeId}/awareness${p}`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock: new TestClock(new Date(now)) }));
    a = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: 'Person A' });
    b = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: 'Person B' });
    c = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Person C' });
    d = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: '=Person D' });
    auditor = await buildUser(t.deps, { memberships: [[scopeId, 'auditor']] });
    const former = await buildUser(t.deps, { name: 'A former member' }); // left the scope: never counted
    contributorView = c;
    const db = t.deps.db;
    await db
      .insertInto('person_profile')
      .values([
        { scope_id: scopeId, user_id: a.id, department: 'Sales', updated_at: now, version: 1 },
        { scope_id: scopeId, user_id: b.id, department: 'Sales', updated_at: now, version: 1 },
        { scope_id: scopeId, user_id: c.id, department: 'Operations', updated_at: now, version: 1 },
      ])
      .execute();

    const doc = async (ref: string, title: string, status: DocumentTable['status'], versions: number) => {
      const id = newId();
      const vids = Array.from({ length: versions }, () => newId());
      await db
        .insertInto('document')
        .values(documentRow({ id, scope_id: scopeId, reference: ref, title, status, created_at: now }))
        .execute();
      await db
        .insertInto('document_version')
        .values(
          vids.map((vid, i) =>
            documentVersionRow({
              id: vid,
              scope_id: scopeId,
              document_id: id,
              version_no: i + 1,
              status: i === versions - 1 ? 'published' : 'superseded',
              content_md: 'text',
              created_at: now,
            }),
          ),
        )
        .execute();
      await db
        .updateTable('document')
        .set({ current_version_id: vids.at(-1)! })
        .where('id', '=', id)
        .execute();
      return { id, vids };
    };
    const ack = (docu: { id: string; vids: string[] }, v: number, user: TestUser, dueOn: string, acknowledged: boolean) => ({
      id: newId(),
      scope_id: scopeId,
      document_id: docu.id,
      document_version_id: docu.vids[v - 1]!,
      user_id: user.id,
      assigned_at: now,
      due_on: dueOn,
      acknowledged_at: acknowledged ? now : null,
      carried_over_from: null,
      reminded_at: null,
      reminder_task_id: null,
    });
    const p1 = await doc('POL-0001', 'Acceptable use', 'published', 2);
    const p2 = await doc('POL-0002', 'Old policy', 'retired', 1);
    const p3 = await doc('POL-0003', 'Clean desk', 'published', 1);
    await db
      .insertInto('document_acknowledgement')
      .values([
        ack(p1, 2, a, '2026-02-01', true),
        ack(p1, 2, b, '2026-02-20', false),
        ack(p1, 2, c, '2026-03-20', false),
        ack(p1, 1, d, '2025-01-01', true),
        ack(p3, 1, a, '2026-02-10', false),
        ack(p3, 1, d, '2026-02-10', true),
        ack(p2, 1, b, '2025-01-01', false),
        ack(p1, 2, former, '2025-01-01', false),
      ])
      .execute();

    const course = async (ref: string, title: string, status: TrainingCourseTable['status']) => {
      const id = newId();
      await db
        .insertInto('training_course')
        .values({
          id,
          scope_id: scopeId,
          reference: ref,
          title,
          description: '',
          material_document_id: null,
          material_url: null,
          quiz: null,
          pass_mark: null,
          due_days: 30,
          recurrence_months: 12,
          status,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      return id;
    };
    const t1 = await course('TRN-0001', 'Awareness basics', 'active');
    const t2 = await course('TRN-0002', 'Retired course', 'retired');
    const assignment = (courseId: string, user: TestUser, round: number, dueOn: string, done: boolean) => ({
      id: newId(),
      scope_id: scopeId,
      course_id: courseId,
      user_id: user.id,
      round,
      assigned_at: now,
      due_on: dueOn,
      completed_at: done ? now : null,
      score: null,
      passed: null,
      attempts: 0,
      version: 1,
    });
    await db
      .insertInto('training_assignment')
      .values([
        assignment(t1, a, 1, '2025-02-25', true),
        assignment(t1, a, 2, '2026-02-25', false),
        assignment(t1, b, 1, '2026-02-25', true),
        assignment(t1, c, 1, '2026-04-01', false),
        assignment(t2, c, 1, '2025-01-01', false),
        assignment(t1, former, 1, '2025-01-01', false),
      ])
      .execute();
  });
  afterAll(() => t.close());

  const n = (assigned: number, done: number, overdue: number, rate: number | null) => ({ assigned, done, overdue, rate });

  it('reports rates by policy, course, scope role and department from a known dataset', async () => {
    await call(s('/dashboard'), manager); // the token's first use is recorded once
    const before = t.db.database.queryCounter.count;
    const res = await call(s('/dashboard'), manager);
    const statements = t.db.database.queryCounter.count - before;
    expect(res.statusCode, res.body).toBe(200);
    expect(statements).toBeLessThanOrEqual(5); // actor (2), three grouped queries
    const dash = json(res);
    expect(dash.asOf).toBe('2026-03-02');
    expect(dash.policies).toEqual([
      { documentId: expect.any(String), reference: 'POL-0001', title: 'Acceptable use', ...n(3, 1, 1, 33.3) },
      { documentId: expect.any(String), reference: 'POL-0003', title: 'Clean desk', ...n(2, 1, 1, 50) },
    ]);
    expect(dash.courses).toEqual([{ courseId: expect.any(String), reference: 'TRN-0001', title: 'Awareness basics', ...n(3, 1, 1, 33.3) }]);
    expect(dash.byScopeRole).toEqual([
      { scopeRole: 'contributor', policies: n(1, 0, 0, 0), trainings: n(1, 0, 0, 0) },
      { scopeRole: 'employee', policies: n(4, 2, 2, 50), trainings: n(2, 1, 1, 50) },
    ]);
    expect(dash.byDepartment).toEqual([
      { department: 'Operations', policies: n(1, 0, 0, 0), trainings: n(1, 0, 0, 0) },
      { department: 'Sales', policies: n(3, 1, 2, 33.3), trainings: n(2, 1, 1, 50) },
      { department: null, policies: n(1, 1, 0, 100), trainings: n(0, 0, 0, null) },
    ]);
    expect((await call(s('/dashboard'), auditor)).statusCode).toBe(200);
    expect((await call(s('/dashboard'), contributorView)).statusCode).toBe(403);
    expect((await call(s('/dashboard'), a)).statusCode).toBe(403);
  });

  it('lists overdue people, longest overdue first, paginated in two statements', async () => {
    const list = json(await call(s('/overdue'), manager));
    expect(list.total).toBe(2);
    expect(list.items).toEqual([
      {
        user: { id: a.id, name: 'Person A', email: a.email },
        scopeRole: 'employee',
        department: 'Sales',
        policies: n(2, 1, 1, 50),
        trainings: n(1, 0, 1, 0),
        oldestOverdueOn: '2026-02-10',
      },
      {
        user: { id: b.id, name: 'Person B', email: b.email },
        scopeRole: 'employee',
        department: 'Sales',
        policies: n(1, 0, 1, 0),
        trainings: n(1, 1, 0, 100),
        oldestOverdueOn: '2026-02-20',
      },
    ]);
    const second = json(await call(s('/overdue?pageSize=1&page=2'), manager));
    expect(second).toMatchObject({ total: 2, page: 2, items: [{ user: { name: 'Person B' } }] });
    expect(json(await call(s('/overdue?q=person%20b'), manager)).total).toBe(1);
    expect(json(await call(s('/overdue?department=Operations'), manager)).total).toBe(0);
    const counter = t.db.database.queryCounter;
    const count = async (qs: string) => {
      const before = counter.count;
      await call(s(`/overdue?${qs}`), manager);
      return counter.count - before;
    };
    const small = await count('pageSize=1');
    expect(await count('pageSize=200')).toBe(small);
    expect(small).toBeLessThanOrEqual(4);
  });

  it('exports one CSV row per person, neutralising formulas', async () => {
    const res = await call(s('/export.csv'), manager);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="awareness-2026-03-02.csv"');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe(
      'name,email,scope_role,department,policies_assigned,policies_acknowledged,policies_overdue,trainings_assigned,trainings_completed,trainings_overdue,oldest_overdue_on',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`'=Person D,${d.email},employee,,1,1,0,0,0,0,`);
    expect(lines[2]).toBe(`Person A,${a.email},employee,Sales,2,1,1,1,0,1,2026-02-10`);
    expect(lines[4]).toBe(`Person C,${c.email},contributor,Operations,1,0,0,1,0,0,`);
    expect((await call(s('/export.csv'), a)).statusCode).toBe(403);
  });

  it('exports the dashboard as a workbook with one sheet per view', async () => {
    const res = await call(s('/export.xlsx'), auditor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Policies', 'Courses', 'Scope roles', 'Departments', 'People']);
    const values = (name: string, row: number) => (wb.getWorksheet(name)!.getRow(row).values as unknown[]).slice(1);
    expect(values('Policies', 1)).toEqual(['reference', 'title', 'assigned', 'done', 'overdue', 'rate_percent']);
    expect(values('Policies', 2)).toEqual(['POL-0001', 'Acceptable use', 3, 1, 1, 33.3]);
    expect(values('Courses', 2)).toEqual(['TRN-0001', 'Awareness basics', 3, 1, 1, 33.3]);
    expect(values('Departments', 4).slice(0, 5)).toEqual(['(none)', 1, 1, 0, 100]);
    expect(values('People', 3).slice(0, 4)).toEqual(['Person A', a.email, 'employee', 'Sales']);
    expect(wb.getWorksheet('People')!.rowCount).toBe(5);
  });
});
