import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { buildUser, createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * A property-based fuzz test over the project's own OpenAPI document (`/api/openapi.json`), on both databases: for
 * every operation, fast-check draws malformed and adversarial requests — NUL and other non-characters, huge strings,
 * wrong types, missing fields, ids of records and scopes that do not exist, bad ids, malformed JSON and broken
 * multipart bodies — sent as an installation administrator (who is no member of the scope), as lower roles
 * (contributor, viewer, employee) and without credentials. Every answer must be below 500, and a refused request (4xx)
 * must leave every table as it was (no partial write, no audit entry). Bounded: PRAXIS_FUZZ_RUNS draws per operation
 * (default 2) plus fixed examples, from a fixed seed (PRAXIS_FUZZ_SEED) so that a failure can be replayed.
 */

const RUNS = Number(process.env.PRAXIS_FUZZ_RUNS ?? 2);
// (operations that build a document get fixed cases only: see buildsDocument)
const SEED = Number(process.env.PRAXIS_FUZZ_SEED ?? 20261207);

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

interface Operation {
  method: string;
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body: JsonSchema | undefined;
}

type Mutation =
  | { kind: 'base' }
  | { kind: 'text'; text: string }
  | { kind: 'huge' }
  | { kind: 'wrongType'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'unknownScope' }
  /** every number at once the largest safe integer, every date the last day of the calendar */
  | { kind: 'extremes' }
  | { kind: 'unknownIds' }
  | { kind: 'badId'; value: string }
  | { kind: 'badBody'; raw: string; type: string }
  | { kind: 'multipart'; variant: MultipartVariant };

type MultipartVariant = 'noBoundary' | 'noClosing' | 'wrongBoundary' | 'empty' | 'cutHeader' | 'nulField' | 'nulFileName' | 'twoFiles';

interface Case {
  role: 'admin' | 'contributor' | 'viewer' | 'employee' | 'anonymous';
  mutation: Mutation;
  /** which place (a parameter or a body field) the mutation goes to, modulo the number of places */
  pick: number;
}

// ---- requests from the OpenAPI document -------------------------------------------------------------------------

function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema: JsonSchema; required?: boolean }[];
      const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A plausible value of a schema (valid where it is easy to be), so that one mutation at a time reaches deep. */
function sample(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return undefined;
  if ('const' in s) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  const options = s.anyOf ?? s.oneOf;
  if (options) return sample(options.find((o) => typeOf(o) !== 'null' && o.type !== 'null') ?? options[0], depth + 1);
  if (s.allOf?.[0]) return sample(s.allOf[0], depth + 1);
  switch (typeOf(s)) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, depth + 1));
    case 'null':
      return null;
    case 'object':
    case undefined: {
      if (!s.properties) return typeOf(s) === 'object' ? {} : undefined;
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = sample(s.properties[name], depth + 1);
      return out;
    }
    default:
      return undefined;
  }
}

function sampleString(s: JsonSchema): string {
  switch (s.format) {
    case 'uuid':
      return randomUUID();
    case 'date':
      return '2026-06-01';
    case 'date-time':
      return '2026-06-01T09:00:00.000Z';
    case 'email':
      return `fuzz-${randomUUID().slice(0, 8)}@example.com`;
    case 'uri':
      return 'https://example.com/evidence';
  }
  if (s.pattern) {
    for (const candidate of ['a', 'A.1', 'x_1', 'FREQ=MONTHLY', '#336699', 'A-1', '1']) {
      if (new RegExp(s.pattern, 'u').test(candidate)) return candidate;
    }
  }
  return 'Fuzz'.padEnd(Math.max(s.minLength ?? 1, 4), 'z').slice(0, Math.max(s.maxLength ?? 200, s.minLength ?? 1));
}

