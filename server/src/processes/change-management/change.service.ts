import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, can, requireScopePermission } from '../../auth/actor.ts';
import { rolePermissions } from '../../auth/role-permissions.ts';
import type { Tx } from '../../db/database.ts';
import type { ChangeRequestTable } from './change-management.tables.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findMembership, findScope } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import { changeVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { completeOriginTasksTx, createTaskTx } from '../../work/task.service.ts';
import { openWorkTx, settleHandoffTx, settleWorkTx } from '../../work/work.ts';
import type { ChangeDetailResponse, ChangeResponse, ChangeStatus, changeSources, changeTargetTypes } from './change.schemas.ts';
import * as repo from './change.repository.ts';

type Target = { recordType: (typeof changeTargetTypes)[number]; recordId: string; label: string };

function present(row: repo.ChangeRow): ChangeResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    source: row.source as (typeof changeSources)[number],
    sourceRecord:
      row.source_record_type && row.source_record_id
        ? { type: row.source_record_type, id: row.source_record_id, ref: row.source_record_ref }
        : null,
    plannedOn: row.planned_on,
    changeRisk: row.change_risk,
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
    createdAt: row.created_at,
    version: row.version,
  };
}

async function loadDetail(db: Deps['db'] | Tx, scopeId: string, id: string): Promise<ChangeDetailResponse | null> {
  const row = await repo.findChange(db, scopeId, id);
  if (!row) return null;
  const [targets, approvals, tasks] = await Promise.all([
    repo.findTargets(db, id),
    repo.findApprovals(db, id),
    repo.findTasksFor(db, 'change_request', id),
  ]);
  const assetTargets = targets.filter((t) => t.record_type === 'asset');
  const dependents = await repo.findDependentAssets(
    db,
    assetTargets.map((t) => t.record_id),
  );
  const targetLabel = new Map(assetTargets.map((t) => [t.record_id, t.label]));
  return {
    ...present(row),
    description: row.description,
    reason: row.reason,
    consequences: row.consequences,
    targets: targets.map((t) => ({ recordType: t.record_type, recordId: t.record_id, label: t.label })),
    affected: dependents
      .filter((d) => !targetLabel.has(d.id))
      .map((d) => ({
        recordType: 'asset',
        recordId: d.id,
        label: `${d.reference} ${d.name}`,
        // the target it depends on, by name: the client words the relation
        dependsOn: targetLabel.get(d.depends_on_id) ?? '',
      })),
    approvals: approvals.map((a) => ({
      approver: { id: a.approver_id, name: a.name, email: a.email },
      decision: a.decision,
      comment: a.comment,
      decidedAt: a.decided_at,
    })),
    decisionReason: row.decision_reason,
    decidedAt: row.decided_at,
    verification: row.verification,
    verifiedAt: row.verified_at,
    closedAt: row.closed_at,
    tasks,
  };
}

const auditable = (c: ChangeDetailResponse) => ({
  title: c.title,
  description: c.description,
  reason: c.reason,
  status: c.status,
  plannedOn: c.plannedOn,
  ownerId: c.owner?.id ?? null,
  changeRisk: c.changeRisk,
  consequences: c.consequences,
  targets: c.targets.map((t) => `${t.recordType}:${t.label}`),
  approvals: c.approvals.map((a) => `${a.approver.name}:${a.decision ?? 'pending'}`),
  decisionReason: c.decisionReason,
  verification: c.verification,
});

/** Creates a change request inside the caller's transaction: by hand, or handed over from another process. */
export async function createChangeTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: {
    title: string;
    description: string;
    reason: string;
    plannedOn: string | null;
    targets: Target[];
    ownerId: string | null;
    source: (typeof changeSources)[number];
    sourceRecord?: { type: string; id: string; ref: string | null };
  },
) {
  const now = isoNow(deps.clock);
  const owner = input.ownerId ?? (await findProcessOwner(tx, scopeId, 'change-management'));
  const row: ChangeRequestTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, 'CHG'),
    title: input.title,
    description: input.description,
    reason: input.reason,
    source: input.source,
    source_record_type: input.sourceRecord?.type ?? null,
    source_record_id: input.sourceRecord?.id ?? null,
    source_record_ref: input.sourceRecord?.ref ?? null,
    planned_on: input.plannedOn,
    status: 'requested',
    change_risk: '',
    consequences: '',
    requested_by: actor?.userId ?? null,
    owner_id: owner,
    decision_reason: null,
    decided_at: null,
    verification: null,
    verified_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertChange(tx, row);
  await repo.replaceTargets(
    tx,
    row.id,
    dedupe(input.targets).map((t) => ({ record_type: t.recordType, record_id: t.recordId, label: t.label })),
  );
  const after = (await loadDetail(tx, scopeId, row.id))!;
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'change_request',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, { ...auditable(after), source: row.source }),
  });
  return after;
}

