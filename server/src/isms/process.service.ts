import { diffChanges } from '../audit/audit-hash.ts';
import { fallbackLanguage } from '../i18n/i18n.ts';
import { applyCadencePresetTx, setLegacyCadenceTx } from '../cadences/cadence.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { Executor, Tx } from '../db/database.ts';
import { longReads } from '../db/long-reads.ts';
import { updateVersioned } from '../db/versioned.ts';
import { findMembership } from '../scopes/scope.repository.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { conflictWithCurrent, errorText, invalid, notFound, versionConflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { cadences, ProcessResponse } from './process.schemas.ts';
import { edgeKey, findProcessDefinition, handoffDefinitions, type ProcessKey, processDefinitions } from './process-model.ts';
import { handoffOutput, processDescription, processInputs, processName, processOutputs } from './process-texts.ts';
import { waitingByEdge } from '../engine/ledger.repository.ts';
import * as repo from './process.repository.ts';

/** Gives a new scope the 18 processes of the model, owned by the scope's first manager. */
export async function createScopeProcesses(tx: Tx, deps: Deps, scopeId: string, ownerId: string | null): Promise<void> {
  const now = isoNow(deps.clock);
  // the profile's cadence preset: small, one yearly management review; large, the formal calendar
  const preset = await applyCadencePresetTx(tx, deps, scopeId);
  await repo.insertScopeProcesses(
    tx,
    processDefinitions.map((p) => ({
      id: newId(),
      scope_id: scopeId,
      process_key: p.key,
      owner_id: ownerId,
      cadence: preset.get(p.key)?.cadence ?? 'none',
      next_review_on: preset.get(p.key)?.nextReviewOn ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    })),
  );
}

/** The owner of a process in a scope, to whom hand-offs send follow-up work. */
export async function findProcessOwner(db: Executor, scopeId: string, key: ProcessKey): Promise<string | null> {
  return (await repo.findScopeProcess(db, scopeId, key))?.owner_id ?? null;
}

/** The process map in the reader's language: the processes' names and descriptions, what each hand-off carries. */
export async function getProcessMap(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'process:read');
  const today = deps.clock.now().toISOString().slice(0, 10);
  // the task counts and the hand-offs waiting per edge aggregate the whole scope: long reads (off the main thread on
  // SQLite, db/long-reads.ts)
  const [rows, counts, flow] = await Promise.all([
    repo.listScopeProcesses(deps.db, scopeId),
    repo.countTasksByProcess(longReads(deps.db), scopeId, today),
    waitingByEdge(longReads(deps.db), scopeId, today),
  ]);
  if (rows.length === 0) throw notFound('Scope');
  const byKey = new Map(rows.map((r) => [r.process_key, r]));
  const countByKey = new Map(counts.map((c) => [c.process_key, c]));
  const processes: ProcessResponse[] = processDefinitions.map((def) => {
    const row = byKey.get(def.key);
    const c = countByKey.get(def.key);
    return {
      key: def.key,
      name: processName(lang, def.key),
      type: def.type,
      phase: def.phase,
      description: processDescription(lang, def.key),
      inputs: processInputs(lang, def.key),
      outputs: processOutputs(lang, def.key),
      owner: row?.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
      cadence: (row?.cadence ?? def.defaultCadence) as (typeof cadences)[number],
      nextReviewOn: row?.next_review_on ?? null,
      openTasks: Number(c?.open ?? 0),
      overdueTasks: Number(c?.overdue ?? 0),
      version: row?.version ?? 1,
    };
  });
  const flowByEdge = new Map(flow.map((f) => [f.edge, f]));
  const handoffs = handoffDefinitions.map((h) => {
    const f = flowByEdge.get(edgeKey(h.from, h.to));
    return {
      from: h.from,
      to: h.to,
      output: handoffOutput(lang, h),
      status: h.status,
      waiting: f?.waiting ?? 0,
      overdue: f?.overdue ?? 0,
      oldestAt: f?.oldestAt ?? null,
      medianAt: f?.medianAt ?? null,
    };
  });
  return { processes, handoffs };
}

export async function updateProcess(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  input: {
    version: number;
    ownerId?: string | null | undefined;
    cadence?: (typeof cadences)[number] | undefined;
    nextReviewOn?: string | null | undefined;
  },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'process:manage');
  if (!findProcessDefinition(key)) throw notFound('Process');
  const saved = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findScopeProcess(tx, scopeId, key);
    if (!before) throw notFound('Process');
    if (before.version !== input.version) {
      throw versionConflict(errorText('processChanged'));
    }
    if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) {
      throw invalid('body.ownerId', errorText('ownerNotMember'));
    }
    const patch = {
      updated_at: isoNow(deps.clock),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
      ...(input.cadence !== undefined && { cadence: input.cadence }),
      ...(input.nextReviewOn !== undefined && { next_review_on: input.nextReviewOn }),
    };
    // the old cadence label becomes the process's cadence rule; a cadence set without a date schedules the next
    // review one period from today
    if (input.cadence !== undefined || input.nextReviewOn !== undefined) {
      const next = await setLegacyCadenceTx(tx, deps, actor, scopeId, key, {
        cadence: input.cadence,
        nextReviewOn: input.nextReviewOn,
        current: { cadence: before.cadence, nextReviewOn: before.next_review_on },
      });
      Object.assign(patch, { next_review_on: next });
    }
    await updateVersioned(tx, 'scope_process', before.id, before.version, patch);
    const after = (await repo.findScopeProcess(tx, scopeId, key))!;
    const pick = (r: typeof before) => ({ ownerId: r.owner_id, cadence: r.cadence, nextReviewOn: r.next_review_on });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'process',
      recordId: before.id,
      recordRef: key,
      changes: diffChanges(pick(before), pick(after)),
    });
  });
  const current = async () => (await getProcessMap(deps, actor, scopeId, lang)).processes.find((p) => p.key === key)!;
  // a stale version (409) says what the process is now
  await conflictWithCurrent(saved, errorText('processChanged'), current);
  return current();
}
