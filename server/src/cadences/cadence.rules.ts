import * as rrulePkg from 'rrule';
import type { Text, TextParams } from '../i18n/i18n.ts';

// This file is pure and the web client imports it: it names its problems as catalog keys and imports no runtime code
// (the catalogs are read from disk on the server, so `english()` and `errorText()` stay out of here).
const errorText = (key: string, params?: TextParams): Text => ({ key: `errors:${key}`, params });

/**
 * Cadence rules (pure): RFC 5545 recurrence rules evaluated by the `rrule` library, on calendar dates.
 *
 * Time zone semantics: a cadence schedules *days*, not instants. Dates are 'YYYY-MM-DD' calendar dates, evaluated by
 * rrule as floating dates (UTC midnight, which has no daylight saving), so a weekly rule stays on its weekday and a
 * monthly rule on its day across a DST change in any zone (Europe/Berlin's last Sunday of March and October included).
 * "Today" is the UTC calendar day, as for every due date in Praxis; a meeting's time of day belongs to the task.
 *
 * Month ends (RFC 5545 3.3.10: "invalid dates are ignored"): a plain BYMONTHDAY=31 skips months without a 31st. The
 * friendly form does what people mean instead: "on the 31st" is `BYMONTHDAY=28,29,30,31;BYSETPOS=-1` (the 31st, or
 * the month's last day when it is shorter), and "on the last day" is `BYMONTHDAY=-1`. A rule that names no day takes
 * its start's day, with the same fall-back from the 29th on (see ruleFrom). A raw BYMONTHDAY keeps RFC behaviour.
 */

// rrule ships CommonJS for Node and ES modules for bundlers: take its exports from whichever form this runtime gives.
const lib = (Reflect.get(rrulePkg, 'default') as typeof rrulePkg | undefined) ?? rrulePkg;
const { RRule, Frequency } = lib;
type Options = rrulePkg.Options;

export const frequencies = ['weekly', 'monthly', 'yearly'] as const;
export type CadenceFrequency = (typeof frequencies)[number];
export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type CadenceWeekday = (typeof weekdays)[number];
export const cadenceModes = ['fixed', 'after_completion'] as const;
export type CadenceMode = (typeof cadenceModes)[number];

/** A rule in the form the editor shows: "every 3 months", "every year in March on the 15th", "every week on Monday". */
export interface FriendlyRule {
  frequency: CadenceFrequency;
  interval: number;
  /** weekly rules: the day of the week */
  weekday?: CadenceWeekday | null | undefined;
  /** monthly and yearly rules: 1–31 (29–31 fall back to the month's last day), or -1 for "the last day" */
  monthDay?: number | null | undefined;
  /** yearly rules: 1–12 */
  month?: number | null | undefined;
}

/** A rule that cannot be used, with the field of the friendly form it is about (relative to the rule). */
export class RuleError extends Error {
  readonly path: string | undefined;
  /** the problem as a text of the errors catalog (`message` is its key; the service answers with the text) */
  readonly text: Text;
  constructor(text: Text, path?: string) {
    super(text.key);
    this.name = 'RuleError';
    this.text = text;
    this.path = path;
  }
}

const freqOf: Record<CadenceFrequency, number> = { weekly: Frequency.WEEKLY, monthly: Frequency.MONTHLY, yearly: Frequency.YEARLY };

