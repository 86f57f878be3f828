import { describe, expect, it } from 'vitest';
import { english } from '../../i18n/i18n.ts';
import {
  approvalBlockers,
  blockersMessage,
  implementationStatus,
  implementationStatusOf,
  nearestGroups,
  justificationIn,
  prefill,
  refreshable,
} from './soa.rules.ts';

describe('SoA implementation status', () => {
  it('is not started without controls and not applicable when excluded', () => {
    expect(implementationStatus(null, [])).toBe('not_started');
    expect(implementationStatus(true, [])).toBe('not_started');
    expect(implementationStatus(false, ['verified'])).toBe('not_applicable');
  });
  it('takes the weakest linked control, ignoring controls that are not applicable', () => {
    expect(implementationStatus(true, ['verified', 'in_progress', 'implemented'])).toBe('in_progress');
    expect(implementationStatus(true, ['verified', 'not_applicable'])).toBe('verified');
    expect(implementationStatus(true, ['not_applicable'])).toBe('not_applicable');
    expect(implementationStatus(true, ['something-new', 'verified'])).toBe('planned');
  });
  it('agrees with the aggregate form the list query uses', () => {
    expect(implementationStatusOf(true, 0, null)).toBe('not_started');
    expect(implementationStatusOf(true, 2, null)).toBe('not_applicable');
    expect(implementationStatusOf(true, 2, 3)).toBe('implemented');
    expect(implementationStatusOf(false, 2, 3)).toBe('not_applicable');
  });
});

describe('SoA pre-fill from treatment decisions', () => {
  it('names the treated risks in document order of their references', () => {
    expect(
      prefill({
        withdrawn: false,
        controls: [
          { reference: 'CTL-0002', riskRefs: ['RSK-0010', 'RSK-0004'] },
          { reference: 'CTL-0001', riskRefs: ['RSK-0004'] },
        ],
      }),
    ).toEqual({ applicable: true, justification: 'Risk treatment: RSK-0004, RSK-0010', source: 'treatment' });
  });
  it('marks a requirement with a control that treats no risk as an implemented control', () => {
    expect(prefill({ withdrawn: false, controls: [{ reference: 'CTL-0003', riskRefs: [] }] })).toEqual({
      applicable: true,
      justification: 'Implemented control: CTL-0003',
      source: 'control',
    });
  });
  it('leaves the rest undecided and withdrawn requirements excluded', () => {
    expect(prefill({ withdrawn: false, controls: [] })).toEqual({ applicable: null, justification: '', source: null });
    expect(prefill({ withdrawn: true, controls: [{ reference: 'CTL-1', riskRefs: ['RSK-1'] }] })).toMatchObject({
      applicable: false,
      source: 'catalog',
    });
  });
  it('words a pre-filled justification in the reader’s language, and a person’s words as written', () => {
    const { justification } = prefill({ withdrawn: false, controls: [{ reference: 'CTL-0002', riskRefs: ['RSK-0010', 'RSK-0004'] }] });
    expect(justificationIn('de', justification, 'treatment')).toBe('Risikobehandlung: RSK-0004, RSK-0010');
    expect(justificationIn('en', justification, 'treatment')).toBe(justification);
    expect(justificationIn('de', 'Implemented control: CTL-0003', 'control')).toBe('Umgesetzte Maßnahme: CTL-0003');
    expect(justificationIn('de', 'Withdrawn from the catalog', 'catalog')).toBe('Aus dem Katalog zurückgezogen');
    // a person's words, and a text that does not read as the pre-fill, stay as they are
    expect(justificationIn('de', 'Risk treatment: decided by the board', 'user')).toBe('Risk treatment: decided by the board');
    expect(justificationIn('de', 'Something else', 'treatment')).toBe('Something else');
  });
  it('never refreshes a human decision', () => {
    expect(refreshable('user')).toBe(false);
    expect(refreshable('treatment')).toBe(true);
    expect(refreshable(null)).toBe(true);
  });
});

describe('SoA approval blockers', () => {
  it('counts undecided entries and exclusions without justification', () => {
    const b = approvalBlockers([
      { applicable: null, justification: '' },
      { applicable: null, justification: 'thinking' },
      { applicable: false, justification: '  ' },
      { applicable: false, justification: 'No wireless networks' },
      { applicable: true, justification: '' },
    ]);
    expect(b).toEqual({ undecided: 2, unjustifiedExclusions: 1 });
    expect(english(blockersMessage(b)!)).toBe(
      'The Statement of Applicability cannot be approved: 2 entries are undecided and 1 exclusion lacks a justification',
    );
    expect(blockersMessage({ undecided: 0, unjustifiedExclusions: 0 })).toBeNull();
  });
});

describe('nearest groups', () => {
  it('finds the enclosing group of controls and enhancements', () => {
    const g = nearestGroups([
      { identifier: 'ac', parentIdentifier: null, kind: 'group' },
      { identifier: 'ac-2', parentIdentifier: 'ac', kind: 'control' },
      { identifier: 'ac-2.1', parentIdentifier: 'ac-2', kind: 'control' },
      { identifier: 'loose', parentIdentifier: null, kind: 'control' },
    ]);
    expect(g.get('ac-2.1')).toBe('ac');
    expect(g.get('ac-2')).toBe('ac');
    expect(g.get('loose')).toBeNull();
  });
});
