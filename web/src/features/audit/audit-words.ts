import { type AuditValue, auditField, auditRecordType } from '../../../../server/src/audit/audit-vocabulary.ts';

/**
 * An audit entry's fields and values in words, read by the kind the audit vocabulary (server/src/audit/audit-vocabulary.ts)
 * declares for each field: a person's or process's name, a date in the reader's language, a code's label, a wording
 * Praxis stored in the reader's language; never an id or a code. Pure: the language and the scope's names come in
 * `AuditWords` (AuditEntries.tsx gives the page's; server/src/shared/web-audit-words.test.ts gives a catalog's).
 */
export interface AuditWords {
  /** people by user id, processes by key */
  names: Map<string, string>;
  /** the scope's risk levels by key */
  levels: Map<string, string>;
  /** the records an entry names (the audit list's `records`), by `type:id` and `type:reference` */
  records?: Map<string, NamedRecord>;
  t(key: string, params?: Record<string, string | number>): string;
  exists(key: string): boolean;
  fieldLabel(field: string): string;
  recordTypeLabel(type: string): string;
  /** the label of a code of a field the vocabulary does not declare, or the code */
  valueLabel(field: string, value: string): string;
  formatDate(value: string, invalid: string): string;
  formatDateTime(value: string, invalid: string): string;
  formatNumber(value: number): string;
  languageName(code: string): string;
  /** a recurrence rule (RRULE) in words */
  recurrence(rrule: string): string;
}

/** A record an entry names, by its reference and title (server/src/audit/audit-records.ts). */
export interface NamedRecord {
  type: string;
  id: string;
  reference: string | null;
  title: string;
}

export interface Shown {
  text: string;
  empty: boolean;
  /** the value as stored, where the words stand for it (an id, a key Praxis keeps for itself) */
  title?: string;
  /** the record the value names, to link to its page */
  record?: NamedRecord;
  /** a list's values one by one (each may name a record) */
  parts?: Shown[];
}

/** The words with the records one entry names (by `type:id` and `type:reference`). */
export function withRecords(w: AuditWords, records: readonly NamedRecord[] | undefined): AuditWords {
  const map = new Map<string, NamedRecord>();
  for (const r of records ?? []) for (const key of recordKeys(r)) map.set(key, r);
  return { ...w, records: map };
}

/** The keys a named record is looked up by: `type:id`, and `type:reference` (a type without references: `type:name=<name>`). */
export const recordKeys = (r: NamedRecord): string[] => [
  `${r.type}:${r.id}`,
  r.reference ? `${r.type}:${r.reference}` : `${r.type}:name=${r.title}`,
];

/** A record named by reference in a typed value's rest (`AST-0001 Mail server`), or by id */
const referenceAtStart = /^([A-Z][A-Z0-9]*-\d+)\b/;
function namedRecord(w: AuditWords, type: string | undefined, rest: string | undefined): NamedRecord | undefined {
  if (!type || rest === undefined || !w.records) return undefined;
  return w.records.get(`${type}:${rest}`) ?? w.records.get(`${type}:${referenceAtStart.exec(rest)?.[1] ?? ''}`);
}

/** A record's reference and title (a record without a reference: its title). */
const recordWords = (r: NamedRecord) => (r.reference ? `${r.reference} ${r.title}` : r.title);

/** A field's name in words: the label the audit vocabulary gives it, else its own ("Published at" from `published_at`). */
export function fieldWords(w: AuditWords, recordType: string, field: string): string {
  return w.fieldLabel(auditField(recordType, field)?.label ?? field);
}

/**
 * The reference an entry names its record by, in words where the vocabulary says how it reads (an ISMS cycle's number:
 * "no. 1"), else undefined (a reference reads as written).
 */
export function recordRefWords(w: AuditWords, recordType: string, ref: string | null): string | undefined {
  const kind = auditRecordType(recordType)?.recordRef;
  if (!kind || !ref) return undefined;
  const shown = showValue(w, kind, ref, 'recordRef');
  return shown.text === ref ? undefined : shown.text;
}

