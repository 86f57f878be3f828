import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';

// Normalise at the one boundary where values leave the driver: timestamps as UTC ISO strings (as on SQLite),
// int8 (count(*)) as numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createPostgresDialect(connectionString: string, max = 10): Dialect {
  return new PostgresDialect({ pool: new pg.Pool({ connectionString, max }) });
}
