import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { toSqlite } from './sqlite.ts';
import type { ReadFailure, ReadReply, ReadRequest, ReadWorkerData } from './sqlite-read.worker.ts';

/*
 * Long reads off the main thread. `node:sqlite` runs every statement on the event loop, so a long read (a 1,000-row
 * batch of a 50k-row export with its joins, a dashboard's aggregation over a whole scope) stops every other request
 * until it ends. The read pool runs such statements in worker threads, each with its own read-only connection to the
 * same database file (WAL: readers never wait for the writer, nor it for them); the main thread only posts the SQL and
 * its parameters and awaits the rows. Short queries stay on the main connection: a round trip to a worker costs more
 * than an indexed read.
 *
 * Each statement sees what was committed when it starts: never the caller's open transaction (which the main
 * connection holds), so a read that must see its own uncommitted writes must not come here (db/long-reads.ts refuses
 * to route a transaction). Workers start on the first read and stop with the database; an idle worker does not keep
 * the process alive.
 */

/** Workers in the pool: one core stays with the main thread. */
export const defaultReadWorkers = Math.max(1, Math.min(2, os.availableParallelism() - 1));

/** Worker threads started and not yet ended, over every pool (tests check that closing a database ends its own). */
const live = new Set<Worker>();
export const liveReadWorkers = (): number => live.size;
/** Statements being run by a worker right now, over every pool (tests check that other work goes on meanwhile). */
let running = 0;
export const readsInFlight = (): number => running;

interface Job {
  request: ReadRequest;
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** The error a worker's failure becomes: the driver's message and codes, with the caller's stack. */
export class SqliteReadError extends Error {
  readonly code: string | undefined;
  readonly errcode: number | undefined;
  readonly errstr: string | undefined;
  constructor(failure: ReadFailure) {
    super(failure.message);
    this.name = 'SqliteReadError';
    this.code = failure.code;
    this.errcode = failure.errcode;
    this.errstr = failure.errstr;
  }
}

export class SqliteReadPool {
  readonly #file: string;
  readonly #size: number;
  readonly #busyTimeout: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(file: string, options: { size?: number; busyTimeout?: number } = {}) {
    this.#file = file;
    this.#size = Math.max(1, options.size ?? defaultReadWorkers);
    this.#busyTimeout = options.busyTimeout ?? 10_000;
  }

  /** The running workers' thread ids (tests check that none outlives the pool). */
  get threadIds(): number[] {
    return this.#slots.map((s) => s.worker.threadId);
  }

  /** Runs one statement in a worker and resolves to its rows; a failing statement rejects with a SqliteReadError. */
  run(sql: string, parameters: ReadonlyArray<unknown>): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new Error('The database is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request: { id: this.#nextId++, sql, parameters: parameters.map(toSqlite) }, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('The database is closed'));
    await Promise.all(this.#slots.splice(0).map((slot) => this.#stop(slot)));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => !s.job) ?? (this.#slots.length < this.#size ? this.#start() : undefined);
      if (!slot) return;
      const job = this.#queue.shift() as Job;
      slot.job = job;
      running += 1;
      slot.worker.ref(); // a read under way keeps the process alive until it is answered
      slot.worker.postMessage(job.request);
    }
  }

  #start(): Slot {
    const workerData: ReadWorkerData = { file: this.#file, busyTimeout: this.#busyTimeout };
    const worker = new Worker(new URL('./sqlite-read.worker.ts', import.meta.url), { workerData });
    const slot: Slot = { worker, job: undefined };
    live.add(worker);
    worker.on('message', (reply: ReadReply) => {
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      slot.job = undefined;
      running -= 1;
      if ('error' in reply) job.reject(new SqliteReadError(reply.error));
      else job.resolve(reply.rows);
      if (!this.#queue.length) worker.unref();
      this.#dispatch();
    });
    // a worker that fails (its connection cannot open, it crashes) fails its read and leaves the pool; the next read
    // starts another
    const leave = (error: Error) => {
      const index = this.#slots.indexOf(slot);
      if (index >= 0) this.#slots.splice(index, 1);
      const job = slot.job;
      slot.job = undefined;
      if (job) running -= 1;
      job?.reject(error);
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', leave);
    worker.on('exit', (code) => {
      live.delete(worker);
      leave(new Error(`The read worker stopped (exit code ${code})`));
    });
    this.#slots.push(slot);
    return slot;
  }

  async #stop(slot: Slot): Promise<void> {
    const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
    const busy = slot.job;
    slot.job = undefined;
    if (busy) {
      running -= 1;
      // one inside a statement is stopped when the statement ends (a thread cannot be stopped inside SQLite's code)
      busy.reject(new Error('The database is closed'));
      await slot.worker.terminate();
      return;
    }
    // an idle one closes its connection and ends
    slot.worker.postMessage('close');
    const timer = setTimeout(() => void slot.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }
}

class ReadPoolConnection implements DatabaseConnection {
  readonly #pool: SqliteReadPool;
  constructor(pool: SqliteReadPool) {
    this.#pool = pool;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.#pool.run(query.sql, query.parameters)) as R[] };
  }
  // biome-ignore lint/correctness/useYield: streams are refused; keyset batches are the way to read a long result
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('The read pool does not stream: read in keyset batches');
  }
}

const noTransactions = () => Promise.reject(new Error('The read pool runs single statements, never transactions'));

class ReadPoolDriver implements Driver {
  readonly #pool: SqliteReadPool;
  constructor(pool: SqliteReadPool) {
    this.#pool = pool;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new ReadPoolConnection(this.#pool);
  }
  beginTransaction = noTransactions;
  commitTransaction = noTransactions;
  rollbackTransaction = noTransactions;
  async releaseConnection(): Promise<void> {}
  destroy(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * A Kysely dialect over a read pool: the queries of a Kysely built on it run in the pool's workers. Its `destroy`
 * stops the workers.
 */
export function createSqliteReadDialect(pool: SqliteReadPool): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReadPoolDriver(pool),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
