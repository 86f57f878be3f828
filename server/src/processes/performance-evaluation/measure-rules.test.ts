import { describe, expect, it } from 'vitest';
import { addPeriod, evaluate, nextDueAfter, subtractPeriod, thresholdProblem, trendOf } from './measure-rules.ts';

describe('measure rules', () => {
  it('evaluates a value against target and breach threshold in both directions', () => {
    const higher = { direction: 'higher' as const, target: 90, breachAt: 75 };
    expect(evaluate(95, higher)).toBe('on_target');
    expect(evaluate(90, higher)).toBe('on_target');
    expect(evaluate(80, higher)).toBe('warning');
    expect(evaluate(75, higher)).toBe('breach');
    expect(evaluate(10, higher)).toBe('breach');
    const lower = { direction: 'lower' as const, target: 24, breachAt: 72 };
    expect(evaluate(2, lower)).toBe('on_target');
    expect(evaluate(48, lower)).toBe('warning');
    expect(evaluate(72, lower)).toBe('breach');
  });

  it('refuses a breach threshold on the better side of the target', () => {
    expect(thresholdProblem({ direction: 'higher', target: 90, breachAt: 95 })).toMatch(/breachAt/);
    expect(thresholdProblem({ direction: 'lower', target: 5, breachAt: 1 })).toMatch(/breachAt/);
    expect(thresholdProblem({ direction: 'lower', target: 5, breachAt: 10 })).toBeNull();
  });

  it('moves due dates by a period and keeps month ends', () => {
    expect(addPeriod('2026-01-31', 'monthly')).toBe('2026-02-28');
    expect(addPeriod('2026-11-15', 'quarterly')).toBe('2027-02-15');
    expect(addPeriod('2026-03-02', 'weekly')).toBe('2026-03-09');
    expect(subtractPeriod('2026-03-31', 'monthly')).toBe('2026-02-28');
    expect(nextDueAfter('2026-01-01', '2026-04-10', 'monthly')).toBe('2026-05-01');
  });

  it('names the trend of two values', () => {
    expect(trendOf(5, 3)).toBe('up');
    expect(trendOf(2, 3)).toBe('down');
    expect(trendOf(3, 3)).toBe('flat');
    expect(trendOf(3, null)).toBeNull();
  });
});
