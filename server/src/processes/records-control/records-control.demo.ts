import type { DemoStep } from '../../engine/module.ts';
import { createRecord, setLegalHold } from './record.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import { type DemoContext, demoWords, userIdOf } from '../../demo/demo-context.ts';
import { de } from './records-control.demo.de.ts';

/** What the demo's records say; German in records-control.demo.de.ts. */
const en = {
  policyTitle: 'Information security policy with approvals and acknowledgements',
  policyDescription: 'The approved versions of the policy and the list of who acknowledged them.',
  personnelTitle: 'Personnel files and employment contracts',
  personnelDescription: 'Contracts, confidentiality agreements and training certificates of employees.',
  personnelLocation: 'HR system, personnel file archive (locked cabinet in the HR office for signed originals)',
  incidentTitle: 'Incident file: customer list sent to the wrong recipient',
  incidentDescription: 'Incident report, notification decision and correspondence with the recipient.',
  legalHoldReason: 'The data protection authority asked about the incident; keep everything until the inquiry is closed.',
};
export type RecordsDemoWords = typeof en;

/**
 * Records control (ISO 27001 7.5.3, A.5.33): three entries of the register, one of them on legal hold. Records kept in
 * Praxis point to the record they stand for; the personnel files are kept outside and say where.
 */
export async function seedDemoRecords(ctx: DemoContext, linked: { policyId: string; breachIncidentId: string | null }) {
  const { deps, actor, scopeId } = ctx;
  const w = demoWords(ctx, { en, de });
  const today = deps.clock.now();
  await createRecord(deps, actor, scopeId, {
    title: w.policyTitle,
    description: w.policyDescription,
    ownerId: userIdOf(ctx, 'it'),
    processKey: 'policy-management',
    classification: 'internal',
    storage: 'praxis',
    linkedRecord: { recordType: 'document', recordId: linked.policyId },
    location: '',
    retentionMonths: 36,
  });
  await createRecord(deps, actor, scopeId, {
    title: w.personnelTitle,
    description: w.personnelDescription,
    ownerId: userIdOf(ctx, 'hr'),
    processKey: 'resource-management',
    classification: 'strictly_confidential',
    storage: 'external',
    linkedRecord: null,
    location: w.personnelLocation,
    retentionMonths: 120,
    retentionStartOn: utcDatePlusDays(today, -365),
  });
  if (linked.breachIncidentId) {
    const report = await createRecord(deps, actor, scopeId, {
      title: w.incidentTitle,
      description: w.incidentDescription,
      ownerId: userIdOf(ctx, 'it'),
      processKey: 'incident-management',
      classification: 'confidential',
      storage: 'praxis',
      linkedRecord: { recordType: 'incident', recordId: linked.breachIncidentId },
      location: '',
      retentionMonths: 24,
    });
    // A.5.33: a possible claim suspends disposal whatever the retention says
    await setLegalHold(deps, actor, scopeId, report.id, {
      version: report.version,
      hold: true,
      reason: w.legalHoldReason,
    });
  }
}

/** Records of the demo organisation, one on legal hold. */
export const recordsControlDemo: DemoStep = {
  order: 50,
  run: async (ctx) => {
    if (!ctx.facts.policyId) return;
    await seedDemoRecords(ctx, { policyId: ctx.facts.policyId, breachIncidentId: ctx.facts.breachIncidentId ?? null });
  },
};
