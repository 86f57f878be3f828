import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { defaultMethod, parseMethod, type RiskMethod } from './risk-method.ts';
import { methodAsStored, methodIn } from './risk-method.texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import * as repo from './risk-method.repository.ts';
import { rerankRisks } from './risk.repository.ts';
import { severitiesOf } from './risk-rank.ts';
import type { RiskMethodResponse, UpdateRiskMethodInput } from './risk.schemas.ts';

/** A stored version of a scope's method. */
export interface StoredMethod {
  id: string;
  scopeId: string;
  versionNo: number;
  current: boolean;
  createdAt: string;
  createdBy: RiskMethodResponse['createdBy'];
  method: RiskMethod;
}

export function toStoredMethod(row: repo.RiskMethodRow): StoredMethod {
  return {
    id: row.id,
    scopeId: row.scope_id,
    versionNo: row.version_no,
    current: toBool(row.is_current),
    createdAt: row.created_at,
    createdBy: row.created_by ? { id: row.created_by, name: row.created_by_name ?? '', email: row.created_by_email ?? '' } : null,
    method: parseMethod(row.definition),
  };
}

/** A stored version as the API answers it, its built-in texts in the reader's language (typed ones as typed). */
export function presentMethod(m: StoredMethod, lang: string = fallbackLanguage): RiskMethodResponse {
  return {
    id: m.id,
    scopeId: m.scopeId,
    version: m.versionNo,
    current: m.current,
    createdAt: m.createdAt,
    createdBy: m.createdBy,
    ...methodIn(m.method, lang),
  };
}

/** The fields of a method the audit trail records. */
const auditable = (m: StoredMethod) => ({ version: m.versionNo, ...m.method });

/**
 * The scope's current method inside the caller's transaction. A scope without one gets the default of its profile
 * (small: 3×3, large: 5×5) as version 1, recorded in the audit trail as a system change; a concurrent first read
 * inserts nothing and reads the other's row.
 */
export async function ensureCurrentMethodTx(tx: Tx, deps: Deps, scopeId: string): Promise<StoredMethod> {
  const existing = await repo.findCurrentMethod(tx, scopeId);
  if (existing) return toStoredMethod(existing);
  const profile = await repo.findScopeProfile(tx, scopeId);
  if (!profile) throw notFound('Scope');
  const id = newId();
  const inserted = await repo.insertMethodIfAbsent(tx, {
    id,
    scope_id: scopeId,
    version_no: 1,
    definition: JSON.stringify(defaultMethod(profile)),
    created_at: isoNow(deps.clock),
    created_by: null,
    is_current: true,
  });
  const current = toStoredMethod((await repo.findCurrentMethod(tx, scopeId))!);
  if (inserted) {
    await appendAudit(tx, deps, null, {
      scopeId,
      action: 'create',
      recordType: 'risk_method',
      recordId: id,
      recordRef: 'risk method v1',
      changes: diffChanges(null, { ...auditable(current), profile }),
    });
  }
  return current;
}

/** Every version of the scope's method, newest first; creates the default first when there is none. */
export async function loadMethods(deps: Deps, db: Executor, scopeId: string): Promise<StoredMethod[]> {
  const rows = await repo.listMethods(db, scopeId);
  if (rows.length > 0) return rows.map(toStoredMethod);
  await deps.db.transaction().execute((tx) => ensureCurrentMethodTx(tx, deps, scopeId));
  return (await repo.listMethods(db, scopeId)).map(toStoredMethod);
}

export function currentOf(methods: StoredMethod[]): StoredMethod {
  return methods.find((m) => m.current) ?? methods[0]!;
}

export async function getRiskMethod(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  lang: string = fallbackLanguage,
): Promise<RiskMethodResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const existing = await repo.findCurrentMethod(deps.db, scopeId);
  if (existing) return presentMethod(toStoredMethod(existing), lang);
  return presentMethod(await deps.db.transaction().execute((tx) => ensureCurrentMethodTx(tx, deps, scopeId)), lang);
}

export async function listRiskMethodVersions(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'risk:read');
  const [methods, counts] = await Promise.all([loadMethods(deps, deps.db, scopeId), repo.countRisksByMethod(deps.db, scopeId)]);
  return { items: methods.map((m) => ({ ...presentMethod(m, lang), riskCount: counts.get(m.id) ?? 0 })) };
}

/**
 * ISO 27001 6.1.2 a): changing the criteria creates a new version; the old versions stay as they were, and risks keep
 * the version that scored them until they are scored again.
 */
export async function updateRiskMethod(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: UpdateRiskMethodInput,
  lang: string = fallbackLanguage,
): Promise<RiskMethodResponse> {
  requireScopePermission(actor, scopeId, 'risk-method:manage');
  const { version, ...shown } = input;
  // built-in texts come back as the reader saw them (in their language): they are stored built-in again
  const method = methodAsStored(shown);
  return deps.db.transaction().execute(async (tx) => {
    const before = await ensureCurrentMethodTx(tx, deps, scopeId);
    const conflict = () =>
      new AppError('version_conflict', errorText('risk.methodChanged', { versionNo: before.versionNo }), {
        details: { current: presentMethod(before, lang) },
      });
    if (before.versionNo !== version) throw conflict();
    if (!(await repo.retireMethod(tx, before.id))) throw conflict();
    const id = newId();
    await repo.insertMethod(tx, {
      id,
      scope_id: scopeId,
      version_no: before.versionNo + 1,
      definition: JSON.stringify(method),
      created_at: isoNow(deps.clock),
      created_by: actor.userId,
      is_current: true,
    });
    const after = toStoredMethod((await repo.findCurrentMethod(tx, scopeId))!);
    // the newest version decides a level key's severity: when the orders change, the scope's risks are ranked again
    const versions = (await repo.listMethods(tx, scopeId)).map(toStoredMethod);
    const severities = severitiesOf(versions);
    const previous = severitiesOf(versions.filter((v) => v.id !== after.id));
    if ([...severities].some(([key, order]) => previous.get(key) !== order)) await rerankRisks(tx, scopeId, severities);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'risk_method',
      recordId: id,
      recordRef: `risk method v${after.versionNo}`,
      changes: diffChanges(auditable(before), auditable(after)),
    });
    return presentMethod(after, lang);
  });
}
