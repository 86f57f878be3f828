/**
 * `npm run bench`: generates the reference dataset's asset part (10,000 assets with dependencies and tags, 500 users)
 * on SQLite and on PostgreSQL, then reports p50/p95 of the asset list endpoint next to the time of the same SQL run
 * directly. Not a test: numbers to compare between commits. PostgreSQL is skipped when it is not reachable.
 *
 *   npm run bench                     both dialects
 *   npm run bench -- --dialect sqlite one dialect
 *   BENCH_ASSETS=50000 npm run bench  a larger dataset
 *
 * A second section adds the risk register (50,000 risks over those assets, BENCH_RISKS to change) and reports the
 * prioritised risk list and the heat map aggregation the same way.
 *
 * A third section times the Statement of Applicability: the import of NIST SP 800-53 MODERATE (OSCAL, 287 controls)
 * through the catalog import, creating an SoA over a generated catalog of 1,200 requirements (BENCH_SOA_REQUIREMENTS)
 * with controls and treated risks, and its XLSX, OSCAL and PDF exports.
 *
 * On SQLite, bench-sqlite-sync.ts compares the write rate with PRAXIS_SQLITE_SYNCHRONOUS=NORMAL and FULL (the default).
 *
 * The mixed-load section (bench-mixed.ts): 90 % reads over the list endpoints and 10 % asset creates, autocannon over a
 * real socket against Praxis and against a bare Fastify replaying the same statements on the bare driver, with ratios
 * and p50/p95/p99 (BENCH_MIXED_SECONDS per run, 10 by default).
 *
 *   npm run bench -- --only mixed     only the sections named (assets, risks, soa, cockpit, check, awareness, pack, mixed, writes,
 *                                     blocking)
 *
 * The blocking section (bench-blocking.ts): p50/p95/p99 of GET /api/health and a risk list page over a socket while the
 * risk CSV export runs, on SQLite with the export's batches on the main connection (before the read pool) and in the
 * read pool's worker threads (after); BENCH_BLOCKING_SECONDS per run.
 *
 * The writes section (bench-writes.ts): asset creates alone at c=10 over a real socket, and a spreadsheet import of
 * 10,000 new assets (BENCH_IMPORT_ROWS), each with whether the audit trail still verifies.
 *
 * The plans section (bench-plans.ts, --only plans) prints every list's page and count verdict (index, or the scan or sort
 * found) at the dataset the sections before it filled: dataset L when the whole bench runs.
 *
 * The audit pack section (bench-pack.ts) downloads the scope's audit pack as a stream and reports its time, size and peak RSS.
 *
 * A fourth section (bench-cockpit.ts) adds 100,000 evidence records, 10,000 tasks and 5,000 hand-off ledger rows to that
 * scope and reports the manager's cockpit and the process map.
 *
 *   BENCH_SCALE=0.01 npm run bench    every default size × 0.01: a smoke test in seconds
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from '../server/src/config.ts';
import { findTags, listAssets } from '../server/src/processes/asset-management/asset.repository.ts';
import { listAssetsQuery } from '../server/src/processes/asset-management/asset.schemas.ts';
import { buildScope, buildUser, createTestContext, pgAdminUrl, type TestContext } from '../server/src/test/harness.ts';
import { newId } from '../server/src/shared/ids.ts';
import type { AssetDependencyTable, AssetTable, AssetTagTable } from '../server/src/processes/asset-management/asset-management.tables.ts';
import type { RiskAssetTable, RiskTable } from '../server/src/processes/risk-assessment/risk-assessment.tables.ts';
import { countByCell, findRiskAssets, listRisks } from '../server/src/processes/risk-assessment/risk.repository.ts';
import { heatmapQuery, listRisksQuery } from '../server/src/processes/risk-assessment/risk.schemas.ts';
import { scoreRisk } from '../server/src/processes/risk-assessment/risk-method.ts';
import { ensureCurrentMethodTx } from '../server/src/processes/risk-assessment/risk-method.service.ts';
import { riskRanks } from '../server/src/processes/risk-assessment/risk-rank.ts';
import { benchAwareness } from './bench-awareness.ts';
import { benchCockpit } from './bench-cockpit.ts';
import { benchMixed } from './bench-mixed.ts';
import { importCatalogTx, parseCatalogFile } from '../server/src/catalogs/catalog.service.ts';
import type { CatalogRequirementTable } from '../server/src/db/schema.ts';
import type {
  ControlRequirementTable,
  ControlRiskTable,
  ControlTable,
} from '../server/src/processes/control-implementation/control-implementation.tables.ts';

const { values } = parseArgs({
  options: { dialect: { type: 'string' }, runs: { type: 'string', default: '60' }, only: { type: 'string' } },
});
/** `--only assets,risks,soa,cockpit,check,awareness,pack,mixed,writes,blocking`: the sections to run (all by default; mixed and blocking need the risks) */
const only = values.only ? new Set(values.only.split(',')) : null;
// plans needs the risks and the cockpit's evidence and tasks
const section = (name: string) =>
  !only ||
  only.has(name) ||
  (name === 'risks' && (only.has('mixed') || only.has('plans') || only.has('blocking'))) ||
  (name === 'cockpit' && only.has('plans'));
