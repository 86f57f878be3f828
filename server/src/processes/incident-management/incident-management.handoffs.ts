import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';

/** What the incident-management process receives: new reports go to its owner for triage within a day. */
export const incidentManagementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.reported', async (tx, actor, e) => {
    // one triage task per report, done when the incident is triaged
    await openWorkTx(tx, deps, actor, {
      scopeId: e.scopeId,
      processKey: 'incident-management',
      purpose: 'triage',
      title: { key: 'tasks:title.triage', params: { incidentRef: e.incidentRef, title: e.title } },
      description: { key: 'tasks:description.triage' },
      assigneeId: await findProcessOwner(tx, e.scopeId, 'incident-management'),
      dueOn: utcDatePlusDays(deps.clock.now(), 1),
      origin: { processKey: 'incident-management', recordType: 'incident', recordId: e.incidentId, recordRef: e.incidentRef },
      handoff: {
        from: 'incident-management',
        to: 'incident-management',
        event: 'incident.reported',
        source: { type: 'incident', id: e.incidentId, ref: e.incidentRef },
      },
    });
  }),
];
