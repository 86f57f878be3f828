import type { Actor } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';
import type { DomainEvents, EventName } from '../events/event-bus.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';

/**
 * The outbox: a hand-off that must run after its sender's commit (an incident report is stored on its own first, so
 * that no report is ever lost to a failing follow-up) is committed with the record as an outbox row. Delivery emits the
 * event to its receivers in a transaction of its own that also marks the row delivered, so the follow-up work exists
 * exactly once: the row is claimed by an update `where delivered_at is null`, which on PostgreSQL waits for and then
 * loses against a concurrent claim, and on SQLite runs under the write lock (`BEGIN IMMEDIATE`). A failed delivery is
 * retried with a growing delay, by any instance, including after a crash (the row stays pending).
 */

/** Delay before the next attempt after `attempts` failures: 10 s, 20 s, 40 s … at most an hour. */
export const retryDelayMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

/** Adds the event to the outbox in the sender's transaction; at most one row per event and record. */
export async function enqueueTx<E extends EventName>(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  event: E,
  recordId: string,
  payload: DomainEvents[E] & { scopeId: string },
): Promise<string> {
  const now = isoNow(deps.clock);
  const id = newId();
  await tx
    .insertInto('outbox')
    .values({
      id,
      scope_id: payload.scopeId,
      event,
      record_id: recordId,
      payload: JSON.stringify(payload),
      actor_id: actor?.userId ?? null,
      created_at: now,
      available_at: now,
      attempts: 0,
      delivered_at: null,
      last_error: null,
    })
    .execute();
  return id;
}

/** The actor recorded for a delivery: the user whose action emitted the event, acting as the system. */
async function actorOf(tx: Tx, actorId: string | null): Promise<Actor | null> {
  if (!actorId) return null;
  const user = await tx.selectFrom('app_user').select(['id', 'email', 'name']).where('id', '=', actorId).executeTakeFirst();
  if (!user) return null;
  return { userId: user.id, email: user.email, name: user.name, isAdmin: false, via: 'cli', memberships: new Map() };
}

/**
 * Delivers one outbox row: claims it, emits its event to the receivers and commits both together. Returns true when this
 * call delivered it, false when it was already delivered (by another instance or an earlier call).
 */
export async function deliverOne(deps: Deps, id: string): Promise<boolean> {
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable('outbox')
        .set({ delivered_at: isoNow(deps.clock) })
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      const row = await tx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const actor = await actorOf(tx, row.actor_id);
      await deps.events.emit(tx, actor, row.event as EventName, JSON.parse(row.payload) as DomainEvents[EventName]);
      return true;
    });
  } catch (err) {
    // the delivery rolled back: count the attempt and try again later
    const row = await deps.db.selectFrom('outbox').select('attempts').where('id', '=', id).executeTakeFirst();
    const attempts = (row?.attempts ?? 0) + 1;
    await deps.db
      .updateTable('outbox')
      .set({
        attempts,
        last_error: String((err as Error)?.message ?? err).slice(0, 2000),
        available_at: new Date(deps.clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
      })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .execute();
    throw err;
  }
}

/** Delivers every pending row that is due, oldest first; a failing row is logged and retried later. */
export async function deliverPending(deps: Deps, log: { error(obj: unknown, msg: string): void } = console, limit = 200): Promise<number> {
  const due = await deps.db
    .selectFrom('outbox')
    .select('id')
    .where('delivered_at', 'is', null)
    .where('available_at', '<=', isoNow(deps.clock))
    .orderBy('available_at')
    .limit(limit)
    .execute();
  let delivered = 0;
  for (const { id } of due) {
    try {
      if (await deliverOne(deps, id)) delivered++;
    } catch (err) {
      log.error({ err, outbox: id }, 'outbox delivery failed; it will be retried');
    }
  }
  return delivered;
}

/** Delivers due outbox rows every `intervalMs` (default 5 s) until stopped; one run at a time per instance. */
export function startOutboxJob(deps: Deps, log: { error(obj: unknown, msg: string): void }, intervalMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverPending(deps, log)
      .catch((err) => log.error({ err }, 'outbox run failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