/** The places a mutation can go: path parameters (but the scope), query parameters and top-level body fields. */
function placesOf(op: Operation) {
  const places: { part: 'path' | 'query' | 'body'; name: string; schema: JsonSchema }[] = [];
  for (const p of op.pathParams) if (p.name !== 'scopeId') places.push({ part: 'path', ...p });
  for (const q of op.query) places.push({ part: 'query', ...q });
  for (const [name, schema] of Object.entries(op.body?.properties ?? {})) places.push({ part: 'body', name, schema });
  return places;
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Paths whose records the fuzz test leaves alone: the test's own tokens, users and memberships (it acts through them). */
const ownRecords = /^\/api\/(me\/tokens|users|invitations)|\/members\//;

/**
 * Ids of records that exist (the demo organisation's), per operation and path parameter: each parameter is looked up in
 * the list its path names (`/assets/{id}` → the first item of `GET /assets`), so that requests reach past the 404.
 */
async function realIdsOf(op: Operation, scopeId: string, get: (url: string) => Promise<unknown>): Promise<Record<string, string>> {
  const ids: Record<string, string> = { scopeId };
  if (ownRecords.test(op.path)) return ids;
  for (const p of op.pathParams) {
    if (p.name === 'scopeId') continue;
    const list = op.path.slice(0, op.path.indexOf(`/{${p.name}}`)).replace(/\{(\w+)\}/g, (_, n: string) => ids[n] ?? 'x');
    const found = firstItem(await get(list));
    const value = found?.[p.name] ?? found?.[p.name === 'key' ? 'key' : 'id'];
    if (typeof value !== 'string') break;
    ids[p.name] = value;
  }
  return ids;
}

/** The first element of the first list in a response (`items`, or any array property, or the response itself). */
function firstItem(body: unknown): Record<string, unknown> | undefined {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object'
      ? (Object.values(body).find((v) => Array.isArray(v) && v.length > 0) as unknown[] | undefined)
      : undefined;
  const first = list?.[0];
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

function buildRequest(op: Operation, c: Case, ctx: { realIds: Record<string, string> }, who: TestUser | undefined): Request {
  const m = c.mutation;
  const pathValues: Record<string, string> = {};
  for (const p of op.pathParams) pathValues[p.name] = ctx.realIds[p.name] ?? String(sample(p.schema) ?? 'x');
  const query: Record<string, string> = {};
  for (const q of op.query) if (q.required) query[q.name] = String(sample(q.schema));
  let body: unknown = op.body ? sample(op.body) : undefined;
  const headers: Record<string, string> = { ...who?.headers };
  let payload: string | Buffer | undefined;

  const places = placesOf(op);
  const place = places.length > 0 ? places[c.pick % places.length] : undefined;
  const put = (value: unknown, at = place) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!at) {
      // nowhere to put it: an unknown query parameter carries it
      query.fuzz = text;
    } else if (at.part === 'path') pathValues[at.name] = text;
    else if (at.part === 'query') query[at.name] = text;
    else {
      const target = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
      target[at.name] = typeOf(at.schema) === 'array' && typeof value === 'string' ? [value] : value;
      body = target;
    }
  };

  switch (m.kind) {
    case 'base':
      break;
    case 'text':
      put(m.text);
      break;
    case 'huge':
      put('x'.repeat(100_000));
      break;
    case 'wrongType':
      put(m.value);
      break;
    case 'missing': {
      const required = op.body?.required ?? [];
      if (body && typeof body === 'object' && required.length > 0)
        delete (body as Record<string, unknown>)[required[c.pick % required.length]!];
      else body = undefined;
      break;
    }
    case 'extremes':
      // the version stays as sampled (1, as the demo's records have it), so that an edit reaches its other fields
      for (const place of places.filter((p) => p.name !== 'version')) {
        const type = typeOf(place.schema);
        const format = place.schema.format ?? place.schema.anyOf?.find((o) => o.format)?.format;
        if (type === 'integer' || type === 'number') put(Number.MAX_SAFE_INTEGER, place);
        else if (format === 'date') put('9999-12-31', place);
        else if (format === 'date-time') put('9999-12-31T23:59:59.999Z', place);
      }
      break;
    case 'unknownScope':
      if ('scopeId' in pathValues) pathValues.scopeId = randomUUID();
      break;
    case 'unknownIds':
      for (const p of op.pathParams) if (p.name !== 'scopeId') pathValues[p.name] = randomUUID();
      break;
    case 'badId': {
      const ids = op.pathParams;
      if (ids.length > 0) pathValues[ids[c.pick % ids.length]!.name] = m.value;
      else query.fuzz = m.value;
      break;
    }
    case 'badBody':
      payload = m.raw;
      headers['content-type'] = m.type;
      break;
    case 'multipart': {
      const mp = brokenMultipart(m.variant);
      payload = mp.payload;
      headers['content-type'] = mp.type;
      break;
    }
  }
  if (payload === undefined && body !== undefined && op.method !== 'GET' && op.method !== 'DELETE') {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodePathSegment(pathValues[name] ?? ''));
  const qs = new URLSearchParams(query).toString();
  return { method: op.method, url: qs ? `${path}?${qs}` : path, headers, ...(payload !== undefined && { payload }) };
}

