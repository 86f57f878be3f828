import { listPage } from '../db/paging.ts';
import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { Deps } from '../shared/context.ts';
import { supportedLanguages } from '../i18n/i18n.ts';
import { webTexts } from '../i18n/web-catalogs.ts';
import { findNamedRecords, namedBy, recordsWanted } from './audit-records.ts';
import type { AuditEntryResponse } from './audit.schemas.ts';
import * as repo from './audit.repository.ts';

type Row = Awaited<ReturnType<typeof repo.listEntries>>['rows'][number];

/**
 * The audit log of one scope, newest first (managers and auditors). The records the entries name by id (written before
 * the modules wrote references) or by reference come with their reference and title, read in one statement per record
 * type and only in this scope: the list takes a fixed number of statements however many entries it shows.
 */
export async function listScopeAudit(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; recordType?: string | undefined; recordId?: string | undefined; actorId?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'audit:read');
  const { rows, total, capped } = await repo.listEntries(
    deps.db,
    {
      scopeIds: [scopeId],
      recordType: q.recordType,
      recordId: q.recordId,
      cycleNumber: q.recordId ? cycleNumberOf(q.recordId) : undefined,
      actorId: q.actorId,
    },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  const entries = rows.map((row) => {
    const changes = JSON.parse(row.changes) as AuditEntryResponse['changes'];
    return { row, changes, wants: recordsWanted({ ...row, changes }) };
  });
  const wanted = new Set(entries.flatMap((e) => [...e.wants]));
  const found = wanted.size ? await findNamedRecords(deps.db, new Map([[scopeId, wanted]])) : new Map();
  const items: AuditEntryResponse[] = entries.map(({ row, changes, wants }) => present(row, changes, namedBy(found, scopeId, wants)));
  return listPage(items, { total, capped }, q);
}

let cycleNumberPatterns: RegExp[] | undefined;
/**
 * The number of an ISMS cycle in a reference searched as the history views show it (`audit:value.cycleNumber`: "no. 1",
 * "Nr. 1"; case, the dot and spaces aside), in any language; else undefined.
 */
export function cycleNumberOf(text: string): number | undefined {
  cycleNumberPatterns ??= supportedLanguages.map((lang) => {
    const shown = String(webTexts(lang).t('audit:value.cycleNumber', { number: '\u0000' }));
    const source = shown
      .trim()
      .split('\u0000')
      .map((part) =>
        part
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\\\./g, '\\.?')
          .replace(/\s+/g, '\\s*'),
      )
      .join('\\s*(\\d+)');
    return new RegExp(`^${source}$`, 'iu');
  });
  const words = text.trim();
  for (const pattern of cycleNumberPatterns) {
    const digits = pattern.exec(words)?.[1];
    if (digits) return Number(digits);
  }
  return undefined;
}

function present(row: Row, changes: AuditEntryResponse['changes'], records: AuditEntryResponse['records']): AuditEntryResponse {
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
    changes,
    records,
    hash: row.hash,
  };
}
