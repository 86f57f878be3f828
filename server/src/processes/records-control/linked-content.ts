import type { Actor } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import type { Deps } from '../../shared/context.ts';
import { disposeDocumentTx } from '../policy-management/index.ts';
import type { LinkedRecordType } from './record.schemas.ts';

/**
 * Disposes of the content of the Praxis record a register entry stands for, in the disposal's transaction, through the
 * owning process: a policy document's versions through policy management (which refuses, and so rolls the disposal
 * back, while the document is not retired or its own retention has not passed). Returns what happened, for the
 * tombstone, as a code history views word in the reader's language (`document-disposed:POL-0002:3`,
 * `kept:incident`), and the stored files the content used (to be removed once the disposal has committed). Records of
 * other types (incidents, evidence, …) keep their own lifecycle; the tombstone notes that.
 */
export async function disposeLinkedContentTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  recordType: LinkedRecordType,
  recordId: string,
  rule: { id: string; label: string },
): Promise<{ summary: string; fileIds: string[] }> {
  if (recordType === 'document') {
    const r = await disposeDocumentTx(tx, deps, actor, recordId, rule);
    return { summary: `document-disposed:${r.reference}:${r.versions}`, fileIds: r.fileIds };
  }
  return { summary: `kept:${recordType}`, fileIds: [] };
}
