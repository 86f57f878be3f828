import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { createTaskTx } from '../../work/task.service.ts';

/** What the incident-management process receives: new reports go to its owner for triage within a day. */
export const incidentManagementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.reported', async (tx, actor, e) => {
    await createTaskTx(tx, deps, actor, {
      scopeId: e.scopeId,
      title: `Triage ${e.incidentRef}: ${e.title}`,
      description:
        'Classify the report: category, severity, C/I/A impact, personal data, NIS2 significance. Regulatory clocks may be running.',
      processKey: 'incident-management',
      assigneeId: await findProcessOwner(tx, e.scopeId, 'incident-management'),
      dueOn: utcDatePlusDays(deps.clock.now(), 1),
      origin: { processKey: 'incident-management', recordType: 'incident', recordId: e.incidentId, recordRef: e.incidentRef },
    });
  }),
];
