/**
 * Bench section for the Check phase, run after the cockpit section in the scope it filled (dataset L: the assets, 50,000
 * risks, the SoA's controls, 100,000 evidence records, 10,000 tasks). Reports p50/p95 and the number of statements of:
 *
 * - compiling the management review inputs (ISO 27001 9.3.2) over that scope: the "compile again" transition through
 *   HTTP, next to the compilation's statements run directly;
 * - the measure dashboard over BENCH_MEASURES measures (default 100) with BENCH_MEASURE_MONTHS monthly values each
 *   (default 36, three years): the measure list with latest value, status and trend, the status counts the page asks
 *   for, and one measure's trend chart.
 *
 * Measures are defined through the API; their measurements are bulk-inserted. Sizes follow BENCH_SCALE.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { MeasurementTable } from '../server/src/processes/performance-evaluation/performance-evaluation.tables.ts';
import { compileInputs } from '../server/src/processes/management-review/management-review.service.ts';
import { evaluate } from '../server/src/processes/performance-evaluation/measure-rules.ts';
import { pageMeasures } from '../server/src/processes/performance-evaluation/measure.repository.ts';
import { listMeasuresQuery } from '../server/src/processes/performance-evaluation/measure.schemas.ts';
import { newId } from '../server/src/shared/ids.ts';
import type { TestContext } from '../server/src/test/harness.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const MEASURES = Number(process.env.BENCH_MEASURES ?? scaled(100));
const MONTHS = Number(process.env.BENCH_MEASURE_MONTHS ?? 36);

type Timer = (fn: () => Promise<unknown>) => Promise<number[]>;
type Pct = (samples: number[], p: number) => number;

export async function benchCheck(
  t: TestContext,
  scopeId: string,
  headers: Record<string, string>,
  time: Timer,
  pct: Pct,
  fmt: (ms: number) => string,
) {
  const request = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers, ...(payload && { payload }) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body) as Record<string, any>;
  };
  const counted = async (fn: () => Promise<unknown>) => {
    const before = t.db.database.queryCounter.count;
    await fn();
    return t.db.database.queryCounter.count - before;
  };
  const row = (label: string, http: number[] | null, sqlOnly: number[] | null, statements: number) =>
    console.log(
      `| ${label} | ${http ? `${fmt(pct(http, 50))} | ${fmt(pct(http, 95))}` : '— | —'} | ${
        sqlOnly ? `${fmt(pct(sqlOnly, 50))} | ${fmt(pct(sqlOnly, 95))}` : '— | —'
      } | ${statements} |`,
    );

  // ---------------------------------------------------------------------------- measures × months of monthly values
  const started = performance.now();
  const users = await t.deps.db.selectFrom('membership').select('user_id').where('scope_id', '=', scopeId).execute();
  const ids: string[] = [];
  for (let i = 0; i < MEASURES; i++) {
    const higher = i % 2 === 0;
    const m = await request('POST', `/api/scopes/${scopeId}/measures`, {
      name: `Bench measure ${String(i + 1).padStart(3, '0')}`,
      informationNeed: `Is the bench area ${i} under control?`,
      formula: 'share of items in order × 100',
      unit: '%',
      direction: higher ? 'higher' : 'lower',
      target: higher ? 90 : 10,
      breachAt: higher ? 70 : 30,
      collectionFrequency: 'monthly',
      analysisFrequency: 'quarterly',
      measuredById: users[i % users.length]!.user_id,
      sourceKind: 'manual',
    });
    ids.push(m.id as string);
  }
  const now = new Date();
  const measurements: MeasurementTable[] = [];
  for (const [i, measureId] of ids.entries()) {
    const higher = i % 2 === 0;
    for (let month = MONTHS - 1; month >= 0; month--) {
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - month, 1, 9)).toISOString();
      const value = (i * 7 + month * 13) % 100;
      const status = evaluate(value, { direction: higher ? 'higher' : 'lower', target: higher ? 90 : 10, breachAt: higher ? 70 : 30 });
      measurements.push({
        id: newId(),
        scope_id: scopeId,
        measure_id: measureId,
        definition_version: 1,
        value,
        status,
        measured_at: at,
        source: 'manual',
        comment: '',
        evidence_url: null,
        recorded_by: users[i % users.length]!.user_id,
        created_at: at,
      });
    }
  }
  await t.deps.db.transaction().execute(async (tx) => {
    for (let i = 0; i < measurements.length; i += 500)
      await tx
        .insertInto('measurement')
        .values(measurements.slice(i, i + 500))
        .execute();
  });
  if (t.dialect === 'postgres') await sql`vacuum analyze`.execute(t.deps.db);
  console.log(
    `\n### ${t.dialect}: measure dashboard (${MEASURES} measures × ${MONTHS} monthly values generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
  console.log('|---|---|---|---|---|---|');
  const lists = [
    { label: 'measures page 100, latest value, status and trend', qs: 'pageSize=100' },
    { label: 'measures page 25, latest status breach', qs: 'pageSize=25&status=active&latest=breach' },
  ];
  for (const c of lists) {
    const url = `/api/scopes/${scopeId}/measures?${c.qs}`;
    const statements = await counted(() => request('GET', url));
    const http = await time(() => request('GET', url));
    const query = listMeasuresQuery.parse(Object.fromEntries(new URLSearchParams(c.qs)));
    const { page, pageSize, ...filter } = query;
    const sqlOnly = await time(() => pageMeasures(t.deps.db, scopeId, filter, pageSize, (page - 1) * pageSize));
    row(c.label, http, sqlOnly, statements);
  }
  // the dashboard's status counts: one small page per latest status
  const counts = () =>
    Promise.all(
      ['on_target', 'warning', 'breach'].map((latest) =>
        request('GET', `/api/scopes/${scopeId}/measures?status=active&latest=${latest}&pageSize=1`),
      ),
    );
  const countStatements = await counted(counts);
  row('dashboard status counts (3 requests)', await time(counts), null, countStatements);
  const trendUrl = `/api/scopes/${scopeId}/measures/${ids[0]}/trend`;
  const trendStatements = await counted(() => request('GET', trendUrl));
  row(`trend chart of one measure (${MONTHS} values, current cycle)`, await time(() => request('GET', trendUrl)), null, trendStatements);
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS, 1)).toISOString().slice(0, 10);
  const threeYears = `${trendUrl}?from=${from}`;
  const threeYearsStatements = await counted(() => request('GET', threeYears));
  row(`trend chart of one measure since ${from}`, await time(() => request('GET', threeYears)), null, threeYearsStatements);

  // ---------------------------------------------------------------------------- management review inputs over dataset L
  const [risks, evidence, tasks] = await Promise.all(
    (['risk', 'evidence', 'task'] as const).map(async (table) =>
      Number(
        (
          await t.deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('scope_id', '=', scopeId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
  const chair = (await t.deps.db
    .selectFrom('membership')
    .select('user_id')
    .where('scope_id', '=', scopeId)
    .where('role', '=', 'manager')
    .executeTakeFirstOrThrow())!.user_id;
  const today = now.toISOString().slice(0, 10);
  const yearAgo = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
  const review = await request('POST', `/api/scopes/${scopeId}/reviews`, {
    title: 'Bench management review',
    chairId: chair,
    plannedOn: today,
    periodFrom: yearAgo,
    periodTo: today,
  });
  const reviewUrl = `/api/scopes/${scopeId}/reviews/${review.id}`;
  let version = review.version as number;
  const compile = async () => {
    const r = await request('POST', `${reviewUrl}/transition`, { version, to: 'compiled' });
    version = r.version as number;
    return r;
  };
  console.log(
    `\n### ${t.dialect}: management review inputs (${risks} risks, ${evidence} evidence, ${tasks} tasks, ${MEASURES} measures; period ${yearAgo} – ${today})`,
  );
  console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
  console.log('|---|---|---|---|---|---|');
  const compileStatements = await counted(compile);
  const http = await time(compile);
  const period = { from: yearAgo, to: today };
  const sqlStatements = await counted(() => compileInputs(t.deps.db, scopeId, review.id as string, period, new Date().toISOString()));
  const sqlOnly = await time(() => compileInputs(t.deps.db, scopeId, review.id as string, period, new Date().toISOString()));
  row('compile the review inputs (POST transition, in a transaction, with its audit entry)', http, null, compileStatements);
  row('compile the review inputs (the compilation alone)', null, sqlOnly, sqlStatements);
  const readStatements = await counted(() => request('GET', reviewUrl));
  row('the review with its compiled inputs', await time(() => request('GET', reviewUrl)), null, readStatements);
}