/** The RRULE value (without DTSTART) for a friendly rule; refuses combinations that make no sense. */
export function toRRule(rule: FriendlyRule): string {
  const { frequency, interval } = rule;
  if (!Number.isInteger(interval) || interval < 1 || interval > 99) throw new RuleError(errorText('cadence.intervalRange'), 'interval');
  const parts = [`FREQ=${frequency.toUpperCase()}`, `INTERVAL=${interval}`];
  if (rule.weekday) {
    if (frequency !== 'weekly') throw new RuleError(errorText('cadence.weekdayOnlyWeekly'), 'weekday');
    parts.push(`BYDAY=${rule.weekday}`);
  }
  if (rule.month != null) {
    if (frequency !== 'yearly') throw new RuleError(errorText('cadence.monthOnlyYearly'), 'month');
    if (!Number.isInteger(rule.month) || rule.month < 1 || rule.month > 12) throw new RuleError(errorText('cadence.monthRange'), 'month');
    parts.push(`BYMONTH=${rule.month}`);
  }
  if (rule.monthDay != null) {
    const d = rule.monthDay;
    if (frequency === 'weekly') throw new RuleError(errorText('cadence.monthDayNotWeekly'), 'monthDay');
    if (!Number.isInteger(d) || !(d === -1 || (d >= 1 && d <= 31))) {
      throw new RuleError(errorText('cadence.monthDayRange'), 'monthDay');
    }
    if (d === -1) parts.push('BYMONTHDAY=-1');
    else if (d >= 29) parts.push(`BYMONTHDAY=${[28, 29, 30, 31].filter((x) => x <= d).join(',')};BYSETPOS=-1`);
    else parts.push(`BYMONTHDAY=${d}`);
  }
  return parts.join(';');
}

const asArray = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/** The friendly form of a stored rule, or null when the rule says more than the editor can show. */
export function toFriendly(rrule: string): FriendlyRule | null {
  let o: Partial<Options>;
  try {
    o = RRule.parseString(rrule);
  } catch {
    return null;
  }
  const frequency = (Object.keys(freqOf) as CadenceFrequency[]).find((f) => freqOf[f] === o.freq);
  if (!frequency) return null;
  const known = new Set(['freq', 'interval', 'byweekday', 'bymonthday', 'bymonth', 'bysetpos']);
  if (Object.keys(o).some((k) => !known.has(k) && (o as Record<string, unknown>)[k] != null)) return null;
  const rule: FriendlyRule = { frequency, interval: o.interval ?? 1, weekday: null, monthDay: null, month: null };
  const days = asArray(o.byweekday as unknown as { weekday: number; n?: number } | number);
  if (days.length > 1) return null;
  if (days.length === 1) {
    const d = days[0]!;
    const n = typeof d === 'number' ? d : d.weekday;
    if (typeof d !== 'number' && d.n) return null;
    rule.weekday = weekdays[n] ?? null;
  }
  const months = asArray(o.bymonth);
  if (months.length > 1) return null;
  if (months.length === 1) rule.month = months[0]!;
  const monthDays = asArray(o.bymonthday);
  const setpos = asArray(o.bysetpos);
  if (setpos.length > 0) {
    // the "31st, or the last day of a shorter month" pattern written by toRRule
    const last = monthDays[monthDays.length - 1];
    const pattern = [28, 29, 30, 31].filter((x) => last !== undefined && x <= last);
    if (setpos.length !== 1 || setpos[0] !== -1 || !last || last < 29 || monthDays.join(',') !== pattern.join(',')) return null;
    rule.monthDay = last;
  } else if (monthDays.length > 1) return null;
  else if (monthDays.length === 1) rule.monthDay = monthDays[0]!;
  try {
    return toRRule(rule) ? rule : null;
  } catch {
    return null;
  }
}

/** A rule the editor cannot show, in rrule's own English words ("every month on the 1st Monday"), else as it is. */
export function ruleToText(rrule: string): string {
  try {
    return RRule.fromString(rrule).toText();
  } catch {
    return rrule;
  }
}

/** A date 'YYYY-MM-DD' as rrule's floating date (UTC midnight), and back. */
const toDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
const toDay = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, days: number) => toDay(new Date(toDate(day).getTime() + days * 86_400_000));
export const daysBetween = (from: string, to: string) => Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);

/**
 * Parses and checks a stored or typed RRULE value ("FREQ=…;…", an "RRULE:" prefix is allowed). Cadences count days,
 * so FREQ is DAILY, WEEKLY, MONTHLY or YEARLY; DTSTART is the cadence's start date, not part of the rule.
 */
