import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import type { ImprovementOpportunityTable, NonconformityTable } from './improvement.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findMembership, findScope } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import { changeVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { english, fallbackLanguage, render, renderStored, storedParams, type Text } from '../../i18n/i18n.ts';
import { checkDueNotBeforeCreation } from '../../shared/date-rules.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { createTaskTx } from '../../work/task.service.ts';
import { openWorkTx, settleHandoffTx, settleWorkTx } from '../../work/work.ts';
import type {
  findingKinds,
  findingSeverities,
  findingSources,
  NonconformityDetailResponse,
  NonconformityResponse,
  OpportunityResponse,
  opportunityStatuses,
} from './improvement.schemas.ts';
import * as repo from './improvement.repository.ts';

type Source = (typeof findingSources)[number];
type SourceRecord = { type: string; id: string; ref: string | null };

const owner = (id: string | null, name: string | null, email: string | null) => (id ? { id, name: name ?? '', email: email ?? '' } : null);
const sourceRecord = (r: { source_record_type: string | null; source_record_id: string | null; source_record_ref: string | null }) =>
  r.source_record_type && r.source_record_id ? { type: r.source_record_type, id: r.source_record_id, ref: r.source_record_ref } : null;

/** The texts of an effectiveness check's outcome (their parameter: the checker's note). */
export const effectivenessKeys = {
  effective: 'improvement:effectiveness.effective',
  not_effective: 'improvement:effectiveness.notEffective',
} as const;
type EffectivenessOutcome = keyof typeof effectivenessKeys;

/** The outcome and note of a stored result (null for a result of an older form, which is shown as stored). */
function effectivenessOf(row: Pick<NonconformityTable, 'effectiveness_result_key' | 'effectiveness_result_params'>) {
  const outcome = (Object.keys(effectivenessKeys) as EffectivenessOutcome[]).find(
    (o) => effectivenessKeys[o] === row.effectiveness_result_key,
  );
  if (!outcome) return { outcome: null, note: null };
  let note: unknown = null;
  try {
    note = (JSON.parse(row.effectiveness_result_params ?? '{}') as { note?: unknown }).note;
  } catch {
    // unreadable parameters: the outcome stands, the stored English shows the note
  }
  return { outcome, note: typeof note === 'string' ? note : null };
}

/** A stored effectiveness result in the reader's language (an older row's text as stored). */
export const effectivenessResultIn = (
  lang: string,
  row: Pick<NonconformityTable, 'effectiveness_result' | 'effectiveness_result_key' | 'effectiveness_result_params'>,
) =>
  row.effectiveness_result === null
    ? null
    : renderStored(lang, row.effectiveness_result, row.effectiveness_result_key, row.effectiveness_result_params);

/** A finding's detail in the reader's language: the outcome of its effectiveness check is worded for them. */
export function ncIn(n: NonconformityDetailResponse, lang: string): NonconformityDetailResponse {
  if (!n.effectivenessOutcome || n.effectivenessNote === null) return n;
  return {
    ...n,
    effectivenessResult: render(lang, { key: effectivenessKeys[n.effectivenessOutcome], params: { note: n.effectivenessNote } }),
  };
}

function presentNc(row: repo.NonconformityRow): NonconformityResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    kind: row.kind,
    title: row.title,
    source: row.source as Source,
    sourceRecord: sourceRecord(row),
    severity: row.severity,
    status: row.status,
    owner: owner(row.owner_id, row.owner_name, row.owner_email),
    effectivenessDueOn: row.effectiveness_due_on,
    createdAt: row.created_at,
    version: row.version,
  };
}

async function loadNc(db: Deps['db'] | Tx, scopeId: string, id: string): Promise<NonconformityDetailResponse | null> {
  const row = await repo.findNonconformity(db, scopeId, id);
  if (!row) return null;
  const actions = await repo.findCorrectiveActions(db, id);
  const effectiveness = effectivenessOf(row);
  return {
    ...presentNc(row),
    description: row.description,
    requirement: row.requirement,
    immediateCorrection: row.immediate_correction,
    rootCause: JSON.parse(row.root_cause) as string[],
    rootCauseNotDetermined: row.root_cause_not_determined,
    effectivenessResult: effectivenessResultIn(fallbackLanguage, row),
    effectivenessOutcome: effectiveness.outcome,
    effectivenessNote: effectiveness.note,
    effectivenessCheckedAt: row.effectiveness_checked_at,
    closedAt: row.closed_at,
    correctiveActions: actions.map((a) => ({
      taskId: a.task_id,
      reference: a.reference,
      title: a.title,
      status: a.status,
      dueOn: a.due_on,
      assignee: owner(a.assignee_id, a.assignee_name, a.assignee_email),
    })),
  };
}