const dedupe = (targets: Target[]) => [...new Map(targets.map((t) => [`${t.recordType}:${t.recordId}`, t])).values()];

export async function createChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { title: string; description: string; reason: string; plannedOn: string | null; targets: Target[]; ownerId: string | null },
) {
  requireScopePermission(actor, scopeId, 'change:write');
  return deps.db.transaction().execute(async (tx) => {
    if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) throw invalid('body.ownerId', errorText('ownerNotMember'));
    return createChangeTx(tx, deps, actor, scopeId, { ...input, source: 'manual' });
  });
}

export async function getChange(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'change:read');
  const c = await loadDetail(deps.db, scopeId, id);
  if (!c) throw notFound('Change request');
  return c;
}

export async function listChanges(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; status?: ChangeStatus | 'open' | undefined; q?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'change:read');
  const { rows, total, capped } = await repo.listChanges(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(rows.map(present), { total, capped }, q);
}

const changeKind: VersionedRecordKind<ChangeDetailResponse, 'change_request'> = {
  table: 'change_request',
  recordType: 'change_request',
  label: 'Change request',
  load: loadDetail,
  auditable,
};

/** A step of the change workflow: permission, the statuses it starts from, version check, audit entry. */
function mutate(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  version: number,
  expected: ChangeStatus[],
  fn: (tx: Tx, before: ChangeDetailResponse) => Promise<Partial<ChangeRequestTable>>,
  permission: 'change:write' | 'change:read' = 'change:write',
) {
  requireScopePermission(actor, scopeId, permission);
  return changeVersionedRecord(deps, actor, changeKind, { scopeId, id, version }, async (tx, before) => {
    if (!expected.includes(before.status)) {
      throw new AppError(
        'invalid_state',
        errorText('change.wrongStatus', { reference: before.reference, status: before.status, expected: expected.join(',') }),
      );
    }
    return fn(tx, before);
  });
}

export async function updateChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    reason?: string | undefined;
    plannedOn?: string | null | undefined;
    targets?: Target[] | undefined;
    ownerId?: string | null | undefined;
  },
) {
  return mutate(deps, actor, scopeId, id, input.version, ['requested'], async (tx) => {
    if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) throw invalid('body.ownerId', errorText('ownerNotMember'));
    if (input.targets)
      await repo.replaceTargets(
        tx,
        id,
        dedupe(input.targets).map((t) => ({ record_type: t.recordType, record_id: t.recordId, label: t.label })),
      );
    return {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.reason !== undefined && { reason: input.reason }),
      ...(input.plannedOn !== undefined && { planned_on: input.plannedOn }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
    };
  });
}

/**
 * Review of consequences, then approval: in the small profile by the change-management process owner, in the large
 * profile by a change board of named approvers who must all approve, none of them the requester (segregation of duties).
 */
export async function submitChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; changeRisk: string; consequences: string; approverIds: string[] },
) {
  return mutate(deps, actor, scopeId, id, input.version, ['requested'], async (tx) => {
    const scope = await findScope(tx, scopeId);
    let approvers = [...new Set(input.approverIds)];
    const row = await repo.findChange(tx, scopeId, id);
    if (scope?.profile === 'large') {
      if (approvers.length === 0) throw invalid('body.approverIds', errorText('change.boardNeeded'));
      if (row?.requested_by && approvers.includes(row.requested_by))
        throw invalid('body.approverIds', errorText('change.requesterApproves'));
    } else if (approvers.length === 0) {
      // the process owner decides, or else the person sending it, whoever of them may approve changes
      const owner = await findProcessOwner(tx, scopeId, 'change-management');
      for (const candidate of [owner, actor.userId]) {
        if (candidate && (await mayApproveChanges(tx, scopeId, candidate))) {
          approvers = [candidate];
          break;
        }
      }
      if (approvers.length === 0) throw invalid('body.approverIds', errorText('changeApproverRole'));
    }
    // an approver holds the approving permission in this scope (a viewer cannot be named to decide)
    for (const a of approvers)
      if (!(await mayApproveChanges(tx, scopeId, a))) throw invalid('body.approverIds', errorText('changeApproverRole'));
    for (const a of approvers)
      if (!(await findMembership(tx, scopeId, a))) throw invalid('body.approverIds', errorText('change.approverNotMember'));
    await repo.setApprovers(tx, id, approvers);
    for (const approver of approvers) {
      await openWorkTx(tx, deps, actor, {
        scopeId,
        processKey: 'change-management',
        purpose: `decide:${approver}`,
        title: { key: 'tasks:title.decideChange', params: { changeRef: row!.reference, title: row!.title } },
        description: { key: 'tasks:description.decideChange', params: { changeRef: row!.reference } },
        assigneeId: approver,
        dueOn: null,
        origin: { processKey: 'change-management', recordType: 'change_request', recordId: id, recordRef: row!.reference },
      });
    }
    // a request handed over by another process is past intake once it goes to its approvers
    await settleHandoffTx(tx, deps, {
      workRecordType: 'change_request',
      workRecordId: id,
      outcome: 'done',
      note: { key: 'tasks:note.changeSubmitted', params: { changeRef: row!.reference, name: actor.name } },
    });
    return { status: 'under_review', change_risk: input.changeRisk, consequences: input.consequences };
  });
}