/** A path segment percent-encoded; a lone surrogate (which UTF-8 cannot hold) as its three bytes, as a client might send it. */
function encodePathSegment(value: string): string {
  return value
    .split(/(\p{Cs})/u)
    .map((part) => {
      if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
      const unit = part.charCodeAt(0);
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

function brokenMultipart(variant: MultipartVariant): { payload: Buffer; type: string } {
  const b = '----fuzzboundary';
  const field = (name: string, value: string) => `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const file = (name: string) =>
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 fuzz\r\n`;
  const typed = (text: string, type = `multipart/form-data; boundary=${b}`) => ({ payload: Buffer.from(text), type });
  switch (variant) {
    case 'noBoundary':
      return typed(`${field('title', 'x')}--${b}--\r\n`, 'multipart/form-data');
    case 'noClosing':
      return typed(`${field('title', 'x')}${file('a.pdf')}`);
    case 'wrongBoundary':
      return typed(`${field('title', 'x')}--${b}--\r\n`, 'multipart/form-data; boundary=other');
    case 'empty':
      return typed('');
    case 'cutHeader':
      return typed(`--${b}\r\nContent-Disposition: form-da`);
    case 'nulField':
      return typed(`${field('title', 'a\u0000b')}${field('version', '1')}${file('a.pdf')}--${b}--\r\n`);
    case 'nulFileName':
      return typed(`${field('version', '1')}${file('a\u0000b.pdf')}--${b}--\r\n`);
    case 'twoFiles':
      return typed(`${file('a.pdf')}${file('b.pdf')}--${b}--\r\n`);
  }
}

// ---- what fast-check draws ---------------------------------------------------------------------------------------

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'base' }),
  fc.record({
    kind: fc.constant('text' as const),
    text: fc.oneof(
      fc.constantFrom('a\u0000b', '\u0000', 'x\uFFFF', 'x\uFFFE', '\uD800', 'a\uDFFFb', 'bell\u0007', '\uFDD0'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom("' or 1=1 --", '../../etc/passwd', '%00', '<script>', '$where', '__proto__', ' ', ''),
    ),
  }),
  fc.constant<Mutation>({ kind: 'huge' }),
  fc.record({
    kind: fc.constant('wrongType' as const),
    value: fc.constantFrom<unknown>(
      123,
      -1,
      0,
      1e308,
      2 ** 53,
      // integers that pass a schema without a maximum but not a 32-bit column
      2 ** 31,
      Number.MAX_SAFE_INTEGER,
      -(2 ** 31) - 1,
      1.5,
      true,
      null,
      [],
      {},
      'text',
      [null],
      { a: 1 },
      ['x', 1],
      // dates at the ends of the calendar
      '9999-12-31',
      '0001-01-01',
      '9999-12-31T23:59:59.999Z',
    ),
  }),
  fc.constant<Mutation>({ kind: 'missing' }),
  fc.constant<Mutation>({ kind: 'unknownScope' }),
  fc.constant<Mutation>({ kind: 'extremes' }),
  fc.constant<Mutation>({ kind: 'unknownIds' }),
  fc.record({
    kind: fc.constant('badId' as const),
    value: fc.constantFrom('not-a-uuid', '\u0000', '1', "'; drop table scope; --", '00000000-0000-0000-0000-000000000000', 'é'),
  }),
  fc.record({
    kind: fc.constant('badBody' as const),
    raw: fc.constantFrom('{"a":', '[]', 'null', '"x"', '1', '{"__proto__":{"isAdmin":true}}', '\u0000', '{"name":"a\\u0000b"}'),
    type: fc.constantFrom('application/json', 'text/plain'),
  }),
  fc.record({
    kind: fc.constant('multipart' as const),
    variant: fc.constantFrom<MultipartVariant>(
      'noBoundary',
      'noClosing',
      'wrongBoundary',
      'empty',
      'cutHeader',
      'nulField',
      'nulFileName',
      'twoFiles',
    ),
  }),
);

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  role: fc.constantFrom<Case['role']>('admin', 'contributor', 'viewer', 'employee', 'anonymous'),
  mutation,
  pick: fc.nat({ max: 1000 }),
});

