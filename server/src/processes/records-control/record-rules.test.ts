import { describe, expect, it } from 'vitest';
import { addMonths, disposalBlocker, disposalConfirmation, isDisposable, retentionEndsOn } from './record-rules.ts';

describe('records retention rules', () => {
  it('adds months, keeping the day or clamping it to the end of a shorter month', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-02', 0)).toBe('2026-03-02');
    expect(addMonths('2020-06-10', 72)).toBe('2026-06-10');
  });

  it('ends retention on start + months, disposable from that day on', () => {
    const r = { status: 'active', retentionStartOn: '2020-03-02', retentionMonths: 72, legalHold: false };
    expect(retentionEndsOn(r.retentionStartOn, r.retentionMonths)).toBe('2026-03-02');
    expect(isDisposable(r, '2026-03-01')).toBe(false);
    expect(disposalBlocker(r, '2026-03-01')).toEqual({ key: 'record.retained', params: { endsOn: '2026-03-02' } });
    expect(isDisposable(r, '2026-03-02')).toBe(true);
    expect(isDisposable(r, '2027-01-01')).toBe(true);
  });

  it('never disposes of a record under legal hold or one already disposed of', () => {
    const r = { status: 'active', retentionStartOn: '2010-01-01', retentionMonths: 12, legalHold: true };
    expect(disposalBlocker(r, '2026-03-02')?.key).toBe('record.underHold');
    expect(disposalBlocker({ ...r, legalHold: false, status: 'disposed' }, '2026-03-02')?.key).toBe('record.alreadyDisposed');
    expect(disposalConfirmation('REC-0007')).toBe('DISPOSE REC-0007');
  });
});
