import { LRUCache } from 'lru-cache';
import { authWritesOf } from '../db/write-watch.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor } from './actor.ts';

/** What a request's credential resolves to. */
export interface ResolvedActor {
  actor: Actor;
  csrfToken: string | null;
  sessionId: string | null;
}

interface Entry extends ResolvedActor {
  /** when it was cached (the app's clock, so that tests moving the clock expire it too) */
  at: number;
  /** the auth-table write count when its resolution began */
  writes: number;
}

/** How long a resolved actor is reused: a few seconds, so that another instance's change is seen that late at most. */
export const ACTOR_CACHE_TTL_MS = 5_000;
const ACTOR_CACHE_MAX = 10_000;

/**
 * A short-lived, bounded cache of resolved actors, keyed by the credential (the session cookie or the API token), so
 * that a repeated request spends neither the principal and membership queries nor the token's SHA-256.
 *
 * Invalidation: every write to a table an actor is built from (users, scopes, memberships, sessions, tokens, second
 * factors; see db/write-watch.ts) moves a counter, and an entry cached before the counter moved is not used again; an
 * entry whose resolution overlapped such a write is never stored. So a revoked token or session, a removed or changed
 * membership and a disabled user take effect on this instance at once. Another app instance (or a CLI process) writes
 * a database this process does not watch: there the entry expires after ACTOR_CACHE_TTL_MS, which bounds how long
 * such a change can go unseen.
 */
export class ActorCache {
  readonly #lru = new LRUCache<string, Entry>({ max: ACTOR_CACHE_MAX });
  readonly #clock: Clock;
  readonly #writes: { count: number };
  readonly #ttl: number;

  constructor(db: object, clock: Clock, ttl = ACTOR_CACHE_TTL_MS) {
    this.#clock = clock;
    this.#writes = authWritesOf(db);
    this.#ttl = ttl;
  }

  get(key: string): ResolvedActor | undefined {
    const e = this.#lru.get(key);
    if (!e) return undefined;
    const age = this.#clock.now().getTime() - e.at;
    if (e.writes !== this.#writes.count || age < 0 || age >= this.#ttl) {
      this.#lru.delete(key);
      return undefined;
    }
    return e;
  }

  /** Call before resolving: `set` stores the result only if no auth write happened in between. */
  begin(): number {
    return this.#writes.count;
  }

  set(key: string, value: ResolvedActor, begun: number): void {
    if (begun !== this.#writes.count) return;
    this.#lru.set(key, { ...value, at: this.#clock.now().getTime(), writes: begun });
  }
}