const auditableNc = (n: NonconformityDetailResponse) => ({
  kind: n.kind,
  title: n.title,
  description: n.description,
  requirement: n.requirement,
  severity: n.severity,
  status: n.status,
  ownerId: n.owner?.id ?? null,
  immediateCorrection: n.immediateCorrection,
  rootCause: n.rootCause,
  rootCauseNotDetermined: n.rootCauseNotDetermined,
  correctiveActions: n.correctiveActions.map((a) => a.reference),
  effectivenessDueOn: n.effectivenessDueOn,
  // the outcome as a code with the checker's note (a result recorded before outcomes were kept: as stored)
  effectivenessResult: n.effectivenessOutcome ? { outcome: n.effectivenessOutcome, note: n.effectivenessNote } : n.effectivenessResult,
});

async function corrective(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  nc: { id: string; scopeId: string; reference: string },
  input: { title: string; ownerId: string | null; dueOn: string | null },
) {
  const task = await createTaskTx(tx, deps, actor, {
    scopeId: nc.scopeId,
    title: input.title,
    description: { key: 'tasks:description.correctiveAction', params: { ncRef: nc.reference } },
    processKey: 'improvement',
    assigneeId: input.ownerId,
    dueOn: input.dueOn,
    origin: { processKey: 'improvement', recordType: 'nonconformity', recordId: nc.id, recordRef: nc.reference },
  });
  await repo.insertCorrectiveAction(tx, { id: newId(), nonconformity_id: nc.id, task_id: task.id, created_at: isoNow(deps.clock) });
  return task;
}

/** Records a nonconformity or observation inside the caller's transaction: by hand or handed over (audit, incidents…). */
export async function createNonconformityTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: {
    kind: (typeof findingKinds)[number];
    title: string;
    description: string;
    source: Source;
    requirement: string;
    severity: (typeof findingSeverities)[number];
    ownerId: string | null;
    sourceRecord?: SourceRecord;
  },
  firstAction?: { title: string; ownerId: string | null; dueOn: string | null },
) {
  const now = isoNow(deps.clock);
  const row: NonconformityTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, input.kind === 'observation' ? 'OBS' : 'NC'),
    kind: input.kind,
    title: input.title,
    description: input.description,
    source: input.source,
    source_record_type: input.sourceRecord?.type ?? null,
    source_record_id: input.sourceRecord?.id ?? null,
    source_record_ref: input.sourceRecord?.ref ?? null,
    requirement: input.requirement,
    severity: input.severity,
    status: 'open',
    owner_id: input.ownerId ?? (await findProcessOwner(tx, scopeId, 'improvement')),
    immediate_correction: '',
    root_cause: '[]',
    root_cause_not_determined: null,
    effectiveness_due_on: null,
    effectiveness_result: null,
    effectiveness_result_key: null,
    effectiveness_result_params: null,
    effectiveness_checked_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertNonconformity(tx, row);
  if (firstAction) {
    await corrective(
      tx,
      deps,
      actor,
      { id: row.id, scopeId, reference: row.reference },
      { ...firstAction, ownerId: firstAction.ownerId ?? row.owner_id },
    );
    await updateVersioned(tx, 'nonconformity', row.id, 1, { status: 'in_progress' });
  }
  const after = (await loadNc(tx, scopeId, row.id))!;
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'nonconformity',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, { ...auditableNc(after), source: row.source }),
  });
  return after;
}

async function checkOwner(tx: Tx, scopeId: string, id: string | null | undefined, field: string) {
  if (id && !(await findMembership(tx, scopeId, id))) throw invalid(field, errorText('ownerNotMember'));
}

