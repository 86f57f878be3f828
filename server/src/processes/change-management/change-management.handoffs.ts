import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { createChangeTx } from './change.service.ts';

/** What change management receives: requests for change from incidents, from improvement and from risk treatment. */
export const changeManagementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    if (e.kind !== 'change') return;
    await createChangeTx(tx, deps, actor, e.scopeId, {
      title: e.title,
      description: e.description,
      reason: `Lesson learned from ${e.incidentRef}`,
      plannedOn: null,
      targets: [],
      ownerId: null,
      source: 'incident',
      sourceRecord: { type: 'incident', id: e.incidentId, ref: e.incidentRef },
    });
  }),
  receive('improvement', 'improvement.change-requested', async (tx, actor, e) => {
    await createChangeTx(tx, deps, actor, e.scopeId, {
      title: e.title,
      description: e.description,
      reason: `Corrective action for ${e.nonconformityRef}`,
      plannedOn: null,
      targets: [],
      ownerId: null,
      source: 'improvement',
      sourceRecord: { type: 'nonconformity', id: e.nonconformityId, ref: e.nonconformityRef },
    });
  }),
  // risk treatment → change management ("requests for change"): each request for change of the decided treatment
  receive('risk-treatment', 'treatment.decided', async (tx, actor, e) => {
    for (const r of e.changeRequests) {
      await createChangeTx(tx, deps, actor, e.scopeId, {
        title: r.title,
        description: r.description,
        reason: `Treatment ${e.treatmentRef} of risk ${e.riskRef} ${e.riskTitle}`,
        plannedOn: null,
        targets: [],
        ownerId: null,
        source: 'risk_treatment',
        sourceRecord: { type: 'risk', id: e.riskId, ref: e.riskRef },
      });
    }
  }),
];
