/**
 * Mixed load over a real socket: 90 % reads over the list endpoints and 10 % writes (asset creates), driven by
 * autocannon in a worker thread, against Praxis and, in the same run, against a bare Fastify that replays the identical
 * statements on the bare driver (node:sqlite / pg). Reports req/s, p50/p95/p99 and the ratios Praxis / bare.
 *
 * The bare side's statements are recorded from Praxis itself (one request per endpoint, the actor cache warm, so that
 * they are the request's own statements). Its writes replay the recorded create with fresh ids, references and audit
 * numbers (negative, below the chain's end), in a transaction that is rolled back (as before: the statements and the locks,
 * not the commit) and, in a third run, committed like Praxis's (on SQLite a commit waits for the disk on the main thread).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { TestContext } from '../server/src/test/harness.ts';
import type { LoadResult, LoadSpec } from './bench-load.worker.ts';

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 10);

export type Recorded = { sql: string; params: unknown[] };

/** Records the statements the driver runs while `fn` runs (both dialects, below Kysely). */
export async function record(dialect: string, fn: () => Promise<unknown>): Promise<Recorded[]> {
  const out: Recorded[] = [];
  if (dialect === 'postgres') {
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const [text, values] = args;
      if (typeof text === 'string') out.push({ sql: text, params: (values as unknown[]) ?? [] });
      else if (text && typeof text === 'object' && 'text' in text)
        out.push({ sql: (text as { text: string }).text, params: (text as { values?: unknown[] }).values ?? [] });
      return original.apply(this, args);
    };
    try {
      await fn();
    } finally {
      proto.query = original;
    }
    return out;
  }
  const proto = StatementSync.prototype as unknown as Record<'all' | 'run', (...args: unknown[]) => unknown>;
  const originals = { all: proto.all, run: proto.run };
  for (const name of ['all', 'run'] as const) {
    proto[name] = function (this: StatementSync, ...args: unknown[]) {
      out.push({ sql: this.sourceSQL, params: args });
      return originals[name].apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    proto.all = originals.all;
    proto.run = originals.run;
  }
  return out;
}

const isTransactionControl = (s: string) => /^\s*(begin|commit|rollback)\b/i.test(s);

