import type { Text } from '../../i18n/i18n.ts';
import { errorText } from '../../shared/errors.ts';
import type { AcceptanceAuthority, ScopeProfile } from '../risk-assessment/risk-method.ts';
import type { AcceptanceStatus, ActionStatus, SignatureRole, TreatmentStatus } from './risk-treatment.schemas.ts';
import { ACCEPTANCE_DEFAULT_DAYS, ACCEPTANCE_MAX_DAYS } from './risk-treatment.schemas.ts';

/** Pure rules of risk treatment and residual-risk acceptance (ISO/IEC 27001 6.1.3, 8.3). */

/** Days before expiry when the risk owner gets the re-review task. */
export const EXPIRY_WARNING_DAYS = 30;

/** 'YYYY-MM-DD' plus a number of days (UTC calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The status of a treatment after a change. Changing the decision itself (option, rationale, objectives, controls,
 * target) reopens a decided treatment as a draft, to be decided again; the plan's progress moves a decided treatment to
 * implemented when every action is done (cancelled ones aside, at least one done) and back when one is reopened.
 */
export function deriveTreatmentStatus(
  status: TreatmentStatus,
  decisionChanged: boolean,
  actions: readonly { status: ActionStatus }[],
): TreatmentStatus {
  if (status === 'draft') return 'draft';
  if (decisionChanged) return 'draft';
  const live = actions.filter((a) => a.status !== 'cancelled');
  return live.length > 0 && live.every((a) => a.status === 'done') ? 'implemented' : 'decided';
}

/**
 * ISO 27001 6.1.3 f): who must sign an acceptance. The risk owner always; management too when the criteria name
 * management for the level, or in the large profile (segregation of duties: a second signature by someone else).
 */
export function requiredRoles(profile: ScopeProfile, authority: AcceptanceAuthority): SignatureRole[] {
  return authority === 'management' || profile === 'large' ? ['risk_owner', 'management'] : ['risk_owner'];
}

export type AcceptanceState = 'pending' | 'effective' | 'expiring' | 'expired' | 'revoked' | 'ended';

/**
 * What an acceptance means today: the stored status with the calendar applied (the sweep marks expiry later, so an
 * effective acceptance past its date already reads as expired; within 30 days of it, as expiring).
 */
export function acceptanceState(acceptance: { status: AcceptanceStatus; expiresOn: string }, today: string): AcceptanceState {
  switch (acceptance.status) {
    case 'pending':
    case 'effective':
      if (acceptance.expiresOn <= today) return 'expired';
      if (acceptance.status === 'pending') return 'pending';
      return addDays(today, EXPIRY_WARNING_DAYS) >= acceptance.expiresOn ? 'expiring' : 'effective';
    case 'expired':
    case 'revoked':
    case 'ended':
      return acceptance.status;
  }
}

/** The expiry date of a new acceptance: default one year, after today, at most three years; or a message why not. */
export function resolveExpiry(expiresOn: string | undefined, today: string): { ok: true; date: string } | { ok: false; text: Text } {
  if (expiresOn === undefined) return { ok: true, date: addDays(today, ACCEPTANCE_DEFAULT_DAYS) };
  if (expiresOn <= today) return { ok: false, text: errorText('acceptance.expiryAfterToday') };
  const latest = addDays(today, ACCEPTANCE_MAX_DAYS);
  if (expiresOn > latest) return { ok: false, text: errorText('acceptance.expiryTooLate', { latest }) };
  return { ok: true, date: expiresOn };
}

/**
 * Why a risk's status moved, as the audit trail records it (the risk's `reason`): a code with the references it names,
 * which a history view words in the reader's language (audit-vocabulary.ts; entries written before hold English
 * sentences, read alike). Each part is one word, but for a reason someone gave, which comes last.
 */
export const riskReasons = {
  /** an acceptance took effect */
  accepted: (acceptanceRef: string) => `accepted:${acceptanceRef}`,
  /** an acceptance was revoked, with the reason given */
  revoked: (acceptanceRef: string, reason: string) => `revoked:${acceptanceRef}:${reason}`,
  /** a re-evaluation at a higher level (its key) ended acceptances */
  raised: (level: string, acceptanceRefs: readonly string[]) => `raised:${level}:${acceptanceRefs.join(',')}`,
  /** an acceptance expired */
  expired: (acceptanceRef: string, expiresOn: string) => `expired:${acceptanceRef}:${expiresOn}`,
  /** a treatment was decided (its option) */
  decided: (treatmentRef: string, option: string) => `decided:${treatmentRef}:${option}`,
  /** a decided treatment was reopened */
  reopened: (treatmentRef: string) => `reopened:${treatmentRef}`,
};
