import type { TFunction } from 'i18next';
import { type CadenceMode, type FriendlyRule, ruleToText } from '../../../../server/src/cadences/cadence.rules.ts';
import { currentLocale } from '../../i18n/index.ts';

const unitOf = { weekly: 'week', monthly: 'month', yearly: 'year' } as const;
const weekdayIndex = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 } as const;

/** "March" / "März" in the current language. */
export function monthName(month: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1));
}

/** "Monday" / "Montag" in the current language (1 January 2024 was a Monday). */
export function weekdayName(day: keyof typeof weekdayIndex): string {
  return new Intl.DateTimeFormat(currentLocale(), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + weekdayIndex[day]));
}

/**
 * A cadence in words: "every year in March", "every month on the last day of the month", "3 months after the last
 * review", "every 2 weeks on Monday". Null rule: no cadence; a rule the editor cannot show is named as it is.
 */
export function describeCadence(
  t: TFunction<'cadences'>,
  cadence: { rule: FriendlyRule | null; rrule: string | null; mode: CadenceMode },
): string {
  const { rule, rrule, mode } = cadence;
  if (!rrule) return t('none');
  if (!rule) return t('custom', { rule: ruleToText(rrule) });
  const unit = unitOf[rule.frequency];
  const parts = [mode === 'after_completion' ? t(`after.${unit}`, { count: rule.interval }) : t(`every.${unit}`, { count: rule.interval })];
  if (rule.weekday) parts.push(t('onWeekday', { weekday: weekdayName(rule.weekday) }));
  if (rule.month) parts.push(t('inMonth', { month: monthName(rule.month) }));
  if (rule.monthDay === -1) parts.push(t('onLastDay'));
  else if (rule.monthDay && rule.monthDay >= 29) parts.push(t('onDayOrLast', { day: rule.monthDay }));
  else if (rule.monthDay) parts.push(t('onDay', { day: rule.monthDay }));
  return parts.join(' ');
}
