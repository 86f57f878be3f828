import type { SetupBody } from '../auth/auth.schemas.ts';
import { assertPasswordNotCommon } from '../auth/common-passwords.ts';
import { createSession } from '../auth/auth.service.ts';
import { lockForTransaction, lockKeys } from '../db/locks.ts';
import { createScopeTx } from '../scopes/scope.service.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { countUsers } from '../users/user.repository.ts';
import { insertUserTx } from '../users/user.service.ts';

export async function isSetupNeeded(deps: Deps): Promise<boolean> {
  return (await countUsers(deps.db)) === 0;
}

/** First-run setup: the administrator and the first ISMS scope, once, atomically. */
export async function runSetup(deps: Deps, input: SetupBody) {
  const { userId, scopeId } = await deps.db.transaction().execute(async (tx) => {
    await lockForTransaction(tx, deps.dialect, lockKeys.setup);
    if ((await countUsers(tx)) > 0) throw new AppError('setup_already_done', errorText('setupDone'));
    assertPasswordNotCommon(input.admin.password, 'body.admin.password', [input.admin.email, input.admin.name]);
    const user = await insertUserTx(tx, deps, null, { ...input.admin, isAdmin: true });
    const scope = await createScopeTx(tx, deps, null, { ...input.scope, description: '' }, user.id);
    return { userId: user.id, scopeId: scope.id };
  });
  return { ...(await createSession(deps, userId)), userId, scopeId };
}
