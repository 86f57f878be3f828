import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';

// Normalise at the one boundary where values leave the driver: timestamps as UTC ISO strings (as on SQLite),
// int8 (count(*)) as numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** A promise and its settlers (Promise.withResolvers, which the web client's type check, at ES2023, does not know). */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The `begin` a connection owes, sent with its next statement, and the promise its asker got for it. */
const owedBegin = new WeakMap<DatabaseConnection, { query: CompiledQuery; answered: Deferred<QueryResult<unknown>> }>();
/** The `begin` statements beginTransaction asks for. */
const begins = new WeakSet<CompiledQuery>();
const patched = new WeakSet<DatabaseConnection>();

/**
 * A transaction's `begin` travels with its first statement. The connections are pipelined (pg's pipeline mode sends a
 * statement without waiting for the answers of those before it; PostgreSQL still runs them one after the other, each
 * to its end): `begin` is held until the next statement on the connection (the transaction's first, or its commit or
 * rollback) and sent together with it, and that statement answers only once `begin` has answered too, so a failed
 * `begin` fails it (a `begin` fails only with its connection, which the statement behind it shares). The same holds for statements a caller sends without waiting in between (db/database.ts
 * commitBehind, audit/audit-seal.ts). `begin` is still counted as a statement (its promise answers when it does).
 */
class PipelinedPostgresDriver extends PostgresDriver {
  override async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection(options);
    if (!patched.has(connection)) {
      patched.add(connection);
      const executeQuery = connection.executeQuery.bind(connection);
      connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        if (begins.has(query)) {
          const answered = deferred<QueryResult<unknown>>();
          owedBegin.set(connection, { query, answered });
          return answered.promise as Promise<QueryResult<R>>;
        }
        const owed = owedBegin.get(connection);
        if (!owed) return executeQuery<R>(query);
        owedBegin.delete(connection);
        const begin = executeQuery(owed.query);
        const result = executeQuery<R>(query);
        try {
          owed.answered.resolve(await begin);
        } catch (e) {
          owed.answered.reject(e);
          result.catch(() => {});
          throw e;
        }
        return result;
      };
    }
    return connection;
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      text = 'start transaction';
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
    }
    const query = CompiledQuery.raw(text);
    begins.add(query);
    // not waited for: sent with the transaction's next statement, which fails when it fails
    connection.executeQuery(query).catch(() => {});
  }
}

/** What of a pg client writeTogether reaches: its socket (`connection.stream`, a net.Socket). */
type ClientSocket = { connection: { stream: { cork(): void; uncork(): void } } };

/**
 * The statements a client is given in one turn of the event loop (a `begin` and the statement it travels with, a last
 * statement and the commit sent behind it, the sealer's lock and read) leave in one write to the socket rather than one
 * each: the first corks the socket, and it is uncorked once this turn's callbacks and promise reactions have run
 * (process.nextTick). PostgreSQL then reads them together too.
 */
function writeTogether(client: pg.PoolClient): void {
  const socket = (client as unknown as ClientSocket).connection.stream;
  // the class's query, looked up at each call (a statement recorder may wrap it later: scripts/bench-mixed.ts)
  const query = (...args: unknown[]) =>
    (Object.getPrototypeOf(client) as { query: (...a: unknown[]) => unknown }).query.apply(client, args);
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return query(...args);
  };
}

class PipelinedPostgresDialect extends PostgresDialect {
  private readonly config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.config = config;
  }
  override createDriver(): Driver {
    return new PipelinedPostgresDriver(this.config);
  }
}

/** The pool of pipelined connections whose statements of one turn leave together (writeTogether). */
export function createPostgresPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, pipeline: true });
  pool.on('connect', writeTogether);
  // An idle connection that the server ends (a restart, a fail-over, an administrator terminating it) is discarded by
  // the pool and replaced on the next query. Without a listener, pg re-throws the error and the process would exit.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`, { code: 'PRAXIS_PG_IDLE_ERROR' });
  });
  return pool;
}

export function createPostgresDialect(connectionString: string, max = 10): Dialect {
  return new PipelinedPostgresDialect({ pool: createPostgresPool(connectionString, max) });
}
