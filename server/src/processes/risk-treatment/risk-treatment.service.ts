import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { annexACatalogTitle, annexATitle } from '../../catalogs/iso27001-annex-a.de.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { TreatmentActionTable, TreatmentControlTable } from './risk-treatment.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import type { DomainEvents } from '../../events/event-bus.ts';
import type { Text } from '../../i18n/i18n.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { checkDueNotBeforeCreation } from '../../shared/date-rules.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { completeOriginTasksTx } from '../../work/task.service.ts';
import { settleTaskTx, settleWorkTx } from '../../work/work.ts';
import { createControlTx } from '../control-implementation/index.ts';
import * as methodRepo from '../risk-assessment/index.ts';
import { acceptanceFor, findLevel, parseMethod, type RiskMethod } from '../risk-assessment/index.ts';
import * as riskRepo from '../risk-assessment/index.ts';
import { setRiskTargetTx, syncRiskStatusTx } from '../risk-assessment/index.ts';
import { lockRisk } from '../risk-assessment/index.ts';
import { deriveTreatmentStatus, riskReasons } from './risk-treatment-rules.ts';
import type {
  DecideTreatmentInput,
  ListTreatmentsQuery,
  SaveTreatmentInput,
  TreatmentListItem,
  TreatmentResponse,
} from './risk-treatment.schemas.ts';
import * as repo from './risk-treatment.repository.ts';

/** Control statuses for which no implementation task is handed off (already done, or not applicable). */
const finishedControlStatuses = new Set(['implemented', 'verified', 'not_applicable']);

// ---------------------------------------------------------------- presenting

const user = (id: string | null, name: string | null, email: string | null) => (id ? { id, name: name ?? '', email: email ?? '' } : null);
const money = (v: number | string | null) => (v === null ? null : Number(v));

/** The method version that scored a risk, parsed (undefined when the risk is not scored). */
async function methodOfRisk(db: Executor, scopeId: string, methodId: string | null): Promise<RiskMethod | undefined> {
  if (!methodId) return undefined;
  const row = (await methodRepo.listMethods(db, scopeId)).find((m) => m.id === methodId);
  return row ? parseMethod(row.definition) : undefined;
}

function scoredOf(risk: riskRepo.RiskRow, basis: 'current' | 'target', method: RiskMethod | undefined) {
  const key = risk[`${basis}_level`];
  const level = key ? (findLevel(method ?? { levels: [] }, key) ?? { key, label: key, colour: '#868e96', order: 0 }) : null;
  return { likelihood: risk[`${basis}_likelihood`], impact: risk[`${basis}_impact`], level: level ? { ...level } : null };
}

/**
 * A treatment as presented. With a reader's `lang`, the built-in Annex A catalog's titles are in that language; without
 * one, the stored (English) titles, which is what the audit trail and the reopening check compare.
 */
