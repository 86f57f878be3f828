import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import { endAcceptancesOnRaiseTx } from './risk-acceptance.service.ts';
import * as repo from './risk-treatment.repository.ts';

/** Days the risk owner has to decide the treatment of a risk evaluated above the acceptance criteria. */
export const TREATMENT_DAYS = 30;

/** What the risk-treatment process receives from others. */
export const riskTreatmentHandoffs = (deps: Deps): HandoffReceiver[] => [
  // risk assessment → risk treatment ("prioritised risks with owners"): a risk whose evaluation crosses above the
  // acceptance criteria gives its owner a treatment task, once per crossing (ISO 27001 6.1.3, 8.3)
  receive('risk-assessment', 'risk.evaluated', async (tx, actor, e) => {
    if (!e.aboveCriteria && e.wasAboveCriteria) {
      // back within the criteria before a treatment was decided: the treatment is no longer asked for
      await settleWorkTx(tx, deps, actor, {
        scopeId: e.scopeId,
        recordType: 'risk',
        recordId: e.riskId,
        purposes: ['treat'],
        outcome: 'cancelled',
        // the level's key beside its label: texts rendered from their key word a built-in label in the reader's language
        note: { key: 'tasks:note.riskWithinCriteria', params: { riskRef: e.riskRef, level: e.level, levelLabel: e.levelLabel } },
      });
      return;
    }
    if (!e.aboveCriteria || e.wasAboveCriteria) return;
    await openWorkTx(tx, deps, actor, {
      scopeId: e.scopeId,
      purpose: 'treat',
      title: { key: 'tasks:title.treatRisk', params: { riskRef: e.riskRef, title: e.title } },
      // only management may accept it as it is, or the acceptance criteria do not allow accepting it as it is
      description: {
        key: e.acceptableBy === 'management' ? 'tasks:description.treatRiskByManagement' : 'tasks:description.treatRisk',
        params: { riskRef: e.riskRef, level: e.level, levelLabel: e.levelLabel, likelihood: e.likelihood, impact: e.impact },
      },
      processKey: 'risk-treatment',
      assigneeId: e.ownerId ?? (await findProcessOwner(tx, e.scopeId, 'risk-treatment')),
      dueOn: utcDatePlusDays(deps.clock.now(), TREATMENT_DAYS),
      origin: { processKey: 'risk-assessment', recordType: 'risk', recordId: e.riskId, recordRef: e.riskRef },
      handoff: {
        from: 'risk-assessment',
        to: 'risk-treatment',
        event: 'risk.evaluated',
        source: { type: 'risk', id: e.riskId, ref: e.riskRef },
      },
    });
  }),

  // a re-evaluation at a higher level ends the risk's acceptance in progress or in force (ISO 27001 6.1.3 f, 8.2)
  receive('risk-assessment', 'risk.evaluated', (tx, actor, e) => endAcceptancesOnRaiseTx(tx, deps, actor, e)),

  // the risk treatment plan: a task for the owner of each plan action (ISO 27001 6.1.3 e)
  receive('risk-treatment', 'treatment.decided', async (tx, actor, e) => {
    const origin = { processKey: 'risk-treatment', recordType: 'risk_treatment', recordId: e.treatmentId, recordRef: e.treatmentRef };
    for (const a of e.actions) {
      const { task } = await openWorkTx(tx, deps, actor, {
        scopeId: e.scopeId,
        purpose: `action:${a.actionId}`,
        title: { key: 'tasks:title.planAction', params: { title: a.title } },
        description: {
          key: 'tasks:description.planAction',
          params: { treatmentRef: e.treatmentRef, riskRef: e.riskRef, riskTitle: e.riskTitle },
        },
        processKey: 'risk-treatment',
        assigneeId: a.ownerId ?? e.riskOwnerId ?? (await findProcessOwner(tx, e.scopeId, 'risk-treatment')),
        dueOn: a.dueOn,
        origin,
      });
      await repo.updateAction(tx, a.actionId, { task_id: task.id });
    }
  }),
];
