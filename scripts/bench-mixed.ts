/**
 * Mixed load over a real socket: 90 % reads over the list endpoints and 10 % writes (asset creates), driven by
 * autocannon in a worker thread, against Praxis and, in the same run, against a bare Fastify that replays the identical
 * statements on the bare driver (node:sqlite / pg). Reports req/s, p50/p95/p99 and the ratios Praxis / bare.
 *
 * The bare side's statements are recorded from Praxis itself (one request per endpoint, the actor cache warm, so that
 * they are the request's own statements). Its writes replay the recorded create in a transaction that is rolled back
 * (the recorded ids would collide on commit), so it pays for the statements and the locks, not for the commit.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { TestContext } from '../server/src/test/harness.ts';
import type { LoadResult, LoadSpec } from './bench-load.worker.ts';

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 10);

type Recorded = { sql: string; params: unknown[] };

/** Records the statements the driver runs while `fn` runs (both dialects, below Kysely). */
async function record(dialect: string, fn: () => Promise<unknown>): Promise<Recorded[]> {
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

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;
}

function summary(r: LoadResult) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    rps: r.latencies.length / SECONDS,
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
    const m = /^\s*insert into "(\w+)" \(([^)]*)\)/i.exec(r.sql);
    if (!m) continue;
    const columns = m[2]!.split(',').map((c) => c.trim().replace(/"/g, ''));
    columns.forEach((c, i) => {
      const v = r.params[i];
      fresh += 1;
      if (c === 'id' && typeof v === 'string') replace.set(v, randomUUID());
      else if (c === 'reference' && typeof v === 'string') replace.set(v, `BENCH-${process.pid}-${fresh}`);
      else if (c === 'seq' && typeof v === 'number') replace.set(v, 1_000_000_000 + fresh);
    });
  }
  return write.map((r) => ({ sql: r.sql, params: r.params.map((v) => (replace.has(v) ? replace.get(v) : v)) }));
}

/** The bare side: a Fastify that replays recorded statements on the bare driver. */
async function bareServer(t: TestContext, reads: Recorded[][], write: Recorded[]) {
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
    app.post('/w', async (_req, reply) => {
      raw.exec('begin immediate');
      try {
        for (const r of freshWrite(write)) run(r);
      } finally {
        raw.exec('rollback');
      }
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
    app.post('/w', async (_req, reply) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        for (const r of freshWrite(write)) await c.query(r.sql, r.params);
      } finally {
        await c.query('rollback');
        c.release();
      }
      return reply.status(201).send({ ok: true });
    });
    app.addHook('onClose', async () => pool.end());
  }
  return app;
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

  // the prioritised page's plan at this size
  const page = recordedReads[0]!.find((r) => /order by "risk"\."priority_rank"/i.test(r.sql));
  if (!page) throw new Error('the prioritised page statement was not recorded');
  const plan = await t.deps.db.executeQuery(
    CompiledQuery.raw(`${t.dialect === 'sqlite' ? 'explain query plan' : 'explain'} ${page.sql}`, [...page.params]),
  );
  console.log(`\n### ${t.dialect}: the prioritised risk page's plan`);
  console.log('```');
  for (const row of plan.rows as Record<string, unknown>[]) console.log(String(row.detail ?? row['QUERY PLAN']));
  console.log('```');

  const connections = t.dialect === 'sqlite' ? 50 : 200;
  const praxisOrigin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const bare = await bareServer(t, recordedReads, write);
  const bareOrigin = await bare.listen({ port: 0, host: '127.0.0.1' });
  // every replayed request answers 2xx before any load is measured
  for (const [method, url] of [...reads.map((_, i) => ['GET', `/r/${i}`] as const), ['POST', '/w'] as const]) {
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
    const rows: Record<string, ReturnType<typeof summary>> = {};
    for (const [name, spec] of [
      ['Praxis', { url: praxisOrigin, connections, duration: SECONDS, headers, requests: mix((i) => reads[i]!, `${s}/assets`) }],
      [
        'bare Fastify + bare driver',
        { url: bareOrigin, connections, duration: SECONDS, headers: {}, requests: mix((i) => `/r/${i}`, '/w') },
      ],
    ] as const) {
      const r = summary(await load(spec as LoadSpec));
      rows[name] = r;
      console.log(
        `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.non2xx} |`,
      );
    }
    const p = rows.Praxis!;
    const b = rows['bare Fastify + bare driver']!;
    console.log(
      `| ratio Praxis / bare | ${(p.rps / b.rps).toFixed(2)} | ${(p.p50 / b.p50).toFixed(2)} | ${(p.p95 / b.p95).toFixed(2)} | ${(p.p99 / b.p99).toFixed(2)} | | |`,
    );
  } finally {
    await bare.close();
  }
}