export async function createNonconformity(deps: Deps, actor: Actor, scopeId: string, input: Parameters<typeof createNonconformityTx>[4]) {
  requireScopePermission(actor, scopeId, 'improvement:write');
  return deps.db.transaction().execute(async (tx) => {
    await checkOwner(tx, scopeId, input.ownerId, 'body.ownerId');
    return createNonconformityTx(tx, deps, actor, scopeId, input);
  });
}

export async function getNonconformity(deps: Deps, actor: Actor, scopeId: string, id: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'improvement:read');
  const nc = await loadNc(deps.db, scopeId, id);
  if (!nc) throw notFound('Nonconformity');
  return ncIn(nc, lang);
}

export async function listNonconformities(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: {
    page: number;
    pageSize: number;
    status?: NonconformityTable['status'] | 'active' | undefined;
    kind?: NonconformityTable['kind'] | undefined;
    q?: string | undefined;
  },
) {
  requireScopePermission(actor, scopeId, 'improvement:read');
  const { rows, total, capped } = await repo.listNonconformities(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(rows.map(presentNc), { total, capped }, q);
}

const nonconformityKind: VersionedRecordKind<NonconformityDetailResponse, 'nonconformity'> = {
  table: 'nonconformity',
  recordType: 'nonconformity',
  label: 'Nonconformity',
  load: loadNc,
  auditable: auditableNc,
};

function mutateNc(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  version: number | null,
  fn: (tx: Tx, before: NonconformityDetailResponse) => Promise<Partial<NonconformityTable>>,
) {
  requireScopePermission(actor, scopeId, 'improvement:write');
  return changeVersionedRecord(deps, actor, nonconformityKind, { scopeId, id, version }, fn);
}

/**
 * ISO 27001 10.2 b): the root cause of a nonconformity, or (in the small profile only) the reason it could not be
 * determined; never both.
 */
async function checkRootCause(
  tx: Tx,
  scopeId: string,
  before: NonconformityDetailResponse,
  input: { rootCause?: string[] | undefined; rootCauseNotDetermined?: string | null | undefined },
) {
  if (input.rootCauseNotDetermined === undefined || input.rootCauseNotDetermined === null) return;
  if ((input.rootCause ?? before.rootCause).length > 0) throw invalid('body.rootCauseNotDetermined', errorText('rootCauseEither'));
  const scope = await findScope(tx, scopeId);
  if (scope?.profile === 'large') throw invalid('body.rootCauseNotDetermined', errorText('rootCauseNotDeterminedLarge'));
}

export async function updateNonconformity(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    requirement?: string | undefined;
    severity?: (typeof findingSeverities)[number] | undefined;
    ownerId?: string | null | undefined;
    immediateCorrection?: string | undefined;
    rootCause?: string[] | undefined;
    rootCauseNotDetermined?: string | null | undefined;
  },
  lang: string = fallbackLanguage,
) {
  const after = await mutateNc(deps, actor, scopeId, id, input.version, async (tx, before) => {
    if (before.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: before.reference }));
    await checkOwner(tx, scopeId, input.ownerId, 'body.ownerId');
    await checkRootCause(tx, scopeId, before, input);
    return {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.requirement !== undefined && { requirement: input.requirement }),
      ...(input.severity !== undefined && { severity: input.severity }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
      ...(input.immediateCorrection !== undefined && { immediate_correction: input.immediateCorrection }),
      ...(input.rootCause !== undefined && { root_cause: JSON.stringify(input.rootCause) }),
      // a root cause found replaces an earlier "not determined"
      ...(input.rootCause?.length && input.rootCauseNotDetermined === undefined && { root_cause_not_determined: null }),
      ...(input.rootCauseNotDetermined !== undefined && { root_cause_not_determined: input.rootCauseNotDetermined }),
    };
  });
  return ncIn(after, lang);
}