/**
 * Every operation also gets these: the administrator on a scope that does not exist with a plausible body, NUL, records
 * that do not exist, the largest numbers and latest dates, and the contributor with a broken multipart body.
 */
const examples: [Case][] = [
  [{ role: 'admin', mutation: { kind: 'unknownScope' }, pick: 0 }],
  [{ role: 'admin', mutation: { kind: 'text', text: 'a\u0000b' }, pick: 0 }],
  [{ role: 'admin', mutation: { kind: 'unknownIds' }, pick: 0 }],
  [{ role: 'admin', mutation: { kind: 'extremes' }, pick: 0 }],
  [{ role: 'contributor', mutation: { kind: 'multipart', variant: 'noClosing' }, pick: 0 }],
];

/**
 * A download that builds a whole document (the audit pack, a PDF, a Word file or a workbook) takes seconds when a
 * request is accepted: the audit pack of the demo organisation, built for each accepted draw, took a third of this
 * test's time. These operations get fixed cases that are refused, each at another check: no credentials, a scope that
 * does not exist, a scope id that is no id, and, where the path names a record, a member's request for a record that
 * does not exist and one with an id that is no id (past the scope check, at the record's lookup). A document built
 * from real records is tested by the tests of its module.
 */
const buildsDocument = (op: Operation) => op.method === 'GET' && /(\.(zip|pdf|docx|xlsx)|\/(pdf|docx))$/.test(op.path);
function casesOf(op: Operation): [Case][] {
  if (!buildsDocument(op)) return examples;
  const scopeAt = Math.max(
    0,
    op.pathParams.findIndex((p) => p.name === 'scopeId'),
  );
  const recordAt = op.pathParams.findIndex((p) => p.name !== 'scopeId');
  const refused: [Case][] = [
    [{ role: 'anonymous', mutation: { kind: 'base' }, pick: 0 }],
    [{ role: 'admin', mutation: { kind: 'unknownScope' }, pick: 0 }],
    [{ role: 'viewer', mutation: { kind: 'badId', value: 'not-an-id' }, pick: scopeAt }],
  ];
  if (recordAt < 0) return refused;
  return [
    ...refused,
    [{ role: 'viewer', mutation: { kind: 'unknownIds' }, pick: 0 }],
    [{ role: 'viewer', mutation: { kind: 'badId', value: 'not-an-id' }, pick: recordAt }],
  ];
}

// ---- no partial write ---------------------------------------------------------------------------------------------

/** Tables that change without a write of the request's own: migrations, sessions and the database-kept rate limits. */
const volatile = /^(kysely_|session$|rate_limit|auth_challenge$|audit_checkpoint$)/;

async function tableNames(db: Database): Promise<string[]> {
  const rows =
    db.dialect === 'postgres'
      ? await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db.db);
  return rows.rows.map((r) => r.name).filter((n) => !volatile.test(n));
}

/** The row count of every table, in one statement. */
async function rowCounts(db: Database, tables: string[]): Promise<Record<string, number>> {
  const parts = tables.map((t) => sql`select ${t} as name, count(*) as n from ${sql.table(t)}`);
  const rows = await sql<{ name: string; n: number | string }>`${sql.join(parts, sql` union all `)}`.execute(db.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, Number(r.n)]));
}

