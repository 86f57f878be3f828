import { z } from 'zod';

/**
 * The risk method of a scope (ISO/IEC 27001 6.1.2 a–b, ISO/IEC 27005, BSI 200-3): likelihood and impact scales, the
 * matrix that maps each (likelihood, impact) cell to a risk level, the levels themselves and the risk acceptance
 * criteria. Pure functions only; the stored, versioned method lives in risk-method.service.ts.
 */

/** who may accept a residual risk of a level (ISO 27001 6.1.3 f); a level without an entry must be treated */
export const acceptanceAuthorities = ['risk_owner', 'management'] as const;
export type AcceptanceAuthority = (typeof acceptanceAuthorities)[number];

export const MIN_SCALE_LEVELS = 3;
export const MAX_SCALE_LEVELS = 5;
export const MIN_RISK_LEVELS = 2;
export const MAX_RISK_LEVELS = 5;

const scaleLevelSchema = z.strictObject({
  value: z.number().int().min(1).max(MAX_SCALE_LEVELS),
  label: z.string().trim().min(1, { error: 'label is required' }).max(60),
  description: z.string().max(500).default(''),
});

const riskLevelSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, { error: 'validation:levelKeyFormat' }),
  label: z.string().trim().min(1, { error: 'label is required' }).max(60),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'validation:colourFormat' }),
  /** severity: 1 is the least severe */
  order: z.number().int().min(1).max(20),
});

const acceptanceSchema = z.strictObject({
  level: z.string(),
  acceptedBy: z.enum(acceptanceAuthorities, { error: 'acceptedBy must be risk_owner or management' }),
});

/** The fields of a method, without the cross-field checks of validateMethod. */
export const riskMethodFields = {
  likelihood: z
    .array(scaleLevelSchema)
    .min(MIN_SCALE_LEVELS, { error: `a scale has ${MIN_SCALE_LEVELS} to ${MAX_SCALE_LEVELS} levels` })
    .max(MAX_SCALE_LEVELS, { error: `a scale has ${MIN_SCALE_LEVELS} to ${MAX_SCALE_LEVELS} levels` }),
  impact: z
    .array(scaleLevelSchema)
    .min(MIN_SCALE_LEVELS, { error: `a scale has ${MIN_SCALE_LEVELS} to ${MAX_SCALE_LEVELS} levels` })
    .max(MAX_SCALE_LEVELS, { error: `a scale has ${MIN_SCALE_LEVELS} to ${MAX_SCALE_LEVELS} levels` }),
  levels: z
    .array(riskLevelSchema)
    .min(MIN_RISK_LEVELS, { error: `a method has ${MIN_RISK_LEVELS} to ${MAX_RISK_LEVELS} risk levels` })
    .max(MAX_RISK_LEVELS, { error: `a method has ${MIN_RISK_LEVELS} to ${MAX_RISK_LEVELS} risk levels` }),
  /** matrix[likelihood - 1][impact - 1] = level key */
  matrix: z.array(z.array(z.string()).max(MAX_SCALE_LEVELS)).max(MAX_SCALE_LEVELS),
  acceptance: z.array(acceptanceSchema).max(MAX_RISK_LEVELS),
};

export type ScaleLevel = z.infer<typeof scaleLevelSchema>;
export type RiskLevel = z.infer<typeof riskLevelSchema>;
export type RiskMethod = {
  likelihood: ScaleLevel[];
  impact: ScaleLevel[];
  levels: RiskLevel[];
  matrix: string[][];
  acceptance: { level: string; acceptedBy: AcceptanceAuthority }[];
};

/** A problem of a method: its path and a key of the validation catalog with the key's parameters. */
export interface MethodIssue {
  path: (string | number)[];
  message: string;
  params?: Record<string, string | number>;
}

/** Adds validateMethod's findings to a zod object that has the method's fields (paths relative to it). */
export function refineMethod(m: RiskMethod, ctx: z.RefinementCtx): void {
  for (const issue of validateMethod(m))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: issue.params ?? {} });
}

/** A complete, consistent method (what the database stores as the definition). */
export const riskMethodSchema = z.strictObject(riskMethodFields).superRefine(refineMethod);

/**
 * Checks what the schema cannot: scales numbered 1..n, unique level keys and orders, every matrix cell mapped to a
 * level that exists, the matrix never less severe when likelihood or impact grows, acceptance entries naming existing
 * levels once, and acceptance never easier for a more severe level. Returns the problems (none = valid).
 */