async function loadTreatment(db: Executor, scopeId: string, riskId: string, lang?: string): Promise<TreatmentResponse | null> {
  const [risk, t] = await Promise.all([riskRepo.findRisk(db, scopeId, riskId), repo.findTreatmentByRisk(db, scopeId, riskId)]);
  if (!risk || !t) return null;
  const [controls, actions, tasks, changes, method] = await Promise.all([
    repo.findTreatmentControls(db, t.id),
    repo.findActions(db, t.id),
    repo.findTasksOfTreatment(db, t.id),
    repo.findChangesOfRisk(db, scopeId, riskId),
    methodOfRisk(db, scopeId, risk.method_id),
  ]);
  const presentedActions = actions.map((a) => ({
    id: a.id,
    title: a.title,
    owner: user(a.owner_id, a.owner_name, a.owner_email),
    dueOn: a.due_on,
    costEstimate: money(a.cost_estimate),
    status: a.status,
    taskId: a.task_id,
  }));
  return {
    id: t.id,
    scopeId: t.scope_id,
    reference: t.reference,
    risk: {
      id: risk.id,
      reference: risk.reference,
      title: risk.title,
      owner: user(risk.owner_id, risk.owner_name, risk.owner_email),
      status: risk.status,
      current: scoredOf(risk, 'current', method),
      target: scoredOf(risk, 'target', method),
    },
    option: t.option,
    rationale: t.rationale,
    objectives: JSON.parse(t.objectives) as string[],
    status: t.status,
    decidedAt: t.decided_at,
    decidedBy: user(t.decided_by, t.decided_by_name, t.decided_by_email),
    controls: controls.map((c) => ({
      control:
        c.control_id && c.control_reference
          ? {
              id: c.control_id,
              reference: c.control_reference,
              title: c.control_title ?? '',
              status: c.control_status ?? '',
              owner: user(c.control_owner_id, c.control_owner_name, c.control_owner_email),
            }
          : null,
      requirement:
        c.requirement_id && c.catalog_id
          ? {
              id: c.requirement_id,
              catalogId: c.catalog_id,
              catalogTitle: lang ? annexACatalogTitle(c.catalog_key, c.catalog_title ?? '', lang) : (c.catalog_title ?? ''),
              identifier: c.requirement_identifier ?? '',
              title: lang
                ? annexATitle(c.catalog_key, c.requirement_identifier ?? '', c.requirement_title ?? '', lang)
                : (c.requirement_title ?? ''),
            }
          : null,
      taskId: c.task_id,
    })),
    actions: presentedActions,
    costTotal: presentedActions.reduce((sum, a) => sum + (a.status === 'cancelled' ? 0 : (a.costEstimate ?? 0)), 0),
    tasks: tasks.map((k) => ({
      id: k.id,
      reference: k.reference,
      title: k.title,
      processKey: k.process_key,
      assignee: user(k.assignee_id, k.assignee_name, k.assignee_email),
      status: k.status,
      dueOn: k.due_on,
    })),
    changeRequests: changes.map((c) => ({ id: c.id, reference: c.reference, title: c.title, status: c.status })),
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    version: t.version,
  };
}

/** The decision itself: what reopens a decided treatment when it changes. */
const decisionOf = (t: TreatmentResponse) => ({
  option: t.option,
  rationale: t.rationale,
  objectives: t.objectives,
  controls: t.controls.map((c) => c.control?.reference ?? `${c.requirement?.identifier ?? '?'} (${c.requirement?.catalogTitle ?? ''})`),
  target: { likelihood: t.risk.target.likelihood, impact: t.risk.target.impact },
});

/** The fields the audit trail records for a treatment. */
const auditable = (t: TreatmentResponse) => ({
  risk: t.risk.reference,
  ...decisionOf(t),
  status: t.status,
  // each action's fields, worded by the history views (audit-vocabulary.ts)
  actions: t.actions.map((a) => ({ title: a.title, status: a.status, ownerId: a.owner?.id ?? null, dueOn: a.dueOn })),
});

// ---------------------------------------------------------------- rules

async function checkMember(tx: Tx, scopeId: string, userId: string | null, field: string, who: 'controlOwner' | 'actionOwner') {
  if (userId && !(await findMembership(tx, scopeId, userId))) throw invalid(field, errorText('memberRequired', { field: who }));
}

