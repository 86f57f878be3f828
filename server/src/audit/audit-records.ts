import type { Kysely } from 'kysely';
import type { Executor } from '../db/database.ts';
import { type AuditValue, auditField } from './audit-vocabulary.ts';

/**
 * The records an audit entry names, by reference and title: the entry's own record when it was written without its
 * reference, a value the vocabulary reads as a record's id (`{ record: 'change_request' }`, written before the modules
 * wrote references) and a typed value that names a record (`control:CTL-0003`, `document:<id>`). Read when the entry is
 * shown, in one statement per record type however many entries name records of it, and only within the scopes the
 * reader may see: a record of another scope is never named (its id stays an id).
 */

/** Each record type that can be named, its table (named as the type) and the column that says what it is. */
const namedTypes: Record<string, { words: 'title' | 'name'; reference: boolean }> = {
  asset: { words: 'name', reference: true },
  change_request: { words: 'title', reference: true },
  competence: { words: 'name', reference: false },
  control: { words: 'title', reference: true },
  controlled_record: { words: 'title', reference: true },
  document: { words: 'title', reference: true },
  evidence: { words: 'title', reference: true },
  improvement_opportunity: { words: 'title', reference: true },
  incident: { words: 'title', reference: true },
  internal_audit: { words: 'title', reference: true },
  management_review: { words: 'title', reference: true },
  measure: { words: 'name', reference: true },
  nonconformity: { words: 'title', reference: true },
  risk: { words: 'title', reference: true },
  soa: { words: 'title', reference: true },
  training_course: { words: 'title', reference: true },
};

/** A record an entry names. */
export interface NamedRecord {
  type: string;
  id: string;
  reference: string | null;
  title: string;
}

/** what marks a record wanted by its name (a type without references: a competence), so that a name is never read as an id */
const byName = 'name=';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** a record's reference at the start of a value's rest (`AST-0001 Mail server` → `AST-0001`) */
const referenceAtStart = /^([A-Z][A-Z0-9]*-\d+)\b/;

/** What one entry asks for: `type:id` and `type:reference`. */
type Wants = Set<string>;

function want(wants: Wants, type: string | undefined, rest: string | undefined): void {
  if (!type || rest === undefined || !Object.hasOwn(namedTypes, type)) return;
  if (uuid.test(rest)) wants.add(`${type}:${rest}`);
  else {
    const ref = referenceAtStart.exec(rest)?.[1];
    if (ref && namedTypes[type]!.reference) wants.add(`${type}:${ref}`);
  }
}

/** A record named by its reference (`CHG-0003`), or, for a type without references, by its name. */
function wantReference(wants: Wants, type: string, value: string): void {
  if (!Object.hasOwn(namedTypes, type) || value === '') return;
  if (namedTypes[type]!.reference) want(wants, type, value);
  else wants.add(`${type}:${byName}${value}`);
}

function walk(kind: AuditValue | undefined, v: unknown, wants: Wants): void {
  if (v === null || v === undefined || kind === undefined) return;
  if (Array.isArray(v)) {
    for (const x of v) walk(kind, x, wants);
    return;
  }
  if (typeof kind !== 'object') return;
  if ('record' in kind) {
    if (typeof v === 'string') want(wants, kind.record, v);
  } else if ('reference' in kind) {
    if (typeof v === 'string') wantReference(wants, kind.reference, v);
  } else if ('object' in kind) {
    if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(kind.object[k], x, wants);
    else walk(kind.written, v, wants);
  } else if ('texts' in kind) {
    if (typeof v !== 'object') walk(kind.written, v, wants);
  } else if ('words' in kind && typeof v === 'string') {
    // the first wording that reads the value, as the history views read it
    for (const wording of kind.words) {
      const groups = new RegExp(wording.pattern).exec(v)?.groups;
      if (!groups) continue;
      want(wants, groups.type, groups.rest);
      break;
    }
  }
}