export function validateMethod(m: RiskMethod): MethodIssue[] {
  const issues: MethodIssue[] = [];
  for (const scale of ['likelihood', 'impact'] as const) {
    const levels = m[scale];
    if (levels.length < MIN_SCALE_LEVELS || levels.length > MAX_SCALE_LEVELS) {
      issues.push({ path: [scale], message: 'validation:method.scaleSize', params: { min: MIN_SCALE_LEVELS, max: MAX_SCALE_LEVELS } });
    }
    levels.forEach((l, i) => {
      if (l.value !== i + 1)
        issues.push({ path: [scale, i, 'value'], message: 'validation:method.scaleOrder', params: { count: levels.length } });
    });
  }
  if (m.levels.length < MIN_RISK_LEVELS || m.levels.length > MAX_RISK_LEVELS) {
    issues.push({ path: ['levels'], message: 'validation:method.levelCount', params: { min: MIN_RISK_LEVELS, max: MAX_RISK_LEVELS } });
  }
  const keys = new Set<string>();
  const orders = new Set<number>();
  m.levels.forEach((l, i) => {
    if (keys.has(l.key)) issues.push({ path: ['levels', i, 'key'], message: 'validation:method.keyTwice', params: { key: l.key } });
    if (orders.has(l.order))
      issues.push({ path: ['levels', i, 'order'], message: 'validation:method.orderTwice', params: { order: l.order } });
    keys.add(l.key);
    orders.add(l.order);
  });

  if (m.matrix.length !== m.likelihood.length) {
    issues.push({ path: ['matrix'], message: 'validation:method.matrixRows', params: { count: m.likelihood.length } });
  }
  m.matrix.forEach((row, l) => {
    if (row.length !== m.impact.length) {
      issues.push({ path: ['matrix', l], message: 'validation:method.matrixCells', params: { count: m.impact.length } });
    }
    row.forEach((cell, i) => {
      if (!keys.has(cell))
        issues.push({
          path: ['matrix', l, i],
          message: 'validation:method.unknownCell',
          params: { row: l + 1, column: i + 1, level: cell },
        });
    });
  });
  if (issues.length === 0) {
    // ISO 27005: results must be consistent — a more likely or more harmful scenario is never a lesser risk
    for (let l = 0; l < m.matrix.length; l++) {
      for (let i = 0; i < m.impact.length; i++) {
        const here = severity(m, m.matrix[l]![i]!);
        const left = i > 0 ? severity(m, m.matrix[l]![i - 1]!) : 0;
        const below = l > 0 ? severity(m, m.matrix[l - 1]![i]!) : 0;
        if (here < left || here < below) {
          issues.push({
            path: ['matrix', l, i],
            message: 'validation:method.cellLessSevere',
            params: { row: l + 1, column: i + 1 },
          });
        }
      }
    }
  }

  const accepted = new Set<string>();
  m.acceptance.forEach((a, i) => {
    if (!keys.has(a.level))
      issues.push({ path: ['acceptance', i, 'level'], message: 'validation:method.unknownLevel', params: { level: a.level } });
    else if (accepted.has(a.level))
      issues.push({ path: ['acceptance', i, 'level'], message: 'validation:method.levelTwice', params: { level: a.level } });
    accepted.add(a.level);
  });
  // a method that accepts nothing is allowed (everything is treated);
  // acceptance never gets easier as severity grows: risk_owner < management < not acceptable
  const strictness = (key: string) => {
    const by = acceptanceFor(m, key);
    return by === 'risk_owner' ? 0 : by === 'management' ? 1 : 2;
  };
  const bySeverity = [...m.levels].sort((a, b) => a.order - b.order);
  for (let i = 1; i < bySeverity.length; i++) {
    const lower = bySeverity[i - 1]!;
    const higher = bySeverity[i]!;
    if (strictness(higher.key) < strictness(lower.key)) {
      const index = m.acceptance.findIndex((a) => a.level === higher.key);
      issues.push({
        path: ['acceptance', Math.max(index, 0)],
        message: 'validation:method.easierToAccept',
        params: { higher: higher.label, lower: lower.label },
      });
    }
  }
  return issues;
}

/** The severity (order) of a level key in a method; 0 for an unknown or missing key. */
export function severity(m: Pick<RiskMethod, 'levels'>, key: string | null | undefined): number {
  if (!key) return 0;
  return m.levels.find((l) => l.key === key)?.order ?? 0;
}

export function findLevel(m: Pick<RiskMethod, 'levels'>, key: string | null | undefined): RiskLevel | undefined {
  return key ? m.levels.find((l) => l.key === key) : undefined;
}

/** Who may accept a risk of this level; null when it must be treated. */
export function acceptanceFor(m: Pick<RiskMethod, 'acceptance'>, key: string): AcceptanceAuthority | null {
  return m.acceptance.find((a) => a.level === key)?.acceptedBy ?? null;
}

/**
 * ISO 27001 6.1.2 e) evaluation: a level is above the acceptance criteria when the risk owner may not accept it alone
 * (management must accept it, or it must be treated).
 */
export function isAboveAcceptance(m: Pick<RiskMethod, 'acceptance'>, key: string): boolean {
  return acceptanceFor(m, key) !== 'risk_owner';
}

export function inScale(scale: readonly ScaleLevel[], value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= scale.length;
}

