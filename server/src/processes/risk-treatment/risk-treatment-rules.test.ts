import { describe, expect, it } from 'vitest';
import { acceptanceState, addDays, deriveTreatmentStatus, requiredRoles, resolveExpiry } from './risk-treatment-rules.ts';

describe('risk treatment rules', () => {
  it('adds calendar days across months, leap days and years', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-02', 365)).toBe('2027-03-02');
    expect(addDays('2026-03-02', -2)).toBe('2026-02-28');
  });

  it('derives the treatment status from the decision and the plan', () => {
    const done = { status: 'done' as const };
    const open = { status: 'open' as const };
    const cancelled = { status: 'cancelled' as const };
    expect(deriveTreatmentStatus('draft', false, [done])).toBe('draft');
    expect(deriveTreatmentStatus('decided', false, [done, open])).toBe('decided');
    expect(deriveTreatmentStatus('decided', false, [done, cancelled])).toBe('implemented');
    expect(deriveTreatmentStatus('decided', false, [cancelled])).toBe('decided');
    expect(deriveTreatmentStatus('decided', false, [])).toBe('decided');
    expect(deriveTreatmentStatus('implemented', false, [done, open])).toBe('decided');
    // a changed decision reopens it, whatever the plan's progress
    expect(deriveTreatmentStatus('implemented', true, [done])).toBe('draft');
  });

  it('needs management besides the risk owner when the criteria or the large profile say so', () => {
    expect(requiredRoles('small', 'risk_owner')).toEqual(['risk_owner']);
    expect(requiredRoles('small', 'management')).toEqual(['risk_owner', 'management']);
    expect(requiredRoles('large', 'risk_owner')).toEqual(['risk_owner', 'management']);
  });

  it('reads an acceptance against the calendar', () => {
    const today = '2026-03-02';
    expect(acceptanceState({ status: 'effective', expiresOn: '2027-03-02' }, today)).toBe('effective');
    expect(acceptanceState({ status: 'effective', expiresOn: '2026-04-02' }, today)).toBe('effective');
    expect(acceptanceState({ status: 'effective', expiresOn: '2026-04-01' }, today)).toBe('expiring');
    expect(acceptanceState({ status: 'effective', expiresOn: '2026-03-03' }, today)).toBe('expiring');
    expect(acceptanceState({ status: 'effective', expiresOn: today }, today)).toBe('expired');
    expect(acceptanceState({ status: 'pending', expiresOn: '2026-03-10' }, today)).toBe('pending');
    expect(acceptanceState({ status: 'pending', expiresOn: '2026-03-01' }, today)).toBe('expired');
    expect(acceptanceState({ status: 'revoked', expiresOn: '2027-03-02' }, today)).toBe('revoked');
    expect(acceptanceState({ status: 'ended', expiresOn: '2027-03-02' }, today)).toBe('ended');
    expect(acceptanceState({ status: 'expired', expiresOn: '2026-01-01' }, today)).toBe('expired');
  });

  it('defaults the expiry to one year and refuses past dates and more than three years', () => {
    expect(resolveExpiry(undefined, '2026-03-02')).toEqual({ ok: true, date: '2027-03-02' });
    expect(resolveExpiry('2026-09-30', '2026-03-02')).toEqual({ ok: true, date: '2026-09-30' });
    expect(resolveExpiry('2029-03-02', '2026-03-02')).toEqual({ ok: true, date: '2029-03-02' });
    expect(resolveExpiry('2029-03-04', '2026-03-02').ok).toBe(false);
    expect(resolveExpiry('2026-03-02', '2026-03-02')).toEqual({ ok: false, text: { key: 'errors:acceptance.expiryAfterToday' } });
  });
});