/** The key under which a history view looks a named record up: `type:id` or `type:reference`. */
export const namedKey = (type: string, idOrReference: string) => `${type}:${idOrReference}`;

/** What an entry names: its own record when it has no reference, and the records its values name. */
export function recordsWanted(entry: {
  record_type: string;
  record_id: string;
  record_ref: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}): Wants {
  const wants: Wants = new Set();
  if (!entry.record_ref) want(wants, entry.record_type, entry.record_id);
  for (const [field, change] of Object.entries(entry.changes)) {
    const kind = auditField(entry.record_type, field)?.value;
    walk(kind, change.from, wants);
    walk(kind, change.to, wants);
  }
  return wants;
}

/** A scope's named records by `type:id` and `type:reference`. */
export type NamedRecords = Map<string, NamedRecord>;

/**
 * Reads the records `wanted` asks for (`scopeId` → `type:id`/`type:reference`), one statement per record type, each
 * limited to the scopes asked for; answers each scope's records by both keys.
 */
export async function findNamedRecords(db: Executor, wanted: Map<string, Wants>): Promise<Map<string, NamedRecords>> {
  const byType = new Map<string, { scopes: Set<string>; ids: Set<string>; refs: Set<string>; names: Set<string> }>();
  for (const [scopeId, wants] of wanted) {
    for (const w of wants) {
      const colon = w.indexOf(':');
      const type = w.slice(0, colon);
      const value = w.slice(colon + 1);
      const t = byType.get(type) ?? {
        scopes: new Set<string>(),
        ids: new Set<string>(),
        refs: new Set<string>(),
        names: new Set<string>(),
      };
      byType.set(type, t);
      t.scopes.add(scopeId);
      if (value.startsWith(byName)) t.names.add(value.slice(byName.length));
      else (uuid.test(value) ? t.ids : t.refs).add(value);
    }
  }
  const out = new Map<string, NamedRecords>();
  // the tables are named by the record type (namedTypes), which Kysely's DB type cannot follow from a string
  const any = db as unknown as Kysely<Record<string, { id: string; scope_id: string; reference: string; title: string; name: string }>>;
  const rows = await Promise.all(
    [...byType].map(async ([type, t]) => {
      const { words, reference } = namedTypes[type]!;
      const ids = [...t.ids];
      const refs = reference ? [...t.refs] : [];
      const names = reference ? [] : [...t.names];
      if (ids.length === 0 && refs.length === 0 && names.length === 0) return [];
      const found = await any
        .selectFrom(type)
        .select(['id', 'scope_id', `${words} as title`, ...(reference ? (['reference'] as const) : [])])
        .where('scope_id', 'in', [...t.scopes])
        .where((eb) =>
          eb.or([
            ...(ids.length ? [eb('id', 'in', ids)] : []),
            ...(refs.length ? [eb('reference', 'in', refs)] : []),
            ...(names.length ? [eb(words, 'in', names)] : []),
          ]),
        )
        .execute();
      return found.map((r) => ({ scopeId: r.scope_id, record: { type, id: r.id, reference: r.reference ?? null, title: r.title } }));
    }),
  );
  for (const { scopeId, record } of rows.flat()) {
    const m: NamedRecords = out.get(scopeId) ?? new Map();
    out.set(scopeId, m);
    m.set(namedKey(record.type, record.id), record);
    if (record.reference) m.set(namedKey(record.type, record.reference), record);
    else m.set(namedKey(record.type, `${byName}${record.title}`), record);
  }
  return out;
}

/** The records of `found` that an entry of `scopeId` names (`wants`). */
export function namedBy(found: Map<string, NamedRecords>, scopeId: string | null, wants: Wants): NamedRecord[] {
  const m = scopeId ? found.get(scopeId) : undefined;
  if (!m) return [];
  const out = new Set<NamedRecord>();
  for (const w of wants) {
    const r = m.get(w);
    if (r) out.add(r);
  }
  return [...out];
}
