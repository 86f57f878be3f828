import type { AuditResult, AuditStatus, Frequency } from './internal-audit.schemas.ts';

/** The lifecycle of an audit: one step forward at a time; reporting may go back to fieldwork to sample more. */
const next: Record<AuditStatus, readonly AuditStatus[]> = {
  planned: ['prepared'],
  prepared: ['fieldwork', 'planned'],
  fieldwork: ['reporting'],
  reporting: ['closed', 'fieldwork'],
  closed: [],
};
export const canMove = (from: AuditStatus, to: AuditStatus) => next[from].includes(to);
/** results are recorded while the auditors are in the field and while they write the report */
export const recordsResults = (status: AuditStatus) => status === 'fieldwork' || status === 'reporting';
export const isFinding = (r: AuditResult | null) =>
  r === 'major_nonconformity' || r === 'minor_nonconformity' || r === 'observation' || r === 'opportunity';

/** Why a frequency is suggested, for the reader (i18n code + figures). */
export interface FrequencyReason {
  code: 'majorFindings' | 'minorFindings' | 'topRiskLevel' | 'upperRiskLevel' | 'quiet';
  count?: number;
  level?: string;
}

/**
 * How often to audit an area (a clause, or a group of controls), from its risks and its past findings (ISO 27001 9.2.2:
 * "taking into consideration the importance of the processes concerned and the results of previous audits"):
 * - twice a year when an earlier audit found a major nonconformity there, or a linked risk is at the method's highest level;
 * - yearly when it found a minor nonconformity, or a linked risk is in the upper half of the levels;
 * - otherwise once per three-year certification cycle (every area is audited at least that often).
 * `riskRank` is the order of the highest current level among the risks linked to the area's controls (1 = lowest) out of
 * `levelCount` levels; null when no assessed risk is linked.
 */
export function suggestFrequency(input: {
  riskRank: number | null;
  riskLevel?: string | undefined;
  levelCount: number;
  majors: number;
  minors: number;
}): { frequency: Frequency; reasons: FrequencyReason[] } {
  const reasons: FrequencyReason[] = [];
  const level = input.riskLevel ?? '';
  const top = input.riskRank !== null && input.levelCount > 0 && input.riskRank >= input.levelCount;
  const upper = input.riskRank !== null && input.levelCount > 0 && input.riskRank > input.levelCount / 2;
  if (input.majors > 0) reasons.push({ code: 'majorFindings', count: input.majors });
  if (top) reasons.push({ code: 'topRiskLevel', level });
  if (reasons.length) return { frequency: 'twice_a_year', reasons };
  if (input.minors > 0) reasons.push({ code: 'minorFindings', count: input.minors });
  if (upper) reasons.push({ code: 'upperRiskLevel', level });
  if (reasons.length) return { frequency: 'yearly', reasons };
  return { frequency: 'once_per_certification_cycle', reasons: [{ code: 'quiet' }] };
}

/** What an auditor owns among what an audit covers: the reason they may not audit it (ISO 27001 9.2.2 c). */
export interface Ownership {
  userId: string;
  name: string;
  /** what they own, the same for the same thing: `process:risk-assessment`, `control:CTL-0003` */
  what: string;
}

/** The conflicts of independence of an audit team: what any of its auditors owns among the audited processes and controls. */
export function independenceConflicts(
  auditorIds: readonly string[],
  owned: readonly { ownerId: string | null; ownerName: string | null; what: string }[],
): Ownership[] {
  const team = new Set(auditorIds);
  const seen = new Set<string>();
  const out: Ownership[] = [];
  for (const o of owned) {
    if (!o.ownerId || !team.has(o.ownerId)) continue;
    const key = `${o.ownerId} ${o.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ userId: o.ownerId, name: o.ownerName ?? '', what: o.what });
  }
  return out;
}

/** The coverage of a programme: which of `items` the audits cover, and which stay uncovered. */
export function coverage<K extends string>(items: readonly K[], audits: readonly { reference: string; covers: ReadonlySet<K> }[]) {
  const by = new Map<K, string[]>(items.map((i) => [i, []]));
  for (const a of audits) for (const i of items) if (a.covers.has(i)) by.get(i)!.push(a.reference);
  return { by, uncovered: items.filter((i) => by.get(i)!.length === 0) };
}
