import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import type { IsmsCycleTable } from '../../db/schema.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound, versionConflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { CycleResponse, StartCycleInput, UpdateCycleInput } from './cycle.schemas.ts';
import * as repo from './cycle.repository.ts';

/** 'YYYY-MM-DD' plus a number of days (UTC calendar arithmetic). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The default length of a cycle: one year, so a cycle from 2026-03-02 ends on 2027-03-01. */
export function oneYearFrom(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d - 1)).toISOString().slice(0, 10);
}

export const todayOf = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

/**
 * Where the next cycle starts by default: today, cutting the current cycle short; or, when the current one has already
 * ended, the day after it ended, so that cycles follow each other without a gap. Never on or before the current start.
 */
export function defaultNextStart(latest: Pick<IsmsCycleTable, 'starts_on' | 'ends_on'> | undefined, today: string): string {
  if (!latest) return today;
  const afterEnd = addDays(latest.ends_on, 1);
  const start = afterEnd < today ? afterEnd : today;
  const earliest = addDays(latest.starts_on, 1);
  return start < earliest ? earliest : start;
}

export function presentCycle(row: IsmsCycleTable): CycleResponse {
  return {
    id: row.id,
    number: row.number,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    current: row.closed_at === null,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    version: row.version,
  };
}

const auditable = (c: IsmsCycleTable) => ({ number: c.number, startsOn: c.starts_on, endsOn: c.ends_on, closedAt: c.closed_at });

/**
 * Starts a scope's next ISMS cycle in the caller's transaction (its first one when it has none): it begins today (or the
 * day after the current cycle ended, see defaultNextStart) and lasts one year unless dates are given. The current cycle
 * is closed and kept as history; when the next one starts before the current was planned to end, the current ends the
 * day before.
 */
export async function startCycleTx(tx: Tx, deps: Deps, actor: Actor | null, scopeId: string, input: StartCycleInput) {
  const now = isoNow(deps.clock);
  const latest = await repo.findLatestCycleForUpdate(tx, scopeId, deps.dialect);
  const startsOn = input.startsOn ?? defaultNextStart(latest, todayOf(deps));
  const endsOn = input.endsOn ?? oneYearFrom(startsOn);
  if (endsOn <= startsOn) throw invalid('body.endsOn', errorText('cycle.endAfterStart'));
  if (latest && startsOn <= latest.starts_on) {
    throw invalid('body.startsOn', errorText('cycle.nextAfterCurrent'));
  }
  if (latest && latest.closed_at === null) {
    const endsBefore = startsOn <= latest.ends_on ? addDays(startsOn, -1) : latest.ends_on;
    const closed = await repo.closeCycle(tx, latest.id, latest.version, now);
    if (closed !== 1) {
      // someone started the next cycle (or changed this one) meanwhile: 409 with the cycle that is current now
      const current = (await repo.findCurrentCycle(tx, scopeId)) ?? (await repo.findCycle(tx, scopeId, latest.id));
      throw versionConflict(errorText('cycle.startedMeanwhile'), current && presentCycle(current));
    }
    if (endsBefore !== latest.ends_on)
      await tx.updateTable('isms_cycle').set({ ends_on: endsBefore }).where('id', '=', latest.id).execute();
    const after = (await repo.findCycle(tx, scopeId, latest.id))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'isms_cycle',
      recordId: latest.id,
      recordRef: String(latest.number),
      changes: diffChanges(auditable(latest), auditable(after)),
    });
  }
  const row: IsmsCycleTable = {
    id: newId(),
    scope_id: scopeId,
    number: (latest?.number ?? 0) + 1,
    starts_on: startsOn,
    ends_on: endsOn,
    closed_at: null,
    created_by: actor?.userId ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertCycle(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'isms_cycle',
    recordId: row.id,
    recordRef: String(row.number),
    changes: diffChanges(null, auditable(row)),
  });
  return row;
}

export async function startCycle(deps: Deps, actor: Actor, scopeId: string, input: StartCycleInput): Promise<CycleResponse> {
  requireScopePermission(actor, scopeId, 'process:manage');
  const row = await deps.db.transaction().execute((tx) => startCycleTx(tx, deps, actor, scopeId, input));
  return presentCycle(row);
}

export async function listCycles(deps: Deps, actor: Actor, scopeId: string) {
  requireScopePermission(actor, scopeId, 'process:read');
  return { items: (await repo.listCycles(deps.db, scopeId)).map(presentCycle) };
}

/** Changes a cycle's dates; they may not overlap the cycles before and after it. */
export async function updateCycle(deps: Deps, actor: Actor, scopeId: string, cycleId: string, input: UpdateCycleInput) {
  requireScopePermission(actor, scopeId, 'process:manage');
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findCycle(tx, scopeId, cycleId);
    if (!before) throw notFound('Cycle');
    if (before.version !== input.version) {
      throw new AppError('version_conflict', errorText('cycle.changed'), {
        details: { current: presentCycle(before) },
      });
    }
    const startsOn = input.startsOn ?? before.starts_on;
    const endsOn = input.endsOn ?? before.ends_on;
    if (endsOn <= startsOn) throw invalid(input.endsOn ? 'body.endsOn' : 'body.startsOn', errorText('cycle.endAfterStart'));
    const previous = await repo.findCycleByNumber(tx, scopeId, before.number - 1);
    const next = await repo.findCycleByNumber(tx, scopeId, before.number + 1);
    if (previous && startsOn <= previous.ends_on) {
      throw invalid('body.startsOn', errorText('cycle.startAfterPrevious', { number: previous.number }));
    }
    if (next && endsOn >= next.starts_on) {
      throw invalid('body.endsOn', errorText('cycle.endBeforeNext', { number: next.number }));
    }
    await updateVersioned(tx, 'isms_cycle', before.id, before.version, {
      starts_on: startsOn,
      ends_on: endsOn,
      updated_at: isoNow(deps.clock),
    });
    const after = (await repo.findCycle(tx, scopeId, cycleId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'isms_cycle',
      recordId: before.id,
      recordRef: String(before.number),
      changes: diffChanges(auditable(before), auditable(after)),
    });
    return after;
  });
  const row = await conflictWithCurrent(work, errorText('cycle.changed'), async () => {
    const current = await repo.findCycle(deps.db, scopeId, cycleId);
    return current && presentCycle(current);
  });
  return presentCycle(row);
}
