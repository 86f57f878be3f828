import { type AuditWords, fieldWords, recordKeys, recordRefWords, showAuditValue } from '../../../web/src/features/audit/audit-words.ts';
import { toFriendly } from '../cadences/cadence.rules.ts';
import type { i18n as I18n } from 'i18next';
import { hasText, pickLanguage, translate } from '../i18n/i18n.ts';
import { webTexts } from '../i18n/web-catalogs.ts';
import type { NamedRecord } from './audit-records.ts';
import { camelField } from './audit-vocabulary.ts';

/**
 * Audit entries in words on the server (the readable trail of `praxis audit export`): the same reading as the history
 * views (web/src/features/audit/audit-words.ts, by the audit vocabulary) over the same labels, the web client's catalogs
 * (`web/src/i18n/<lang>/*.json`, which ship with the server's sources and are read once per language): record types,
 * actions and fields by their labels, codes by their labels, people by name, days and times in the reader's format
 * (UTC), risk levels by the scope's labels, records by reference and title. Never an id or a code.
 */

/** `change_request` → `Change request`: the last resort for a code without a label (an entry an older release wrote) */
const humanize = (key: string) => key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

const unitOf = { weekly: 'week', monthly: 'month', yearly: 'year' } as const;
const weekdayIndex = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 } as const;

/** A recurrence rule in words, as the cadence editor words it (web/src/features/cadences/cadence-words.ts). */
function recurrenceIn(i18n: I18n, lang: string, rrule: string): string {
  const t = (key: string, params: Record<string, unknown> = {}) => i18n.t(`cadences:${key}`, params);
  const rule = toFriendly(rrule);
  if (!rule) return t('custom', { rule: rrule });
  const unit = unitOf[rule.frequency];
  const parts = [t(`every.${unit}`, { count: rule.interval })];
  if (rule.weekday) {
    const weekday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(
      Date.UTC(2024, 0, 1 + weekdayIndex[rule.weekday]),
    );
    parts.push(t('onWeekday', { weekday }));
  }
  if (rule.month)
    parts.push(
      t('inMonth', { month: new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, rule.month - 1, 1)) }),
    );
  if (rule.monthDay === -1) parts.push(t('onLastDay'));
  else if (rule.monthDay && rule.monthDay >= 29) parts.push(t('onDayOrLast', { day: rule.monthDay }));
  else if (rule.monthDay) parts.push(t('onDay', { day: rule.monthDay }));
  return parts.join(' ');
}

/** People by user id, and processes by key in the reader's language. */
class Names extends Map<string, string> {
  private readonly lang: string;
  constructor(lang: string, people: Iterable<readonly [string, string]>) {
    super(people);
    this.lang = lang;
  }
  override get(key: string): string | undefined {
    const person = super.get(key);
    if (person !== undefined) return person;
    return /^[a-z][a-z0-9_-]*$/.test(key) && hasText(`processes:name.${key}`) ? translate(this.lang, `processes:name.${key}`) : undefined;
  }
}

/** A point in time in the reader's format, in UTC (a file is read anywhere). */
export function instantIn(lang: string, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }).format(d)} UTC`;
}

/** A calendar day in the reader's format. */
export function dayIn(lang: string, day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? day
    : new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

/** The words an entry is read with: the language's labels, the installation's people, a scope's risk levels. */
export function auditWordsIn(language: string, people: Iterable<readonly [string, string]>): AuditWords {
  const lang = pickLanguage(language);
  const i18n = webTexts(lang);
  const auditLabel = (group: string, key: string) => (i18n.exists(`audit:${group}.${key}`) ? i18n.t(`audit:${group}.${key}`) : undefined);
  return {
    names: new Names(lang, people),
    levels: new Map(),
    records: new Map(),
    t: (key, params) => i18n.t(key, params ?? {}),
    exists: (key) => i18n.exists(key),
    fieldLabel: (field) => {
      const name = camelField(field);
      return (
        auditLabel('field', name) ??
        humanize(
          name
            .replace(/Ids?$/, '')
            .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
            .toLowerCase(),
        )
      );
    },
    recordTypeLabel: (type) => auditLabel('recordType', type) ?? humanize(type),
    valueLabel: (_field, value) => value,
    formatDate: (value) => dayIn(lang, value),
    formatDateTime: (value) => instantIn(lang, value),
    formatNumber: (n) => new Intl.NumberFormat(lang).format(n),
    languageName: (code) => new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code,
    recurrence: (rrule) => recurrenceIn(i18n, lang, rrule),
  };
}

/** The stored form of an entry that is worded (a row of `audit_entry`). */
export interface StoredEntry {
  seq: number | string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string;
  record_id: string;
  record_ref: string | null;
  changes: string;
}

export interface EntryInWords {
  seq: number;
  at: string;
  /** the person who acted, null for Praxis itself */
  actor: string | null;
  action: string;
  /** the record's type, and its reference (or name) where it has one */
  record: string;
  changes: { field: string; from: string | null; to: string }[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `Erika Mustermann <erika@example.com>` → `Erika Mustermann`; `system` → null */
const nameOfLabel = (label: string): string | null => (label === 'system' ? null : label.replace(/\s*<[^>]*>$/, '') || null);

/** One entry in words (`w` with the levels of the entry's scope; `records`: the records it names). */
export function entryInWords(w: AuditWords, e: StoredEntry, records: NamedRecord[]): EntryInWords {
  const words: AuditWords = {
    ...w,
    records: new Map(records.flatMap((r) => recordKeys(r).map((key) => [key, r] as const))),
  };
  const own = words.records?.get(`${e.record_type}:${e.record_id}`);
  // a reference as written; a record found by its id; a person or process by name; never an id
  const ref = e.record_ref && !uuid.test(e.record_ref) ? e.record_ref : null;
  const which =
    recordRefWords(w, e.record_type, e.record_ref) ??
    ref ??
    own?.reference ??
    own?.title ??
    (e.record_ref ? w.names.get(e.record_ref) : undefined) ??
    w.names.get(e.record_id) ??
    null;
  const changes = JSON.parse(e.changes) as Record<string, { from?: unknown; to?: unknown }>;
  return {
    seq: Number(e.seq),
    at: w.formatDateTime(e.at, e.at),
    // the name as it was written then (a person renamed since still reads as they acted), else as known now
    actor: nameOfLabel(e.actor_label) ?? (e.actor_id ? w.names.get(e.actor_id) : undefined) ?? null,
    action: w.exists(`audit:action.${e.action}`) ? w.t(`audit:action.${e.action}`) : humanize(e.action),
    record: which ? `${w.recordTypeLabel(e.record_type)} ${which}` : w.recordTypeLabel(e.record_type),
    changes: Object.entries(changes).map(([field, c]) => ({
      field: fieldWords(words, e.record_type, field),
      from: 'from' in c ? showAuditValue(words, e.record_type, field, c.from).text : null,
      to: showAuditValue(words, e.record_type, field, c.to).text,
    })),
  };
}
