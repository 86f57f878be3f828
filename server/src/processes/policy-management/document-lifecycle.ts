import type { DocumentStatus, VersionStatus } from './document.schemas.ts';

/**
 * The lifecycle of a document version (ISO/IEC 27001 7.5.2 approval for suitability and adequacy, 7.5.3 control of
 * changes): draft → in_review → approved → published → superseded (by the next published version) or retired.
 * A rejection sends a version back to draft. Pure rules, no database.
 */
export type VersionAction = 'submit' | 'approve' | 'reject' | 'publish' | 'supersede' | 'retire' | 'withdraw';

const transitions: Record<VersionAction, { from: VersionStatus[]; to: VersionStatus }> = {
  submit: { from: ['draft'], to: 'in_review' },
  // the final approval; earlier approvals keep the version in review
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'draft' },
  publish: { from: ['approved'], to: 'published' },
  supersede: { from: ['published'], to: 'superseded' },
  retire: { from: ['published'], to: 'retired' },
  withdraw: { from: ['draft', 'in_review', 'approved'], to: 'withdrawn' },
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextVersionStatus(status: VersionStatus, action: VersionAction): VersionStatus | null {
  const t = transitions[action];
  return t.from.includes(status) ? t.to : null;
}

export function allowedFrom(action: VersionAction): VersionStatus[] {
  return transitions[action].from;
}

/** A version that is being worked on: at most one per document. */
export const isWorking = (status: VersionStatus): boolean => status === 'draft' || status === 'in_review' || status === 'approved';

/** Document statuses: draft until first published; published while a version is in force; retired; disposed. */
/** Why a document cannot be revised (a text of the errors catalog, with the document's reference to add), or null. */
export function canReviseDocument(status: DocumentStatus, hasWorkingVersion: boolean): { key: string; params: { status?: string } } | null {
  if (status !== 'published') return { key: 'document.reviseOnlyPublished', params: { status } };
  if (hasWorkingVersion) return { key: 'document.revisionInProgress', params: {} };
  return null;
}

export function canRetireDocument(status: DocumentStatus): { key: string; params: { status: string } } | null {
  return status === 'draft' || status === 'published' ? null : { key: 'document.alreadyRetired', params: { status } };
}

/** The profile's minimum number of approvals of a document version (large → 2, small → 1). */
export function minimumApprovals(profile: 'small' | 'large'): number {
  return profile === 'large' ? 2 : 1;
}

/**
 * Approvals needed: the per-document setting, never fewer than the scope profile's minimum (segregation of duties, ISO
 * 27001 5.3): a setting stored before the scope moved to a stricter profile counts as the minimum.
 */
export function requiredApprovals(profile: 'small' | 'large', setting: number | null): number {
  return Math.max(minimumApprovals(profile), setting ?? 0);
}

/**
 * Why a document's approval setting may not change from `before` to `setting`, or null when it may. The profile's
 * minimum cannot be lowered on a record; only a manager may raise it above the minimum (or change a raised setting).
 */
export function approvalSettingRefusal(
  profile: 'small' | 'large',
  setting: number | null,
  before: number | null,
  isManager: boolean,
): { code: 'validation_failed' | 'forbidden'; key: string; params: { minimum: number } } | null {
  const minimum = minimumApprovals(profile);
  if (setting !== null && setting < minimum) return { code: 'validation_failed', key: 'approvalsBelowMinimum', params: { minimum } };
  if (isManager || setting === before) return null;
  const raised = (n: number | null) => n !== null && n > minimum;
  if (raised(setting) || raised(before)) return { code: 'forbidden', key: 'approvalsRaisedByManager', params: { minimum } };
  return null;
}

export interface ApprovalCheck {
  approverId: string;
  designated: readonly string[];
  authorId: string | null;
  /** approvers who already approved in the current review round */
  approvedThisRound: readonly string[];
}

/** Why an approver may not approve (or reject) a version in review, or null when they may. */
export function approvalRefusal(c: ApprovalCheck): { code: 'forbidden' | 'invalid_state'; key: string } | null {
  if (!c.designated.includes(c.approverId)) return { code: 'forbidden', key: 'document.notDesignated' };
  // segregation of duties: the author (who submitted the version) cannot approve it
  if (c.authorId === c.approverId) return { code: 'forbidden', key: 'document.authorApproves' };
  if (c.approvedThisRound.includes(c.approverId)) return { code: 'invalid_state', key: 'document.alreadyApproved' };
  return null;
}

/** Designated approvers other than the author must be enough for the required number of approvals. */
export function eligibleApprovers(designated: readonly string[], authorId: string): string[] {
  return designated.filter((a) => a !== authorId);
}

/** 'YYYY-MM-DD' plus whole months; the day is clamped to the end of a shorter month (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/** ISO 27001 7.5.3 d) retention and disposition: the day from which a retired document may be disposed of. */
export function retentionEndsOn(retiredAt: string | null, value: number, unit: 'months' | 'years'): string | null {
  if (!retiredAt) return null;
  return addMonths(retiredAt.slice(0, 10), unit === 'years' ? value * 12 : value);
}

/** Review-due: a published document whose next review date is within `withinDays` of today (or past). */
export function isReviewDue(status: DocumentStatus, nextReviewOn: string | null, today: string, withinDays = 30): boolean {
  if (status !== 'published' || !nextReviewOn) return false;
  const limit = new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10) + withinDays));
  return nextReviewOn <= limit.toISOString().slice(0, 10);
}

/** Resolves an audience to user ids among the scope's members. */
export function resolveAudience(
  audience: { kind: string; roles: readonly string[]; people: readonly string[] },
  members: readonly { userId: string; role: string }[],
): string[] {
  const ids =
    audience.kind === 'everyone'
      ? members.map((m) => m.userId)
      : audience.kind === 'roles'
        ? members.filter((m) => audience.roles.includes(m.role)).map((m) => m.userId)
        : members.filter((m) => audience.people.includes(m.userId)).map((m) => m.userId);
  return [...new Set(ids)];
}
