import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';

// Normalise at the one boundary where values leave the driver: timestamps as UTC ISO strings (as on SQLite),
// int8 (count(*)) as numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createPostgresDialect(connectionString: string, max = 10): Dialect {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection that the server ends (a restart, a fail-over, an administrator terminating it) is discarded by
  // the pool and replaced on the next query. Without a listener, pg re-throws the error and the process would exit.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`, { code: 'PRAXIS_PG_IDLE_ERROR' });
  });
  return new PostgresDialect({ pool });
}
