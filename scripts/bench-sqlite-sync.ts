/**
 * Bench section: what SQLite's synchronous setting (PRAXIS_SQLITE_SYNCHRONOUS) costs in writes. The same acknowledged
 * writes — an asset created through the API (its row, its reference counter, its signed audit entry, one transaction) —
 * on a fresh database in WAL mode with NORMAL (syncs at WAL checkpoints: a power loss may lose the last commits) and
 * with FULL (the default: syncs the WAL at every commit), one writer at a time and ten at once, plus bare single-row
 * transactions without HTTP. BENCH_SYNC_WRITES writes per run (default 400, follows BENCH_SCALE). The numbers depend on
 * the disk: run it where Praxis runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createDeps } from '../server/src/deps.ts';
import { buildScope } from '../server/src/test/harness.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const WRITES = Number(process.env.BENCH_SYNC_WRITES ?? Math.max(20, Math.round(400 * SCALE)));

type Pct = (samples: number[], p: number) => number;

async function measureMode(mode: 'NORMAL' | 'FULL', pct: Pct) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `praxis-bench-sync-${mode.toLowerCase()}-`));
  const config = loadConfig({ PRAXIS_DATA_DIR: dir, PRAXIS_SQLITE_SYNCHRONOUS: mode });
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, 'sqlite');
    const deps = createDeps(config, database);
    const app = await buildApp(deps);
    const { scope, manager } = await buildScope(deps);
    const create = async (i: number) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/assets`,
        headers: manager.headers,
        payload: { name: `Bench asset ${i}`, type: 'system' },
      });
      if (res.statusCode !== 201) throw new Error(`asset → ${res.statusCode} ${res.body}`);
    };
    await create(-1); // warm up

    const serial: number[] = [];
    const serialStart = performance.now();
    for (let i = 0; i < WRITES; i++) {
      const begin = performance.now();
      await create(i);
      serial.push(performance.now() - begin);
    }
    const serialSeconds = (performance.now() - serialStart) / 1000;

    const parallelStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < WRITES) await create(WRITES + next++);
      }),
    );
    const parallelSeconds = (performance.now() - parallelStart) / 1000;

    await sql`create table bench_sync (id integer primary key, v text)`.execute(database.db);
    const bareStart = performance.now();
    for (let i = 0; i < WRITES; i++) {
      await database.db.transaction().execute((tx) => sql`insert into bench_sync (v) values (${`row ${i}`})`.execute(tx));
    }
    const bareSeconds = (performance.now() - bareStart) / 1000;
    await app.close();
    return {
      mode,
      serialRate: WRITES / serialSeconds,
      p50: pct(serial, 50),
      p95: pct(serial, 95),
      parallelRate: WRITES / parallelSeconds,
      bareRate: WRITES / bareSeconds,
    };
  } finally {
    await database.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSqliteSynchronous(pct: Pct, fmt: (ms: number) => string): Promise<void> {
  console.log(`\n### sqlite: synchronous NORMAL vs FULL (WAL), ${WRITES} acknowledged writes each`);
  console.log('| synchronous | API writes/s, one writer | p50 | p95 | API writes/s, ten writers | bare transactions/s |');
  console.log('|---|---|---|---|---|---|');
  const results = [];
  for (const mode of ['NORMAL', 'FULL'] as const) {
    const r = await measureMode(mode, pct);
    results.push(r);
    console.log(
      `| ${r.mode}${r.mode === 'FULL' ? ' (default)' : ''} | ${r.serialRate.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.parallelRate.toFixed(0)} | ${r.bareRate.toFixed(0)} |`,
    );
  }
  const [normal, full] = results;
  if (normal && full) {
    console.log(
      `FULL costs ${(100 * (1 - full.serialRate / normal.serialRate)).toFixed(0)} % of the API write rate with one writer, ${(100 * (1 - full.parallelRate / normal.parallelRate)).toFixed(0)} % with ten, ${(100 * (1 - full.bareRate / normal.bareRate)).toFixed(0)} % of bare commits`,
    );
  }
}
