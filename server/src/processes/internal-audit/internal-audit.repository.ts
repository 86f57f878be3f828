import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type {
  InternalAuditCriterionTable,
  InternalAuditIndependenceTable,
  InternalAuditItemTable,
  InternalAuditTable,
} from './internal-audit.tables.ts';
import type { ListAuditsQuery } from './internal-audit.schemas.ts';

/** the source record type of nonconformities and opportunities raised from a checklist row */
export const ITEM_RECORD_TYPE = 'internal_audit_item';

const base = (db: Executor) =>
  db
    .selectFrom('internal_audit')
    .leftJoin('app_user as lead', 'lead.id', 'internal_audit.lead_auditor_id')
    .leftJoin('isms_cycle as cy', 'cy.id', 'internal_audit.cycle_id');

const auditColumns = (qb: ReturnType<typeof base>) =>
  qb.selectAll('internal_audit').select([
    'lead.name as lead_name',
    'lead.email as lead_email',
    'cy.number as cycle_number',
    (eb) =>
      eb
        .selectFrom('internal_audit_item as f')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('f.audit_id', '=', 'internal_audit.id')
        .where('f.result', 'in', ['major_nonconformity', 'minor_nonconformity', 'observation', 'opportunity'])
        .as('finding_count'),
  ]);

export type AuditRow = Awaited<ReturnType<typeof findAudit>> & object;

export async function insertAudit(db: Executor, row: InternalAuditTable) {
  await db.insertInto('internal_audit').values(row).execute();
}

export async function findAudit(db: Executor, scopeId: string, id: string) {
  return auditColumns(base(db)).where('internal_audit.scope_id', '=', scopeId).where('internal_audit.id', '=', id).executeTakeFirst();
}

function filtered(db: Executor, scopeId: string, q: Omit<ListAuditsQuery, 'page' | 'pageSize'>) {
  let qb = base(db).where('internal_audit.scope_id', '=', scopeId);
  if (q.status === 'active') qb = qb.where('internal_audit.status', '!=', 'closed');
  else if (q.status) qb = qb.where('internal_audit.status', '=', q.status);
  if (q.source) qb = qb.where('internal_audit.source', '=', q.source);
  if (q.cycleId) qb = qb.where('internal_audit.cycle_id', '=', q.cycleId);
  if (q.q) {
    const needle = q.q;
    qb = qb.where((eb) =>
      eb.or([
        containsInsensitive(eb.ref('internal_audit.title'), needle),
        containsInsensitive(eb.ref('internal_audit.reference'), needle),
        containsInsensitive(eb.ref('internal_audit.scope_text'), needle),
        containsInsensitive(eb.ref('internal_audit.external_organisation'), needle),
      ]),
    );
  }
  return qb;
}

type AuditFilter = Omit<ListAuditsQuery, 'page' | 'pageSize'> & { scopeId: string };

const auditPage = cachedList(
  'internal-audit.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<AuditFilter>(shape, values);
    return auditColumns(filtered(db, f.scopeId, f))
      .orderBy('internal_audit.planned_start', 'desc')
      .orderBy('internal_audit.reference', 'desc');
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<AuditFilter>(shape, values);
    return filtered(db, f.scopeId, f);
  },
);

export async function listAudits(db: Executor, scopeId: string, q: ListAuditsQuery) {
  const { page, pageSize, ...f } = q;
  // the status is a branch ('active' is a condition of its own), the search term is made a pattern: neither is bound as is
  const { shape, values, cache } = splitFilter({ ...f, scopeId }, { branches: ['status'], wrapped: ['q'] });
  return auditPage(db, shape, values, pageSize, (page - 1) * pageSize, { cache });
}

export function allAudits(db: Executor, scopeId: string, q: Omit<ListAuditsQuery, 'page' | 'pageSize'>) {
  return auditColumns(filtered(db, scopeId, q))
    .orderBy('internal_audit.planned_start', 'desc')
    .orderBy('internal_audit.reference', 'desc')
    .execute();
}