/** The level and score (likelihood × impact) of a scenario; throws a RangeError for a value outside a scale. */
export function scoreRisk(m: RiskMethod, likelihood: number, impact: number): { level: string; score: number } {
  if (!inScale(m.likelihood, likelihood)) throw new RangeError(`likelihood must be an integer from 1 to ${m.likelihood.length}`);
  if (!inScale(m.impact, impact)) throw new RangeError(`impact must be an integer from 1 to ${m.impact.length}`);
  const level = m.matrix[likelihood - 1]?.[impact - 1];
  if (!level) throw new RangeError(`the method maps no level to (${likelihood}, ${impact})`);
  return { level, score: likelihood * impact };
}

/** BSI 200-2 protection-need categories, weakest first. */
export const protectionNeeds = ['normal', 'high', 'very_high'] as const;
export type ProtectionNeed = (typeof protectionNeeds)[number];

/**
 * The impact value that a protection need suggests on an impact scale of n levels: normal → the top of the lowest
 * third, high → the top of the middle third, very high → the highest value (ceil((k + 1) · n / 3)). On BSI 200-3's
 * four-level scale this gives normal → limited, high → considerable, very high → existential.
 */
export function impactForProtectionNeed(scaleLength: number, need: ProtectionNeed): number {
  const k = protectionNeeds.indexOf(need);
  return Math.max(1, Math.min(scaleLength, Math.ceil(((k + 1) * scaleLength) / 3)));
}

export type ScopeProfile = 'small' | 'large';

const scale = (entries: [label: string, description: string][]): ScaleLevel[] =>
  entries.map(([label, description], i) => ({ value: i + 1, label, description }));

/** A matrix whose cells follow the score likelihood × impact through ascending thresholds. */
function matrixByScore(l: number, i: number, thresholds: [maxScore: number, key: string][]): string[][] {
  return Array.from({ length: l }, (_, li) =>
    Array.from({ length: i }, (_, ii) => {
      const score = (li + 1) * (ii + 1);
      return (thresholds.find(([max]) => score <= max) ?? thresholds[thresholds.length - 1]!)[1];
    }),
  );
}

/**
 * The method a scope starts with. Small: 3×3, low / medium / high; the risk owner accepts low and medium, high is
 * treated. Large: 5×5, low / medium / high / critical; the risk owner accepts low and medium, management accepts high,
 * critical is treated.
 */
export function defaultMethod(profile: ScopeProfile): RiskMethod {
  if (profile === 'small') {
    return {
      likelihood: scale([
        ['Rare', 'Not expected within the next few years'],
        ['Possible', 'May happen every few years'],
        ['Likely', 'Expected at least once a year'],
      ]),
      impact: scale([
        ['Limited', 'Limited and manageable damage (protection need normal)'],
        ['Considerable', 'Considerable damage (protection need high)'],
        ['Existential', 'Damage that can threaten the organisation (protection need very high)'],
      ]),
      levels: [
        { key: 'low', label: 'Low', colour: '#2f9e44', order: 1 },
        { key: 'medium', label: 'Medium', colour: '#f59f00', order: 2 },
        { key: 'high', label: 'High', colour: '#e03131', order: 3 },
      ],
      matrix: matrixByScore(3, 3, [
        [2, 'low'],
        [4, 'medium'],
        [9, 'high'],
      ]),
      acceptance: [
        { level: 'low', acceptedBy: 'risk_owner' },
        { level: 'medium', acceptedBy: 'risk_owner' },
      ],
    };
  }
  return {
    likelihood: scale([
      ['Rare', 'Less than once in ten years'],
      ['Unlikely', 'Once in three to ten years'],
      ['Possible', 'Once in one to three years'],
      ['Likely', 'Several times a year'],
      ['Almost certain', 'Monthly or more often'],
    ]),
    impact: scale([
      ['Negligible', 'Hardly noticeable damage'],
      ['Limited', 'Limited and manageable damage (protection need normal)'],
      ['Noticeable', 'Noticeable damage to operations, finances or reputation'],
      ['Considerable', 'Considerable damage (protection need high)'],
      ['Existential', 'Damage that can threaten the organisation (protection need very high)'],
    ]),
    levels: [
      { key: 'low', label: 'Low', colour: '#2f9e44', order: 1 },
      { key: 'medium', label: 'Medium', colour: '#f59f00', order: 2 },
      { key: 'high', label: 'High', colour: '#f76707', order: 3 },
      { key: 'critical', label: 'Critical', colour: '#c92a2a', order: 4 },
    ],
    matrix: matrixByScore(5, 5, [
      [4, 'low'],
      [9, 'medium'],
      [16, 'high'],
      [25, 'critical'],
    ]),
    acceptance: [
      { level: 'low', acceptedBy: 'risk_owner' },
      { level: 'medium', acceptedBy: 'risk_owner' },
      { level: 'high', acceptedBy: 'management' },
    ],
  };
}

/** Reads a stored definition (JSON text written by this module). */
export function parseMethod(definition: string): RiskMethod {
  return JSON.parse(definition) as RiskMethod;
}
