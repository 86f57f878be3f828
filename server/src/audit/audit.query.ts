import { listPage } from '../db/paging.ts';
import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { Deps } from '../shared/context.ts';
import type { AuditEntryResponse } from './audit.schemas.ts';
import * as repo from './audit.repository.ts';

function present(row: Awaited<ReturnType<typeof repo.listEntries>>['rows'][number]): AuditEntryResponse {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, label: row.actor_label },
    scopeId: row.scope_id,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    recordRef: row.record_ref,
    changes: JSON.parse(row.changes),
    hash: row.hash,
  };
}

/** The audit log of one scope, newest first (managers and auditors). */
export async function listScopeAudit(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; recordType?: string | undefined; recordId?: string | undefined; actorId?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'audit:read');
  const { rows, total, capped } = await repo.listEntries(
    deps.db,
    { scopeIds: [scopeId], recordType: q.recordType, recordId: q.recordId, actorId: q.actorId },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  return listPage(rows.map(present), { total, capped }, q);
}
