import { describe, expect, it } from 'vitest';
import { addUtcMonths, canTransition, isLate, regulatoryDeadlines, remainingMs } from './incident-rules.ts';

/** The UTC instant of a wall-clock time in a time zone (for writing tests the way people read clocks). */
function zoned(local: string, timeZone: string): Date {
  const guess = new Date(`${local}Z`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(guess);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

describe('incident lifecycle', () => {
  it('allows only the documented transitions', () => {
    expect(canTransition('reported', 'triaged')).toBe(true);
    expect(canTransition('reported', 'closed')).toBe(false);
    expect(canTransition('triaged', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'responding')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
    expect(canTransition('closed', 'responding')).toBe(false);
  });
});

describe('regulatory clocks', () => {
  it('owes nothing for an incident without personal data that is not significant', () => {
    expect(regulatoryDeadlines({ awareAt: new Date('2026-05-01T10:00:00Z'), personalData: false, nis2Significant: false })).toEqual([]);
  });

  it('gives GDPR Art. 33 72 elapsed hours, across the spring daylight-saving change in Berlin', () => {
    // aware on Saturday 28 March 2026, 09:00 in Berlin (CET, UTC+1); clocks go forward on 29 March
    const aware = zoned('2026-03-28T09:00:00', 'Europe/Berlin');
    expect(aware.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    const [gdpr] = regulatoryDeadlines({ awareAt: aware, personalData: true, nis2Significant: false });
    expect(gdpr!.dueAt!.toISOString()).toBe('2026-03-31T08:00:00.000Z');
    // which reads 10:00 (CEST) on the Berlin wall clock, not 09:00
    expect(gdpr!.dueAt!.toLocaleString('en-GB', { timeZone: 'Europe/Berlin' })).toBe('31/03/2026, 10:00:00');
    expect(gdpr!.dueAt!.getTime() - aware.getTime()).toBe(72 * 3_600_000);
  });

  it('keeps 24 and 72 hours exact across the autumn change in New York', () => {
    const aware = zoned('2026-10-31T22:30:00', 'America/New_York');
    const d = regulatoryDeadlines({ awareAt: aware, personalData: false, nis2Significant: true });
    const by = Object.fromEntries(d.map((x) => [x.regime, x.dueAt]));
    expect(by.nis2_early_warning!.getTime() - aware.getTime()).toBe(24 * 3_600_000);
    expect(by.nis2_notification!.getTime() - aware.getTime()).toBe(72 * 3_600_000);
    expect(by.nis2_early_warning!.toLocaleString('en-US', { timeZone: 'America/New_York' })).toBe('11/1/2026, 9:30:00 PM');
    expect(by.nis2_final_report).toBeNull();
  });

  it('times the NIS2 final report one calendar month after the notification was sent', () => {
    const base = { awareAt: new Date('2026-01-29T12:00:00Z'), personalData: true, nis2Significant: true };
    const final = (sent: string) =>
      regulatoryDeadlines({ ...base, nis2NotificationSentAt: new Date(sent) })
        .find((x) => x.regime === 'nis2_final_report')!
        .dueAt!.toISOString();
    expect(final('2026-01-31T15:00:00Z')).toBe('2026-02-28T15:00:00.000Z');
    expect(final('2028-01-31T15:00:00Z')).toBe('2028-02-29T15:00:00.000Z');
    expect(final('2026-12-15T23:30:00Z')).toBe('2027-01-15T23:30:00.000Z');
    expect(addUtcMonths(new Date('2026-03-31T00:00:00Z'), 1).toISOString()).toBe('2026-04-30T00:00:00.000Z');
  });

  it('flags late notifications and counts down', () => {
    const due = new Date('2026-05-04T10:00:00Z');
    expect(isLate(due, new Date('2026-05-04T10:00:00Z'))).toBe(false);
    expect(isLate(due, new Date('2026-05-04T10:00:01Z'))).toBe(true);
    expect(remainingMs(due, new Date('2026-05-04T09:00:00Z'))).toBe(3_600_000);
    expect(remainingMs(due, new Date('2026-05-04T11:00:00Z'))).toBe(-3_600_000);
  });
});
