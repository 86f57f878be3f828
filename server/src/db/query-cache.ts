import { type Compilable, type CompiledQuery, createQueryId, type KyselyPlugin } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Executor } from './database.ts';

/*
 * Compiled queries by shape. A list builds the same few query shapes again and again (the filters set, the sort), and
 * Kysely's building and compiling cost a list request about as much as its statements on a small page. A cached query
 * is built and compiled once per shape and database; later calls only put their values in the compiled statement's
 * parameters and run it.
 *
 * How: the query is built once with a placeholder in place of each value of `params`; compiling it shows where each
 * placeholder landed among the statement's parameters. A placeholder that did not land there as a parameter of its own
 * (a value the build branched on, inlined, or wrapped, such as `%${needle}%`) fails the first call loudly. What changes
 * the SQL text goes in `shape` (part of the key); the build must use nothing but its arguments (a module-level function,
 * no closure over request data). A call with a null, undefined or array value is built the ordinary way (Kysely writes
 * `is null` and `in (?, ?)` from the value itself). Under vitest every cached call is also built the ordinary way and
 * must compile to the same SQL and parameters.
 */

/** What shapes a query's SQL text: flags and choices, never user values (they are part of the cache key). */
export type Shape = Record<string, string | number | boolean | undefined>;
/** The values a query binds: each lands in one parameter. */
export type Params = Record<string, string | number | boolean | bigint | null | undefined>;

class Slot {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

interface Entry {
  sql: string;
  query: CompiledQuery['query'];
  /** per parameter: the name of the value that goes there, or the constant the build wrote */
  parts: ({ slot: string } | { constant: unknown })[];
}

/** Shapes per database: its adapter (one per Kysely instance, shared by its transactions) and its plugins. */
const caches = new WeakMap<object, { plugins: readonly KyselyPlugin[]; entries: LRUCache<string, Entry> }[]>();

/** Off, every query is built the ordinary way (`npm run bench` compares the lists with the cache off and on). */
export const queryCacheSettings = { enabled: true };

/** How many shapes compiled so far (tests check that a second call does not compile again). */
export const queryCacheStats = { compiled: 0, hits: 0 };

const verifying = process.env.VITEST !== undefined;

function entriesOf(db: Executor): LRUCache<string, Entry> {
  const executor = db.getExecutor();
  let perAdapter = caches.get(executor.adapter);
  if (!perAdapter) {
    perAdapter = [];
    caches.set(executor.adapter, perAdapter);
  }
  const plugins = executor.plugins;
  let found = perAdapter.find((c) => c.plugins.length === plugins.length && c.plugins.every((p, i) => p === plugins[i]));
  if (!found) {
    found = { plugins: [...plugins], entries: new LRUCache({ max: 500 }) };
    perAdapter.push(found);
  }
  return found.entries;
}

function compileEntry(name: string, compiled: CompiledQuery, slots: Map<string, Slot>): Entry {
  const seen = new Set<string>();
  const parts = compiled.parameters.map((value) => {
    if (value instanceof Slot) {
      seen.add(value.name);
      return { slot: value.name };
    }
    return { constant: value };
  });
  const lost = [...slots.keys()].filter((k) => !seen.has(k));
  if (lost.length) {
    throw new Error(
      `Cached query ${name}: ${lost.join(', ')} did not become a parameter of its own (put what changes the SQL in the shape, or do not cache this query)`,
    );
  }
  return { sql: compiled.sql, query: compiled.query, parts };
}

const cacheable = (params: Params) => Object.values(params).every((v) => v !== null && v !== undefined);

/**
 * A query compiled once per shape: `build(db, shape, params)` must return the same query for the same shape whatever
 * the values in `params`, and bind each value of `params` as a parameter.
 */
export function cachedQuery<S extends Shape, P extends Params, O>(
  name: string,
  build: (db: Executor, shape: S, params: P) => Compilable<O>,
) {
  function compiledFor(db: Executor, shape: S, params: P, options: { cache?: boolean } = {}): CompiledQuery<O> {
    if (options.cache === false || !queryCacheSettings.enabled || !cacheable(params)) return build(db, shape, params).compile();
    const entries = entriesOf(db);
    const key = `${name}\u0000${JSON.stringify(shape)}`;
    let entry = entries.get(key);
    if (entry) queryCacheStats.hits += 1;
    else {
      const slots = new Map(Object.keys(params).map((k) => [k, new Slot(k)]));
      const placeholders = Object.fromEntries(slots) as unknown as P;
      entry = compileEntry(name, build(db, shape, placeholders).compile(), slots);
      entries.set(key, entry);
      queryCacheStats.compiled += 1;
    }
    const compiled: CompiledQuery<O> = {
      sql: entry.sql,
      query: entry.query,
      parameters: entry.parts.map((p) => ('slot' in p ? params[p.slot] : p.constant)),
      queryId: createQueryId(),
    };
    if (verifying) {
      const plain = build(db, shape, params).compile();
      if (plain.sql !== compiled.sql || JSON.stringify(plain.parameters) !== JSON.stringify(compiled.parameters)) {
        throw new Error(
          `Cached query ${name} differs from the query built for these values: ${compiled.sql} ${JSON.stringify(compiled.parameters)} ≠ ${plain.sql} ${JSON.stringify(plain.parameters)}`,
        );
      }
    }
    return compiled;
  }
  return {
    name,
    /** The statement for these values (compiled from the cache). */
    compile: compiledFor,
    /** Runs the query; `cache: false` builds it the ordinary way (a value the build wraps, such as a search term). */
    async execute(db: Executor, shape: S, params: P, options: { cache?: boolean } = {}): Promise<O[]> {
      return (await db.executeQuery(compiledFor(db, shape, params, options))).rows;
    },
  };
}

/**
 * A list's filter object as a shape and values, for a build that reads the filter as before (`filterOf`): booleans and
 * the keys in `branches` (values the build branches on, such as a sort) go in the shape as they are; every other given
 * value is bound; absent and empty values are left out, so the build sees them absent. `cache` is false when one of
 * `wrapped` is given (a value the build does not bind as it is, such as a search term it turns into a pattern).
 */
export function splitFilter<F extends object>(
  f: F,
  options: { branches?: readonly string[]; wrapped?: readonly string[] } = {},
): { shape: Shape; values: Params; cache: boolean } {
  const shape: Shape = {};
  const values: Params = {};
  let cache = true;
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'boolean' || options.branches?.includes(k)) shape[k] = v as Shape[string];
    else values[k] = v as Params[string];
    if (options.wrapped?.includes(k)) cache = false;
  }
  shape['~given'] = Object.keys(values).sort().join(',');
  return { shape, values, cache };
}

/** The filter object again from splitFilter's shape and values (placeholders in the values while compiling). */
export function filterOf<F>(shape: Shape, values: Params): F {
  const { '~given': _given, ...branches } = shape;
  return { ...branches, ...values } as F;
}
