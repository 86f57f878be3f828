import { sql, type ColumnDataType, type Expression, type RawBuilder } from 'kysely';
import type { DialectName } from '../config.ts';

/**
 * The one place where column types differ between dialects (migrations only).
 * Timestamps: UTC ISO text on SQLite, timestamptz on PostgreSQL; both read back as ISO strings (see dialects/postgres.ts).
 * Booleans: integer 0/1 on SQLite, boolean on PostgreSQL; repositories normalise with `toBool`.
 * JSON: text on both, parsed in repositories.
 */
export function columnTypes(dialect: DialectName) {
  return {
    id: 'text' as ColumnDataType,
    text: 'text' as ColumnDataType,
    integer: 'integer' as ColumnDataType,
    bigint: (dialect === 'postgres' ? 'bigint' : 'integer') as ColumnDataType,
    timestamp: (dialect === 'postgres' ? 'timestamptz' : 'text') as ColumnDataType,
    /** calendar date 'YYYY-MM-DD', stored as text on both dialects so that no time zone can shift it */
    date: 'text' as ColumnDataType,
    boolean: (dialect === 'postgres' ? 'boolean' : 'integer') as ColumnDataType,
    json: 'text' as ColumnDataType,
    numeric: (dialect === 'postgres' ? 'numeric' : 'real') as ColumnDataType,
  };
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** Case-insensitive "contains" that behaves the same on both dialects. */
export function containsInsensitive(column: Expression<unknown>, needle: string): RawBuilder<boolean> {
  return likeInsensitive(column, containsPattern(needle));
}

/** The LIKE pattern of containsInsensitive: a value of its own, for a cached query (db/query-cache.ts) to bind. */
export function containsPattern(needle: string): string {
  return `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column` matches a pattern from containsPattern, ignoring case. */
export function likeInsensitive(column: Expression<unknown>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) like ${pattern} escape '\\'`;
}
