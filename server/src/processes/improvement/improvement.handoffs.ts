import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { createNonconformityTx, createOpportunityTx } from './improvement.service.ts';

/** What the improvement process receives: lessons from incidents become nonconformities or opportunities. */
export const improvementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    const sourceRecord = { type: 'incident', id: e.incidentId, ref: e.incidentRef };
    if (e.kind === 'nonconformity') {
      await createNonconformityTx(
        tx,
        deps,
        actor,
        e.scopeId,
        {
          kind: 'nonconformity',
          title: e.title,
          description: e.description,
          source: 'incident',
          requirement: '',
          severity: 'minor',
          ownerId: null,
          sourceRecord,
        },
        e.correctiveAction,
      );
    } else if (e.kind === 'improvement') {
      await createOpportunityTx(tx, deps, actor, e.scopeId, {
        title: e.title,
        description: e.description,
        source: 'incident',
        benefit: '',
        ownerId: null,
        sourceRecord,
      });
    }
  }),
];