export function normaliseRRule(text: string): string {
  const value = text.trim().replace(/^RRULE:/i, '');
  if (!value) throw new RuleError(errorText('cadence.empty'));
  if (/DTSTART|TZID|\n/i.test(value)) throw new RuleError(errorText('cadence.startInsideRule'));
  let o: Partial<Options>;
  try {
    o = RRule.parseString(value);
  } catch (err) {
    throw new RuleError(errorText('cadence.notRfc5545', { problem: (err as Error).message }));
  }
  if (o.freq === undefined || o.freq === null) throw new RuleError(errorText('cadence.noFrequency'));
  if (![Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY].includes(o.freq)) {
    throw new RuleError(errorText('cadence.tooFrequent'));
  }
  if (o.interval !== undefined && (!Number.isInteger(o.interval) || o.interval < 1 || o.interval > 99)) {
    throw new RuleError(errorText('cadence.intervalRangeRule'));
  }
  if (asArray(o.byweekday as unknown).some((d) => d === undefined)) throw new RuleError(errorText('cadence.unknownWeekday'));
  if (o.byhour != null || o.byminute != null || o.bysecond != null) throw new RuleError(errorText('cadence.timeOfDay'));
  return RRule.optionsToString(o).replace(/^RRULE:/, '');
}

/**
 * The rule anchored at `dtstart`. A monthly or yearly rule that names no day takes its start's day (RFC 5545); from the
 * 29th on, that day would skip shorter months (a review "3 months after" one done on 30 November would land in May), so
 * it falls on the month's last day instead: BYMONTHDAY=28..day;BYSETPOS=-1 (and BYMONTH of the start for yearly rules).
 */
function ruleFrom(rrule: string, dtstart: string) {
  const o = RRule.parseString(rrule);
  const day = Number(dtstart.slice(8, 10));
  const namesNoDay = ['bymonthday', 'byweekday', 'byyearday', 'byweekno', 'bysetpos', 'bynweekday'].every((k) => {
    const v = (o as Record<string, unknown>)[k];
    return v == null || (Array.isArray(v) && v.length === 0);
  });
  if (day >= 29 && namesNoDay && (o.freq === Frequency.MONTHLY || o.freq === Frequency.YEARLY)) {
    o.bymonthday = [28, 29, 30, 31].filter((x) => x <= day);
    o.bysetpos = [-1];
    if (o.freq === Frequency.YEARLY && o.bymonth == null) o.bymonth = [Number(dtstart.slice(5, 7))];
  }
  return new RRule({ ...o, dtstart: toDate(dtstart) });
}

/** The first date of a rule anchored at `dtstart` that is after `day` (or on it, with `inclusive`), or null. */
export function nextOn(rrule: string, dtstart: string, day: string, inclusive = false): string | null {
  const d = ruleFrom(rrule, dtstart).after(toDate(day), inclusive);
  return d ? toDay(d) : null;
}

/** The dates of a rule anchored at `dtstart` from `from` to `to`, both included. */
export function datesBetween(rrule: string, dtstart: string, from: string, to: string, max = 400): string[] {
  return ruleFrom(rrule, dtstart)
    .between(toDate(from), toDate(to), true, (_d, i) => i < max)
    .map(toDay);
}

/** Checks that a rule happens at all: a rule that never occurs after its start (February 30th) is refused. */
export function assertOccurs(rrule: string, startsOn: string): void {
  if (!nextOn(rrule, startsOn, startsOn, true)) throw new RuleError(errorText('cadence.neverOccurs'));
}

/** Roughly how many days lie between two occurrences: used for defaults (lead time) and the legacy cadence label. */
export function periodDays(rrule: string): number {
  const o = RRule.parseString(rrule);
  const interval = o.interval ?? 1;
  const unit = o.freq === Frequency.YEARLY ? 365 : o.freq === Frequency.MONTHLY ? 30 : o.freq === Frequency.WEEKLY ? 7 : 1;
  return unit * interval;
}