/** Every id the body names must belong to the scope (controls, members) or be visible to it (catalog requirements). */
async function validateSelection(tx: Tx, scopeId: string, input: SaveTreatmentInput, existingActionIds: Set<string>) {
  const controlIds = input.controls.flatMap((c) => ('controlId' in c ? [c.controlId] : []));
  const requirementIds = input.controls.flatMap((c) => ('requirementId' in c ? [c.requirementId] : []));
  const controls = new Set((await repo.findControlsInScope(tx, scopeId, [...new Set(controlIds)])).map((c) => c.id));
  const requirements = new Map((await repo.findVisibleRequirements(tx, scopeId, [...new Set(requirementIds)])).map((r) => [r.id, r]));
  const seen = new Set<string>();
  for (const [i, c] of input.controls.entries()) {
    const key = 'controlId' in c ? `c:${c.controlId}` : `r:${c.requirementId}`;
    if (seen.has(key)) throw invalid(`body.controls.${i}`, errorText('treatment.selectedTwice'));
    seen.add(key);
    if ('controlId' in c) {
      if (!controls.has(c.controlId)) throw invalid(`body.controls.${i}.controlId`, errorText('treatment.controlNotInScope'));
    } else {
      const r = requirements.get(c.requirementId);
      if (!r) throw invalid(`body.controls.${i}.requirementId`, errorText('treatment.requirementNotVisible'));
      if (r.kind !== 'control')
        throw invalid(`body.controls.${i}.requirementId`, errorText('treatment.requirementIsGroup', { identifier: r.identifier }));
      await checkMember(tx, scopeId, c.ownerId, `body.controls.${i}.ownerId`, 'controlOwner');
    }
  }
  const actionIds = new Set<string>();
  for (const [i, a] of input.actions.entries()) {
    if (a.id !== undefined) {
      if (!existingActionIds.has(a.id)) throw invalid(`body.actions.${i}.id`, errorText('treatment.actionNotInTreatment'));
      if (actionIds.has(a.id)) throw invalid(`body.actions.${i}.id`, errorText('treatment.actionTwice'));
      actionIds.add(a.id);
    }
    await checkMember(tx, scopeId, a.ownerId, `body.actions.${i}.ownerId`, 'actionOwner');
  }
}

/** The new selection rows, keeping what an unchanged selection already had (its resolved control and task). */
function controlRows(
  treatmentId: string,
  input: SaveTreatmentInput['controls'],
  before: repo.TreatmentControlRow[],
): TreatmentControlTable[] {
  return input.map((c, position) => {
    const prev =
      'controlId' in c ? before.find((b) => b.control_id === c.controlId) : before.find((b) => b.requirement_id === c.requirementId);
    return {
      treatment_id: treatmentId,
      position,
      control_id: 'controlId' in c ? c.controlId : (prev?.control_id ?? null),
      requirement_id: 'requirementId' in c ? c.requirementId : (prev?.requirement_id ?? null),
      owner_id: 'requirementId' in c ? c.ownerId : (prev?.owner_id ?? null),
      task_id: prev?.task_id ?? null,
    };
  });
}

/** Closes the open task of a plan action that was finished (done) or dropped (cancelled) in the plan. */
async function closeActionTask(tx: Tx, deps: Deps, actor: Actor, scopeId: string, taskId: string, status: 'done' | 'cancelled') {
  await settleTaskTx(tx, deps, actor, {
    scopeId,
    taskId,
    outcome: status,
    note: { key: status === 'done' ? 'tasks:note.planActionDone' : 'tasks:note.planActionDropped', params: { name: actor.name } },
  });
}

async function syncActions(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  treatmentId: string,
  scopeId: string,
  input: SaveTreatmentInput['actions'],
  before: repo.ActionRow[],
) {
  const now = isoNow(deps.clock);
  const kept = new Set(input.flatMap((a) => (a.id ? [a.id] : [])));
  const removed = before.filter((b) => !kept.has(b.id));
  await repo.deleteActions(
    tx,
    removed.map((b) => b.id),
  );
  // an action taken out of the plan takes its task with it
  for (const b of removed) if (b.task_id) await closeActionTask(tx, deps, actor, scopeId, b.task_id, 'cancelled');
  const inserts: TreatmentActionTable[] = [];
  for (const [position, a] of input.entries()) {
    const fields = {
      position,
      title: a.title,
      owner_id: a.ownerId,
      due_on: a.dueOn,
      cost_estimate: a.costEstimate,
      status: a.status,
    };
    const prev = a.id ? before.find((b) => b.id === a.id) : undefined;
    // a new or moved due date may not lie before the day the action was planned
    if (!prev || prev.due_on !== a.dueOn) checkDueNotBeforeCreation(`body.actions.${position}.dueOn`, a.dueOn, prev?.created_at ?? now);
    if (prev) {
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) =>
        k === 'cost_estimate' ? money(prev.cost_estimate) !== fields.cost_estimate : prev[k] !== fields[k],
      );
      if (changed) await repo.updateAction(tx, prev.id, { ...fields, updated_at: now });
      if (prev.task_id && prev.status !== a.status && (a.status === 'done' || a.status === 'cancelled')) {
        await closeActionTask(tx, deps, actor, scopeId, prev.task_id, a.status);
      }
    } else {
      inserts.push({
        id: newId(),
        treatment_id: treatmentId,
        scope_id: scopeId,
        ...fields,
        task_id: null,
        created_at: now,
        updated_at: now,
      });
    }
  }
  await repo.insertActions(tx, inserts);
}