export async function findMembers(db: Executor, auditId: string) {
  return db
    .selectFrom('internal_audit_member as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('m.audit_id', '=', auditId)
    .orderBy('u.name')
    .execute();
}

export async function replaceMembers(db: Executor, auditId: string, userIds: readonly string[]) {
  await db.deleteFrom('internal_audit_member').where('audit_id', '=', auditId).execute();
  if (userIds.length)
    await db
      .insertInto('internal_audit_member')
      .values(userIds.map((user_id) => ({ audit_id: auditId, user_id })))
      .execute();
}

export async function isOnTeam(db: Executor, auditId: string, userId: string) {
  const row = await db
    .selectFrom('internal_audit as a')
    .leftJoin('internal_audit_member as m', (j) => j.onRef('m.audit_id', '=', 'a.id').on('m.user_id', '=', userId))
    .select(['a.lead_auditor_id', 'm.user_id'])
    .where('a.id', '=', auditId)
    .executeTakeFirst();
  return !!row && (row.lead_auditor_id === userId || row.user_id === userId);
}

export async function findCriteria(db: Executor, auditIds: readonly string[]) {
  if (auditIds.length === 0) return [];
  return db
    .selectFrom('internal_audit_criterion')
    .selectAll()
    .where('audit_id', 'in', [...auditIds])
    .execute();
}

export async function replaceCriteria(db: Executor, auditId: string, rows: InternalAuditCriterionTable[]) {
  await db.deleteFrom('internal_audit_criterion').where('audit_id', '=', auditId).execute();
  if (rows.length) await db.insertInto('internal_audit_criterion').values(rows).execute();
}

/** catalog requirements the scope can see (built-in catalogs and its own imports) */
export async function findRequirements(db: Executor, scopeId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('catalog_requirement as r')
    .innerJoin('catalog as c', 'c.id', 'r.catalog_id')
    .select(['r.id', 'r.identifier', 'r.title', 'r.parent_identifier', 'r.sort_order', 'c.key as catalog_key'])
    .where('r.id', 'in', [...ids])
    .where((eb) => eb.or([eb('c.scope_id', 'is', null), eb('c.scope_id', '=', scopeId)]))
    .orderBy('r.sort_order')
    .execute();
}

/** who owns the ISMS processes of the scope (an owner may not audit their own process) */
export async function findProcessOwners(db: Executor, scopeId: string, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('scope_process as p')
    .leftJoin('app_user as u', 'u.id', 'p.owner_id')
    .select(['p.process_key', 'p.owner_id', 'u.name as owner_name', 'u.email as owner_email'])
    .where('p.scope_id', '=', scopeId)
    .where('p.process_key', 'in', [...keys])
    .execute();
}

export type ItemRow = Awaited<ReturnType<typeof findItems>>[number];

/** the checklist with each row's requirement, who recorded it and the finding it raised (nonconformity or opportunity) */
export async function findItems(db: Executor, auditId: string, itemId?: string) {
  let qb = db
    .selectFrom('internal_audit_item as i')
    .leftJoin('catalog_requirement as r', 'r.id', 'i.requirement_id')
    .leftJoin('catalog as c', 'c.id', 'r.catalog_id')
    .leftJoin('app_user as u', 'u.id', 'i.recorded_by')
    .leftJoin('nonconformity as nc', (j) => j.on('nc.source_record_type', '=', ITEM_RECORD_TYPE).onRef('nc.source_record_id', '=', 'i.id'))
    .leftJoin('improvement_opportunity as o', (j) =>
      j.on('o.source_record_type', '=', ITEM_RECORD_TYPE).onRef('o.source_record_id', '=', 'i.id'),
    )
    .leftJoin('nonconformity as fu', 'fu.id', 'i.follow_up_of')
    .selectAll('i')
    .select([
      'r.identifier as requirement_identifier',
      'r.title as requirement_title',
      // the catalog, so that the built-in Annex A is worded for the reader
      'c.key as requirement_catalog_key',
      'u.name as recorded_by_name',
      'nc.id as nc_id',
      'nc.reference as nc_reference',
      'nc.status as nc_status',
      'o.id as ofi_id',
      'o.reference as ofi_reference',
      'o.status as ofi_status',
      'fu.reference as follow_up_reference',
      'fu.title as follow_up_title',
    ])
    .where('i.audit_id', '=', auditId);
  if (itemId) qb = qb.where('i.id', '=', itemId);
  return qb.orderBy('i.position').execute();
}

export async function insertItems(db: Executor, rows: InternalAuditItemTable[]) {
  if (rows.length) await db.insertInto('internal_audit_item').values(rows).execute();
}

export async function nextPosition(db: Executor, auditId: string) {
  const row = await db
    .selectFrom('internal_audit_item')
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .where('audit_id', '=', auditId)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

/** rows generated from the criteria that hold no result yet (regenerated when the criteria change before fieldwork) */
export async function deleteGeneratedItems(db: Executor, auditId: string) {
  await db
    .deleteFrom('internal_audit_item')
    .where('audit_id', '=', auditId)
    .where('kind', 'in', ['clause', 'requirement'])
    .where('result', 'is', null)
    .execute();
}

export async function updateItem(db: Executor, id: string, version: number, patch: Partial<InternalAuditItemTable>) {
  const r = await db
    .updateTable('internal_audit_item')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertIndependence(db: Executor, rows: InternalAuditIndependenceTable[]) {
  if (rows.length) await db.insertInto('internal_audit_independence').values(rows).execute();
}

export async function findIndependence(db: Executor, auditId: string) {
  return db
    .selectFrom('internal_audit_independence as j')
    .leftJoin('app_user as u', 'u.id', 'j.user_id')
    .select(['u.name', 'j.user_id', 'j.conflict', 'j.justification', 'j.recorded_at'])
    .where('j.audit_id', '=', auditId)
    .orderBy('j.recorded_at')
    .execute();
}

/**
 * Nonconformities raised by earlier audits of the scope whose effectiveness is being checked and that no checklist row
 * follows up yet: the follow-up items of the next audit (ISO 27001 10.2 d).
 */
export async function findFollowUpCandidates(db: Executor, scopeId: string) {
  return db
    .selectFrom('nonconformity as nc')
    .innerJoin('internal_audit_item as src', 'src.id', 'nc.source_record_id')
    .select(['nc.id', 'nc.reference', 'nc.title', 'src.clause', 'src.requirement_id'])
    .where('nc.scope_id', '=', scopeId)
    .where('nc.source_record_type', '=', ITEM_RECORD_TYPE)
    .where('nc.status', '=', 'effectiveness_check')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('internal_audit_item as f').select('f.id').whereRef('f.follow_up_of', '=', 'nc.id'))))
    .orderBy('nc.reference')
    .execute();
}

