import { describe, expect, it } from 'vitest';
import { bsiElementaryThreats } from './bsi-elementary-threats.ts';
import {
  acceptanceFor,
  defaultMethod,
  impactForProtectionNeed,
  isAboveAcceptance,
  type RiskMethod,
  riskMethodSchema,
  scoreRisk,
  validateMethod,
} from './risk-method.ts';

const clone = (m: RiskMethod): RiskMethod => structuredClone(m);
const paths = (m: RiskMethod) => validateMethod(m).map((i) => i.path.join('.'));

describe('default risk methods', () => {
  it('small profile: 3×3 with low / medium / high; high must be treated', () => {
    const m = defaultMethod('small');
    expect(m.likelihood.map((l) => l.value)).toEqual([1, 2, 3]);
    expect(m.impact).toHaveLength(3);
    expect(m.levels.map((l) => l.key)).toEqual(['low', 'medium', 'high']);
    expect(m.matrix).toEqual([
      ['low', 'low', 'medium'],
      ['low', 'medium', 'high'],
      ['medium', 'high', 'high'],
    ]);
    expect(acceptanceFor(m, 'medium')).toBe('risk_owner');
    expect(acceptanceFor(m, 'high')).toBeNull();
    expect(validateMethod(m)).toEqual([]);
  });

  it('large profile: 5×5 with low / medium / high / critical; management accepts high', () => {
    const m = defaultMethod('large');
    expect(m.likelihood).toHaveLength(5);
    expect(m.impact).toHaveLength(5);
    expect(m.levels.map((l) => l.key)).toEqual(['low', 'medium', 'high', 'critical']);
    expect(acceptanceFor(m, 'low')).toBe('risk_owner');
    expect(acceptanceFor(m, 'high')).toBe('management');
    expect(acceptanceFor(m, 'critical')).toBeNull();
    expect(isAboveAcceptance(m, 'medium')).toBe(false);
    expect(isAboveAcceptance(m, 'high')).toBe(true);
    expect(validateMethod(m)).toEqual([]);
    expect(riskMethodSchema.safeParse(m).success).toBe(true);
  });
});

describe('scoreRisk', () => {
  it('maps a cell to its level and scores likelihood × impact', () => {
    const small = defaultMethod('small');
    expect(scoreRisk(small, 1, 1)).toEqual({ level: 'low', score: 1 });
    expect(scoreRisk(small, 2, 2)).toEqual({ level: 'medium', score: 4 });
    expect(scoreRisk(small, 3, 2)).toEqual({ level: 'high', score: 6 });
    const large = defaultMethod('large');
    expect(scoreRisk(large, 5, 5)).toEqual({ level: 'critical', score: 25 });
    expect(scoreRisk(large, 2, 4)).toEqual({ level: 'medium', score: 8 });
    expect(scoreRisk(large, 4, 3)).toEqual({ level: 'high', score: 12 });
  });

  it('refuses values outside the scales', () => {
    const small = defaultMethod('small');
    expect(() => scoreRisk(small, 4, 1)).toThrow(RangeError);
    expect(() => scoreRisk(small, 1, 0)).toThrow(/impact/);
    expect(() => scoreRisk(small, 1.5, 1)).toThrow(/likelihood/);
  });
});

describe('validateMethod', () => {
  it('needs every cell mapped to a level that exists', () => {
    const m = clone(defaultMethod('small'));
    m.matrix[1]![2] = 'extreme';
    expect(paths(m)).toEqual(['matrix.1.2']);
    const short = clone(defaultMethod('small'));
    short.matrix[2] = ['medium', 'high'];
    expect(paths(short)).toContain('matrix.2');
    const rows = clone(defaultMethod('small'));
    rows.matrix.pop();
    expect(paths(rows)).toContain('matrix');
  });

  it('needs 3 to 5 levels per scale, numbered 1..n', () => {
    const m = clone(defaultMethod('small'));
    m.likelihood = m.likelihood.slice(0, 2);
    m.matrix = m.matrix.slice(0, 2);
    expect(paths(m)).toEqual(['likelihood']);
    const six = clone(defaultMethod('large'));
    six.impact.push({ value: 6, label: 'Beyond', description: '' });
    for (const row of six.matrix) row.push('critical');
    expect(paths(six)).toContain('impact');
    const gap = clone(defaultMethod('small'));
    gap.impact[2]!.value = 4;
    expect(paths(gap)).toEqual(['impact.2.value']);
  });

  it('refuses duplicate level keys and orders, unknown or repeated acceptance levels', () => {
    const m = clone(defaultMethod('small'));
    m.levels[1]!.key = 'low';
    expect(paths(m)).toContain('levels.1.key');
    const order = clone(defaultMethod('small'));
    order.levels[2]!.order = 2;
    expect(paths(order)).toContain('levels.2.order');
    const acc = clone(defaultMethod('small'));
    acc.acceptance.push({ level: 'unknown', acceptedBy: 'management' }, { level: 'low', acceptedBy: 'risk_owner' });
    expect(paths(acc)).toEqual(['acceptance.2.level', 'acceptance.3.level']);
  });

  it('keeps results consistent: no cell is less severe than one with lower likelihood or impact', () => {
    const m = clone(defaultMethod('small'));
    m.matrix[2]![2] = 'low';
    expect(paths(m)).toEqual(['matrix.2.2']);
  });

  it('does not let a more severe level be easier to accept', () => {
    const m = clone(defaultMethod('large'));
    m.acceptance = [
      { level: 'low', acceptedBy: 'risk_owner' },
      { level: 'medium', acceptedBy: 'management' },
      { level: 'high', acceptedBy: 'risk_owner' },
    ];
    expect(paths(m)).toEqual(['acceptance.2']);
  });

  it('the zod schema reports the problems with their paths', () => {
    const m = clone(defaultMethod('small'));
    m.matrix[0]![0] = 'nope';
    const r = riskMethodSchema.safeParse(m);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['matrix.0.0']);
    expect(riskMethodSchema.safeParse({ ...defaultMethod('small'), colour: 'red' }).success).toBe(false);
    const badColour = clone(defaultMethod('small'));
    badColour.levels[0]!.colour = 'green';
    expect(riskMethodSchema.safeParse(badColour).error?.issues[0]?.path).toEqual(['levels', 0, 'colour']);
  });
});

describe('protection need → suggested impact', () => {
  it('places normal, high and very high in the lowest, middle and top third of the scale', () => {
    expect([3, 4, 5].map((n) => ['normal', 'high', 'very_high'].map((p) => impactForProtectionNeed(n, p as 'normal')))).toEqual([
      [1, 2, 3],
      [2, 3, 4], // BSI 200-3: limited, considerable, existential
      [2, 4, 5],
    ]);
  });
});

describe('BSI elementary threats', () => {
  it('ships G 0.1 to G 0.47 once each', () => {
    expect(bsiElementaryThreats).toHaveLength(47);
    expect(bsiElementaryThreats.map((t) => t.code)).toEqual(Array.from({ length: 47 }, (_, i) => `G 0.${i + 1}`));
    expect(bsiElementaryThreats[0]!.title).toBe('Fire');
    expect(bsiElementaryThreats[46]!.title).toBe('Harmful side effects of IT-supported attacks');
  });
});