/** Emits the hand-off of whatever a decided treatment has not handed off yet. */
type ChangeRequestOut = DomainEvents['treatment.decided']['changeRequests'][number];

/**
 * The documents and controls each requested change changes (ISO 27001 6.3): at least one, all of this scope, so that
 * the approved change reaches the document's revision and the control owner's task. 400 naming the request's field.
 */
async function changeTargetsOf(tx: Tx, scopeId: string, requests: DecideTreatmentInput['changeRequests']): Promise<ChangeRequestOut[]> {
  const [documents, controls] = await Promise.all([
    repo.findRevisableDocuments(tx, scopeId, [...new Set(requests.flatMap((r) => r.documentIds))]),
    repo.findControlsInScope(tx, scopeId, [...new Set(requests.flatMap((r) => r.controlIds))]),
  ]);
  const documentById = new Map(documents.map((d) => [d.id, d]));
  const controlById = new Map(controls.map((c) => [c.id, c]));
  return requests.map((r, i) => {
    const field = `body.changeRequests.${i}`;
    if (r.documentIds.length === 0 && r.controlIds.length === 0)
      throw invalid(`${field}.documentIds`, errorText('changeRequestNeedsTarget'));
    const targets: ChangeRequestOut['targets'] = [];
    for (const id of new Set(r.documentIds)) {
      const d = documentById.get(id);
      if (!d) throw invalid(`${field}.documentIds`, errorText('changeTargetDocument'));
      targets.push({ recordType: 'document', recordId: d.id, label: `${d.reference} ${d.title}` });
    }
    for (const id of new Set(r.controlIds)) {
      const c = controlById.get(id);
      if (!c) throw invalid(`${field}.controlIds`, errorText('changeTargetControl'));
      targets.push({ recordType: 'control', recordId: c.id, label: `${c.reference} ${c.title}` });
    }
    return { title: r.title, description: r.description, targets };
  });
}

async function emitHandoff(tx: Tx, deps: Deps, actor: Actor, t: TreatmentResponse, changeRequests: ChangeRequestOut[]) {
  const controls = new Map<
    string,
    { controlId: string; controlRef: string; title: string; ownerId: string | null; dueOn: string | null; positions: number[] }
  >();
  const controlRows = await repo.findTreatmentControls(tx, t.id);
  const ids = controlRows.flatMap((c) => (c.control_id && !c.task_id ? [c.control_id] : []));
  const details = new Map((await repo.findControlsInScope(tx, t.scopeId, [...new Set(ids)])).map((c) => [c.id, c]));
  for (const c of controlRows) {
    const d = c.control_id && !c.task_id ? details.get(c.control_id) : undefined;
    if (!d || finishedControlStatuses.has(d.status)) continue;
    const entry = controls.get(d.id) ?? {
      controlId: d.id,
      controlRef: d.reference,
      title: d.title,
      ownerId: d.owner_id,
      dueOn: d.due_on,
      positions: [],
    };
    entry.positions.push(c.position);
    controls.set(d.id, entry);
  }
  const actions = t.actions
    .filter((a) => !a.taskId && (a.status === 'open' || a.status === 'in_progress'))
    .map((a) => ({ actionId: a.id, title: a.title, ownerId: a.owner?.id ?? null, dueOn: a.dueOn }));
  if (controls.size === 0 && actions.length === 0 && changeRequests.length === 0) return;
  await deps.events.emit(tx, actor, 'treatment.decided', {
    scopeId: t.scopeId,
    treatmentId: t.id,
    treatmentRef: t.reference,
    riskId: t.risk.id,
    riskRef: t.risk.reference,
    riskTitle: t.risk.title,
    riskOwnerId: t.risk.owner?.id ?? null,
    objectives: t.objectives,
    controls: [...controls.values()],
    actions,
    changeRequests,
  });
}