/** Default lead time: two weeks ahead of a yearly occurrence, proportionally less for shorter periods. */
export function defaultLeadDays(rrule: string | null): number {
  if (!rrule) return 14;
  const p = periodDays(rrule);
  return p >= 365 ? 14 : p >= 180 ? 10 : p >= 90 ? 7 : p >= 28 ? 3 : 1;
}
export const DEFAULT_ESCALATION_DAYS = 7;
/** The longest lead time a cadence may have: the sweep looks this far ahead. */
export const MAX_LEAD_DAYS = 180;

/**
 * The first occurrence of a new schedule: the start date when given, else one period after today (the first
 * management review one year after the ISMS starts; "every year in March" → the next March).
 */
export function firstOccurrence(rrule: string, today: string, startsOn?: string | null): string | null {
  if (startsOn) return nextOn(rrule, startsOn, startsOn, true);
  return nextOn(rrule, today, today, false);
}

/**
 * The date after an occurrence on `occursOn`, completed on `completedOn`.
 * fixed: the schedule's next date after the occurrence; occurrences missed while it stayed open are skipped (the next
 * date is today or later). after_completion: the rule counted from the completion day ("3 months after the review").
 */
export function nextAfterCompletion(
  c: { rule: string; startsOn: string; mode: CadenceMode },
  occursOn: string,
  completedOn: string,
): string | null {
  if (c.mode === 'after_completion') return nextOn(c.rule, completedOn, completedOn, false);
  const dayBefore = addDays(completedOn, -1);
  const from = occursOn > dayBefore ? occursOn : dayBefore;
  return nextOn(c.rule, c.startsOn, from, false);
}

/** The next `n` dates from `first`: the schedule for fixed rules; for counted rules, assuming each is done on its day. */
export function upcomingDates(c: { rule: string; startsOn: string; mode: CadenceMode }, first: string | null, n = 3): string[] {
  const out: string[] = [];
  let d = first;
  while (d && out.length < n) {
    out.push(d);
    d = c.mode === 'after_completion' ? nextOn(c.rule, d, d, false) : nextOn(c.rule, c.startsOn, d, false);
  }
  return out;
}

/**
 * Where a new or edited schedule starts and its next date. fixed: the start date (default: one period from today) and
 * the schedule's first date from today on. after_completion: the given date, else one period after the last completion,
 * else one period from today.
 */
export function schedule(
  rule: string,
  mode: CadenceMode,
  today: string,
  startsOn: string | null,
  lastCompletedOn: string | null,
): { startsOn: string | null; next: string | null } {
  if (mode === 'fixed') {
    const start = startsOn ?? firstOccurrence(rule, today);
    return { startsOn: start, next: start && (start >= today ? nextOn(rule, start, start, true) : nextOn(rule, start, today, true)) };
  }
  const next = startsOn ?? (lastCompletedOn ? nextOn(rule, lastCompletedOn, lastCompletedOn, false) : firstOccurrence(rule, today));
  return { startsOn: next, next };
}

/** The old cadence label of a process (API compatibility): the nearest of none/monthly/quarterly/half-yearly/yearly. */
export function legacyCadence(rrule: string | null): 'none' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly' {
  if (!rrule) return 'none';
  const p = periodDays(rrule);
  return p >= 300 ? 'yearly' : p >= 150 ? 'half_yearly' : p >= 75 ? 'quarterly' : 'monthly';
}

/** The rule for an old cadence label. */
export function ruleOfLegacy(cadence: string): string | null {
  const months: Record<string, number> = { monthly: 1, quarterly: 3, half_yearly: 6 };
  if (cadence === 'yearly') return 'FREQ=YEARLY;INTERVAL=1';
  const m = months[cadence];
  return m ? `FREQ=MONTHLY;INTERVAL=${m}` : null;
}
