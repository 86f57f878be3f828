import type { EventBus } from '../../events/event-bus.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { createTaskTx } from '../../work/task.service.ts';
import { createChangeTx } from '../change-management/change.service.ts';
import { endAcceptancesOnRaiseTx } from './risk-acceptance.service.ts';
import * as repo from './risk-treatment.repository.ts';

/** Days the risk owner has to decide the treatment of a risk evaluated above the acceptance criteria. */
export const TREATMENT_DAYS = 30;

/** What the risk-treatment process receives from others. */
export function registerRiskTreatmentHandoffs(bus: EventBus, deps: Deps): void {
  // risk assessment → risk treatment ("prioritised risks with owners"): a risk whose evaluation crosses above the
  // acceptance criteria gives its owner a treatment task, once per crossing (ISO 27001 6.1.3, 8.3)
  bus.on('risk.evaluated', async (tx, actor, e) => {
    if (!e.aboveCriteria || e.wasAboveCriteria) return;
    const why =
      e.acceptableBy === 'management'
        ? 'only management may accept it as it is'
        : 'the acceptance criteria do not allow accepting it as it is';
    await createTaskTx(tx, deps, actor, {
      scopeId: e.scopeId,
      title: `Treat risk ${e.riskRef} ${e.title}`,
      description:
        `${e.riskRef} was evaluated as "${e.levelLabel}" (likelihood ${e.likelihood} × impact ${e.impact}), above the risk ` +
        `acceptance criteria: ${why}. Choose a treatment option and the controls it needs, plan the treatment, or obtain ` +
        'acceptance of the residual risk (ISO 27001 6.1.3, 8.3).',
      processKey: 'risk-treatment',
      assigneeId: e.ownerId ?? (await findProcessOwner(tx, e.scopeId, 'risk-treatment')),
      dueOn: utcDatePlusDays(deps.clock.now(), TREATMENT_DAYS),
      origin: { processKey: 'risk-assessment', recordType: 'risk', recordId: e.riskId, recordRef: e.riskRef },
    });
  });

  // a re-evaluation at a higher level ends the risk's acceptance in progress or in force (ISO 27001 6.1.3 f, 8.2)
  bus.on('risk.evaluated', (tx, actor, e) => endAcceptancesOnRaiseTx(tx, deps, actor, e));

  // risk treatment → control implementation, risk treatment plan, change management ("selected controls, treatment
  // plan, requests for change"): tasks for the control owners and the action owners, and the requests for change
  bus.on('treatment.decided', async (tx, actor, e) => {
    const origin = { processKey: 'risk-treatment', recordType: 'risk_treatment', recordId: e.treatmentId, recordRef: e.treatmentRef };
    const objectives = e.objectives.length > 0 ? ` Control objectives: ${e.objectives.join('; ')}.` : '';
    for (const c of e.controls) {
      const task = await createTaskTx(tx, deps, actor, {
        scopeId: e.scopeId,
        title: `Implement ${c.controlRef} ${c.title}`,
        description:
          `${e.treatmentRef} selected ${c.controlRef} to treat ${e.riskRef} ${e.riskTitle}.${objectives} Implement the control and ` +
          'record its evidence (ISO 27001 6.1.3, 8.3).',
        processKey: 'control-implementation',
        assigneeId: c.ownerId ?? (await findProcessOwner(tx, e.scopeId, 'control-implementation')),
        dueOn: c.dueOn,
        origin,
      });
      for (const position of c.positions) await repo.setTreatmentControl(tx, e.treatmentId, position, { task_id: task.id });
    }
    for (const a of e.actions) {
      const task = await createTaskTx(tx, deps, actor, {
        scopeId: e.scopeId,
        title: a.title,
        description: `An action of the risk treatment plan ${e.treatmentRef} for ${e.riskRef} ${e.riskTitle} (ISO 27001 6.1.3 e).`,
        processKey: 'risk-treatment',
        assigneeId: a.ownerId ?? e.riskOwnerId ?? (await findProcessOwner(tx, e.scopeId, 'risk-treatment')),
        dueOn: a.dueOn,
        origin,
      });
      await repo.updateAction(tx, a.actionId, { task_id: task.id });
    }
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
  });
}
