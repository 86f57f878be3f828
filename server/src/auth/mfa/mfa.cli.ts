import type { CliResult } from '../../cli/actions.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText } from '../../shared/errors.ts';
import { findUserByEmail } from '../../users/user.repository.ts';
import { deleteSessionsOfUser } from '../session.repository.ts';
import { resetMfa } from './mfa.service.ts';
import { cliLanguage, cliText, wordedIn } from '../../cli/cli-language.ts';

/**
 * `praxis user reset-mfa EMAIL`: for a user (typically an administrator) who lost their authenticator, passkeys and
 * recovery codes. Removes every second factor and recovery code, ends the user's sessions, and trails it; the user then
 * signs in with the password alone and should enrol again (a scope that requires MFA holds a manager back until then).
 */
export async function resetMfaCommand(deps: Deps, email: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(lang, async () => {
    const user = await findUserByEmail(deps.db, email.toLowerCase());
    if (!user) throw new AppError('not_found', errorText('noUser', { email }));
    const removed = await resetMfa(deps, null, user);
    await deleteSessionsOfUser(deps.db, user.id);
    const key =
      removed.totp + removed.passkeys === 0
        ? 'mfaReset.none'
        : removed.totp && removed.passkeys
          ? 'mfaReset.appAndPasskeys'
          : removed.totp
            ? 'mfaReset.app'
            : 'mfaReset.passkeys';
    return { stdout: `${cliText(lang, key, { email: user.email, count: removed.passkeys })}\n` };
  });
}
