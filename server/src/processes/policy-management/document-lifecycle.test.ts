import { describe, expect, it } from 'vitest';
import {
  addMonths,
  approvalRefusal,
  approvalSettingRefusal,
  canReviseDocument,
  canRetireDocument,
  eligibleApprovers,
  isReviewDue,
  nextVersionStatus,
  requiredApprovals,
  resolveAudience,
  retentionEndsOn,
} from './document-lifecycle.ts';

describe('document version lifecycle', () => {
  it('goes draft → in_review → approved → published → superseded', () => {
    expect(nextVersionStatus('draft', 'submit')).toBe('in_review');
    expect(nextVersionStatus('in_review', 'approve')).toBe('approved');
    expect(nextVersionStatus('approved', 'publish')).toBe('published');
    expect(nextVersionStatus('published', 'supersede')).toBe('superseded');
    expect(nextVersionStatus('published', 'retire')).toBe('retired');
  });

  it('sends a rejected version back to draft and refuses skipped steps', () => {
    expect(nextVersionStatus('in_review', 'reject')).toBe('draft');
    expect(nextVersionStatus('draft', 'publish')).toBeNull();
    expect(nextVersionStatus('draft', 'approve')).toBeNull();
    expect(nextVersionStatus('approved', 'submit')).toBeNull();
    expect(nextVersionStatus('superseded', 'publish')).toBeNull();
    expect(nextVersionStatus('published', 'withdraw')).toBeNull();
    expect(nextVersionStatus('in_review', 'withdraw')).toBe('withdrawn');
  });

  it('revises only a published document without a revision in progress', () => {
    expect(canReviseDocument('published', false)).toBeNull();
    expect(canReviseDocument('published', true)?.key).toBe('document.revisionInProgress');
    expect(canReviseDocument('draft', false)).toEqual({ key: 'document.reviseOnlyPublished', params: { status: 'draft' } });
    expect(canReviseDocument('retired', false)?.params.status).toBe('retired');
    expect(canRetireDocument('published')).toBeNull();
    expect(canRetireDocument('retired')).toEqual({ key: 'document.alreadyRetired', params: { status: 'retired' } });
  });
});

describe('approval rules', () => {
  it('needs two approvals in the large profile and one in the small; a document may ask for more, never for fewer', () => {
    expect(requiredApprovals('large', null)).toBe(2);
    expect(requiredApprovals('small', null)).toBe(1);
    expect(requiredApprovals('large', 1)).toBe(2);
    expect(requiredApprovals('small', 2)).toBe(2);
    expect(requiredApprovals('large', 3)).toBe(3);
  });

  it('refuses lowering the profile minimum, and raising it (or changing a raised setting) unless a manager does it', () => {
    expect(approvalSettingRefusal('large', 1, null, true)).toMatchObject({ code: 'validation_failed', params: { minimum: 2 } });
    expect(approvalSettingRefusal('large', 2, null, false)).toBeNull();
    expect(approvalSettingRefusal('large', null, null, false)).toBeNull();
    expect(approvalSettingRefusal('large', 3, null, false)).toMatchObject({ code: 'forbidden' });
    expect(approvalSettingRefusal('large', 3, null, true)).toBeNull();
    expect(approvalSettingRefusal('large', 2, 3, false)).toMatchObject({ code: 'forbidden' });
    expect(approvalSettingRefusal('large', null, 3, false)).toMatchObject({ code: 'forbidden' });
    expect(approvalSettingRefusal('large', 3, 3, false)).toBeNull();
    expect(approvalSettingRefusal('small', 1, null, false)).toBeNull();
    expect(approvalSettingRefusal('small', 2, null, false)).toMatchObject({ code: 'forbidden', params: { minimum: 1 } });
  });

  it('lets only designated approvers other than the author approve, once per round', () => {
    const base = { designated: ['a', 'b', 'author'], authorId: 'author', approvedThisRound: ['b'] };
    expect(approvalRefusal({ ...base, approverId: 'a' })).toBeNull();
    expect(approvalRefusal({ ...base, approverId: 'x' })).toEqual({ code: 'forbidden', key: 'document.notDesignated' });
    expect(approvalRefusal({ ...base, approverId: 'author' })).toEqual({ code: 'forbidden', key: 'document.authorApproves' });
    expect(approvalRefusal({ ...base, approverId: 'b' })?.code).toBe('invalid_state');
    expect(eligibleApprovers(['a', 'author'], 'author')).toEqual(['a']);
  });
});

describe('dates', () => {
  it('adds months clamping to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 14)).toBe('2028-01-15');
    expect(addMonths('2026-03-02', 12)).toBe('2027-03-02');
  });

  it('computes the end of the retention period from retirement', () => {
    expect(retentionEndsOn('2026-03-02T09:00:00.000Z', 3, 'years')).toBe('2029-03-02');
    expect(retentionEndsOn('2026-03-02T09:00:00.000Z', 6, 'months')).toBe('2026-09-02');
    expect(retentionEndsOn(null, 3, 'years')).toBeNull();
  });

  it('marks a published document review-due within the lead time', () => {
    expect(isReviewDue('published', '2026-04-01', '2026-03-02', 30)).toBe(true);
    expect(isReviewDue('published', '2026-04-02', '2026-03-02', 30)).toBe(false);
    expect(isReviewDue('published', '2026-01-01', '2026-03-02', 30)).toBe(true);
    expect(isReviewDue('retired', '2026-01-01', '2026-03-02', 30)).toBe(false);
    expect(isReviewDue('published', null, '2026-03-02', 30)).toBe(false);
  });
});

describe('audience', () => {
  const members = [
    { userId: 'm', role: 'manager' },
    { userId: 'e1', role: 'employee' },
    { userId: 'e2', role: 'employee' },
    { userId: 'v', role: 'viewer' },
  ];
  it('resolves everyone, roles and named people among the members', () => {
    expect(resolveAudience({ kind: 'everyone', roles: [], people: [] }, members)).toEqual(['m', 'e1', 'e2', 'v']);
    expect(resolveAudience({ kind: 'roles', roles: ['employee', 'viewer'], people: [] }, members)).toEqual(['e1', 'e2', 'v']);
    expect(resolveAudience({ kind: 'people', roles: [], people: ['e2', 'gone'] }, members)).toEqual(['e2']);
  });
});