/** Whether a person is a member of the scope whose role may approve changes. */
async function mayApproveChanges(tx: Tx, scopeId: string, userId: string): Promise<boolean> {
  const m = await findMembership(tx, scopeId, userId);
  return !!m && rolePermissions[m.role].has('change:approve');
}

export async function decideChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; decision: 'approve' | 'reject'; comment: string },
) {
  return mutate(
    deps,
    actor,
    scopeId,
    id,
    input.version,
    ['under_review'],
    async (tx, before) => {
      // an approver decides only while their role may approve changes in this scope
      if (!can(actor, scopeId, 'change:approve')) throw forbidden(errorText('changeApproverMayNotDecide'));
      const mine = before.approvals.find((a) => a.approver.id === actor.userId);
      if (!mine) throw new AppError('forbidden', errorText('change.notApprover', { reference: before.reference }));
      if (mine.decision) throw new AppError('invalid_state', errorText('change.alreadyDecided'));
      if (input.decision === 'reject' && !input.comment.trim()) throw invalid('body.comment', errorText('change.rejectionReason'));
      const now = isoNow(deps.clock);
      await repo.recordDecision(tx, id, actor.userId, input.decision, input.comment, now);
      // the approver's decision task is done
      const params = { changeRef: before.reference, name: actor.name };
      await settleWorkTx(tx, deps, actor, {
        scopeId,
        recordType: 'change_request',
        recordId: id,
        purposes: [`decide:${actor.userId}`],
        outcome: 'done',
        note: { key: input.decision === 'reject' ? 'tasks:note.changeRejected' : 'tasks:note.changeApproved', params },
      });
      // decision tasks from before tasks named their purpose
      await completeOriginTasksTx(tx, deps, actor, { recordType: 'change_request', recordId: id, assigneeId: actor.userId });
      if (input.decision === 'reject') {
        // one rejection decides: the other approvers need not decide any more
        await settleWorkTx(tx, deps, actor, {
          scopeId,
          recordType: 'change_request',
          recordId: id,
          purposePrefix: 'decide:',
          outcome: 'cancelled',
          note: { key: 'tasks:note.changeRejected', params },
        });
        return { status: 'rejected', decision_reason: input.comment.trim(), decided_at: now };
      }
      const pending = before.approvals.filter((a) => a.approver.id !== actor.userId && a.decision !== 'approve');
      if (pending.length > 0) return {};
      // hand-off: the processes owning the targeted records act on the approved change (e.g. a document's revision)
      await deps.events.emit(tx, actor, 'change.approved', {
        scopeId,
        changeId: id,
        changeRef: before.reference,
        title: before.title,
        targets: before.targets,
      });
      return { status: 'approved', decision_reason: input.comment.trim() || null, decided_at: now };
    },
    'change:read',
  );
}

export async function implementChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; tasks: { title: string; assigneeId: string | null; dueOn: string | null }[] },
) {
  return mutate(deps, actor, scopeId, id, input.version, ['approved'], async (tx, before) => {
    for (const [i, t] of input.tasks.entries()) {
      if (t.assigneeId && !(await findMembership(tx, scopeId, t.assigneeId)))
        throw invalid(`body.tasks.${i}.assigneeId`, errorText('assigneeNotMember'));
      await createTaskTx(tx, deps, actor, {
        scopeId,
        title: t.title,
        description: { key: 'tasks:description.implementChange', params: { changeRef: before.reference, title: before.title } },
        processKey: 'change-management',
        assigneeId: t.assigneeId,
        dueOn: t.dueOn,
        origin: { processKey: 'change-management', recordType: 'change_request', recordId: id, recordRef: before.reference },
      });
    }
    return { status: 'implementing' };
  });
}

export async function verifyChange(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; verification: string },
) {
  return mutate(deps, actor, scopeId, id, input.version, ['implementing'], async (_tx, before) => {
    const open = before.tasks.filter((t) => t.status === 'open' || t.status === 'in_progress');
    if (open.length)
      throw new AppError('invalid_state', errorText('finishTasksFirst', { references: open.map((t) => t.reference).join(', ') }));
    return { status: 'verified', verification: input.verification, verified_at: isoNow(deps.clock) };
  });
}

export async function closeChange(deps: Deps, actor: Actor, scopeId: string, id: string, input: { version: number }) {
  return mutate(deps, actor, scopeId, id, input.version, ['verified'], async () => ({ status: 'closed', closed_at: isoNow(deps.clock) }));
}