/** A value of a record's field in words. */
export function showAuditValue(w: AuditWords, recordType: string, field: string, value: unknown): Shown {
  return showValue(w, auditField(recordType, field)?.value, value, field);
}

const nothing: Shown = { text: '—', empty: true };
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
/** `risk_owner` → `Risk owner`: the last resort for a code without a label */
const humanize = (key: string) => key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

function showValue(w: AuditWords, kind: AuditValue | undefined, v: unknown, field: string): Shown {
  if (v === undefined || v === null) return nothing;
  if (Array.isArray(v)) {
    if (v.length === 0) return { text: w.t('audit:value.none'), empty: true };
    // a list of lists (the rows of the risk matrix) or of objects (a treatment's actions): apart by semicolons
    const parts = v.map((x) => showValue(w, kind, x, field));
    const rows = v.some((x) => typeof x === 'object' && x !== null);
    return { text: parts.map((p) => p.text).join(rows ? '; ' : ', '), empty: false, parts };
  }
  if (kind === undefined) return showUndeclared(w, field, v);
  const text = String(v);
  if (typeof kind === 'object') {
    if ('codes' in kind) {
      if (text === '') return { text: w.t('audit:value.empty'), empty: true };
      const codes = kind.separator ? text.split(kind.separator) : [text];
      // a code an older entry wrote in words (`risk treatment`) reads as the code (`risk_treatment`)
      const known = (code: string) => (w.exists(`${kind.codes}.${code}`) ? code : code.replace(/ /g, '_'));
      const label = (code: string) => (w.exists(`${kind.codes}.${known(code)}`) ? w.t(`${kind.codes}.${known(code)}`) : humanize(code));
      return { text: codes.map(label).join(', '), empty: false };
    }
    if ('record' in kind) {
      const named = namedRecord(w, kind.record, text);
      // the record's reference and title, read when the entry is shown (its id was written before references)
      if (named)
        return {
          text: w.t('audit:value.typed', { type: w.recordTypeLabel(kind.record), rest: recordWords(named) }),
          empty: false,
          record: named,
        };
      return {
        text: w.t('audit:value.recordId', { type: w.recordTypeLabel(kind.record), id: text.slice(0, 8) }),
        empty: false,
        title: text,
      };
    }
    if ('reference' in kind) {
      // the record's reference and title (the field names its type), read when the entry is shown; a record the
      // reader cannot see, or one gone, by the reference as written
      const named = w.records?.get(`${kind.reference}:${text}`) ?? w.records?.get(`${kind.reference}:name=${text}`);
      return named ? { text: recordWords(named), empty: false, record: named } : { text, empty: false };
    }
    if ('object' in kind) {
      if (typeof v !== 'object') {
        // the object as a JSON text (a review's commentary before it was written as an object), else as its older text reads
        const parsed = objectIn(text);
        if (parsed && Object.keys(parsed).every((k) => Object.hasOwn(kind.object, k))) return showValue(w, kind, parsed, field);
        return kind.written ? showValue(w, kind.written, v, field) : { text, empty: false };
      }
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined);
      if (entries.length === 0) return nothing;
      const parts = entries.map(([k, x]) => ({
        label: kind.labels ? w.t(`${kind.labels}.${k}`) : w.fieldLabel(k),
        shown: showValue(w, kind.object[k], x, k),
      }));
      // a record a key names (a decision's record) is linked
      const record = parts.find((p) => p.shown.record)?.shown.record;
      return { text: parts.map((p) => `${p.label}: ${p.shown.text}`).join(' · '), empty: false, ...(record && { record }) };
    }
    if ('texts' in kind) {
      if (typeof v !== 'object') return kind.written ? showValue(w, kind.written, v, field) : { text, empty: false };
      const stored = v as { key?: unknown; params?: Record<string, unknown> };
      const wording = typeof stored.key === 'string' && Object.hasOwn(kind.texts, stored.key) ? kind.texts[stored.key] : undefined;
      // a text this release does not word: kept by Praxis
      if (!wording) return { text: w.t('audit:value.internal'), empty: false, title: JSON.stringify(v) };
      const params: Record<string, string | number> = {};
      for (const [part, raw] of Object.entries(stored.params ?? {})) {
        const partKind = wording.parts?.[part] ?? 'text';
        params[part] = partKind === 'number' && typeof raw === 'number' ? raw : showValue(w, partKind, raw, part).text;
      }
      return { text: w.t(`audit:${wording.label}`, params), empty: false };
    }
    for (const wording of kind.words) {
      const groups = new RegExp(wording.pattern).exec(text)?.groups;
      if (!groups) continue;
      const params: Record<string, string | number> = {};
      // a typed value that names a record of the scope (`control:CTL-0003`, `document:<id>`): its reference and title
      const named = namedRecord(w, groups.type, groups.rest);
      for (const [part, raw] of Object.entries(groups)) {
        const partKind = wording.parts?.[part] ?? 'text';
        // a number stays a number, so that `count` picks the plural form
        params[part] =
          named && part === 'rest' ? recordWords(named) : partKind === 'number' ? Number(raw) : showValue(w, partKind, raw, part).text;
      }
      return { text: w.t(`audit:${wording.label}`, params), empty: false, ...(named && { record: named }) };
    }
    return { text, empty: false };
  }
  switch (kind) {
    case 'text':
    case 'sentence':
      return text === '' ? { text: w.t('audit:value.empty'), empty: true } : { text, empty: false };
    case 'number':
      return { text: typeof v === 'number' ? w.formatNumber(v) : text, empty: false };
    case 'yesNo':
      return { text: v ? w.t('audit:value.yes') : w.t('audit:value.no'), empty: false };
    case 'day':
      return { text: w.formatDate(text, text), empty: false };
    case 'instant':
      return { text: w.formatDateTime(text, text), empty: false };
    case 'person':
      return { text: w.names.get(text) ?? w.t('audit:value.unknownPerson'), empty: false, title: text };
    case 'process':
      return { text: w.names.get(text) ?? humanize(text), empty: false };
    case 'language':
      return { text: w.languageName(text), empty: false };
    case 'recurrence':
      return { text: w.recurrence(text), empty: false };
    case 'riskLevel':
      return { text: w.levels.get(text) ?? humanize(text), empty: false };
    case 'internal':
      return { text: w.t('audit:value.internal'), empty: false, title: typeof v === 'object' ? JSON.stringify(v) : text };
    case 'hidden':
      return { text: w.t('audit:value.hidden'), empty: false };
  }
}

/** The object a JSON text holds, or undefined. */
function objectIn(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The last resort, for a field the vocabulary does not declare (an entry an older release wrote): words by its look. */
function showUndeclared(w: AuditWords, field: string, v: unknown): Shown {
  if (typeof v === 'string') {
    if (v === '') return { text: w.t('audit:value.empty'), empty: true };
    const name = w.names.get(v);
    if (name) return { text: name, empty: false };
    if (isoInstant.test(v)) return { text: w.formatDateTime(v, v), empty: false };
    if (isoDay.test(v)) return { text: w.formatDate(v, v), empty: false };
    const label = w.valueLabel(field, v);
    // a code no catalog words (`in_review`) is shown in words rather than as the code
    return { text: label === v && /^[a-z]+(_[a-z]+)+$/.test(v) ? v.replaceAll('_', ' ') : label, empty: false };
  }
  if (typeof v === 'boolean') return { text: v ? w.t('audit:value.yes') : w.t('audit:value.no'), empty: false };
  if (typeof v === 'number') return { text: w.formatNumber(v), empty: false };
  return { text: JSON.stringify(v), empty: false };
}