/** multiplies every default size (BENCH_SCALE=0.01 for a smoke test); explicit BENCH_* sizes win */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const ASSETS = Number(process.env.BENCH_ASSETS ?? scaled(10_000));
const USERS = Number(process.env.BENCH_USERS ?? scaled(500));
const RUNS = Number(values.runs);

const types = ['information', 'system', 'service', 'location', 'person', 'supplier'] as const;
const levels = ['normal', 'high', 'very_high'] as const;
const statuses = ['planned', 'in_operation', 'retiring', 'retired'] as const;
const words = ['payroll', 'customer', 'backup', 'mail', 'erp', 'crm', 'network', 'firewall', 'laptop', 'office', 'cloud', 'archive'];

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function generate(t: TestContext) {
  const { scope, manager } = await buildScope(t.deps, { name: 'Bench organisation' });
  const userIds: string[] = [manager.id];
  for (let i = 1; i < USERS; i++)
    userIds.push((await buildUser(t.deps, { memberships: [[scope.id, i % 10 === 0 ? 'manager' : 'contributor']] })).id);
  const now = Date.now();
  const ids: string[] = [];
  const batch = 500;
  for (let start = 0; start < ASSETS; start += batch) {
    const rows: AssetTable[] = [];
    const tags: AssetTagTable[] = [];
    const depsRows: AssetDependencyTable[] = [];
    for (let i = start; i < Math.min(ASSETS, start + batch); i++) {
      const id = newId();
      ids.push(id);
      const at = new Date(now - (ASSETS - i) * 60_000).toISOString();
      rows.push({
        id,
        scope_id: scope.id,
        reference: `AST-${String(i + 1).padStart(5, '0')}`,
        name: `${words[i % words.length]} ${types[i % types.length]} ${i}`,
        type: types[i % types.length]!,
        owner_id: userIds[i % userIds.length]!,
        description: `Generated asset ${i} for the benchmark`,
        lifecycle_status: statuses[i % statuses.length]!,
        confidentiality: levels[i % 3]!,
        integrity: levels[(i >> 1) % 3]!,
        availability: levels[(i >> 2) % 3]!,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      tags.push({ asset_id: id, tag: `tag-${i % 40}` });
      if (i % 3 === 0) tags.push({ asset_id: id, tag: 'critical' });
      if (i > 0) depsRows.push({ asset_id: id, depends_on_id: ids[Math.floor(i / 2)]! });
      if (i > 10 && i % 4 === 0) depsRows.push({ asset_id: id, depends_on_id: ids[i - 7]! });
    }
    await t.deps.db.transaction().execute(async (tx) => {
      await tx.insertInto('asset').values(rows).execute();
      await tx.insertInto('asset_tag').values(tags).execute();
      if (depsRows.length) await tx.insertInto('asset_dependency').values(depsRows).execute();
    });
  }
  // vacuum as autovacuum does after a bulk insert: the visibility map lets a capped count read the index alone
  if (t.dialect === 'postgres') await sql`vacuum analyze`.execute(t.deps.db);
  return { scopeId: scope.id, headers: manager.headers };
}

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;

async function benchDialect(dialect: DialectName) {
  const t = await createTestContext(dialect);
  try {
    // the writes section needs no generated data of its own
    if (section('writes')) await (await import('./bench-writes.ts')).benchWrites(t, pct);
    if (only?.size === 1 && only.has('writes')) return;
    const started = performance.now();
    const { scopeId, headers } = await generate(t);
    console.log(`\n## ${dialect}: ${ASSETS} assets, ${USERS} users generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
    console.log('|---|---|---|---|---|---|');
    const cases = [
      { label: 'page 25, sort name', qs: 'pageSize=25&sort=name' },
      { label: 'page 100, sort name', qs: 'pageSize=100&sort=name' },
      { label: 'page 25, type=system, sort updatedAt desc', qs: 'pageSize=25&type=system&sort=updatedAt&order=desc' },
      { label: 'page 100, type=system, sort updatedAt desc', qs: 'pageSize=100&type=system&sort=updatedAt&order=desc' },
      { label: 'page 25, minProtection=very_high, tag=critical, page 20', qs: 'pageSize=25&minProtection=very_high&tag=critical&page=20' },
      { label: 'page 25, search "payroll"', qs: 'pageSize=25&q=payroll' },
    ];
    for (const c of section('assets') ? cases : []) {
      const url = `/api/scopes/${scopeId}/assets?${c.qs}`;
      const before = t.db.database.queryCounter.count;
      const res = await t.app.inject({ method: 'GET', url, headers });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
      const statements = t.db.database.queryCounter.count - before;
      const http = await time(() => t.app.inject({ method: 'GET', url, headers }));
      const query = listAssetsQuery.parse(Object.fromEntries(new URLSearchParams(c.qs)));
      const sqlOnly = await time(async () => {
        const { rows } = await listAssets(t.deps.db, scopeId, query);
        await findTags(
          t.deps.db,
          rows.map((r) => r.id),
        );
      });
      console.log(
        `| ${c.label} | ${fmt(pct(http, 50))} | ${fmt(pct(http, 95))} | ${fmt(pct(sqlOnly, 50))} | ${fmt(pct(sqlOnly, 95))} | ${statements} |`,
      );
    }
    if (section('risks')) await benchRisks(t, scopeId, headers);
    if (section('soa')) await benchSoa(t, scopeId, headers);
    if (section('cockpit')) await benchCockpit(t, scopeId, headers, time, pct, fmt);
    if (section('check')) await (await import('./bench-check.ts')).benchCheck(t, scopeId, headers, time, pct, fmt);
    if (section('awareness')) await benchAwareness(t, time, pct, fmt);
    if (section('pack')) await (await import('./bench-pack.ts')).benchPack(t, scopeId, headers);
    if (section('plans')) await (await import('./bench-plans.ts')).benchPlans(t, scopeId, headers);
    if (section('mixed')) await benchMixed(t, scopeId, headers);
    if (section('blocking')) await (await import('./bench-blocking.ts')).benchBlocking(t, scopeId, headers);
  } finally {
    await t.close();
  }
}

// ------------------------------------------------------------------------------------------------ risk register

const RISKS = Number(process.env.BENCH_RISKS ?? scaled(50_000));
const riskStatuses = ['identified', 'assessed', 'treatment', 'accepted', 'closed'] as const;
const riskWords = ['ransomware', 'outage', 'leak', 'fraud', 'theft', 'misconfiguration', 'phishing', 'fire', 'flood', 'insider'];

/** 50,000 risks over the generated assets (one or two each), scored by the scope's current method, batch-inserted. */
async function generateRisks(t: TestContext, scopeId: string) {
  const method = await t.deps.db.transaction().execute((tx) => ensureCurrentMethodTx(tx, t.deps, scopeId));
  const m = method.method;
  const [assets, users, threats] = await Promise.all([
    t.deps.db.selectFrom('asset').select('id').where('scope_id', '=', scopeId).orderBy('id').execute(),
    t.deps.db.selectFrom('membership').select('user_id').where('scope_id', '=', scopeId).execute(),
    t.deps.db.selectFrom('threat').select('id').where('scope_id', 'is', null).execute(),
  ]);
  const severities = new Map(m.levels.map((l) => [l.key, l.order]));
  const L = m.likelihood.length;
  const I = m.impact.length;
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < RISKS; start += batch) {
    const rows: RiskTable[] = [];
    const links: RiskAssetTable[] = [];
    for (let i = start; i < Math.min(RISKS, start + batch); i++) {
      const id = newId();
      const at = new Date(now - (RISKS - i) * 30_000).toISOString();
      const scored = i % 11 !== 0; // about one in eleven not yet assessed
      const il = 1 + ((i * 7) % L);
      const ii = 1 + ((i * 13) % I);
      const cl = Math.max(1, il - (i % 2));
      const ci = Math.max(1, ii - ((i >> 1) % 2));
      const target = i % 3 === 0;
      rows.push({
        id,
        scope_id: scopeId,
        reference: `RSK-${String(i + 1).padStart(5, '0')}`,
        title: `${riskWords[i % riskWords.length]} risk ${i}`,
        description: `Generated risk ${i} for the benchmark`,
        threat_id: threats[i % threats.length]!.id,
        vulnerability: '',
        consequences_c: i % 2 === 0,
        consequences_i: i % 3 === 0,
        consequences_a: i % 5 === 0,
        owner_id: users[i % users.length]!.user_id,
        status: scored ? riskStatuses[1 + (i % 4)]! : 'identified',
        inherent_likelihood: scored ? il : null,
        inherent_impact: scored ? ii : null,
        inherent_level: scored ? scoreRisk(m, il, ii).level : null,
        current_likelihood: scored ? cl : null,
        current_impact: scored ? ci : null,
        current_level: scored ? scoreRisk(m, cl, ci).level : null,
        target_likelihood: scored && target ? 1 : null,
        target_impact: scored && target ? ci : null,
        target_level: scored && target ? scoreRisk(m, 1, ci).level : null,
        method_id: scored ? method.id : null,
        assessed_at: scored ? at : null,
        next_review_on: null,
        created_at: at,
        updated_at: at,
        version: 1,
        priority_rank: 0,
        current_rank: 0,
        inherent_rank: 0,
      });
      Object.assign(rows.at(-1)!, riskRanks(rows.at(-1)!, severities));
      links.push({ risk_id: id, asset_id: assets[i % assets.length]!.id });
      if (i % 4 === 0) links.push({ risk_id: id, asset_id: assets[(i * 31 + 7) % assets.length]!.id });
    }
    await t.deps.db.transaction().execute(async (tx) => {
      await tx.insertInto('risk').values(rows).execute();
      await tx
        .insertInto('risk_asset')
        .values(links)
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }
  if (t.dialect === 'postgres') await sql`vacuum analyze`.execute(t.deps.db);
}

async function benchRisks(t: TestContext, scopeId: string, headers: Record<string, string>) {
  const started = performance.now();
  await generateRisks(t, scopeId);
  console.log(`\n### ${t.dialect}: ${RISKS} risks generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log('| request | p50 | p95 | SQL p50 | SQL p95 | statements |');
  console.log('|---|---|---|---|---|---|');
  const lists = [
    { label: 'risks page 25, prioritised', qs: 'pageSize=25' },
    { label: 'risks page 100, prioritised', qs: 'pageSize=100' },
    { label: 'risks page 25, level=high, prioritised', qs: 'pageSize=25&level=high' },
    { label: 'risks page 100, level=high, prioritised', qs: 'pageSize=100&level=high' },
    { label: 'risks page 25, status=treatment, sort updatedAt desc', qs: 'pageSize=25&status=treatment&sort=updatedAt' },
  ];
  const row = (label: string, http: number[], sqlOnly: number[], statements: number) =>
    console.log(
      `| ${label} | ${fmt(pct(http, 50))} | ${fmt(pct(http, 95))} | ${fmt(pct(sqlOnly, 50))} | ${fmt(pct(sqlOnly, 95))} | ${statements} |`,
    );
  const measure = async (url: string) => {
    const before = t.db.database.queryCounter.count;
    const res = await t.app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    const statements = t.db.database.queryCounter.count - before;
    return { statements, http: await time(() => t.app.inject({ method: 'GET', url, headers })) };
  };
  for (const c of lists) {
    const { statements, http } = await measure(`/api/scopes/${scopeId}/risks?${c.qs}`);
    const query = listRisksQuery.parse(Object.fromEntries(new URLSearchParams(c.qs)));
    const sqlOnly = await time(async () => {
      const { rows } = await listRisks(t.deps.db, scopeId, query);
      await findRiskAssets(
        t.deps.db,
        rows.map((r) => r.id),
      );
    });
    row(c.label, http, sqlOnly, statements);
  }
  for (const basis of ['current', 'inherent'] as const) {
    const { statements, http } = await measure(`/api/scopes/${scopeId}/risks/heatmap?basis=${basis}`);
    const query = heatmapQuery.parse({ basis });
    const sqlOnly = await time(() => countByCell(t.deps.db, scopeId, query));
    row(`heat map, basis=${basis}`, http, sqlOnly, statements);
  }
}

// ------------------------------------------------------------------------------------------------ statement of applicability

const SOA_REQUIREMENTS = Number(process.env.BENCH_SOA_REQUIREMENTS ?? scaled(1_200));
const SOA_RUNS = Math.max(3, Math.min(RUNS, 20));
const NIST_MODERATE = new URL(
  '../server/test-data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json',
  import.meta.url,
);

/**
 * A scope catalog of SOA_REQUIREMENTS controls in groups of 20, and controls of the scope's library linked to every
 * third requirement, half of them treating one of the generated risks: what the SoA pre-fill reads.
 */
async function generateSoaCatalog(t: TestContext, scopeId: string) {
  const catalogId = newId();
  const now = new Date().toISOString();
  const groups = Math.ceil(SOA_REQUIREMENTS / 20);
  await t.deps.db
    .insertInto('catalog')
    .values({
      id: catalogId,
      scope_id: scopeId,
      key: 'bench-catalog',
      title: 'Bench catalog',
      version: '1',
      source: 'oscal',
      oscal_uuid: null,
      published: null,
      requirement_count: SOA_REQUIREMENTS,
      withdrawn_count: 0,
      imported_by: null,
      created_at: now,
    })
    .execute();
  const rows: CatalogRequirementTable[] = [];
  const controlRows: ControlTable[] = [];
  const links: ControlRequirementTable[] = [];
  const treats: ControlRiskTable[] = [];
  const risks = await t.deps.db.selectFrom('risk').select('id').where('scope_id', '=', scopeId).limit(1000).execute();
  for (let g = 0; g < groups; g++) {
    rows.push({
      id: newId(),
      catalog_id: catalogId,
      identifier: `g${g + 1}`,
      parent_identifier: null,
      kind: 'group',
      label: `G${g + 1}`,
      title: `Group ${g + 1}`,
      statement: '',
      guidance: null,
      withdrawn: false,
      depth: 0,
      sort_order: rows.length,
      params: null,
    });
    for (let c = 0; c < 20 && g * 20 + c < SOA_REQUIREMENTS; c++) {
      const n = g * 20 + c + 1;
      const id = newId();
      rows.push({
        id,
        catalog_id: catalogId,
        identifier: `r-${n}`,
        parent_identifier: `g${g + 1}`,
        kind: 'control',
        label: `R.${g + 1}.${c + 1}`,
        title: `${riskWords[n % riskWords.length]} requirement ${n}`,
        statement: `Statement of requirement ${n}`,
        guidance: null,
        withdrawn: n % 97 === 0,
        depth: 1,
        sort_order: rows.length,
        params: null,
      });
      if (n % 3 === 0) {
        const controlId = newId();
        controlRows.push({
          id: controlId,
          scope_id: scopeId,
          reference: `CTL-B${String(n).padStart(5, '0')}`,
          title: `Control for requirement ${n}`,
          description: '',
          owner_id: null,
          status: (['planned', 'in_progress', 'implemented', 'verified'] satisfies ControlTable['status'][])[n % 4]!,
          effectiveness: 'not_assessed',
          cost_estimate: null,
          due_on: null,
          implemented_on: null,
          next_verification_on: null,
          last_verified_on: null,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        links.push({ control_id: controlId, requirement_id: id });
        if (n % 2 === 0 && risks.length) treats.push({ control_id: controlId, risk_id: risks[n % risks.length]!.id });
      }
    }
  }
  await t.deps.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 500)
      await tx
        .insertInto('catalog_requirement')
        .values(rows.slice(i, i + 500))
        .execute();
    for (let i = 0; i < controlRows.length; i += 500)
      await tx
        .insertInto('control')
        .values(controlRows.slice(i, i + 500))
        .execute();
    for (let i = 0; i < links.length; i += 500)
      await tx
        .insertInto('control_requirement')
        .values(links.slice(i, i + 500))
        .execute();
    for (let i = 0; i < treats.length; i += 500)
      await tx
        .insertInto('control_risk')
        .values(treats.slice(i, i + 500))
        .execute();
  });
  if (t.dialect === 'postgres') await sql`analyze`.execute(t.deps.db);
  return catalogId;
}

async function benchSoa(t: TestContext, scopeId: string, headers: Record<string, string>) {
  console.log(`\n### ${t.dialect}: Statement of Applicability (${SOA_RUNS} runs per export)`);
  console.log('| step | p50 | p95 | size |');
  console.log('|---|---|---|---|');
  /** a step timed once: no percentiles */
  const once = (label: string, ms: number) => console.log(`| ${label} | ${fmt(ms)} | — | |`);

  // NIST SP 800-53 MODERATE through the catalog import (parse + chunked inserts + audit, one transaction)
  const file = await readFile(NIST_MODERATE);
  let started = performance.now();
  const parsed = parseCatalogFile(file);
  const report = await t.deps.db.transaction().execute((tx) => importCatalogTx(tx, t.deps, null, scopeId, parsed));
  once(`import NIST MODERATE (${report.controls} controls, ${(file.length / 1e6).toFixed(1)} MB)`, performance.now() - started);

  const catalogId = await generateSoaCatalog(t, scopeId);
  const post = async (catalog: string) => {
    const begin = performance.now();
    const res = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/soa`, headers, payload: { catalogId: catalog } });
    if (res.statusCode !== 201) throw new Error(`create SoA → ${res.statusCode} ${res.body}`);
    return { ms: performance.now() - begin, soa: JSON.parse(res.body) as { id: string; counts: { total: number; applicable: number } } };
  };
  const nist = await post(report.catalogId);
  once(`create SoA for NIST MODERATE (${nist.soa.counts.total} entries)`, nist.ms);
  const big = await post(catalogId);
  once(`create SoA, ${big.soa.counts.total} entries (${big.soa.counts.applicable} pre-filled applicable)`, big.ms);
  started = performance.now();
  const refresh = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/soa/${big.soa.id}/refresh`, headers });
  if (refresh.statusCode !== 200) throw new Error(`refresh → ${refresh.statusCode} ${refresh.body}`);
  once('refresh from treatments (nothing to change)', performance.now() - started);

  for (const [label, ext] of [
    ['XLSX export', 'xlsx'],
    ['OSCAL SSP export', 'json'],
    ['PDF export', 'pdf'],
  ] as const) {
    const url = `/api/scopes/${scopeId}/soa/${big.soa.id}/export.${ext}`;
    let size = 0;
    const samples: number[] = [];
    for (let i = 0; i < SOA_RUNS; i++) {
      const begin = performance.now();
      const res = await t.app.inject({ method: 'GET', url, headers });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
      size = res.rawPayload.length;
      samples.push(performance.now() - begin);
    }
    console.log(
      `| ${label}, ${big.soa.counts.total} requirements | ${fmt(pct(samples, 50))} | ${fmt(pct(samples, 95))} | ${(size / 1024).toFixed(0)} KiB |`,
    );
  }
}

const wanted: DialectName[] = values.dialect ? [values.dialect as DialectName] : ['sqlite', 'postgres'];
console.log(
  `# Praxis benchmark (${RUNS} runs per request; "SQL" = the repository's statements alone, without HTTP, auth and serialisation)`,
);
for (const d of wanted) {
  if (d === 'postgres' && !(await pgReachable())) {
    console.log(`\n## postgres: skipped, ${pgAdminUrl} is not reachable (set PRAXIS_TEST_PG_URL)`);
    continue;
  }
  await benchDialect(d);
  // what FULL (the default) costs against NORMAL in acknowledged writes
  if (d === 'sqlite') await (await import('./bench-sqlite-sync.ts')).benchSqliteSynchronous(pct, fmt);
}