// ---------------------------------------------------------------- services

export async function getTreatment(deps: Deps, actor: Actor, scopeId: string, riskId: string): Promise<TreatmentResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const t = await loadTreatment(deps.db, scopeId, riskId, actorLanguage(actor));
  if (t) return t;
  if (!(await riskRepo.findRisk(deps.db, scopeId, riskId))) throw notFound('Risk');
  throw new AppError('not_found', errorText('treatment.none'), { details: { reason: 'no_treatment' } });
}

/**
 * Creates (version 0) or replaces the treatment of a risk (ISO 27001 6.1.3 a–e): option, rationale, control objectives,
 * selected controls, the plan's actions and the target residual risk (set on the risk by its scoring).
 */
export async function saveTreatment(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  riskId: string,
  input: SaveTreatmentInput,
): Promise<TreatmentResponse> {
  requireScopePermission(actor, scopeId, 'treatment:write');
  const work = deps.db.transaction().execute(async (tx) => {
    await lockRisk(tx, deps.dialect, riskId);
    if (!(await riskRepo.findRisk(tx, scopeId, riskId))) throw notFound('Risk');
    const before = await loadTreatment(tx, scopeId, riskId);
    if (!before && input.version !== 0) {
      throw new AppError('version_conflict', errorText('treatment.noneSendZero'), {
        field: 'body.version',
      });
    }
    if (before && before.version !== input.version) {
      // the treatment as it is now comes with the 409 in the actor's words (conflictWithCurrent, after this transaction)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: before.reference }));
    }
    await validateSelection(tx, scopeId, input, new Set(before?.actions.map((a) => a.id)));
    if (input.targetLikelihood !== undefined || input.targetImpact !== undefined) {
      await setRiskTargetTx(tx, deps, actor, scopeId, riskId, {
        targetLikelihood: input.targetLikelihood,
        targetImpact: input.targetImpact,
      });
    }
    const now = isoNow(deps.clock);
    let treatmentId: string;
    if (!before) {
      treatmentId = newId();
      await repo.insertTreatment(tx, {
        id: treatmentId,
        scope_id: scopeId,
        risk_id: riskId,
        reference: await nextReference(tx, scopeId, 'TRT'),
        option: input.option,
        rationale: input.rationale,
        objectives: JSON.stringify(input.objectives),
        status: 'draft',
        decided_at: null,
        decided_by: null,
        created_at: now,
        updated_at: now,
        version: 1,
      });
    } else {
      treatmentId = before.id;
    }
    const beforeControls = before ? await repo.findTreatmentControls(tx, treatmentId) : [];
    await repo.replaceTreatmentControls(tx, treatmentId, controlRows(treatmentId, input.controls, beforeControls));
    await syncActions(tx, deps, actor, treatmentId, scopeId, input.actions, before ? await repo.findActions(tx, treatmentId) : []);
    if (before) {
      const staged = (await loadTreatment(tx, scopeId, riskId))!;
      const proposed = { ...staged, option: input.option, rationale: input.rationale, objectives: input.objectives };
      const reopened = JSON.stringify(decisionOf(proposed)) !== JSON.stringify(decisionOf(before));
      const status = deriveTreatmentStatus(before.status, reopened, staged.actions);
      await updateVersioned(tx, 'risk_treatment', treatmentId, before.version, {
        option: input.option,
        rationale: input.rationale,
        objectives: JSON.stringify(input.objectives),
        status,
        ...(status === 'draft' && { decided_at: null, decided_by: null }),
        updated_at: now,
      });
    }
    const after = (await loadTreatment(tx, scopeId, riskId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: before ? 'update' : 'create',
      recordType: 'risk_treatment',
      recordId: after.id,
      recordRef: after.reference,
      changes: diffChanges(before ? auditable(before) : null, auditable(after)),
    });
    // a changed decision reopens the treatment: the risk is no longer under a decided treatment (ISO 27001 6.1.3)
    if (before && before.status !== 'draft' && after.status === 'draft') {
      await syncRiskStatusTx(tx, deps, actor, scopeId, riskId, riskReasons.reopened(after.reference));
    }
    // a decided plan that gained actions hands them off at once
    if (after.status !== 'draft') await emitHandoff(tx, deps, actor, after, []);
    return (await loadTreatment(tx, scopeId, riskId, actorLanguage(actor)))!;
  });
  return conflictWithCurrent(work, null, () => loadTreatment(deps.db, scopeId, riskId, actorLanguage(actor)));
}

