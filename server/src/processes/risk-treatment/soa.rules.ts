/**
 * Statement of Applicability rules (ISO/IEC 27001 6.1.3 d): pure functions, no database.
 * The SoA lists every control of a catalog with whether it is applicable, why (inclusion or exclusion), and how far
 * its implementation has come.
 */
import { english, fallbackLanguage, readEnglish, type Text, type TextParams, translate } from '../../i18n/i18n.ts';
import { errorText } from '../../shared/errors.ts';
import type { DecisionSource, ImplementationStatus } from './soa.codes.ts';

export { type DecisionSource, decisionSources, type ImplementationStatus, implementationStatuses } from './soa.codes.ts';

/** Ranks of the control library's statuses, weakest first; a control that is not applicable does not count. */
const statusRank: Record<string, number> = { planned: 1, in_progress: 2, implemented: 3, verified: 4 };
const rankStatus: ImplementationStatus[] = ['not_started', 'planned', 'in_progress', 'implemented', 'verified'];

/** The rank of one control status for the "weakest" rule; unknown statuses count as planned (never overstate). */
export function controlStatusRank(status: string): number | null {
  if (status === 'not_applicable') return null;
  return statusRank[status] ?? 1;
}

/**
 * The implementation status of one SoA entry: an excluded requirement is not applicable; without linked controls
 * nothing has started; otherwise the weakest status among the linked controls (a chain is as strong as its weakest
 * link), or "not applicable" when every linked control is.
 */
export function implementationStatus(applicable: boolean | null, controlStatuses: readonly string[]): ImplementationStatus {
  if (applicable === false) return 'not_applicable';
  if (controlStatuses.length === 0) return 'not_started';
  const ranks = controlStatuses.map(controlStatusRank).filter((r): r is number => r !== null);
  if (ranks.length === 0) return 'not_applicable';
  return rankStatus[Math.min(...ranks)]!;
}

/** The same rule from aggregates (count of linked controls, weakest rank among them), as the list query returns them. */
export function implementationStatusOf(applicable: boolean | null, controlCount: number, weakestRank: number | null): ImplementationStatus {
  if (applicable === false) return 'not_applicable';
  if (controlCount === 0) return 'not_started';
  if (weakestRank === null) return 'not_applicable';
  return rankStatus[Math.min(4, Math.max(1, weakestRank))]!;
}

export interface RequirementLinks {
  withdrawn: boolean;
  /** the scope's controls linked to the requirement, each with the references of the risks it treats */
  controls: { reference: string; riskRefs: string[] }[];
}

export interface Prefill {
  applicable: boolean | null;
  justification: string;
  source: DecisionSource | null;
}

const refOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * What the treatment decisions say about a requirement (ISO 27001 6.1.3 b–d): a control that treats a risk makes the
 * requirement applicable because of that treatment; a control without a risk is an implemented control (applicable);
 * a withdrawn requirement is not applicable; anything else is left for a person to decide.
 */
export function prefill(req: RequirementLinks): Prefill {
  const text = (source: 'treatment' | 'control' | 'catalog', params?: TextParams) =>
    english({ key: prefillKeys[source], ...(params && { params }) });
  if (req.withdrawn) return { applicable: false, justification: text('catalog'), source: 'catalog' };
  const risks = [...new Set(req.controls.flatMap((c) => c.riskRefs))].sort(refOrder);
  if (risks.length > 0) return { applicable: true, justification: text('treatment', { risks: risks.join(', ') }), source: 'treatment' };
  if (req.controls.length > 0) {
    const controls = [...new Set(req.controls.map((c) => c.reference))].sort(refOrder);
    return { applicable: true, justification: text('control', { controls: controls.join(', ') }), source: 'control' };
  }
  return { applicable: null, justification: '', source: null };
}

/** The pre-fill's justifications by source: stored in English (as search reads them), worded for each reader. */
const prefillKeys = {
  treatment: 'exports:soa.prefill.treatment',
  control: 'exports:soa.prefill.control',
  catalog: 'exports:soa.prefill.withdrawn',
} as const;

/** Reads a pre-filled justification's parameters back from its English text. */
const prefillReaders = {
  treatment: readEnglish(prefillKeys.treatment, ['risks']),
  control: readEnglish(prefillKeys.control, ['controls']),
  catalog: readEnglish(prefillKeys.catalog, []),
};

/**
 * A justification in the reader's language: one that Praxis pre-filled from the treatment decisions (its source is not
 * a person) is read back from its English text into its key and parameters and worded in `lang`; a person's
 * justification, or one whose text no longer reads as the pre-fill, stays as written.
 */
export function justificationIn(lang: string, justification: string, source: DecisionSource | null): string {
  if (lang === fallbackLanguage || source === null || source === 'user') return justification;
  const params = prefillReaders[source](justification);
  return params ? translate(lang, prefillKeys[source], params) : justification;
}

/** A refresh from treatments re-applies the pre-fill to every entry a person has not decided. */
export const refreshable = (source: DecisionSource | null): boolean => source !== 'user';

export interface ApprovalBlockers {
  undecided: number;
  unjustifiedExclusions: number;
}

/** What stands in the way of approval: undecided entries, and exclusions without a justification (ISO 27001 6.1.3 d). */
export function approvalBlockers(entries: readonly { applicable: boolean | null; justification: string }[]): ApprovalBlockers {
  let undecided = 0;
  let unjustifiedExclusions = 0;
  for (const e of entries) {
    if (e.applicable === null) undecided += 1;
    else if (e.applicable === false && e.justification.trim() === '') unjustifiedExclusions += 1;
  }
  return { undecided, unjustifiedExclusions };
}

/**
 * Applicable entries without a justification: ISO 27001 6.1.3 d) asks for the justification of every inclusion, so
 * the SoA is not submitted (nor approved) while one lacks it.
 */
export function unjustifiedInclusions<E extends { applicable: boolean | null; justification: string }>(entries: readonly E[]): E[] {
  return entries.filter((e) => e.applicable === true && e.justification.trim() === '');
}

export function blockersMessage(b: ApprovalBlockers): Text | null {
  const parts: string[] = [];
  if (b.undecided) parts.push(`undecided=${b.undecided}`);
  if (b.unjustifiedExclusions) parts.push(`unjustifiedExclusions=${b.unjustifiedExclusions}`);
  return parts.length ? errorText('soa.notApprovable', { blockers: parts.join(',') }) : null;
}

/** The nearest enclosing group of each requirement, walking up parent identifiers (enhancements sit under controls). */
export function nearestGroups(
  rows: readonly { identifier: string; parentIdentifier: string | null; kind: string }[],
): Map<string, string | null> {
  const byId = new Map(rows.map((r) => [r.identifier, r]));
  const out = new Map<string, string | null>();
  for (const r of rows) {
    let parent = r.parentIdentifier ? byId.get(r.parentIdentifier) : undefined;
    let guard = 0;
    while (parent && parent.kind !== 'group' && guard++ < 100)
      parent = parent.parentIdentifier ? byId.get(parent.parentIdentifier) : undefined;
    out.set(r.identifier, parent?.kind === 'group' ? parent.identifier : null);
  }
  return out;
}
