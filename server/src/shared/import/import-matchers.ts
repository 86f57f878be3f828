import { z } from 'zod';
import type { Executor } from '../../db/database.ts';

/** What the value matchers of every import share: header and word normalisation, lists, people, dates, yes/no. */

/** Lower case without spaces, underscores, dashes, dots, slashes and brackets: "Owner e-mail" → "owneremail". */
export const norm = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\-./()]+/g, '');

/** A cell holding several values: separated by semicolons, commas or line breaks. */
export const splitList = (s: string) => [
  ...new Set(
    s
      .split(/[;,\n]/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/** A refusal a matcher answers: a key of the import's texts with its parameters. */
export interface Refusal {
  key: string;
  params: Record<string, string | number>;
}
export type Matched<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
const ok = <T>(value: T): Matched<T> => ({ ok: true, value });
const refuse = (key: string, params: Record<string, string | number> = {}): Matched<never> => ({ ok: false, refusal: { key, params } });

export interface Member {
  id: string;
  email: string;
  name: string;
}

/** The members of a scope, for matching owners. */
export async function loadMembers(db: Executor, scopeId: string): Promise<Member[]> {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.email', 'app_user.name'])
    .where('membership.scope_id', '=', scopeId)
    .execute();
}

/** Matches a person among the scope's members by email (a valid address) or by name (one member only). */
export function memberMatcher(members: readonly Member[]): (value: string) => Matched<string> {
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  const byName = new Map<string, Member[]>();
  for (const m of members) byName.set(m.name.toLowerCase(), [...(byName.get(m.name.toLowerCase()) ?? []), m]);
  return (value) => {
    if (value.includes('@')) {
      if (!z.email().safeParse(value).success) return refuse('badEmail', { value });
      const m = byEmail.get(value.toLowerCase());
      return m ? ok(m.id) : refuse('unknownOwner', { value });
    }
    const found = byName.get(value.toLowerCase()) ?? [];
    if (found.length === 1) return ok(found[0]!.id);
    return found.length > 1 ? refuse('ambiguousOwner', { value }) : refuse('unknownOwner', { value });
  };
}

/**
 * Matches records by reference (case-insensitive), else by name (one record only): linked assets, risks,
 * requirements. `unknown` and `ambiguous` are the keys of the refusals.
 */
export function recordMatcher(
  records: readonly { id: string; reference: string; name: string }[],
  keys: { unknown: string; ambiguous: string },
): (value: string) => Matched<string> {
  const byReference = new Map(records.map((r) => [r.reference.toLowerCase(), r.id]));
  const byName = new Map<string, string[]>();
  for (const r of records) {
    const k = r.name.toLowerCase();
    const ids = byName.get(k) ?? [];
    if (!ids.includes(r.id)) byName.set(k, [...ids, r.id]);
  }
  return (value) => {
    const id = byReference.get(value.toLowerCase());
    if (id) return ok(id);
    const named = byName.get(value.toLowerCase()) ?? [];
    if (named.length === 1) return ok(named[0]!);
    return named.length > 1 ? refuse(keys.ambiguous, { value }) : refuse(keys.unknown, { value });
  };
}

const yesWords = new Set(['yes', 'y', 'x', 'true', '1', 'ja', 'j', 'wahr', '✓', '✔']);
const noWords = new Set(['no', 'n', 'false', '0', 'nein', 'falsch', '-']);

/** yes/no, ja/nein, x, 1/0, true/false. */
export function matchYesNo(value: string): Matched<boolean> {
  const n = norm(value) || value.trim();
  if (yesWords.has(n)) return ok(true);
  if (noWords.has(n)) return ok(false);
  return refuse('notYesNo', { value });
}

/** A calendar day: 2026-03-31 (also what a date cell becomes), 31.03.2026 or 31.3.2026. */
export function matchDay(value: string): Matched<string> {
  const v = value.trim();
  let day: string | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  if (iso) day = `${iso[1]}-${iso[2]}-${iso[3]}`;
  else if (german) day = `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}`;
  if (!day) return refuse('badDate', { value });
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return refuse('badDate', { value });
  return ok(day);
}

/** A whole number from `min` to `max`, or the label of one (a scale's "Likely" → 4). */
export function matchScale(value: string, scale: readonly { value: number; label: string }[]): Matched<number> {
  const v = value.trim();
  const byLabel = scale.find((s) => norm(s.label) === norm(v));
  if (byLabel) return ok(byLabel.value);
  const n = Number(v.replace(',', '.'));
  if (Number.isInteger(n) && scale.some((s) => s.value === n)) return ok(n);
  return refuse('outOfScale', { value, max: scale.length });
}

/**
 * One of a list of codes, by its code or a word for it (English and German, normalised by `norm`). A refusal names the
 * words to use in the reader's language: `list` is their text in `errors:import.allowed` (the codes go along as `allowed`).
 */
export function matchWord<T extends string>(value: string, words: Record<string, T>, allowed: readonly T[], list: string): Matched<T> {
  const n = norm(value);
  const found = words[n] ?? allowed.find((a) => norm(a) === n);
  return found ? ok(found) : refuse('unknownWord', { value, allowed: allowed.join(', '), list });
}
