import { toBool } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import type { ScopeRole } from '../roles.ts';

/**
 * "Require MFA for managers", a scope's setting. A manager of such a scope (an installation administrator counts as
 * one in every scope) who has no second factor enrolled (a confirmed TOTP authenticator or a passkey) acts there with a
 * contributor's rights: reading and contributing go on, and every manager-only action answers 403 with the key
 * `mfaRequiredForManagers`, telling them to enrol. Enrolling lifts it on the next request. The rule follows enrolment,
 * not how the request signed in, so an API token of such a manager is held back the same way.
 */
export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const [totp, passkey] = await Promise.all([
    db.selectFrom('user_totp').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst(),
    db.selectFrom('user_passkey').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst(),
  ]);
  return !!totp || !!passkey;
}

/**
 * The scopes where the user is held back from manager actions for lack of a second factor. Costs no statement unless
 * the user manages a scope that requires MFA (or is an administrator): then one or two.
 */
export async function scopesAwaitingMfa(
  db: Executor,
  user: { userId: string; isAdmin: boolean },
  memberships: readonly { scope_id: string; role: ScopeRole; require_mfa_managers: unknown }[],
): Promise<ReadonlySet<string>> {
  const candidates = new Set(memberships.filter((m) => m.role === 'manager' && toBool(m.require_mfa_managers)).map((m) => m.scope_id));
  if (user.isAdmin) {
    const member = new Set(memberships.map((m) => m.scope_id));
    const required = await db.selectFrom('scope').select('id').where('require_mfa_managers', '=', true).execute();
    for (const s of required) if (!member.has(s.id)) candidates.add(s.id);
  }
  if (candidates.size === 0) return candidates;
  return (await hasSecondFactor(db, user.userId)) ? new Set() : candidates;
}

/** Refuses (422, naming the field) when the actor has no second factor: e.g. before requiring one of a scope's managers. */
export async function requireOwnMfaTo(deps: Deps, actor: Actor, field: string): Promise<void> {
  if (!(await hasSecondFactor(deps.db, actor.userId))) throw new AppError('unprocessable', errorText('mfaEnrolFirst'), { field });
}
