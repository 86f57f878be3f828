/**
 * Bench section "writes": what the audit trail lets writers do.
 * - asset creates only (no reads), c=10 over a real socket (autocannon in a worker thread), BENCH_WRITES_SECONDS each
 *   (10 by default): req/s, p50/p95/p99, statements per create (in its transaction, and the sealing of its audit entry
 *   after the commit on PostgreSQL, alone and shared under load: audit-seal.ts), and whether the trail still verifies
 *   without a gap;
 * - a spreadsheet import of BENCH_IMPORT_ROWS new assets (10,000 by default, follows BENCH_SCALE) through the import
 *   itself (CSV read, plan, one transaction with an audit entry and the hand-offs per row), timed end to end.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { verifyAuditChain } from '../server/src/audit/audit.service.ts';
import { importAssets } from '../server/src/processes/asset-management/asset.import.ts';
import { buildScope, type TestContext } from '../server/src/test/harness.ts';
import type { LoadResult, LoadSpec } from './bench-load.worker.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SECONDS = Number(process.env.BENCH_WRITES_SECONDS ?? 10);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? Math.max(20, Math.round(10_000 * SCALE)));

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench-load.worker.ts', import.meta.url), { workerData: spec });
    worker.once('message', (m: LoadResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const levels = ['normal', 'high', 'normal', 'normal', 'high'] as const;

/** A CSV of `rows` new assets: every 50th has a very high protection need (its hand-off to risk assessment runs). */
export function importCsv(rows: number): Buffer {
  const lines = ['Name,Type,Confidentiality,Integrity,Availability,Tags'];
  for (let i = 0; i < rows; i++) {
    const c = i % 50 === 0 ? 'very_high' : levels[i % levels.length]!;
    lines.push(`Imported asset ${i},system,${c},${levels[(i + 1) % levels.length]},normal,import;batch-${i % 20}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

export async function benchWrites(t: TestContext, pct: (s: number[], p: number) => number) {
  const { scope, manager } = await buildScope(t.deps, { name: 'Bench writes' });
  const url = `/api/scopes/${scope.id}/assets`;
  const body = JSON.stringify({ name: 'Bench asset', type: 'system' });
  const jsonHeaders = { ...manager.headers, 'content-type': 'application/json' };
  const counter = t.db.database.queryCounter;
  for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url, headers: jsonHeaders, payload: body }); // warm
  const before = counter.count;
  const sealingBefore = counter.afterCommit;
  const res = await t.app.inject({ method: 'POST', url, headers: jsonHeaders, payload: body });
  if (res.statusCode !== 201) throw new Error(`asset create → ${res.statusCode} ${res.body}`);
  const statements = counter.count - before;
  const sealing = counter.afterCommit - sealingBefore;

  const address = t.app.server.listening ? t.app.server.address() : null;
  const origin =
    address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : await t.app.listen({ port: 0, host: '127.0.0.1' });
  const connections = 10;
  const loadSealingBefore = counter.afterCommit;
  const r = await load({
    url: origin,
    connections,
    duration: SECONDS,
    headers: manager.headers,
    requests: [{ method: 'POST', path: url, body, headers: { 'content-type': 'application/json' } }],
  });
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const sealingUnderLoad = (counter.afterCommit - loadSealingBefore) / Math.max(1, r.latencies.length);
  const trail = await verifyAuditChain(t.deps.db);
  console.log(`\n### ${t.dialect}: asset creates only, c=${connections}, ${SECONDS} s, over a real socket`);
  console.log(
    '| writes | req/s | p50 | p95 | p99 | errors | non-2xx | statements per create (with begin, commit) | + sealing alone / under load | trail |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| asset create | ${(r.latencies.length / SECONDS).toFixed(0)} | ${pct(sorted, 50).toFixed(1)} ms | ${pct(sorted, 95).toFixed(1)} ms | ${pct(sorted, 99).toFixed(1)} ms | ${r.errors} | ${r.non2xx} | ${statements} | ${sealing} / ${sealingUnderLoad.toFixed(1)} | ${trail.ok ? `verifies, ${trail.entries} entries` : `BROKEN: ${trail.problem}`} |`,
  );

  const content = importCsv(IMPORT_ROWS);
  const entriesBefore = trail.entries;
  const started = performance.now();
  const report = await importAssets(t.deps, manager.actor, scope.id, { fileName: 'assets.csv', content, mapping: null, dryRun: false });
  const seconds = (performance.now() - started) / 1000;
  if (!report.applied || report.summary.created !== IMPORT_ROWS) throw new Error(`the import created ${report.summary.created} assets`);
  const after = await verifyAuditChain(t.deps.db);
  console.log(`\n### ${t.dialect}: spreadsheet import of ${IMPORT_ROWS} new assets (CSV, one transaction)`);
  console.log('| import | seconds | rows/s | audit entries added | trail |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${IMPORT_ROWS} rows | ${seconds.toFixed(2)} | ${(IMPORT_ROWS / seconds).toFixed(0)} | ${after.entries - entriesBefore} | ${after.ok ? 'verifies' : `BROKEN: ${after.problem}`} |`,
  );
}