export function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench-load.worker.ts', import.meta.url), { workerData: spec });
    worker.once('message', (m: LoadResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;
}

export function summary(r: LoadResult, seconds = SECONDS) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    rps: r.latencies.length / seconds,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

let fresh = 0;

/**
 * The recorded create with what must be unique made new (the ids, the reference and the audit sequence number that
 * its inserts wrote), so that replaying it does not collide with the row Praxis committed while it was recorded.
 */
function freshWrite(write: Recorded[]): Recorded[] {
  const replace = new Map<unknown, unknown>();
  for (const r of write) {
    // the record's insert, also after a CTE (a reference taken in the same statement: shared/references.ts); its
    // values' parameters come after the CTE's
    const m = /insert into "(\w+)" \(([^)]*)\)/i.exec(r.sql);
    if (!m) continue;
    const offset = r.sql.slice(0, m.index).match(/\$\d+/g)?.length ?? 0;
    const columns = m[2]!.split(',').map((c) => c.trim().replace(/"/g, ''));
    columns.forEach((c, i) => {
      const v = r.params[offset + i];
      fresh += 1;
      if (c === 'id' && typeof v === 'string') replace.set(v, randomUUID());
      else if (c === 'reference' && typeof v === 'string') replace.set(v, `BENCH-${process.pid}-${fresh}`);
      // below every real number, so that Praxis's next entry (the chain's end + 1) never meets a replayed one
      else if (c === 'seq' && typeof v === 'number') replace.set(v, -fresh);
    });
  }
  return write.map((r) => ({ sql: r.sql, params: r.params.map((v) => (replace.has(v) ? replace.get(v) : v)) }));
}

/** Praxis's origin over a real socket (listening once, for every section that loads it). */
export async function originOf(t: TestContext): Promise<string> {
  const address = t.app.server.address();
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

/** The bare side: a Fastify that replays recorded statements on the bare driver. */
export async function bareServer(t: TestContext, reads: Recorded[][], write: Recorded[]) {
  const app = Fastify();
  if (t.dialect === 'sqlite') {
    const raw = new DatabaseSync(`${t.db.config.dataDir}/praxis.sqlite`);
    raw.exec('pragma busy_timeout = 10000');
    const statements = new Map<string, StatementSync>();
    const stmt = (s: string) => {
      let st = statements.get(s);
      if (!st) {
        st = raw.prepare(s);
        statements.set(s, st);
      }
      return st;
    };
    const run = (r: Recorded) => {
      const st = stmt(r.sql);
      return st.columns().length > 0 ? st.all(...(r.params as never[])) : st.run(...(r.params as never[]));
    };
    app.get('/r/:i', async (req) => reads[Number((req.params as { i: string }).i)]!.map(run));
    app.post('/w/:end', async (req, reply) => {
      const end = (req.params as { end: string }).end === 'commit' ? 'commit' : 'rollback';
      raw.exec('begin immediate');
      try {
        for (const r of freshWrite(write)) run(r);
      } catch (err) {
        raw.exec('rollback');
        throw err;
      }
      raw.exec(end);
      return reply.status(201).send({ ok: true });
    });
    app.addHook('onClose', async () => raw.close());
  } else {
    const pool = new pg.Pool({ connectionString: t.db.config.databaseUrl, max: 10 });
    app.get('/r/:i', async (req) => {
      const out = [];
      for (const r of reads[Number((req.params as { i: string }).i)]!) out.push((await pool.query(r.sql, r.params)).rows);
      return out;
    });
    app.post('/w/:end', async (req, reply) => {
      const end = (req.params as { end: string }).end === 'commit' ? 'commit' : 'rollback';
      const c = await pool.connect();
      try {
        await c.query('begin');
        for (const r of freshWrite(write)) await c.query(r.sql, r.params);
        await c.query(end);
      } catch (err) {
        await c.query('rollback');
        throw err;
      } finally {
        c.release();
      }
      return reply.status(201).send({ ok: true });
    });
    app.addHook('onClose', async () => pool.end());
  }
  return app;
}

/**
 * What each recorded statement of the reads costs at this dataset, run alone: on PostgreSQL its `explain analyze`
 * execution time and whether its plan has a sequential scan or a sort; on SQLite the median of 20 runs on the bare driver
 * and whether its plan scans a table without an index or sorts in a temporary B-tree.
 */
async function statementCosts(t: TestContext, reads: string[], recorded: Recorded[][]) {
  console.log(`\n### ${t.dialect}: the statements of the mixed reads, each run alone`);
  console.log('| read | statement | time | plan |');
  console.log('|---|---|---|---|');
  for (const [i, statements] of recorded.entries()) {
    for (const r of statements) {
      if (!/^\s*select/i.test(r.sql)) continue;
      const what = (/ from ("?\w+"?(?: as "?\w+"?)?)/i.exec(r.sql)?.[1] ?? '').replace(/"/g, '');
      const kind = /^select count\(\*\)/i.test(r.sql) ? 'count' : /\blimit\b/i.test(r.sql) ? 'page' : 'lookup';
      let ms: number;
      let plan: string;
      if (t.dialect === 'postgres') {
        const res = await t.deps.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain analyze ${r.sql}`, [...r.params]));
        const lines = res.rows.map((row) => row['QUERY PLAN']);
        ms = Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? Number.NaN);
        plan = lines.join('\n');
      } else {
        const res = await t.deps.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${r.sql}`, [...r.params]));
        plan = res.rows.map((row) => row.detail).join('\n');
        const samples: number[] = [];
        for (let k = 0; k < 20; k++) {
          const started = performance.now();
          await t.deps.db.executeQuery(CompiledQuery.raw(r.sql, [...r.params]));
          samples.push(performance.now() - started);
        }
        ms = samples.sort((a, b) => a - b)[10]!;
      }
      const faults = plan
        .split('\n')
        .filter((l) => /Seq Scan|\bSort\b(?! Key)|USE TEMP B-TREE|^\s*SCAN \w+$/.test(l) && !/Sort Key/.test(l))
        .map((l) => l.trim().replace(/\s+\(cost.*$/, ''));
      console.log(
        `| ${reads[i]!.replace(/^.*\/scopes\/[^/]+\//, '')} | ${kind} ${what} | ${ms.toFixed(2)} ms | ${faults.join('; ') || 'index'} |`,
      );
    }
  }
}

export async function benchMixed(t: TestContext, scopeId: string, headers: Record<string, string>) {
  const s = `/api/scopes/${scopeId}`;
  const reads = [
    `${s}/risks?pageSize=25`,
    `${s}/risks?pageSize=25&level=high`,
    `${s}/risks?pageSize=25&sort=updatedAt`,
    `${s}/risks?pageSize=25&page=40`,
    `${s}/assets?pageSize=25&sort=name`,
    `${s}/assets?pageSize=25&type=system&sort=updatedAt&order=desc`,
    `${s}/controls?pageSize=25`,
    `${s}/tasks?pageSize=25`,
    `${s}/audit?pageSize=25`,
  ];
  const createBody = JSON.stringify({ name: 'Bench asset', type: 'system' });
  const jsonHeaders = { 'content-type': 'application/json' };

  // the statements of each request, with the actor cache warm
  const recordedReads: Recorded[][] = [];
  for (const url of reads) {
    const warm = await t.app.inject({ method: 'GET', url, headers });
    if (warm.statusCode !== 200) throw new Error(`${url} → ${warm.statusCode} ${warm.body}`);
    recordedReads.push(await record(t.dialect, () => t.app.inject({ method: 'GET', url, headers })));
  }
  const writeRecorded = await record(t.dialect, async () => {
    const res = await t.app.inject({ method: 'POST', url: `${s}/assets`, headers: { ...headers, ...jsonHeaders }, payload: createBody });
    if (res.statusCode !== 201) throw new Error(`asset create → ${res.statusCode} ${res.body}`);
  });
  const write = writeRecorded.filter((r) => !isTransactionControl(r.sql));

  await statementCosts(t, reads, recordedReads);

  const connections = t.dialect === 'sqlite' ? 50 : 200;
  const praxisOrigin = await originOf(t);
  const bare = await bareServer(t, recordedReads, write);
  const bareOrigin = await bare.listen({ port: 0, host: '127.0.0.1' });
  // every replayed request answers 2xx before any load is measured
  for (const [method, url] of [...reads.map((_, i) => ['GET', `/r/${i}`] as const), ['POST', '/w/rollback'] as const]) {
    const res = await bare.inject({ method, url });
    if (res.statusCode >= 300) throw new Error(`bare ${method} ${url} → ${res.statusCode} ${res.body}`);
  }
  const mix = (readPath: (i: number) => string, writePath: string) => [
    ...reads.map((_, i) => ({ method: 'GET' as const, path: readPath(i) })),
    { method: 'POST' as const, path: writePath, body: createBody, headers: jsonHeaders },
  ];
  try {
    console.log(
      `\n### ${t.dialect}: mixed load, ${reads.length} reads : 1 write (asset create), c=${connections}, ${SECONDS} s each, over a real socket`,
    );
    console.log(
      `(${recordedReads.map((r) => r.length).join('/')} statements per read, ${write.length} per write; the bare side replays them)`,
    );
    console.log('| server | req/s | p50 | p95 | p99 | errors | non-2xx |');
    console.log('|---|---|---|---|---|---|---|');
    // PostgreSQL also at c=1000: many more clients than connections, the pool queues them
    for (const c of t.dialect === 'postgres' ? [connections, 1000] : [connections]) {
      const rows: Record<string, ReturnType<typeof summary>> = {};
      for (const [name, spec] of [
        [
          `Praxis c=${c}`,
          { url: praxisOrigin, connections: c, duration: SECONDS, headers, requests: mix((i) => reads[i]!, `${s}/assets`) },
        ],
        [
          `bare Fastify + bare driver c=${c}`,
          { url: bareOrigin, connections: c, duration: SECONDS, headers: {}, requests: mix((i) => `/r/${i}`, '/w/rollback') },
        ],
        // the same with its writes committed, as Praxis's are (on SQLite a commit waits for the disk on the main thread)
        ...(c === connections
          ? ([
              [
                `bare, writes committed c=${c}`,
                { url: bareOrigin, connections: c, duration: SECONDS, headers: {}, requests: mix((i) => `/r/${i}`, '/w/commit') },
              ],
            ] as const)
          : []),
      ] as const) {
        const r = summary(await load(spec as LoadSpec));
        rows[name] = r;
        console.log(
          `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.non2xx} |`,
        );
      }
      const p = rows[`Praxis c=${c}`]!;
      const b = rows[`bare Fastify + bare driver c=${c}`]!;
      console.log(
        `| ratio Praxis / bare c=${c} | ${(p.rps / b.rps).toFixed(2)} | ${(p.p50 / b.p50).toFixed(2)} | ${(p.p95 / b.p95).toFixed(2)} | ${(p.p99 / b.p99).toFixed(2)} | | |`,
      );
      const bc = rows[`bare, writes committed c=${c}`];
      if (bc)
        console.log(
          `| ratio Praxis / bare with commits c=${c} | ${(p.rps / bc.rps).toFixed(2)} | ${(p.p50 / bc.p50).toFixed(2)} | ${(p.p95 / bc.p95).toFixed(2)} | ${(p.p99 / bc.p99).toFixed(2)} | | |`,
        );
    }
  } finally {
    await bare.close();
  }
}
