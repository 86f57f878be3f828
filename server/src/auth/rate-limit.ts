import type { FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';

/**
 * Attempt limits kept in the database (`rate_limit`), so that every instance on one database counts against the same
 * budget. Our own code rather than @fastify/rate-limit: its stores are in memory or Redis, and Praxis runs on SQLite or
 * PostgreSQL alone. Each attempt is one atomic upsert (`insert … on conflict do update set count = count + 1 returning
 * count`, the same statement on both dialects); the window is a sliding one, estimated from the current and previous
 * fixed window (the previous window's count weighted by how much of it still overlaps), so that no burst at a window's
 * edge doubles the budget.
 */
export interface LimitRule {
  /** what is counted: `login:account:<email>`, `login:address:<ip>`, … */
  key: string;
  max: number;
  windowMs: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** The limits on signing in and on proving a password (ASVS 2.2.1): per account, and per address across accounts. */
export const limits = {
  /** wrong passwords for one account, from any address */
  loginAccount: (email: string): LimitRule => ({ key: `login:account:${email.toLowerCase()}`, max: 10, windowMs: FIFTEEN_MINUTES }),
  /** wrong passwords from one address, whatever the account (password spraying) */
  loginAddress: (ip: string): LimitRule => ({ key: `login:address:${ip}`, max: 20, windowMs: FIFTEEN_MINUTES }),
  /** wrong current passwords when changing one's password */
  passwordChange: (userId: string): LimitRule => ({ key: `password-change:user:${userId}`, max: 5, windowMs: FIFTEEN_MINUTES }),
};

interface Hit {
  rule: LimitRule;
  windowStart: number;
  /** the sliding estimate including this attempt */
  estimate: number;
}

async function hit(db: Db, rule: LimitRule, now: number): Promise<Hit> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const row = await db
    .insertInto('rate_limit')
    .values({ key: rule.key, window_start: windowStart, count: 1, expires_at: windowStart + 2 * rule.windowMs })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  const previous = await db
    .selectFrom('rate_limit')
    .select('count')
    .where('key', '=', rule.key)
    .where('window_start', '=', windowStart - rule.windowMs)
    .executeTakeFirst();
  const overlap = 1 - (now - windowStart) / rule.windowMs;
  // the first attempt of a key's window also clears rows that no longer matter (an indexed delete, rarely)
  if (count === 1) await db.deleteFrom('rate_limit').where('expires_at', '<', now).execute();
  return { rule, windowStart, estimate: count + Math.floor(Number(previous?.count ?? 0) * overlap) };
}

/** Gives an attempt back (it succeeded): only failures use up the budget. */
async function release(db: Db, h: Hit): Promise<void> {
  await db
    .updateTable('rate_limit')
    .set({ count: sql<number>`count - 1` })
    .where('key', '=', h.rule.key)
    .where('window_start', '=', h.windowStart)
    .where('count', '>', 0)
    .execute();
}

/**
 * Runs `attempt` under the given limits. Every attempt counts first (so that parallel attempts cannot slip past the
 * check); when a limit is exceeded the attempt is refused with 429 and a `retry-after` header, without running it.
 * An attempt that succeeds is given back, so that only failures use up the budget.
 */
export async function limited<T>(deps: Deps, reply: FastifyReply | null, rules: LimitRule[], attempt: () => Promise<T>): Promise<T> {
  const now = deps.clock.now().getTime();
  const hits: Hit[] = [];
  for (const rule of rules) hits.push(await hit(deps.db, rule, now));
  const over = hits.filter((h) => h.estimate > h.rule.max);
  if (over.length > 0) {
    const retryAfter = Math.max(...over.map((h) => Math.ceil((h.windowStart + h.rule.windowMs - now) / 1000)));
    reply?.header('retry-after', String(Math.max(1, retryAfter)));
    throw new AppError('rate_limited', errorText('rateLimited'));
  }
  const result = await attempt();
  for (const h of hits) await release(deps.db, h);
  return result;
}