export async function addCorrectiveAction(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { title: string; ownerId: string | null; dueOn: string | null },
  lang: string = fallbackLanguage,
) {
  const after = await mutateNc(deps, actor, scopeId, id, null, async (tx, before) => {
    if (before.status === 'closed' || before.status === 'effectiveness_check')
      throw new AppError('invalid_state', errorText('improvement.wrongStatus', { reference: before.reference, status: before.status }));
    checkDueNotBeforeCreation('body.dueOn', input.dueOn, isoNow(deps.clock));
    await checkOwner(tx, scopeId, input.ownerId, 'body.ownerId');
    await corrective(tx, deps, actor, before, { ...input, ownerId: input.ownerId ?? before.owner?.id ?? null });
    // a finding handed over by another process is past intake once its first corrective action is planned
    await settleHandoffTx(tx, deps, {
      workRecordType: 'nonconformity',
      workRecordId: id,
      outcome: 'done',
      note: { key: 'tasks:note.correctiveActionPlanned', params: { ncRef: before.reference, name: actor.name } },
    });
    return { status: 'in_progress' };
  });
  return ncIn(after, lang);
}

/** When the corrective actions are done, the effectiveness check is scheduled for a later date (ISO 27001 10.2 d). */
export async function requestEffectivenessCheck(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; effectivenessDueOn: string },
  lang: string = fallbackLanguage,
) {
  const after = await mutateNc(deps, actor, scopeId, id, input.version, async (tx, before) => {
    if (before.status !== 'in_progress')
      throw new AppError('invalid_state', errorText('improvement.needsActions', { reference: before.reference }));
    const open = before.correctiveActions.filter((a) => a.status === 'open' || a.status === 'in_progress');
    if (open.length)
      throw new AppError('invalid_state', errorText('improvement.finishActions', { references: open.map((a) => a.reference).join(', ') }));
    await openWorkTx(tx, deps, actor, {
      scopeId,
      processKey: 'improvement',
      purpose: 'effectiveness',
      title: { key: 'tasks:title.checkEffectiveness', params: { ncRef: before.reference } },
      description: before.title,
      assigneeId: before.owner?.id ?? actor.userId,
      dueOn: input.effectivenessDueOn,
      origin: { processKey: 'improvement', recordType: 'nonconformity', recordId: id, recordRef: before.reference },
    });
    return { status: 'effectiveness_check', effectiveness_due_on: input.effectivenessDueOn };
  });
  return ncIn(after, lang);
}

/** The effectiveness check closes the finding, or reopens it for further corrective action. */
export async function recordEffectiveness(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; effective: boolean; note: string },
  lang: string = fallbackLanguage,
) {
  const after = await mutateNc(deps, actor, scopeId, id, input.version, async (tx, before) => {
    if (before.status !== 'effectiveness_check')
      throw new AppError('invalid_state', errorText('improvement.notInCheck', { reference: before.reference }));
    if (input.effective && before.kind === 'nonconformity' && before.rootCause.length === 0) {
      // ISO 27001 10.2 b): no closing without the root cause (the small profile may have recorded why it is not known)
      const small = (await findScope(tx, scopeId))?.profile !== 'large';
      if (!small || !before.rootCauseNotDetermined)
        throw new AppError(
          'unprocessable',
          errorText(small ? 'rootCauseRequiredSmall' : 'rootCauseRequired', { reference: before.reference }),
          {
            field: 'rootCause',
          },
        );
    }
    const now = isoNow(deps.clock);
    // the check is done, whatever it found (ISO 27001 10.2 d)
    const note = {
      key: input.effective ? 'tasks:note.effective' : 'tasks:note.notEffective',
      params: { ncRef: before.reference, name: actor.name },
    };
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'nonconformity',
      recordId: id,
      purposes: ['effectiveness'],
      outcome: 'done',
      note,
    });
    if (input.effective) await settleHandoffTx(tx, deps, { workRecordType: 'nonconformity', workRecordId: id, outcome: 'done', note });
    // the outcome as a key with the checker's note, the English rendering beside it (like a task's title)
    const result: Text = { key: effectivenessKeys[input.effective ? 'effective' : 'not_effective'], params: { note: input.note } };
    const stored = {
      effectiveness_result: english(result),
      effectiveness_result_key: result.key,
      effectiveness_result_params: storedParams(result),
      effectiveness_checked_at: now,
    };
    return input.effective ? { status: 'closed', ...stored, closed_at: now } : { status: 'open', ...stored, effectiveness_due_on: null };
  });
  return ncIn(after, lang);
}

