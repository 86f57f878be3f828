import { inActorLanguage } from '../../auth/actor.ts';
import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { recordHandoffTx } from '../../work/work.ts';
import { createChangeTx } from './change.service.ts';

/** What change management receives: requests for change from incidents, from improvement and from risk treatment. */
export const changeManagementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    if (e.kind !== 'change') return;
    const change = await createChangeTx(tx, deps, actor, e.scopeId, {
      title: e.title,
      description: e.description,
      reason: inActorLanguage(actor, { key: 'written:change.reason.lesson', params: { incident: e.incidentRef } }),
      plannedOn: null,
      targets: [],
      ownerId: null,
      source: 'incident',
      sourceRecord: { type: 'incident', id: e.incidentId, ref: e.incidentRef },
    });
    // waits in the ledger until the request goes to its approvers
    await recordHandoffTx(tx, deps, {
      scopeId: e.scopeId,
      route: {
        from: 'incident-management',
        to: 'change-management',
        event: 'incident.lesson',
        source: { type: 'incident', id: e.incidentId, ref: e.incidentRef },
      },
      work: changeWork(change),
    });
  }),
  receive('improvement', 'improvement.change-requested', async (tx, actor, e) => {
    const change = await createChangeTx(tx, deps, actor, e.scopeId, {
      title: e.title,
      description: e.description,
      reason: inActorLanguage(actor, { key: 'written:change.reason.correctiveAction', params: { nonconformity: e.nonconformityRef } }),
      plannedOn: null,
      targets: [],
      ownerId: null,
      source: 'improvement',
      sourceRecord: { type: 'nonconformity', id: e.nonconformityId, ref: e.nonconformityRef },
    });
    await recordHandoffTx(tx, deps, {
      scopeId: e.scopeId,
      route: {
        from: 'improvement',
        to: 'change-management',
        event: 'improvement.change-requested',
        source: { type: 'nonconformity', id: e.nonconformityId, ref: e.nonconformityRef },
      },
      work: changeWork(change),
    });
  }),
  // risk treatment → change management ("requests for change"): each request for change of the decided treatment
  receive('risk-treatment', 'treatment.decided', async (tx, actor, e) => {
    for (const r of e.changeRequests) {
      const change = await createChangeTx(tx, deps, actor, e.scopeId, {
        title: r.title,
        description: r.description,
        reason: inActorLanguage(actor, {
          key: 'written:change.reason.treatment',
          params: { treatment: e.treatmentRef, risk: e.riskRef, title: e.riskTitle },
        }),
        plannedOn: null,
        // the documents and controls the treatment names: once approved, their revision and change tasks follow
        targets: r.targets,
        ownerId: null,
        source: 'risk_treatment',
        sourceRecord: { type: 'risk', id: e.riskId, ref: e.riskRef },
      });
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route: {
          from: 'risk-treatment',
          to: 'change-management',
          event: 'treatment.decided',
          source: { type: 'risk_treatment', id: e.treatmentId, ref: e.treatmentRef },
        },
        work: changeWork(change),
      });
    }
  }),
];

/** A request for change as the work a delivery created, for its ledger row. */
const changeWork = (c: { id: string; reference: string; title: string; owner: { id: string } | null; plannedOn: string | null }) => ({
  type: 'change_request',
  id: c.id,
  ref: c.reference,
  title: c.title,
  assigneeId: c.owner?.id ?? null,
  dueOn: c.plannedOn,
});
