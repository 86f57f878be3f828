import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { ThreatTable, ThreatWarningTable } from './risk-assessment.tables.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import type { CreateThreatInput, CreateThreatWarningInput, ThreatResponse, ThreatWarningResponse } from './risk.schemas.ts';
import { threatTitle } from './bsi-elementary-threats.de.ts';
import * as repo from './threat.repository.ts';

/** A threat for a reader: a built-in BSI threat carries its official title in the reader's language. */
export function presentThreat(row: ThreatTable, lang: string = fallbackLanguage): ThreatResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    code: row.code,
    title: threatTitle({ code: row.code, title: row.title, builtin: row.source === 'builtin' }, lang),
    category: row.category,
    source: row.source as ThreatResponse['source'],
    description: row.description,
  };
}

/** A threat or warning for a reader: the built-in BSI threat it names carries its official title in the reader's language. */
function presentWarning(row: repo.ThreatWarningRow, lang: string = fallbackLanguage): ThreatWarningResponse {
  const threat = row.threat_id ? { id: row.threat_id, code: row.threat_code ?? '', title: row.threat_title ?? '' } : null;
  return {
    id: row.id,
    scopeId: row.scope_id,
    threat: threat && { ...threat, title: threatTitle(threat, lang) },
    title: row.title,
    source: row.source,
    receivedOn: row.received_on,
    description: row.description,
    severity: row.severity,
    createdAt: row.created_at,
  };
}

const byCode = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * The threat catalog: the BSI elementary threats (G 0.1 – G 0.47, in number order) and, with a scope the actor may read
 * risks of, that scope's custom threats after them.
 */
export async function listThreats(
  deps: Deps,
  actor: Actor,
  scopeId: string | undefined,
  lang: string = fallbackLanguage,
): Promise<{ items: ThreatResponse[] }> {
  if (scopeId) requireScopePermission(actor, scopeId, 'risk:read');
  const rows = await repo.listThreats(deps.db, scopeId ?? null);
  rows.sort((a, b) => ((a.scope_id === null) === (b.scope_id === null) ? byCode.compare(a.code, b.code) : a.scope_id === null ? -1 : 1));
  return { items: rows.map((r) => presentThreat(r, lang)) };
}

export async function createThreat(deps: Deps, actor: Actor, scopeId: string, input: CreateThreatInput): Promise<ThreatResponse> {
  requireScopePermission(actor, scopeId, 'risk:write');
  return deps.db.transaction().execute(async (tx) => {
    let code = input.code;
    if (code) {
      if (await repo.findThreatByCode(tx, scopeId, code))
        throw new AppError('duplicate', errorText('risk.threatExists', { code }), { field: 'body.code' });
    } else {
      do {
        code = await nextReference(tx, scopeId, 'THR');
      } while (await repo.findThreatByCode(tx, scopeId, code));
    }
    const row: ThreatTable = {
      id: newId(),
      scope_id: scopeId,
      code,
      title: input.title,
      category: input.category,
      source: 'custom',
      description: input.description,
      created_at: isoNow(deps.clock),
    };
    await repo.insertThreat(tx, row);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'threat',
      recordId: row.id,
      recordRef: row.code,
      changes: diffChanges(null, { code: row.code, title: row.title, category: row.category, description: row.description }),
    });
    return presentThreat(row);
  });
}

export async function listThreatWarnings(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'risk:read');
  const { rows, total, capped } = await repo.listThreatWarnings(deps.db, scopeId, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(
    rows.map((r) => presentWarning(r, lang)),
    { total, capped },
    q,
  );
}

/** Records a threat or warning received from outside (a CERT advisory, a vendor bulletin, a supplier's notice). */
export async function createThreatWarning(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: CreateThreatWarningInput,
  lang: string = fallbackLanguage,
): Promise<ThreatWarningResponse> {
  requireScopePermission(actor, scopeId, 'risk:write');
  return deps.db.transaction().execute(async (tx) => {
    if (input.threatId && !(await repo.findUsableThreat(tx, scopeId, input.threatId))) {
      throw invalid('body.threatId', errorText('risk.threatNotUsable'));
    }
    const row: ThreatWarningTable = {
      id: newId(),
      scope_id: scopeId,
      threat_id: input.threatId,
      title: input.title,
      source: input.source,
      received_on: input.receivedOn,
      description: input.description,
      severity: input.severity,
      created_by: actor.userId,
      created_at: isoNow(deps.clock),
    };
    await repo.insertThreatWarning(tx, row);
    const stored = (await repo.findThreatWarning(tx, scopeId, row.id))!;
    const after = presentWarning(stored);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'threat_warning',
      recordId: row.id,
      recordRef: null,
      changes: diffChanges(null, {
        title: after.title,
        source: after.source,
        receivedOn: after.receivedOn,
        severity: after.severity,
        threat: after.threat?.code ?? null,
        description: after.description,
      }),
    });
    return presentWarning(stored, lang);
  });
}