/** A corrective action that changes ISMS documents or processes goes to change management as a request for change. */
export async function requestChangeForNonconformity(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { title: string; description: string },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'improvement:write');
  requireScopePermission(actor, scopeId, 'change:write');
  return deps.db.transaction().execute(async (tx) => {
    const nc = await loadNc(tx, scopeId, id);
    if (!nc) throw notFound('Nonconformity');
    await deps.events.emit(tx, actor, 'improvement.change-requested', {
      scopeId,
      nonconformityId: id,
      nonconformityRef: nc.reference,
      ...input,
    });
    return ncIn(nc, lang);
  });
}

function presentOpportunity(row: repo.OpportunityRow): OpportunityResponse {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    source: row.source as Source,
    sourceRecord: sourceRecord(row),
    benefit: row.benefit,
    status: row.status,
    owner: owner(row.owner_id, row.owner_name, row.owner_email),
    createdAt: row.created_at,
    version: row.version,
  };
}

const auditableOpportunity = (o: OpportunityResponse) => ({
  title: o.title,
  description: o.description,
  benefit: o.benefit,
  status: o.status,
  ownerId: o.owner?.id ?? null,
});

export async function createOpportunityTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: { title: string; description: string; source: Source; benefit: string; ownerId: string | null; sourceRecord?: SourceRecord },
) {
  const now = isoNow(deps.clock);
  const row: ImprovementOpportunityTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, 'OFI'),
    title: input.title,
    description: input.description,
    source: input.source,
    source_record_type: input.sourceRecord?.type ?? null,
    source_record_id: input.sourceRecord?.id ?? null,
    source_record_ref: input.sourceRecord?.ref ?? null,
    benefit: input.benefit,
    status: 'proposed',
    owner_id: input.ownerId ?? (await findProcessOwner(tx, scopeId, 'improvement')),
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertOpportunity(tx, row);
  const after = presentOpportunity((await repo.findOpportunity(tx, scopeId, row.id))!);
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'improvement_opportunity',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, auditableOpportunity(after)),
  });
  return after;
}

export async function createOpportunity(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { title: string; description: string; source: Source; benefit: string; ownerId: string | null },
) {
  requireScopePermission(actor, scopeId, 'improvement:write');
  return deps.db.transaction().execute(async (tx) => {
    await checkOwner(tx, scopeId, input.ownerId, 'body.ownerId');
    return createOpportunityTx(tx, deps, actor, scopeId, input);
  });
}

export async function listOpportunities(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; status?: ImprovementOpportunityTable['status'] | undefined; q?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'improvement:read');
  const { rows, total, capped } = await repo.listOpportunities(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(rows.map(presentOpportunity), { total, capped }, q);
}

export async function updateOpportunity(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    benefit?: string | undefined;
    status?: (typeof opportunityStatuses)[number] | undefined;
    ownerId?: string | null | undefined;
  },
) {
  requireScopePermission(actor, scopeId, 'improvement:write');
  const work = deps.db.transaction().execute(async (tx) => {
    const row = await repo.findOpportunity(tx, scopeId, id);
    if (!row) throw notFound('Opportunity for improvement');
    const before = presentOpportunity(row);
    if (before.version !== input.version)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: before.reference }), { details: { current: before } });
    await checkOwner(tx, scopeId, input.ownerId, 'body.ownerId');
    await updateVersioned(tx, 'improvement_opportunity', id, input.version, {
      updated_at: isoNow(deps.clock),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.benefit !== undefined && { benefit: input.benefit }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
    });
    const after = presentOpportunity((await repo.findOpportunity(tx, scopeId, id))!);
    // an opportunity handed over by another process is past intake once it is no longer only proposed
    if (before.status === 'proposed' && after.status !== 'proposed')
      await settleHandoffTx(tx, deps, {
        workRecordType: 'improvement_opportunity',
        workRecordId: id,
        outcome: after.status === 'rejected' ? 'cancelled' : 'done',
        note: { key: 'tasks:note.opportunityDecided', params: { ref: after.reference, status: after.status, name: actor.name } },
      });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'improvement_opportunity',
      recordId: id,
      recordRef: after.reference,
      changes: diffChanges(auditableOpportunity(before), auditableOpportunity(after)),
    });
    return after;
  });
  return conflictWithCurrent(work, null, async () => {
    const row = await repo.findOpportunity(deps.db, scopeId, id);
    return row && presentOpportunity(row);
  });
}
