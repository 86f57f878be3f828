import type { CliResult } from '../../cli/actions.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText } from '../../shared/errors.ts';
import { findUserByEmail } from '../../users/user.repository.ts';
import { deleteSessionsOfUser } from '../session.repository.ts';
import { resetMfa } from './mfa.service.ts';

/**
 * `praxis user reset-mfa EMAIL`: for a user (typically an administrator) who lost their authenticator, passkeys and
 * recovery codes. Removes every second factor and recovery code, ends the user's sessions, and trails it; the user then
 * signs in with the password alone and should enrol again (a scope that requires MFA holds a manager back until then).
 */
export async function resetMfaCommand(deps: Deps, email: string): Promise<CliResult> {
  const user = await findUserByEmail(deps.db, email.toLowerCase());
  if (!user) throw new AppError('not_found', errorText('noUser', { email }));
  const removed = await resetMfa(deps, null, user);
  await deleteSessionsOfUser(deps.db, user.id);
  const what =
    removed.totp + removed.passkeys === 0
      ? 'had no second factor'
      : `lost ${removed.totp ? 'the authenticator app' : ''}${removed.totp && removed.passkeys ? ' and ' : ''}${removed.passkeys ? `${removed.passkeys} passkey(s)` : ''} and every recovery code`;
  return {
    stdout: `${user.email} ${what}; their sessions were ended. They sign in with their password and should set up a second factor again.\n`,
  };
}
