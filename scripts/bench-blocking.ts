/**
 * Bench section "blocking" (issue #13, "nothing blocks"): the latency of other requests while the risk register's CSV
 * export (every risk of the scope the risks section filled, 50,000 by default) runs, over a real socket. Two autocannon
 * loads in worker threads, a few connections each, probe GET /api/health and a risk list page for
 * BENCH_BLOCKING_SECONDS (15 by default) while exports run back to back on the same server; reported: p50/p95/p99 of
 * each probe and how many exports finished in how long, against the goal of a p95 under 250 ms.
 *
 * On SQLite three runs: no export (the probes alone), the export's batches on the main connection (as before the read
 * pool: `longReads` answers with the main connection) and in the read pool's worker threads (db/long-reads.ts). On
 * PostgreSQL the export runs on the pg pool as always: no export, with export.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { registerLongReads } from '../server/src/db/long-reads.ts';
import type { TestContext } from '../server/src/test/harness.ts';
import type { LoadResult, LoadSpec } from './bench-load.worker.ts';

const SECONDS = Number(process.env.BENCH_BLOCKING_SECONDS ?? 15);
const CONNECTIONS = 2;
const GOAL_MS = 250;

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

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const cells = (r: LoadResult) =>
  `${ms(pct(r.latencies, 50))} | ${ms(pct(r.latencies, 95))} | ${ms(pct(r.latencies, 99))} | ${ms(Math.max(...r.latencies))}`;

/** How long the server takes to answer GET /api/health and a risk list page while `work` runs over and over. */
async function probe(origin: string, headers: Record<string, string>, scopeId: string, work: (() => Promise<void>) | null) {
  const spec = (path: string): LoadSpec => ({
    url: origin,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [{ method: 'GET', path }],
  });
  let done = false;
  const durations: number[] = [];
  const loads = Promise.all([load(spec('/api/health')), load(spec(`/api/scopes/${scopeId}/risks?pageSize=25`))]).finally(() => {
    done = true;
  });
  const running = (async () => {
    while (work && !done) {
      const started = performance.now();
      await work();
      durations.push(performance.now() - started);
    }
  })();
  const [health, list] = await loads;
  await running;
  return { health, list, durations };
}

export async function benchBlocking(t: TestContext, scopeId: string, headers: Record<string, string>) {
  const address = t.app.server.address();
  const origin =
    t.app.server.listening && address && typeof address === 'object'
      ? `http://127.0.0.1:${address.port}`
      : await t.app.listen({ port: 0, host: '127.0.0.1' });
  let rows = 0;
  const exportCsv = async () => {
    const res = await fetch(`${origin}/api/scopes/${scopeId}/risks.csv`, { headers });
    if (res.status !== 200) throw new Error(`risks.csv → ${res.status} ${await res.text()}`);
    const body = await res.text();
    rows = body.split('\n').length - 2; // header line, last line break
  };
  const database = t.db.database;
  const runs: [string, (() => Promise<void>) | null, () => void][] = [[`no export`, null, () => {}]];
  if (t.dialect === 'sqlite') {
    runs.push(
      ['risk CSV export, batches on the main connection (before)', exportCsv, () => registerLongReads(database.db, database.db)],
      ['risk CSV export, batches in the read pool (after)', exportCsv, () => registerLongReads(database.db, database.reads)],
    );
  } else runs.push(['risk CSV export (pg pool)', exportCsv, () => {}]);

  console.log(
    `\n### ${t.dialect}: other requests while the risk CSV export runs (${SECONDS} s per run, ${CONNECTIONS} connections per probe, over a socket; goal p95 < ${GOAL_MS} ms)`,
  );
  console.log('| while | probe | p50 | p95 | p99 | max | requests | exports (rows, mean time) |');
  console.log('|---|---|---|---|---|---|---|---|');
  try {
    for (const [label, work, setup] of runs) {
      setup();
      const r = await probe(origin, headers, scopeId, work);
      const exports = r.durations.length
        ? `${r.durations.length} × ${rows} rows, ${(r.durations.reduce((a, b) => a + b, 0) / r.durations.length / 1000).toFixed(1)} s`
        : '—';
      console.log(`| ${label} | GET /api/health | ${cells(r.health)} | ${r.health.latencies.length} | ${exports} |`);
      console.log(`| ${label} | GET risks page 25 | ${cells(r.list)} | ${r.list.latencies.length} | |`);
    }
  } finally {
    registerLongReads(database.db, database.reads);
  }
}