/**
 * Decides the treatment (ISO 27001 6.1.3, 8.3): controls named by catalog requirements are created in the library (or
 * the scope's existing control for the requirement is reused), every selected control is linked to the risk, the risk
 * owner's treatment task is completed, and the hand-off gives control owners and action owners their tasks and raises
 * the requests for change, all in this transaction. Deciding again hands off only what was not handed off before.
 */
export async function decideTreatment(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  riskId: string,
  input: DecideTreatmentInput,
): Promise<TreatmentResponse> {
  requireScopePermission(actor, scopeId, 'treatment:write');
  const work = deps.db.transaction().execute(async (tx) => {
    await lockRisk(tx, deps.dialect, riskId);
    const risk = await riskRepo.findRisk(tx, scopeId, riskId);
    if (!risk) throw notFound('Risk');
    const before = await loadTreatment(tx, scopeId, riskId);
    if (!before)
      throw new AppError('not_found', errorText('treatment.noneFor', { reference: risk.reference }), {
        details: { reason: 'no_treatment' },
      });
    if (before.version !== input.version) {
      // the treatment as it is now comes with the 409 in the actor's words (conflictWithCurrent, after this transaction)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: before.reference }));
    }
    const refuse = (text: Text, field?: string) => new AppError('unprocessable', text, field ? { field } : {});
    if (!before.rationale.trim()) throw refuse(errorText('treatment.rationaleFirst'), 'rationale');
    if (before.option === 'modify' && before.controls.length === 0 && before.actions.length === 0) {
      throw refuse(errorText('treatment.modifyNeedsControls'), 'controls');
    }
    if ((before.option === 'modify' || before.option === 'share') && before.risk.target.level === null) {
      throw refuse(errorText('treatment.targetFirst'), 'targetLikelihood');
    }
    if (before.option === 'retain') {
      // ISO 27001 6.1.3: retaining a risk is only an option within the risk acceptance criteria
      const level = before.risk.current.level;
      if (!level) throw refuse(errorText('treatment.noCurrentLevel', { reference: risk.reference }), 'option');
      const method = await methodOfRisk(tx, scopeId, risk.method_id);
      if (!method || acceptanceFor(method, level.key) === null) {
        throw refuse(errorText('treatment.retainAboveCriteria', { level: level.label }), 'option');
      }
    }
    const changeRequests = await changeTargetsOf(tx, scopeId, input.changeRequests);

    // catalog requirements become controls of the library (or reuse the scope's control for the requirement)
    for (const row of await repo.findTreatmentControls(tx, before.id)) {
      if (row.control_id || !row.requirement_id) continue;
      let controlId = (await repo.findControlForRequirement(tx, scopeId, row.requirement_id))?.id;
      if (!controlId) {
        const [req] = await repo.findVisibleRequirements(tx, scopeId, [row.requirement_id]);
        // the control is the scope's own record from now on: a built-in Annex A requirement names it in the words of
        // the standard's edition in the deciding user's language (German edition for German users), once
        const title = annexATitle(req!.catalog_key, req!.identifier, req!.title, actorLanguage(actor));
        const created = await createControlTx(tx, deps, actor, scopeId, {
          title: `${req!.label || req!.identifier} ${title}`.slice(0, 300),
          description: req!.statement.slice(0, 20000),
          ownerId: row.owner_id,
          requirementIds: [row.requirement_id],
          riskIds: [riskId],
        });
        controlId = created.id;
      }
      await repo.setTreatmentControl(tx, before.id, row.position, { control_id: controlId });
    }
    // the links the Statement of Applicability starts from (control_risk + control_requirement)
    const selected = (await repo.findTreatmentControls(tx, before.id)).flatMap((c) => (c.control_id ? [c.control_id] : []));
    await repo.linkControlsToRisk(tx, riskId, [...new Set(selected)]);

    const staged = (await loadTreatment(tx, scopeId, riskId))!;
    const status = deriveTreatmentStatus('decided', false, staged.actions);
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'risk_treatment', before.id, before.version, {
      status,
      decided_at: now,
      decided_by: actor.userId,
      updated_at: now,
    });
    const after = (await loadTreatment(tx, scopeId, riskId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'decide',
      recordType: 'risk_treatment',
      recordId: after.id,
      recordRef: after.reference,
      changes: diffChanges(auditable(before), { ...auditable(after), decidedAt: now }),
    });
    // ISO 27001 6.1.3, 8.3: modifying, avoiding or sharing puts the risk in treatment; retaining leaves it assessed
    await syncRiskStatusTx(tx, deps, actor, scopeId, riskId, riskReasons.decided(after.reference, after.option));

    // the treatment task the evaluation handed to the risk owner (or the process owner) is done
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'risk',
      recordId: riskId,
      purposes: ['treat'],
      outcome: 'done',
      note: { key: 'tasks:note.treatmentDecided', params: { treatmentRef: after.reference, option: after.option, name: actor.name } },
    });
    // treatment tasks from before tasks named their purpose
    const owners = new Set([risk.owner_id, await findProcessOwner(tx, scopeId, 'risk-treatment')]);
    for (const assigneeId of owners) {
      if (assigneeId) await completeOriginTasksTx(tx, deps, actor, { recordType: 'risk', recordId: riskId, assigneeId });
    }
    await emitHandoff(tx, deps, actor, after, changeRequests);
    return (await loadTreatment(tx, scopeId, riskId, actorLanguage(actor)))!;
  });
  return conflictWithCurrent(work, null, () => loadTreatment(deps.db, scopeId, riskId, actorLanguage(actor)));
}

