import { demoWords, memberActor, userIdOf } from '../../demo/demo-context.ts';
import type { DemoStep } from '../../engine/module.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import { findRequirementsByIdentifier } from './internal-audit.repository.ts';
import { addFinding, createAudit, recordResult, transitionAudit, updateAudit } from './internal-audit.service.ts';
import { de } from './internal-audit.demo.de.ts';

/** What the demo's internal audits say; German in internal-audit.demo.de.ts. */
const en = {
  title: 'Access control and the audit and improvement processes',
  scope: 'Head office: user access management, backups, internal audit and corrective action.',
  minorNotes: 'Access rights of two leavers were removed only weeks after they left; the quarterly access review is not recorded.',
  conformingNotes: 'Sampled records were complete and current.',
  observationTitle: 'The audit checklist could link the evidence of each control directly',
  observationNotes: 'Auditors looked for evidence in shared folders first.',
  conclusion: 'The ISMS conforms in the audited areas, with one minor nonconformity on the review of access rights.',
  nextTitle: 'Context, leadership and risk management',
  nextScope: 'ISMS scope, policy, roles, risk assessment and treatment.',
};
export type AuditDemoWords = typeof en;

/** A finished internal audit with one minor nonconformity (handed to improvement) and the next audit planned. */
export const internalAuditDemo: DemoStep = {
  order: 100,
  async run(ctx) {
    const { deps, actor, scopeId } = ctx;
    const w = demoWords(ctx, { en, de });
    const now = deps.clock.now();
    const day = (d: number) => utcDatePlusDays(now, d);
    const requirements = await findRequirementsByIdentifier(deps.db, scopeId, ['A.5.15', 'A.5.18', 'A.8.13']);
    const auditorId = userIdOf(ctx, 'audit');
    let audit = await createAudit(deps, actor, scopeId, {
      title: w.title,
      scope: w.scope,
      source: 'internal',
      externalParty: null,
      externalOrganisation: '',
      criteria: { clauses: ['9.2', '10.2'], requirementIds: requirements.map((r) => r.id), processes: [] },
      leadAuditorId: auditorId,
      teamIds: [],
      plannedStart: day(-21),
      plannedEnd: day(-14),
    });
    for (const to of ['prepared', 'fieldwork'] as const)
      audit = await transitionAudit(deps, actor, scopeId, audit.id, { version: audit.version, to });
    const auditor = ctx.people.has('audit') ? memberActor(ctx, 'audit') : actor;
    for (const item of audit.checklist) {
      const minor = item.requirement?.identifier === 'A.5.18';
      const sample = item.toSample.slice(0, 1).map((e) => e.id);
      audit = await recordResult(deps, auditor, scopeId, audit.id, item.id, {
        version: item.version,
        result: minor ? 'minor_nonconformity' : 'conforming',
        notes: minor ? w.minorNotes : w.conformingNotes,
        sampledEvidenceIds: sample,
      });
    }
    audit = await addFinding(deps, auditor, scopeId, audit.id, {
      title: w.observationTitle,
      clause: '9.2',
      requirementId: null,
      result: 'observation',
      notes: w.observationNotes,
    });
    audit = await transitionAudit(deps, actor, scopeId, audit.id, { version: audit.version, to: 'reporting' });
    audit = await updateAudit(deps, actor, scopeId, audit.id, {
      version: audit.version,
      conclusion: w.conclusion,
    });
    await transitionAudit(deps, actor, scopeId, audit.id, { version: audit.version, to: 'closed' });

    await createAudit(deps, actor, scopeId, {
      title: w.nextTitle,
      scope: w.nextScope,
      source: 'internal',
      externalParty: null,
      externalOrganisation: '',
      criteria: {
        clauses: ['4.1', '4.2', '4.3', '5.1', '5.2', '5.3', '6.1', '8.2', '8.3'],
        requirementIds: [],
        processes: ['risk-assessment'],
      },
      leadAuditorId: auditorId,
      teamIds: [],
      plannedStart: day(60),
      plannedEnd: day(62),
    });
  },
};
