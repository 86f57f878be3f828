import { describe, expect, it } from 'vitest';
import { canMove, coverage, independenceConflicts, suggestFrequency } from './audit-rules.ts';

describe('audit rules', () => {
  it('suggests a frequency from risks and past findings, and says why', () => {
    expect(suggestFrequency({ riskRank: null, levelCount: 4, majors: 0, minors: 0 })).toEqual({
      frequency: 'once_per_certification_cycle',
      reasons: [{ code: 'quiet' }],
    });
    expect(suggestFrequency({ riskRank: 2, levelCount: 4, majors: 0, minors: 0 }).frequency).toBe('once_per_certification_cycle');
    expect(suggestFrequency({ riskRank: 3, riskLevel: 'High', levelCount: 4, majors: 0, minors: 0 })).toEqual({
      frequency: 'yearly',
      reasons: [{ code: 'upperRiskLevel', level: 'High' }],
    });
    expect(suggestFrequency({ riskRank: 1, levelCount: 4, majors: 0, minors: 2 })).toEqual({
      frequency: 'yearly',
      reasons: [{ code: 'minorFindings', count: 2 }],
    });
    expect(suggestFrequency({ riskRank: 4, riskLevel: 'Very high', levelCount: 4, majors: 1, minors: 3 })).toEqual({
      frequency: 'twice_a_year',
      reasons: [
        { code: 'majorFindings', count: 1 },
        { code: 'topRiskLevel', level: 'Very high' },
      ],
    });
  });

  it('moves an audit one step at a time', () => {
    expect(canMove('planned', 'prepared')).toBe(true);
    expect(canMove('planned', 'fieldwork')).toBe(false);
    expect(canMove('reporting', 'fieldwork')).toBe(true);
    expect(canMove('closed', 'reporting')).toBe(false);
  });

  it('finds what an auditor of the team owns, once', () => {
    const owned = [
      { ownerId: 'a', ownerName: 'Ann', what: 'the process Risk assessment' },
      { ownerId: 'b', ownerName: 'Bob', what: 'control CTL-0001 Backups' },
      { ownerId: 'a', ownerName: 'Ann', what: 'the process Risk assessment' },
      { ownerId: null, ownerName: null, what: 'control CTL-0002' },
    ];
    expect(independenceConflicts(['a', 'c'], owned)).toEqual([{ userId: 'a', name: 'Ann', what: 'the process Risk assessment' }]);
    expect(independenceConflicts(['c'], owned)).toEqual([]);
  });

  it('lists what the audits leave uncovered', () => {
    const c = coverage(
      ['4.1', '9.2', '10.2'],
      [
        { reference: 'IA-0001', covers: new Set(['9.2']) },
        { reference: 'IA-0002', covers: new Set(['9.2', '10.2']) },
      ],
    );
    expect(c.uncovered).toEqual(['4.1']);
    expect(c.by.get('9.2')).toEqual(['IA-0001', 'IA-0002']);
  });
});