async function auditCount(db: Database): Promise<number> {
  const row = await db.db
    .selectFrom('audit_entry')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const changed = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b })
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${a[k]} → ${b[k]}`);

// ---- the test ----------------------------------------------------------------------------------------------------

describe.each(dialects)('fuzzing the API from its OpenAPI document (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  /** who sends the requests; `anonymous` sends no credentials */
  let users: Partial<Record<Case['role'], TestUser>>;
  let ops: Operation[];
  let tables: string[];
  const realIds = new Map<Operation, Record<string, string>>();

  beforeAll(async () => {
    const c = await createScopeContext(dialect);
    t = c.t;
    scopeId = c.scopeId;
    // an installation administrator who is no member of the scope
    const admin = await buildUser(t.deps, { isAdmin: true });
    users = {
      admin,
      contributor: await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] }),
      viewer: await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] }),
      employee: await buildUser(t.deps, { memberships: [[scopeId, 'employee']] }),
    };
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json', headers: admin.headers });
    // the demo organisation gives the requests records that exist, so that they reach past the first 404
    const seeded = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/demo`, headers: c.manager.headers, payload: {} });
    expect(seeded.statusCode).toBe(201);
    ops = operationsOf(doc.json())
      // seeding the demo once is enough
      .filter((op) => !op.path.endsWith('/demo'));
    const lists = new Map<string, Promise<unknown>>();
    const get = (url: string) => {
      if (!lists.has(url))
        lists.set(
          url,
          t.app
            .inject({ method: 'GET', url, headers: admin.headers })
            .then((r) => (r.headers['content-type']?.startsWith('application/json') ? r.json() : null)),
        );
      return lists.get(url)!;
    };
    for (const op of ops) realIds.set(op, await realIdsOf(op, scopeId, get));
    tables = await tableNames(t.db.database);
  });
  afterAll(async () => t?.close());

  it('answers every malformed request below 500, never accepts an unknown scope or record, and writes nothing when it refuses', async () => {
    expect(ops.length).toBeGreaterThan(150);
    const failures: string[] = [];
    // Every write leaves an audit entry: its count is compared around each refused write. The row counts of all tables
    // are compared around each operation whose requests were all refused. (Both are kept from the last reading while
    // only refusals came in between, so that a refused request costs one count.)
    let audit: number | null = null;
    let counts: Record<string, number> | null = null;
    for (const op of ops) {
      const writes = op.method !== 'GET';
      const cases = casesOf(op);
      if (writes) counts ??= await rowCounts(t.db.database, tables);
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (c) => {
          const req = buildRequest(op, c, { realIds: realIds.get(op) ?? {} }, users[c.role]);
          if (writes) audit ??= await auditCount(t.db.database);
          const before = audit;
          const res = await t.app.inject(req as InjectOptions);
          let problem = '';
          // a scope or record that does not exist is never accepted, nor in conflict: it is 404 (or 400, 403 first)
          const names =
            c.mutation.kind === 'unknownScope' ? ['scopeId'] : c.mutation.kind === 'unknownIds' ? op.pathParams.map((p) => p.name) : [];
          const unknown = op.pathParams.some((p) => names.includes(p.name) && (p.name !== 'scopeId' || c.mutation.kind === 'unknownScope'));
          if (res.statusCode >= 500) problem = `${res.statusCode} ${res.body.slice(0, 300)}`;
          else if (unknown && (res.statusCode < 400 || res.statusCode === 409 || res.statusCode === 422)) {
            problem = `${res.statusCode} for a scope or record that does not exist: ${res.body.slice(0, 200)}`;
          } else if (res.statusCode < 400) [audit, counts] = [null, null];
          else if (writes) {
            audit = await auditCount(t.db.database);
            if (audit !== before) problem = `audit entries ${before} → ${audit}`;
          }
          if (problem) {
            failures.push(`${op.method} ${op.path} as ${c.role} with ${JSON.stringify(c.mutation).slice(0, 120)}: ${problem}`);
          }
          return true;
        }),
        // the examples count among the runs
        { numRuns: (buildsDocument(op) ? 0 : RUNS) + cases.length, seed: SEED, examples: cases, endOnFailure: true },
      );
      if (writes && counts) {
        const after = await rowCounts(t.db.database, tables);
        const diff = changed(counts, after);
        if (diff.length > 0) failures.push(`${op.method} ${op.path}: refused every request, yet ${diff.join(', ')}`);
        counts = after;
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