/** The risk treatment plan (ISO 27001 6.1.3 e): five statements whatever the page size (page, count, actions, controls). */
export async function listTreatments(deps: Deps, actor: Actor, scopeId: string, query: ListTreatmentsQuery) {
  requireScopePermission(actor, scopeId, 'risk:read');
  const { rows, total, capped } = await repo.listTreatments(deps.db, scopeId, query);
  const ids = rows.map((r) => r.id);
  const [actions, controls] = await Promise.all([repo.summariseActions(deps.db, ids), repo.countControls(deps.db, ids)]);
  const items: TreatmentListItem[] = rows.map((r) => {
    const a = actions.get(r.id);
    return {
      id: r.id,
      reference: r.reference,
      risk: {
        id: r.risk_id,
        reference: r.risk_reference,
        title: r.risk_title,
        owner: user(r.risk_owner_id, r.owner_name, r.owner_email),
        currentLevel: r.risk_current_level,
        targetLevel: r.risk_target_level,
      },
      option: r.option,
      status: r.status,
      decidedAt: r.decided_at,
      controlCount: controls.get(r.id) ?? 0,
      actionCount: a?.actions ?? 0,
      actionsDone: a?.done ?? 0,
      nextDueOn: a?.nextDueOn ?? null,
      costTotal: a?.cost ?? 0,
      updatedAt: r.updated_at,
      version: r.version,
    };
  });
  return listPage(items, { total, capped }, query);
}
