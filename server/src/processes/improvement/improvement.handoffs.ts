import type { Actor } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { type HandoffRoute, recordHandoffTx } from '../../work/work.ts';
import type { findingSources } from './improvement.schemas.ts';
import { createNonconformityTx, createOpportunityTx } from './improvement.service.ts';

type SourceRecord = { type: string; id: string; ref: string | null };

/** What a sending process hands to improvement: a finding to record, as a nonconformity or an opportunity. */
interface Finding {
  scopeId: string;
  route: HandoffRoute;
  sourceRecord: SourceRecord;
  kind: 'nonconformity' | 'opportunity';
  title: string;
  description: string;
  source: (typeof findingSources)[number];
  /** the requirement a nonconformity is against; its severity */
  requirement: string;
  severity: 'major' | 'minor';
  ownerId: string | null;
  dueOn?: string | null;
  /** a corrective action named with the finding: its task is then the delivered work */
  correctiveAction?: { title: string; ownerId: string | null; dueOn: string | null } | undefined;
}

/**
 * Records a finding in the improvement process and writes its hand-off ledger row, in the sender's transaction. The
 * delivered work is the corrective action's task when the finding names one, else the finding itself, which leaves
 * intake once a corrective action is planned (a nonconformity) or once it is decided (an opportunity).
 */
async function raiseFindingTx(tx: Tx, deps: Deps, actor: Actor | null, f: Finding): Promise<void> {
  if (f.kind === 'opportunity') {
    const o = await createOpportunityTx(tx, deps, actor, f.scopeId, {
      title: f.title,
      description: f.description,
      source: f.source,
      benefit: '',
      ownerId: f.ownerId,
      sourceRecord: f.sourceRecord,
    });
    await recordHandoffTx(tx, deps, {
      scopeId: f.scopeId,
      route: f.route,
      work: {
        type: 'improvement_opportunity',
        id: o.id,
        ref: o.reference,
        title: o.title,
        assigneeId: o.owner?.id ?? null,
        dueOn: f.dueOn ?? null,
      },
    });
    return;
  }
  const nc = await createNonconformityTx(
    tx,
    deps,
    actor,
    f.scopeId,
    {
      kind: 'nonconformity',
      title: f.title,
      description: f.description,
      source: f.source,
      requirement: f.requirement,
      severity: f.severity,
      ownerId: f.ownerId,
      sourceRecord: f.sourceRecord,
    },
    f.correctiveAction,
  );
  const action = f.correctiveAction ? nc.correctiveActions[0] : undefined;
  await recordHandoffTx(tx, deps, {
    scopeId: f.scopeId,
    route: f.route,
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
}

/** What the improvement process receives: lessons, audit findings, review decisions and measures in breach (ISO 27001 10.2). */
export const improvementHandoffs = (deps: Deps): HandoffReceiver[] => [
  // a lesson learned from an incident that names a nonconformity or an improvement (Annex A 5.27)
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    if (e.kind !== 'nonconformity' && e.kind !== 'improvement') return;
    const sourceRecord = { type: 'incident', id: e.incidentId, ref: e.incidentRef };
    await raiseFindingTx(tx, deps, actor, {
      scopeId: e.scopeId,
      route: { from: 'incident-management', to: 'improvement', event: 'incident.lesson', source: sourceRecord },
      sourceRecord,
      kind: e.kind === 'nonconformity' ? 'nonconformity' : 'opportunity',
      title: e.title,
      description: e.description,
      source: 'incident',
      requirement: '',
      severity: 'minor',
      ownerId: null,
      correctiveAction: e.correctiveAction,
    });
  }),
  // a nonconformity or opportunity an audit recorded on a checklist row (ISO 27001 9.2)
  receive('internal-audit', 'audit.finding-recorded', async (tx, actor, e) => {
    await raiseFindingTx(tx, deps, actor, {
      scopeId: e.scopeId,
      route: {
        from: 'internal-audit',
        to: 'improvement',
        event: 'audit.finding-recorded',
        source: { type: 'internal_audit', id: e.auditId, ref: e.auditRef },
      },
      sourceRecord: { type: 'internal_audit_item', id: e.itemId, ref: e.itemRef },
      kind: e.result === 'opportunity' ? 'opportunity' : 'nonconformity',
      title: e.title,
      description: e.description,
      source: e.source,
      requirement: e.requirement,
      severity: e.result === 'major_nonconformity' ? 'major' : 'minor',
      ownerId: null,
    });
  }),
  // a decision of a management review (ISO 27001 9.3.3): a corrective action becomes a nonconformity with that action
  // for its owner, an opportunity becomes an opportunity for improvement
  receive('management-review', 'review.decided', async (tx, actor, e) => {
    await raiseFindingTx(tx, deps, actor, {
      scopeId: e.scopeId,
      route: {
        from: 'management-review',
        to: 'improvement',
        event: 'review.decided',
        source: { type: 'management_review', id: e.reviewId, ref: e.reviewRef },
      },
      sourceRecord: { type: 'management_review_decision', id: e.decisionId, ref: e.decisionRef },
      kind: e.kind === 'opportunity' ? 'opportunity' : 'nonconformity',
      title: e.title,
      description: e.description,
      source: 'management_review',
      requirement: 'ISO/IEC 27001 9.3.3',
      severity: 'minor',
      ownerId: e.ownerId,
      dueOn: e.dueOn,
      correctiveAction: e.kind === 'opportunity' ? undefined : { title: e.title, ownerId: e.ownerId, dueOn: e.dueOn },
    });
  }),
  // a nonconformity or opportunity raised from the analysis of a measurement in breach (ISO 27001 9.1 → 10.2)
  receive('performance-evaluation', 'measure.finding-raised', async (tx, actor, e) => {
    const sourceRecord = { type: 'measurement', id: e.measurementId, ref: e.measureRef };
    await raiseFindingTx(tx, deps, actor, {
      scopeId: e.scopeId,
      route: { from: 'performance-evaluation', to: 'improvement', event: 'measure.finding-raised', source: sourceRecord },
      sourceRecord,
      kind: e.kind === 'opportunity' ? 'opportunity' : 'nonconformity',
      title: e.title,
      description: e.description,
      source: 'performance_evaluation',
      requirement: 'ISO/IEC 27001 9.1',
      severity: 'minor',
      ownerId: e.ownerId,
    });
  }),
];
