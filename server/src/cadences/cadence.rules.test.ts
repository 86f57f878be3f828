import { describe, expect, it } from 'vitest';
import {
  datesBetween,
  firstOccurrence,
  legacyCadence,
  nextAfterCompletion,
  nextOn,
  normaliseRRule,
  RuleError,
  ruleToText,
  toFriendly,
  toRRule,
  upcomingDates,
} from './cadence.rules.ts';

describe('cadence rules', () => {
  it('writes friendly rules as RFC 5545 rules and reads them back', () => {
    const cases = [
      { frequency: 'yearly', interval: 1, month: 3, monthDay: 15 },
      { frequency: 'monthly', interval: 3, monthDay: -1 },
      { frequency: 'monthly', interval: 1, monthDay: 31 },
      { frequency: 'weekly', interval: 2, weekday: 'MO' },
    ] as const;
    for (const c of cases) {
      const rule = toRRule(c);
      expect(toFriendly(rule)).toEqual({ weekday: null, monthDay: null, month: null, ...c });
    }
    expect(toRRule({ frequency: 'monthly', interval: 1, monthDay: 31 })).toBe('FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1');
    // a rule the editor cannot show stays a rule
    expect(toFriendly('FREQ=MONTHLY;BYDAY=1MO')).toBeNull();
  });

  it('refuses combinations that make no sense, naming the part', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof RuleError ? (e.path ?? 'rule') : 'other';
      }
      return 'none';
    };
    expect(err(() => toRRule({ frequency: 'weekly', interval: 1, monthDay: 3 }))).toBe('monthDay');
    expect(err(() => toRRule({ frequency: 'monthly', interval: 1, weekday: 'MO' }))).toBe('weekday');
    expect(err(() => toRRule({ frequency: 'monthly', interval: 0 }))).toBe('interval');
    expect(err(() => normaliseRRule('FREQ=HOURLY'))).toBe('rule');
    expect(err(() => normaliseRRule('FREQ=WEEKLY;BYDAY=XX'))).toBe('rule');
    expect(err(() => normaliseRRule('DTSTART:20270101\nRRULE:FREQ=YEARLY'))).toBe('rule');
    expect(err(() => normaliseRRule('nonsense'))).toBe('rule');
    expect(normaliseRRule('RRULE:FREQ=MONTHLY;INTERVAL=3')).toBe('FREQ=MONTHLY;INTERVAL=3');
  });

  it('month end: "the 31st" falls back to the last day of shorter months; a raw BYMONTHDAY=31 skips them (RFC 5545)', () => {
    const the31st = toRRule({ frequency: 'monthly', interval: 1, monthDay: 31 });
    expect(datesBetween(the31st, '2027-01-31', '2027-01-01', '2027-05-31')).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
    expect(datesBetween(the31st, '2028-01-31', '2028-02-01', '2028-02-29')).toEqual(['2028-02-29']);
    expect(datesBetween('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31', '2027-01-01', '2027-05-31')).toEqual([
      '2027-01-31',
      '2027-03-31',
      '2027-05-31',
    ]);
    expect(datesBetween('FREQ=MONTHLY;BYMONTHDAY=-1', '2027-01-01', '2027-01-01', '2027-03-31')).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
    ]);
  });

  it("month end: a rule without a day keeps its start's day, or the last day of a shorter month", () => {
    // counted from a review done on 30 November: three months later is the end of February, not May
    expect(
      nextAfterCompletion(
        { rule: 'FREQ=MONTHLY;INTERVAL=3', startsOn: '2026-11-30', mode: 'after_completion' },
        '2026-11-01',
        '2026-11-30',
      ),
    ).toBe('2027-02-28');
    expect(
      nextAfterCompletion(
        { rule: 'FREQ=MONTHLY;INTERVAL=3', startsOn: '2027-11-30', mode: 'after_completion' },
        '2027-11-01',
        '2027-11-30',
      ),
    ).toBe('2028-02-29');
    expect(datesBetween('FREQ=MONTHLY;INTERVAL=1', '2027-01-31', '2027-01-01', '2027-04-30')).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    expect(datesBetween('FREQ=YEARLY;INTERVAL=1', '2028-02-29', '2028-01-01', '2030-12-31')).toEqual([
      '2028-02-29',
      '2029-02-28',
      '2030-02-28',
    ]);
    expect(datesBetween('FREQ=MONTHLY;INTERVAL=1', '2027-01-15', '2027-01-01', '2027-03-31')).toEqual([
      '2027-01-15',
      '2027-02-15',
      '2027-03-15',
    ]);
  });

  it('DST: a weekly rule keeps its weekday and a 7-day step across the changes in Europe/Berlin', () => {
    // 2027-03-28 and 2027-10-31 are the last Sundays of March and October
    const monday = toRRule({ frequency: 'weekly', interval: 1, weekday: 'MO' });
    const spring = datesBetween(monday, '2027-03-01', '2027-03-15', '2027-04-12');
    expect(spring).toEqual(['2027-03-15', '2027-03-22', '2027-03-29', '2027-04-05', '2027-04-12']);
    const autumn = datesBetween(monday, '2027-03-01', '2027-10-18', '2027-11-08');
    expect(autumn).toEqual(['2027-10-18', '2027-10-25', '2027-11-01', '2027-11-08']);
    // 09:00 in Berlin is 08:00 UTC before the spring change and 07:00 UTC after it: the calendar day does not move
    const at9 = (day: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(`${day}T${day < '2027-03-28' ? '08' : '07'}:00:00Z`),
      );
    expect(spring.map(at9)).toEqual(spring);
  });

  it('counts from the completion or follows the fixed schedule', () => {
    const quarterly = 'FREQ=MONTHLY;INTERVAL=3';
    // counted: three months after the day the review was done, whenever it was due
    expect(nextAfterCompletion({ rule: quarterly, startsOn: '2027-01-15', mode: 'after_completion' }, '2027-01-15', '2027-02-03')).toBe(
      '2027-05-03',
    );
    // fixed: the schedule's next date, late completion or not
    expect(nextAfterCompletion({ rule: quarterly, startsOn: '2027-01-15', mode: 'fixed' }, '2027-01-15', '2027-02-03')).toBe('2027-04-15');
    // fixed, done so late that the next date passed: the one after today
    expect(nextAfterCompletion({ rule: quarterly, startsOn: '2027-01-15', mode: 'fixed' }, '2027-01-15', '2027-05-01')).toBe('2027-07-15');
    // fixed, done on the day or early: the date after the occurrence
    expect(nextAfterCompletion({ rule: quarterly, startsOn: '2027-01-15', mode: 'fixed' }, '2027-01-15', '2027-01-15')).toBe('2027-04-15');
    expect(nextAfterCompletion({ rule: quarterly, startsOn: '2027-01-15', mode: 'fixed' }, '2027-01-15', '2027-01-02')).toBe('2027-04-15');
    expect(upcomingDates({ rule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', startsOn: '2027-03-01', mode: 'fixed' }, '2027-03-01')).toEqual([
      '2027-03-01',
      '2028-03-01',
      '2029-03-01',
    ]);
    expect(firstOccurrence('FREQ=YEARLY;INTERVAL=1', '2026-12-07')).toBe('2027-12-07');
    expect(firstOccurrence(toRRule({ frequency: 'yearly', interval: 1, month: 3 }), '2026-12-07')).toBe('2027-03-07');
    expect(nextOn('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2027-01-01', '2027-01-01', true)).toBeNull();
  });

  it('names the old cadence label nearest to a rule', () => {
    expect(legacyCadence(null)).toBe('none');
    expect(legacyCadence('FREQ=MONTHLY;INTERVAL=3')).toBe('quarterly');
    expect(legacyCadence('FREQ=MONTHLY;INTERVAL=6')).toBe('half_yearly');
    expect(legacyCadence('FREQ=YEARLY;INTERVAL=2')).toBe('yearly');
    expect(legacyCadence('FREQ=WEEKLY')).toBe('monthly');
  });
});

describe('rule words', () => {
  it('names a rule the editor cannot show in words', () => {
    expect(ruleToText('FREQ=MONTHLY;BYDAY=1MO')).toBe('every month on the 1st Monday');
  });
});
