import type { EventBus } from '../../events/event-bus.ts';
import type { Deps } from '../../shared/context.ts';
import { createChangeTx } from './change.service.ts';

/** What change management receives: requests for change from incidents and from improvement. */
export function registerChangeManagementHandoffs(bus: EventBus, deps: Deps): void {
  bus.on('incident.lesson', async (tx, actor, e) => {
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
  });
  bus.on('improvement.change-requested', async (tx, actor, e) => {
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
  });
}
