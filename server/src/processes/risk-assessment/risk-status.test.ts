import { describe, expect, it } from 'vitest';
import { english } from '../../i18n/i18n.ts';
import { followProcess, processStatus, type RiskProcessState, requestedStatus } from './risk-status.ts';

const state = (s: Partial<RiskProcessState> = {}): RiskProcessState => ({ evaluated: false, decidedOption: null, accepted: false, ...s });

describe('risk status by process', () => {
  it('derives identified, assessed, treatment and accepted from the process', () => {
    expect(processStatus(state())).toBe('identified');
    expect(processStatus(state({ evaluated: true }))).toBe('assessed');
    for (const option of ['modify', 'avoid', 'share']) {
      expect(processStatus(state({ evaluated: true, decidedOption: option }))).toBe('treatment');
    }
    expect(processStatus(state({ evaluated: true, decidedOption: 'retain' }))).toBe('assessed');
    expect(processStatus(state({ evaluated: true, decidedOption: 'modify', accepted: true }))).toBe('accepted');
    expect(processStatus(state({ evaluated: true, decidedOption: 'retain', accepted: true }))).toBe('accepted');
  });

  it('leaves a closed risk closed', () => {
    expect(followProcess('closed', state({ accepted: true }))).toBe('closed');
    expect(followProcess('accepted', state({ evaluated: true, decidedOption: 'share' }))).toBe('treatment');
    expect(followProcess('treatment', state({ evaluated: true }))).toBe('assessed');
  });

  it('allows by hand only closing, keeping, reopening to the process status and the default of a new risk', () => {
    const scored = state({ evaluated: true });
    expect(requestedStatus('closed', 'accepted', scored)).toEqual({ ok: true, status: 'closed' });
    expect(requestedStatus('treatment', 'treatment', scored)).toEqual({ ok: true, status: 'treatment' });
    expect(requestedStatus('assessed', 'closed', scored)).toEqual({ ok: true, status: 'assessed' });
    expect(requestedStatus('identified', null, scored)).toEqual({ ok: true, status: 'assessed' });
    expect(requestedStatus('identified', null, state())).toEqual({ ok: true, status: 'identified' });

    const accepted = requestedStatus('accepted', 'assessed', scored);
    expect(accepted.ok).toBe(false);
    expect(!accepted.ok && english(accepted.text)).toMatch(/only through a signed acceptance .*POST …\/acceptance/);
    const reopen = requestedStatus('identified', 'closed', scored);
    expect(!reopen.ok && english(reopen.text)).toMatch(/reopened, this risk is assessed/);
    expect(requestedStatus('treatment', null, scored).ok).toBe(false);
    expect(requestedStatus('accepted', 'closed', state({ evaluated: true, accepted: true }))).toEqual({ ok: true, status: 'accepted' });
  });
});
