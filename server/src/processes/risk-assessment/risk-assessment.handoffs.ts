import type { EventBus } from '../../events/event-bus.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { createTaskTx } from '../../work/task.service.ts';

/** Days the risk-assessment process has to re-assess an asset whose protection need became very high. */
export const REASSESSMENT_DAYS = 14;

/** What the risk-assessment process receives from other processes. */
export function registerRiskAssessmentHandoffs(bus: EventBus, deps: Deps): void {
  bus.on('asset.protection-raised', async (tx, actor, e) => {
    const owner = (await findProcessOwner(tx, e.scopeId, 'risk-assessment')) ?? e.ownerId;
    const criteria = e.raised.map((r) => r.criterion).join(', ');
    await createTaskTx(tx, deps, actor, {
      scopeId: e.scopeId,
      title: `Re-assess risks of ${e.assetRef} ${e.assetName}`,
      description: `The protection need of ${e.assetRef} (${criteria}) was raised to "very high". Re-assess the risks to this asset (ISO 27001 8.2).`,
      processKey: 'risk-assessment',
      assigneeId: owner,
      dueOn: utcDatePlusDays(deps.clock.now(), REASSESSMENT_DAYS),
      origin: { processKey: null, recordType: 'asset', recordId: e.assetId, recordRef: e.assetRef },
    });
  });

  // a lesson learned from an incident that points at a risk: the risk-assessment owner assesses it
  bus.on('incident.lesson', async (tx, actor, e) => {
    if (e.kind !== 'risk') return;
    await createTaskTx(tx, deps, actor, {
      scopeId: e.scopeId,
      title: `Assess risk from ${e.incidentRef}: ${e.title}`,
      description: e.description || `A lesson learned from ${e.incidentRef} points at a risk to assess (ISO 27001 8.2).`,
      processKey: 'risk-assessment',
      assigneeId: await findProcessOwner(tx, e.scopeId, 'risk-assessment'),
      dueOn: utcDatePlusDays(deps.clock.now(), REASSESSMENT_DAYS),
      origin: { processKey: 'incident-management', recordType: 'incident', recordId: e.incidentId, recordRef: e.incidentRef },
    });
  });
}
