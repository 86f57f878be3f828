import type { Actor } from '../auth/actor.ts';
import type { ScopeRole } from '../auth/roles.ts';
import type { Deps } from '../shared/context.ts';

/** A member of the demo organisation, known by a short key ('it', 'hr', …). */
export interface DemoPerson {
  key: string;
  userId: string;
  email: string;
  name: string;
  role: ScopeRole;
}

/** What every step of the demo works with: the loading actor, the demo people and the assets by key. */
export interface DemoContext {
  deps: Deps;
  /** whoever loads the demo (a scope manager or an installation administrator) */
  actor: Actor;
  scopeId: string;
  people: Map<string, DemoPerson>;
  assetIds: Map<string, string>;
  /** what earlier steps made that later steps build on (the risks a treatment treats, the policy a course teaches) */
  facts: DemoFacts;
}

export interface DemoFacts {
  riskIds?: Map<string, string>;
  policyId?: string;
  breachIncidentId?: string | null;
}

/**
 * The actor of a demo member, with the role the member really has in the scope: steps that need someone other than
 * the loading user (an approver, a risk owner, an employee acknowledging a policy) act as that member, so the services
 * apply the same permission and segregation-of-duties checks as for a signed-in user.
 */
export function memberActor(ctx: DemoContext, key: string): Actor {
  const p = ctx.people.get(key);
  if (!p) throw new Error(`No demo member "${key}"`);
  return {
    userId: p.userId,
    email: p.email,
    name: p.name,
    isAdmin: false,
    via: ctx.actor.via,
    memberships: new Map([[ctx.scopeId, p.role]]),
  };
}

/** The user id of a demo member (the loading actor when the member is missing). */
export function userIdOf(ctx: DemoContext, key: string): string {
  return ctx.people.get(key)?.userId ?? ctx.actor.userId;
}
