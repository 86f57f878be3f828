import { type Actor, actorLanguage } from '../auth/actor.ts';
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

/** The languages the demo organisation is written in. */
export const demoLanguages = ['en', 'de'] as const;
export type DemoLanguage = (typeof demoLanguages)[number];

/**
 * The language the demo is written in for whoever loads it: the language their request is worded in (their setting,
 * else the request's `Accept-Language`; the CLI sets it from `--lang`), English when there is no demo in it.
 */
export const demoLanguageOf = (actor: Actor): DemoLanguage => (actorLanguage(actor) === 'de' ? 'de' : 'en');

/**
 * The words of a demo step in the language the demo is loaded in. Each step keeps its references, dates, numbers and
 * relationships in one place and only its words per language; the German words are typed by the English ones, so a
 * text missing (or added) in one language does not compile.
 */
export const demoWords = <T>(ctx: { lang: DemoLanguage }, words: Record<DemoLanguage, T>): T => words[ctx.lang];

/** What every step of the demo works with: the loading actor, the demo people and the assets by key. */
export interface DemoContext {
  deps: Deps;
  /** whoever loads the demo (a scope manager or an installation administrator) */
  actor: Actor;
  /** the language the demo's texts are written in */
  lang: DemoLanguage;
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
    // what the member writes (an approval, a signature) is worded in the demo's language, like everything else
    acceptLanguage: ctx.lang,
    via: ctx.actor.via,
    memberships: new Map([[ctx.scopeId, p.role]]),
  };
}

/** The user id of a demo member (the loading actor when the member is missing). */
export function userIdOf(ctx: DemoContext, key: string): string {
  return ctx.people.get(key)?.userId ?? ctx.actor.userId;
}
