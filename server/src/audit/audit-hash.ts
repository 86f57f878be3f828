import type { AuditEntryTable } from '../db/schema.ts';
import { sha256 } from '../shared/ids.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string;
  scopeId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  recordRef: string | null;
  changes: string;
}

/** JSON with keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The text an entry's hash covers: its fields as canonical JSON (the trail export's last column). */
export function canonicalEntry(fields: HashedFields): string {
  return canonicalJson({ ...fields, changes: JSON.parse(fields.changes) });
}

/** hash = sha256(prev_hash || canonical entry), over the UTF-8 bytes (so `printf '%s%s' | sha256sum` agrees) */
export function hashEntry(prevHash: string, fields: HashedFields, canonicalChanges?: string): string {
  return sha256(prevHash + (canonicalChanges === undefined ? canonicalEntry(fields) : canonicalEntryWith(fields, canonicalChanges)));
}

/** The canonical JSON of an entry's changes (its `changes` text), as canonicalEntry writes it. */
export function canonicalChangesOf(changes: string): string {
  return canonicalJson(JSON.parse(changes));
}

/**
 * canonicalEntry with the changes' part made before (canonicalChangesOf), so that a writer does that work before it
 * takes the chain's lock: the same text, character for character.
 */
function canonicalEntryWith(fields: HashedFields, canonicalChanges: string): string {
  const keys = Object.keys(fields).sort() as (keyof HashedFields)[];
  return `{${keys.map((k) => `${JSON.stringify(k)}:${k === 'changes' ? canonicalChanges : canonicalJson(fields[k])}`).join(',')}}`;
}

/** The hashed fields of a stored row. */
export function hashedFieldsOf(row: AuditEntryTable): HashedFields {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    scopeId: row.scope_id,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    recordRef: row.record_ref,
    changes: row.changes,
  };
}

export type Changes = Record<string, { from?: unknown; to?: unknown }>;

/** The fields that differ between two snapshots of a record, as `{ field: { from, to } }`. */
export function diffChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const out: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const from = before?.[key];
    const to = after?.[key];
    if (canonicalJson(from) === canonicalJson(to)) continue;
    out[key] = {};
    if (before) out[key].from = from ?? null;
    if (after) out[key].to = to ?? null;
  }
  return out;
}
