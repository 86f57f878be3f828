export { addMonths } from './record-rules.ts';

import { appendAudit } from '../../audit/audit.service.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { insertRecord } from './record.repository.ts';

/**
 * Registers documented information another process produced (e.g. approved minutes of a management review) in the
 * records register, in the caller's transaction: kept in Praxis, retention from today, with its audit entry.
 */
export async function registerRecordTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { scopeId: string; title: string; description: string; ownerId: string | null; processKey: string; retentionMonths: number },
): Promise<{ id: string; reference: string }> {
  const now = isoNow(deps.clock);
  const id = newId();
  const reference = await nextReference(tx, input.scopeId, 'REC');
  await insertRecord(tx, {
    id,
    scope_id: input.scopeId,
    reference,
    title: input.title,
    description: input.description,
    owner_id: input.ownerId,
    process_key: input.processKey,
    classification: 'internal',
    storage: 'praxis',
    linked_record_type: null,
    linked_record_id: null,
    location: '',
    retention_months: input.retentionMonths,
    retention_start_on: now.slice(0, 10),
    legal_hold: false,
    legal_hold_reason: null,
    status: 'active',
    disposed_at: null,
    disposed_by: null,
    disposal_rule: null,
    disposal_task_id: null,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await appendAudit(tx, deps, actor, {
    scopeId: input.scopeId,
    action: 'create',
    recordType: 'controlled_record',
    recordId: id,
    recordRef: reference,
    changes: {
      title: { from: null, to: input.title },
      processKey: { from: null, to: input.processKey },
      retentionMonths: { from: null, to: input.retentionMonths },
    },
  });
  return { id, reference };
}

import { defineModule } from '../../engine/module.ts';
import { permissions } from './records-control.permissions.ts';
import { recordsControlTables } from './records-control.tables.ts';
import { recordRoutes } from './record.routes.ts';
import { sweepDisposalTasks } from './record.service.ts';
import { recordsControlDemo } from './records-control.demo.ts';

/** Records control (ISO 27001 7.5): the records register, retention, legal hold and disposal. */
export const recordsControlModule = defineModule({
  key: 'records-control',
  process: 'records-control',
  tables: recordsControlTables,
  routes: [recordRoutes],
  tags: [{ name: 'records control', description: 'The records register: retention, legal hold, disposal' }],
  permissions,
  emits: [
    {
      event: 'record.disposed',
      informational: 'Disposal ends a record; its tombstone stays in the audit trail and no process has work left for it.',
    },
  ],
  sweeps: { 'records-disposal-due': sweepDisposalTasks },
  demo: recordsControlDemo,
  nav: [{ section: 'records', permission: 'record:read' }],
});
