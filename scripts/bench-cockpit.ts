/**
 * Bench section for the manager's cockpit and the process map over dataset L: in the scope the main bench filled (assets,
 * 50,000 risks, the SoA's controls), controls up to BENCH_CONTROLS (default 2,000), BENCH_EVIDENCE evidence records
 * (default 100,000) linked to the controls,
 * BENCH_TASKS tasks (default 10,000) over the processes with a third overdue, and BENCH_HANDOFFS hand-off ledger rows
 * (default 5,000, half still waiting), generated with bulk inserts. Reports p50/p95 of the cockpit and the process map
 * next to the cockpit's statements run directly, and the number of statements per request. Sizes follow BENCH_SCALE.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { HandoffTable, TaskTable } from '../server/src/db/schema.ts';
import type {
  ControlTable,
  EvidenceControlTable,
  EvidenceTable,
} from '../server/src/processes/control-implementation/control-implementation.tables.ts';
import { handoffDefinitions, processDefinitions } from '../server/src/isms/process-model.ts';
import { overdueByProcess, overdueTasksOf, waitingHandoffsByEdge } from '../server/src/isms/cycle/cockpit.repository.ts';
import { evaluateChecks } from '../server/src/isms/cycle/cockpit.service.ts';
import { findCurrentCycle } from '../server/src/isms/cycle/cycle.repository.ts';
import { readinessChecks } from '../server/src/isms/cycle/readiness-checks.ts';
import { newId } from '../server/src/shared/ids.ts';
import type { TestContext } from '../server/src/test/harness.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const CONTROLS = Number(process.env.BENCH_CONTROLS ?? scaled(2_000));
const EVIDENCE = Number(process.env.BENCH_EVIDENCE ?? scaled(100_000));
const TASKS = Number(process.env.BENCH_TASKS ?? scaled(10_000));
const HANDOFFS = Number(process.env.BENCH_HANDOFFS ?? scaled(5_000));

type Timer = (fn: () => Promise<unknown>) => Promise<number[]>;
type Pct = (samples: number[], p: number) => number;

async function insertBatched(t: TestContext, table: 'control' | 'evidence' | 'evidence_control' | 'task' | 'handoff', rows: object[]) {
  await t.deps.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 500)
      await tx
        .insertInto(table as 'task')
        .values(rows.slice(i, i + 500) as TaskTable[])
        .execute();
  });
}

async function generateFlow(t: TestContext, scopeId: string) {
  const now = Date.now();
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const at = (offset: number) => new Date(now + offset * 86_400_000).toISOString();
  const existing = await t.deps.db.selectFrom('control').select('id').where('scope_id', '=', scopeId).execute();
  const controlStatuses = ['planned', 'in_progress', 'implemented', 'verified', 'not_applicable'] as const;
  const more: ControlTable[] = [];
  for (let i = existing.length; i < CONTROLS; i++)
    more.push({
      id: newId(),
      scope_id: scopeId,
      reference: `CTL-C${String(i + 1).padStart(5, '0')}`,
      title: `Bench control ${i}`,
      description: '',
      owner_id: null,
      status: controlStatuses[i % controlStatuses.length]!,
      effectiveness: 'not_assessed',
      cost_estimate: null,
      due_on: null,
      implemented_on: null,
      next_verification_on: null,
      last_verified_on: null,
      created_at: at(0),
      updated_at: at(0),
      version: 1,
    });
  await insertBatched(t, 'control', more);
  const [controls, users] = await Promise.all([
    t.deps.db.selectFrom('control').select('id').where('scope_id', '=', scopeId).execute(),
    t.deps.db.selectFrom('membership').select('user_id').where('scope_id', '=', scopeId).execute(),
  ]);

  const evidence: EvidenceTable[] = [];
  const links: EvidenceControlTable[] = [];
  for (let i = 0; i < EVIDENCE; i++) {
    const id = newId();
    evidence.push({
      id,
      scope_id: scopeId,
      reference: `EVD-B${String(i + 1).padStart(6, '0')}`,
      title: `Evidence ${i}`,
      description: '',
      kind: 'link',
      sha256: null,
      file_name: null,
      media_type: null,
      size: null,
      url: `https://evidence.example/${i}`,
      evidence_date: day(-(i % 400)),
      valid_until: i % 5 === 0 ? day(-(i % 30)) : null,
      created_by: null,
      created_at: at(-(i % 400)),
      updated_at: at(-(i % 400)),
      version: 1,
    });
    if (controls.length && i % 2 === 0) links.push({ evidence_id: id, control_id: controls[i % controls.length]!.id });
  }
  await insertBatched(t, 'evidence', evidence);
  await insertBatched(t, 'evidence_control', links);

  const processes = processDefinitions.map((p) => p.key);
  const statuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
  const tasks: TaskTable[] = [];
  for (let i = 0; i < TASKS; i++) {
    const status = statuses[i % 4]!;
    tasks.push({
      id: newId(),
      scope_id: scopeId,
      reference: `TSK-B${String(i + 1).padStart(6, '0')}`,
      title: `Bench task ${i}`,
      description: '',
      process_key: processes[(i * 7) % processes.length]!,
      origin_process_key: null,
      origin_record_type: null,
      origin_record_id: null,
      origin_record_ref: null,
      assignee_id: users[i % users.length]!.user_id,
      // about a third overdue, the rest due later or without a date
      due_on: i % 3 === 0 ? day(-(1 + (i % 90))) : i % 3 === 1 ? day(1 + (i % 60)) : null,
      status,
      created_by: null,
      created_at: at(-(i % 120)),
      updated_at: at(-(i % 120)),
      completed_at: status === 'done' || status === 'cancelled' ? at(-(i % 30)) : null,
      version: 1,
      purpose: null,
      completion_note: null,
      title_key: null,
      title_params: null,
      description_key: null,
      description_params: null,
    });
  }
  await insertBatched(t, 'task', tasks);

  const ledger: HandoffTable[] = [];
  for (let i = 0; i < HANDOFFS; i++) {
    const h = handoffDefinitions[i % handoffDefinitions.length]!;
    const waiting = i % 2 === 0;
    ledger.push({
      id: newId(),
      scope_id: scopeId,
      edge: `${h.from}>${h.to}`,
      from_process: h.from,
      to_process: h.to,
      event: 'bench.event',
      source_record_type: 'risk',
      source_record_id: newId(),
      source_record_ref: null,
      work_record_type: 'task',
      work_record_id: newId(),
      work_record_ref: null,
      title: `Bench hand-off ${i}`,
      assignee_id: null,
      due_on: i % 3 === 0 ? day(-(i % 20)) : day(i % 40),
      created_at: at(-(1 + (i % 200))),
      done_at: waiting ? null : at(-(i % 30)),
      outcome: waiting ? null : 'done',
      note: null,
    });
  }
  await insertBatched(t, 'handoff', ledger);
  // as autovacuum would after bulk loads: statistics, and a visibility map for index-only scans
  if (t.dialect === 'postgres') await sql`vacuum analyze`.execute(t.deps.db);
  return { someone: users[0]!.user_id, controls: controls.length };
}

export async function benchCockpit(
  t: TestContext,
  scopeId: string,
  headers: Record<string, string>,
  time: Timer,
  pct: Pct,
  fmt: (ms: number) => string,
) {
  const started = performance.now();
  const { someone, controls } = await generateFlow(t, scopeId);
  console.log(
    `\n### ${t.dialect}: cockpit and process map (${controls} controls, ${EVIDENCE} evidence, ${TASKS} tasks, ${HANDOFFS} hand-offs generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
  console.log('|---|---|---|---|---|---|');
  const today = new Date().toISOString().slice(0, 10);
  const cycle = (await findCurrentCycle(t.deps.db, scopeId))!;
  const context = { scopeId, cycle: { startsOn: cycle.starts_on, endsOn: cycle.ends_on }, today };
  const cases = [
    {
      label: 'cockpit',
      url: `/api/scopes/${scopeId}/cockpit`,
      sqlOnly: () =>
        Promise.all([
          findCurrentCycle(t.deps.db, scopeId),
          evaluateChecks(t.deps, readinessChecks(), context),
          overdueByProcess(t.deps.db, scopeId, today),
          waitingHandoffsByEdge(t.deps.db, scopeId, today),
          overdueTasksOf(t.deps.db, scopeId, someone, today, 6),
        ]),
    },
    { label: 'process map', url: `/api/scopes/${scopeId}/processes`, sqlOnly: null },
  ];
  for (const c of cases) {
    const before = t.db.database.queryCounter.count;
    const res = await t.app.inject({ method: 'GET', url: c.url, headers });
    if (res.statusCode !== 200) throw new Error(`${c.url} → ${res.statusCode} ${res.body}`);
    const statements = t.db.database.queryCounter.count - before;
    const http = await time(() => t.app.inject({ method: 'GET', url: c.url, headers }));
    const sqlOnly = c.sqlOnly ? await time(c.sqlOnly) : null;
    const sqlCols = sqlOnly ? `${fmt(pct(sqlOnly, 50))} | ${fmt(pct(sqlOnly, 95))}` : '— | —';
    console.log(`| ${c.label} | ${fmt(pct(http, 50))} | ${fmt(pct(http, 95))} | ${sqlCols} | ${statements} |`);
  }
  // what each part of the cockpit costs on its own (SQL only)
  const parts: [string, () => Promise<unknown>][] = [
    ...readinessChecks().map((check): [string, () => Promise<unknown>] => [`check ${check.key}`, () => check.evaluate(t.deps.db, context)]),
    ['overdue by process', () => overdueByProcess(t.deps.db, scopeId, today)],
    ['hand-offs waiting', () => waitingHandoffsByEdge(t.deps.db, scopeId, today)],
    ['own overdue tasks', () => overdueTasksOf(t.deps.db, scopeId, someone, today, 6)],
  ];
  for (const [label, fn] of parts) {
    const before = t.db.database.queryCounter.count;
    await fn();
    const statements = t.db.database.queryCounter.count - before;
    const samples = await time(fn);
    console.log(`| cockpit: ${label} | — | — | ${fmt(pct(samples, 50))} | ${fmt(pct(samples, 95))} | ${statements} |`);
  }
}