/** the findings recorded in the scope's audits before a day, per clause and requirement (the frequency rule's history) */
export async function findPastFindings(db: Executor, scopeId: string) {
  return db
    .selectFrom('internal_audit_item as i')
    .innerJoin('internal_audit as a', 'a.id', 'i.audit_id')
    .select(['i.clause', 'i.requirement_id', 'i.result', (eb) => eb.fn.countAll<number>().as('n')])
    .where('a.scope_id', '=', scopeId)
    .where('i.result', 'in', ['major_nonconformity', 'minor_nonconformity'])
    .groupBy(['i.clause', 'i.requirement_id', 'i.result'])
    .execute();
}

/** audits held in a period and their findings by kind; open nonconformities raised by audits (management review) */
export async function summary(db: Executor, scopeId: string, from: string, to: string) {
  const [held, findings, open] = await Promise.all([
    db
      .selectFrom('internal_audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('scope_id', '=', scopeId)
      .where('status', '=', 'closed')
      .where('closed_at', '>=', from)
      .where('closed_at', '<', to)
      .executeTakeFirst(),
    db
      .selectFrom('internal_audit_item as i')
      .innerJoin('internal_audit as a', 'a.id', 'i.audit_id')
      .select(['i.result', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.scope_id', '=', scopeId)
      .where('i.result', 'is not', null)
      .where('i.recorded_at', '>=', from)
      .where('i.recorded_at', '<', to)
      .groupBy('i.result')
      .execute(),
    db
      .selectFrom('nonconformity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('scope_id', '=', scopeId)
      .where('source_record_type', '=', ITEM_RECORD_TYPE)
      .where('status', '!=', 'closed')
      .executeTakeFirst(),
  ]);
  return { held: Number(held?.n ?? 0), findings, open: Number(open?.n ?? 0) };
}

/** requirements of the scope's catalogs by identifier (e.g. "A.5.18"), for the demo */
export async function findRequirementsByIdentifier(db: Executor, scopeId: string, identifiers: readonly string[]) {
  if (identifiers.length === 0) return [];
  return db
    .selectFrom('catalog_requirement as r')
    .innerJoin('catalog as c', 'c.id', 'r.catalog_id')
    .select(['r.id', 'r.identifier'])
    .where('r.identifier', 'in', [...identifiers])
    .where('r.kind', '=', 'control')
    .where((eb) => eb.or([eb('c.scope_id', 'is', null), eb('c.scope_id', '=', scopeId)]))
    .orderBy('r.sort_order')
    .execute();
}

/**
 * The scope's risks that rely on the controls implementing the given catalog requirements (control → requirement,
 * control → risk): the risks an audit's nonconformity against those requirements bears on (its OSCAL export).
 */
export async function findRisksOfRequirements(db: Executor, scopeId: string, requirementIds: readonly string[]) {
  if (requirementIds.length === 0) return [];
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .innerJoin('control_risk as k', 'k.control_id', 'c.id')
    .innerJoin('risk as r', 'r.id', 'k.risk_id')
    .select([
      'cr.requirement_id',
      'c.reference as control_reference',
      'r.id',
      'r.reference',
      'r.title',
      'r.description',
      'r.status',
      'r.current_level',
    ])
    .distinct()
    .where('c.scope_id', '=', scopeId)
    .where('cr.requirement_id', 'in', [...requirementIds])
    .orderBy('r.reference')
    .orderBy('c.reference')
    .execute();
}
