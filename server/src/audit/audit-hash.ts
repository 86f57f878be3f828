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

/** hash = sha256(prev_hash || canonical entry) */
export function hashEntry(prevHash: string, fields: HashedFields): string {
  return sha256(prevHash + canonicalJson({ ...fields, changes: JSON.parse(fields.changes) }));
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
