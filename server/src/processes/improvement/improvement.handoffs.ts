import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { recordHandoffTx } from '../../work/work.ts';
import { createNonconformityTx, createOpportunityTx } from './improvement.service.ts';

/** What the improvement process receives: lessons from incidents and audit findings become nonconformities or opportunities. */
export const improvementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    const sourceRecord = { type: 'incident', id: e.incidentId, ref: e.incidentRef };
    const route = { from: 'incident-management', to: 'improvement', event: 'incident.lesson', source: sourceRecord } as const;
    if (e.kind === 'nonconformity') {
      const nc = await createNonconformityTx(
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
      // the delivered work: the corrective action's task when the lesson named one, else the finding (past intake once
      // a corrective action is planned)
      const action = nc.correctiveActions[0];
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route,
        work: action
          ? {
              type: 'task',
              id: action.taskId,
              ref: action.reference,
              title: action.title,
              assigneeId: action.assignee?.id ?? null,
              dueOn: action.dueOn,
            }
          : { type: 'nonconformity', id: nc.id, ref: nc.reference, title: nc.title, assigneeId: nc.owner?.id ?? null, dueOn: null },
      });
    } else if (e.kind === 'improvement') {
      const opportunity = await createOpportunityTx(tx, deps, actor, e.scopeId, {
        title: e.title,
        description: e.description,
        source: 'incident',
        benefit: '',
        ownerId: null,
        sourceRecord,
      });
      // past intake once it is planned, implemented or rejected
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route,
        work: {
          type: 'improvement_opportunity',
          id: opportunity.id,
          ref: opportunity.reference,
          title: opportunity.title,
          assigneeId: opportunity.owner?.id ?? null,
          dueOn: null,
        },
      });
    }
  }),
  // a nonconformity or opportunity an audit recorded on a checklist row; past intake once a corrective action is planned
  // (a nonconformity) or once it is decided (an opportunity)
  receive('internal-audit', 'audit.finding-recorded', async (tx, actor, e) => {
    const sourceRecord = { type: 'internal_audit_item', id: e.itemId, ref: e.itemRef };
    const route = {
      from: 'internal-audit',
      to: 'improvement',
      event: 'audit.finding-recorded',
      source: { type: 'internal_audit', id: e.auditId, ref: e.auditRef },
    } as const;
    if (e.result === 'opportunity') {
      const o = await createOpportunityTx(tx, deps, actor, e.scopeId, {
        title: e.title,
        description: e.description,
        source: e.source,
        benefit: '',
        ownerId: null,
        sourceRecord,
      });
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route,
        work: { type: 'improvement_opportunity', id: o.id, ref: o.reference, title: o.title, assigneeId: o.owner?.id ?? null, dueOn: null },
      });
      return;
    }
    const nc = await createNonconformityTx(tx, deps, actor, e.scopeId, {
      kind: 'nonconformity',
      title: e.title,
      description: e.description,
      source: e.source,
      requirement: e.requirement,
      severity: e.result === 'major_nonconformity' ? 'major' : 'minor',
      ownerId: null,
      sourceRecord,
    });
    await recordHandoffTx(tx, deps, {
      scopeId: e.scopeId,
      route,
      work: { type: 'nonconformity', id: nc.id, ref: nc.reference, title: nc.title, assigneeId: nc.owner?.id ?? null, dueOn: null },
    });
  }),
  // a decision of a management review (ISO 27001 9.3.3): a corrective action becomes a nonconformity with that action
  // for its owner (the delivered work is the action's task), an opportunity becomes an opportunity for improvement
  receive('management-review', 'review.decided', async (tx, actor, e) => {
    const sourceRecord = { type: 'management_review_decision', id: e.decisionId, ref: e.decisionRef };
    const route = {
      from: 'management-review',
      to: 'improvement',
      event: 'review.decided',
      source: { type: 'management_review', id: e.reviewId, ref: e.reviewRef },
    } as const;
    if (e.kind === 'opportunity') {
      const o = await createOpportunityTx(tx, deps, actor, e.scopeId, {
        title: e.title,
        description: e.description,
        source: 'management_review',
        benefit: '',
        ownerId: e.ownerId,
        sourceRecord,
      });
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route,
        work: {
          type: 'improvement_opportunity',
          id: o.id,
          ref: o.reference,
          title: o.title,
          assigneeId: o.owner?.id ?? null,
          dueOn: e.dueOn,
        },
      });
      return;
    }
    const nc = await createNonconformityTx(
      tx,
      deps,
      actor,
      e.scopeId,
      {
        kind: 'nonconformity',
        title: e.title,
        description: e.description,
        source: 'management_review',
        requirement: 'ISO/IEC 27001 9.3.3',
        severity: 'minor',
        ownerId: e.ownerId,
        sourceRecord,
      },
      { title: e.title, ownerId: e.ownerId, dueOn: e.dueOn },
    );
    const action = nc.correctiveActions[0]!;
    await recordHandoffTx(tx, deps, {
      scopeId: e.scopeId,
      route,
      work: {
        type: 'task',
        id: action.taskId,
        ref: action.reference,
        title: action.title,
        assigneeId: action.assignee?.id ?? null,
        dueOn: action.dueOn,
      },
    });
  }),
  // a nonconformity or opportunity raised from the analysis of a measurement in breach (ISO 27001 9.1 → 10.2); past intake
  // once a corrective action is planned (a nonconformity) or once it is decided (an opportunity)
  receive('performance-evaluation', 'measure.finding-raised', async (tx, actor, e) => {
    const sourceRecord = { type: 'measurement', id: e.measurementId, ref: e.measureRef };
    const route = { from: 'performance-evaluation', to: 'improvement', event: 'measure.finding-raised', source: sourceRecord } as const;
    if (e.kind === 'opportunity') {
      const o = await createOpportunityTx(tx, deps, actor, e.scopeId, {
        title: e.title,
        description: e.description,
        source: 'performance_evaluation',
        benefit: '',
        ownerId: e.ownerId,
        sourceRecord,
      });
      await recordHandoffTx(tx, deps, {
        scopeId: e.scopeId,
        route,
        work: { type: 'improvement_opportunity', id: o.id, ref: o.reference, title: o.title, assigneeId: o.owner?.id ?? null, dueOn: null },
      });
      return;
    }
    const nc = await createNonconformityTx(tx, deps, actor, e.scopeId, {
      kind: 'nonconformity',
      title: e.title,
      description: e.description,
      source: 'performance_evaluation',
      requirement: 'ISO/IEC 27001 9.1',
      severity: 'minor',
      ownerId: e.ownerId,
      sourceRecord,
    });
    await recordHandoffTx(tx, deps, {
      scopeId: e.scopeId,
      route,
      work: { type: 'nonconformity', id: nc.id, ref: nc.reference, title: nc.title, assigneeId: nc.owner?.id ?? null, dueOn: null },
    });
  }),
];
