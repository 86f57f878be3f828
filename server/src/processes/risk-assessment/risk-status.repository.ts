import type { DialectName } from '../../config.ts';
import type { Executor } from '../../db/database.ts';

/**
 * Holds a risk's row until the transaction ends, so that a change which moves the risk's status later in the
 * transaction (a treatment decided, an acceptance signed, revoked or expired) takes the risk before the audit chain,
 * in the same order as an edit of the risk: the two then wait for each other instead of deadlocking, and the version
 * read afterwards is the one written. PostgreSQL: `for update`; SQLite: nothing to do, every write transaction begins
 * IMMEDIATE and already holds the database's write lock.
 */
export async function lockRisk(db: Executor, dialect: DialectName, riskId: string): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('risk').select('id').where('id', '=', riskId).forUpdate().execute();
}
