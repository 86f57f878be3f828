/**
 * Bench section for the ISMS manager's awareness dashboard (ISO 27001 7.3): BENCH_EMPLOYEES employees (default 5,000)
 * × BENCH_POLICIES published policies (default 30) = 150,000 acknowledgements, plus BENCH_COURSES courses (default 5)
 * assigned to everyone, generated with bulk inserts into a scope of its own. Reports p50/p95 of the dashboard, the
 * overdue list and the CSV export next to the same repository SQL run directly. Sizes follow BENCH_SCALE.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { MembershipTable } from '../server/src/db/schema.ts';
import type {
  DocumentAcknowledgementTable,
  DocumentTable,
  DocumentVersionTable,
} from '../server/src/processes/policy-management/policy-management.tables.ts';
import type {
  PersonProfileTable,
  TrainingAssignmentTable,
  TrainingCourseTable,
} from '../server/src/processes/competence-awareness/competence-awareness.tables.ts';
import {
  courseRates,
  listPeopleSummary,
  policyRates,
  ratesByRoleAndDepartment,
} from '../server/src/processes/competence-awareness/awareness.repository.ts';
import { newId } from '../server/src/shared/ids.ts';
import { buildScope, documentRow, documentVersionRow, type TestContext } from '../server/src/test/harness.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? scaled(5_000));
const POLICIES = Number(process.env.BENCH_POLICIES ?? 30);
const COURSES = Number(process.env.BENCH_COURSES ?? 5);
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Operations', 'HR', 'Legal', 'Support', 'Marketing', 'IT', 'Facilities'];

type Timer = (fn: () => Promise<unknown>) => Promise<number[]>;
type Pct = (samples: number[], p: number) => number;

async function insertBatched<T>(t: TestContext, table: string, rows: T[], batch = 500) {
  for (let i = 0; i < rows.length; i += batch)
    await t.deps.db
      .insertInto(table as 'membership')
      .values(rows.slice(i, i + batch) as unknown as MembershipTable[])
      .execute();
}

async function generateAwareness(t: TestContext) {
  const { scope, manager } = await buildScope(t.deps, { name: 'Bench awareness' });
  const scopeId = scope.id;
  const now = new Date();
  const iso = now.toISOString();
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const users: string[] = [];
  await t.deps.db.transaction().execute(async (tx) => {
    const userRows = [];
    const memberships: MembershipTable[] = [];
    const profiles: PersonProfileTable[] = [];
    for (let i = 0; i < EMPLOYEES; i++) {
      const id = newId();
      users.push(id);
      userRows.push({
        id,
        email: `employee-${i}@bench.example`,
        name: `Employee ${String(i).padStart(5, '0')}`,
        password_hash: null,
        is_admin: false,
        status: 'active' as const,
        created_at: iso,
        updated_at: iso,
        version: 1,
      });
      memberships.push({
        id: newId(),
        scope_id: scopeId,
        user_id: id,
        role: i % 50 === 0 ? 'contributor' : 'employee',
        created_at: iso,
        updated_at: iso,
        version: 1,
      });
      if (i % 20 !== 0)
        profiles.push({ scope_id: scopeId, user_id: id, department: DEPARTMENTS[i % DEPARTMENTS.length]!, updated_at: iso, version: 1 });
    }
    for (let i = 0; i < userRows.length; i += 500)
      await tx
        .insertInto('app_user')
        .values(userRows.slice(i, i + 500))
        .execute();
    for (let i = 0; i < memberships.length; i += 500)
      await tx
        .insertInto('membership')
        .values(memberships.slice(i, i + 500))
        .execute();
    for (let i = 0; i < profiles.length; i += 500)
      await tx
        .insertInto('person_profile')
        .values(profiles.slice(i, i + 500))
        .execute();
  });

  const documents: DocumentTable[] = [];
  const versions: DocumentVersionTable[] = [];
  for (let p = 0; p < POLICIES; p++) {
    const id = newId();
    const vid = newId();
    documents.push(
      documentRow({
        id,
        scope_id: scopeId,
        reference: `POL-${String(p + 1).padStart(4, '0')}`,
        title: `Policy ${p + 1}`,
        retention_value: 3,
        status: 'published',
        created_at: iso,
      }),
    );
    versions.push(
      documentVersionRow({ id: vid, scope_id: scopeId, document_id: id, version_no: 1, content_md: `Policy ${p + 1}`, created_at: iso }),
    );
  }
  await insertBatched(t, 'document', documents);
  await insertBatched(t, 'document_version', versions);
  for (const [i, d] of documents.entries())
    await t.deps.db.updateTable('document').set({ current_version_id: versions[i]!.id }).where('id', '=', d.id).execute();

  const started = performance.now();
  for (const [p, d] of documents.entries()) {
    const acks: DocumentAcknowledgementTable[] = users.map((u, i) => {
      const state = (i + p) % 10; // 70 % acknowledged, 20 % open and due later, 10 % overdue
      return {
        id: newId(),
        scope_id: scopeId,
        document_id: d.id,
        document_version_id: versions[p]!.id,
        user_id: u,
        assigned_at: iso,
        due_on: state === 9 ? day(-((i % 30) + 1)) : day(14),
        acknowledged_at: state < 7 ? iso : null,
        carried_over_from: null,
        reminded_at: null,
        reminder_task_id: null,
      } as DocumentAcknowledgementTable;
    });
    await t.deps.db.transaction().execute(async (tx) => {
      for (let i = 0; i < acks.length; i += 500)
        await tx
          .insertInto('document_acknowledgement')
          .values(acks.slice(i, i + 500))
          .execute();
    });
  }
  const ackSeconds = (performance.now() - started) / 1000;

  for (let c = 0; c < COURSES; c++) {
    const course: TrainingCourseTable = {
      id: newId(),
      scope_id: scopeId,
      reference: `TRN-${String(c + 1).padStart(4, '0')}`,
      title: `Course ${c + 1}`,
      description: '',
      material_document_id: null,
      material_url: null,
      quiz: null,
      pass_mark: null,
      due_days: 30,
      recurrence_months: 12,
      grants_competence_id: null,
      status: 'active',
      created_at: iso,
      updated_at: iso,
      version: 1,
    };
    await t.deps.db.insertInto('training_course').values(course).execute();
    const rows: TrainingAssignmentTable[] = users.map((u, i) => ({
      id: newId(),
      scope_id: scopeId,
      course_id: course.id,
      user_id: u,
      round: 1,
      assigned_at: iso,
      due_on: (i + c) % 7 === 0 ? day(-5) : day(20),
      completed_at: (i + c) % 3 === 0 ? iso : null,
      score: null,
      passed: null,
      attempts: 0,
      version: 1,
    }));
    await t.deps.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 500)
        await tx
          .insertInto('training_assignment')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  }
  if (t.dialect === 'postgres') await sql`analyze`.execute(t.deps.db);
  return { scopeId, headers: manager.headers, ackSeconds };
}

export async function benchAwareness(t: TestContext, time: Timer, pct: Pct, fmt: (ms: number) => string) {
  const started = performance.now();
  const { scopeId, headers, ackSeconds } = await generateAwareness(t);
  console.log(
    `\n### ${t.dialect}: awareness dashboard, ${EMPLOYEES} employees × ${POLICIES} policies (${EMPLOYEES * POLICIES} acknowledgements, ` +
      `${ackSeconds.toFixed(1)} s) + ${COURSES} courses, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
  console.log('|---|---|---|---|---|---|');
  const today = new Date().toISOString().slice(0, 10);
  const db = t.deps.db;
  const cases: { label: string; url: string; sqlOnly: () => Promise<unknown> }[] = [
    {
      label: 'dashboard (policies, courses, scope roles, departments)',
      url: `/api/scopes/${scopeId}/awareness/dashboard`,
      sqlOnly: () =>
        Promise.all([policyRates(db, scopeId, today), courseRates(db, scopeId, today), ratesByRoleAndDepartment(db, scopeId, today)]),
    },
    {
      label: 'overdue people, page 25',
      url: `/api/scopes/${scopeId}/awareness/overdue?pageSize=25`,
      sqlOnly: () => listPeopleSummary(db, scopeId, today, { overdueOnly: true }, { limit: 25, offset: 0 }),
    },
    {
      label: 'overdue people, page 100, department=Sales',
      url: `/api/scopes/${scopeId}/awareness/overdue?pageSize=100&department=Sales`,
      sqlOnly: () => listPeopleSummary(db, scopeId, today, { overdueOnly: true, department: 'Sales' }, { limit: 100, offset: 0 }),
    },
    {
      label: 'CSV export (one row per person)',
      url: `/api/scopes/${scopeId}/awareness/export.csv`,
      sqlOnly: () => listPeopleSummary(db, scopeId, today, { overdueOnly: false }, null),
    },
  ];
  for (const c of cases) {
    const before = t.db.database.queryCounter.count;
    const res = await t.app.inject({ method: 'GET', url: c.url, headers });
    if (res.statusCode !== 200) throw new Error(`${c.url} → ${res.statusCode} ${res.body}`);
    const statements = t.db.database.queryCounter.count - before;
    const http = await time(() => t.app.inject({ method: 'GET', url: c.url, headers }));
    const sqlOnly = await time(c.sqlOnly);
    console.log(
      `| ${c.label} | ${fmt(pct(http, 50))} | ${fmt(pct(http, 95))} | ${fmt(pct(sqlOnly, 50))} | ${fmt(pct(sqlOnly, 95))} | ${statements} |`,
    );
  }
}
