import type { MeasureDirection, MeasureFrequency, MeasurementStatus } from './measure.schemas.ts';

/**
 * Pure rules of performance evaluation (ISO/IEC 27004 decision criteria): a value against the target and the breach
 * threshold of a definition version, the next due date of a frequency, and the trend between two values.
 */
export interface Thresholds {
  direction: MeasureDirection;
  target: number;
  breachAt: number;
}

/**
 * On target when the target is reached; a breach at or beyond the breach threshold (in the worse direction); a warning
 * in between.
 */
export function evaluate(value: number, t: Thresholds): MeasurementStatus {
  if (t.direction === 'higher') {
    if (value >= t.target) return 'on_target';
    return value <= t.breachAt ? 'breach' : 'warning';
  }
  if (value <= t.target) return 'on_target';
  return value >= t.breachAt ? 'breach' : 'warning';
}

/** The breach threshold must lie on the worse side of the target; null when it does, else the message. */
export function thresholdProblem(t: Thresholds): string | null {
  if (t.direction === 'higher' && t.breachAt > t.target) return 'breachAt must not be above the target when higher is better';
  if (t.direction === 'lower' && t.breachAt < t.target) return 'breachAt must not be below the target when lower is better';
  return null;
}

const months: Record<MeasureFrequency, number> = { weekly: 0, monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/** The day one period after `day` (YYYY-MM-DD); the 31st of a month continues on the month's last day. */
export function addPeriod(day: string, frequency: MeasureFrequency): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (frequency === 'weekly') return new Date(Date.UTC(y, m - 1, d + 7)).toISOString().slice(0, 10);
  const target = new Date(Date.UTC(y, m - 1 + months[frequency], 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** The day one period before `day`: the start of the period a live value covers. */
export function subtractPeriod(day: string, frequency: MeasureFrequency): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (frequency === 'weekly') return new Date(Date.UTC(y, m - 1, d - 7)).toISOString().slice(0, 10);
  const target = new Date(Date.UTC(y, m - 1 - months[frequency], 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** The due date after `from` that is later than `today` (a sweep that missed periods computes once, then moves on). */
export function nextDueAfter(from: string, today: string, frequency: MeasureFrequency): string {
  let next = addPeriod(from, frequency);
  for (let i = 0; next <= today && i < 1000; i++) next = addPeriod(next, frequency);
  return next;
}

/** Whether the latest value moved up, down or stayed (the direction of the number; better or worse is the status). */
export function trendOf(latest: number | null, previous: number | null): 'up' | 'down' | 'flat' | null {
  if (latest === null || previous === null) return null;
  const eps = Math.max(Math.abs(previous), 1) * 1e-9;
  if (latest > previous + eps) return 'up';
  if (latest < previous - eps) return 'down';
  return 'flat';
}
