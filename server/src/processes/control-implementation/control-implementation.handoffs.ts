import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';
import { linkTreatmentControlTaskTx } from '../risk-treatment/index.ts';
import * as repo from './control.repository.ts';

/** Days a control owner has to put an approved change to a control into effect. */
export const CHANGE_IMPLEMENTATION_DAYS = 30;

/** What control implementation receives: controls selected by risk treatment, and approved changes to controls. */
export const controlImplementationHandoffs = (deps: Deps): HandoffReceiver[] => [
  // risk treatment → control implementation ("selected controls, treatment and implementation plan"): a task for the
  // owner of each selected control that has no implementation task yet (ISO 27001 6.1.3, 8.3)
  receive('risk-treatment', 'treatment.decided', async (tx, actor, e) => {
    const origin = { processKey: 'risk-treatment', recordType: 'risk_treatment', recordId: e.treatmentId, recordRef: e.treatmentRef };
    for (const c of e.controls) {
      const { task } = await openWorkTx(tx, deps, actor, {
        scopeId: e.scopeId,
        purpose: `implement:${c.controlId}`,
        title: { key: 'tasks:title.implementControl', params: { controlRef: c.controlRef, title: c.title } },
        description: {
          key: e.objectives.length > 0 ? 'tasks:description.implementControlWithObjectives' : 'tasks:description.implementControl',
          params: {
            treatmentRef: e.treatmentRef,
            controlRef: c.controlRef,
            riskRef: e.riskRef,
            riskTitle: e.riskTitle,
            ...(e.objectives.length > 0 && { objectives: e.objectives.join('; ') }),
          },
        },
        processKey: 'control-implementation',
        assigneeId: c.ownerId ?? (await findProcessOwner(tx, e.scopeId, 'control-implementation')),
        dueOn: c.dueOn,
        origin,
        handoff: {
          from: 'risk-treatment',
          to: 'control-implementation',
          event: 'treatment.decided',
          source: { type: 'risk_treatment', id: e.treatmentId, ref: e.treatmentRef },
        },
      });
      for (const position of c.positions) await linkTreatmentControlTaskTx(tx, e.treatmentId, position, task.id);
    }
  }),

  // change management → control implementation ("approved changes"): an approved change request that targets a control
  // gives the control's owner a task to put the change into effect (ISO 27001 6.3, 8.1)
  receive('change-management', 'change.approved', async (tx, actor, e) => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    for (const target of e.targets) {
      if (target.recordType !== 'control') continue;
      const control = await repo.findControl(tx, e.scopeId, target.recordId, today);
      if (!control) continue;
      await openWorkTx(tx, deps, actor, {
        scopeId: e.scopeId,
        purpose: `change:${e.changeId}`,
        title: {
          key: 'tasks:title.changeControl',
          params: { controlRef: control.reference, title: control.title, changeRef: e.changeRef },
        },
        description: { key: 'tasks:description.changeControl', params: { changeRef: e.changeRef, title: e.title } },
        processKey: 'control-implementation',
        assigneeId: control.owner_id ?? (await findProcessOwner(tx, e.scopeId, 'control-implementation')),
        dueOn: utcDatePlusDays(deps.clock.now(), CHANGE_IMPLEMENTATION_DAYS),
        origin: { processKey: 'change-management', recordType: 'control', recordId: control.id, recordRef: control.reference },
        handoff: {
          from: 'change-management',
          to: 'control-implementation',
          event: 'change.approved',
          source: { type: 'change_request', id: e.changeId, ref: e.changeRef },
        },
      });
    }
  }),
];
