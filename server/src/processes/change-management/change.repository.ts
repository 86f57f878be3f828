import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { ChangeRequestTable, ChangeTargetTable } from './change-management.tables.ts';
import type { ChangeDecision } from './change.schemas.ts';

export async function insertChange(db: Executor, row: ChangeRequestTable): Promise<void> {
  await db.insertInto('change_request').values(row).execute();
}

export type ChangeRow = ChangeRequestTable & { owner_name: string | null; owner_email: string | null };

const withOwner = (db: Executor) =>
  db
    .selectFrom('change_request')
    .leftJoin('app_user as owner', 'owner.id', 'change_request.owner_id')
    .selectAll('change_request')
    .select(['owner.name as owner_name', 'owner.email as owner_email']);

export async function findChange(db: Executor, scopeId: string, id: string): Promise<ChangeRow | undefined> {
  return (await withOwner(db).where('change_request.scope_id', '=', scopeId).where('change_request.id', '=', id).executeTakeFirst()) as
    | ChangeRow
    | undefined;
}

export interface ChangeFilter {
  status?: ChangeRequestTable['status'] | 'open' | undefined;
  q?: string | undefined;
}

/** What changes the list's SQL: the status branch and a search (their values are bound: ChangeValues). */
interface ChangeShape extends Shape {
  status: 'open' | 'one' | undefined;
  q: boolean;
}

interface ChangeValues extends Params {
  scopeId: string;
  status?: string;
  pattern?: string;
}

function filtered(db: Executor, s: ChangeShape, v: ChangeValues) {
  let q = db.selectFrom('change_request').where('change_request.scope_id', '=', v.scopeId);
  if (s.status === 'open') q = q.where('change_request.status', 'not in', ['closed', 'rejected']);
  else if (s.status) q = q.where('change_request.status', '=', v.status as ChangeRequestTable['status']);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) =>
      eb.or([likeInsensitive(eb.ref('change_request.title'), pattern), likeInsensitive(eb.ref('change_request.reference'), pattern)]),
    );
  }
  return q;
}

const changePage = cachedList(
  'change.list',
  (db, s: ChangeShape, v: ChangeValues) =>
    filtered(db, s, v)
      .leftJoin('app_user as owner', 'owner.id', 'change_request.owner_id')
      .selectAll('change_request')
      .select(['owner.name as owner_name', 'owner.email as owner_email'])
      .orderBy('change_request.created_at', 'desc')
      .orderBy('change_request.id', 'desc'),
  filtered,
);

/** A page of changes, newest first, with their owner, and the total: two statements, compiled once per shape. */
export async function listChanges(db: Executor, scopeId: string, f: ChangeFilter, limit: number, offset: number) {
  const shape: ChangeShape = { status: f.status === 'open' ? 'open' : f.status ? 'one' : undefined, q: !!f.q };
  const values: ChangeValues = { scopeId };
  if (shape.status === 'one') values.status = f.status;
  if (f.q) values.pattern = containsPattern(f.q);
  const { rows, total, capped } = await changePage(db, shape, values, limit, offset);
  return { rows: rows as ChangeRow[], total, capped };
}

export async function findTargets(db: Executor, changeId: string) {
  return db.selectFrom('change_target').selectAll().where('change_id', '=', changeId).orderBy('record_type').orderBy('label').execute();
}

export async function replaceTargets(db: Executor, changeId: string, targets: Omit<ChangeTargetTable, 'change_id'>[]): Promise<void> {
  await db.deleteFrom('change_target').where('change_id', '=', changeId).execute();
  if (targets.length)
    await db
      .insertInto('change_target')
      .values(targets.map((t) => ({ ...t, change_id: changeId })))
      .execute();
}

export async function findApprovals(db: Executor, changeId: string) {
  return db
    .selectFrom('change_approval')
    .innerJoin('app_user', 'app_user.id', 'change_approval.approver_id')
    .selectAll('change_approval')
    .select(['app_user.name', 'app_user.email'])
    .where('change_id', '=', changeId)
    .orderBy('app_user.name')
    .execute();
}

export async function setApprovers(db: Executor, changeId: string, approverIds: string[]): Promise<void> {
  await db.deleteFrom('change_approval').where('change_id', '=', changeId).execute();
  if (approverIds.length) {
    await db
      .insertInto('change_approval')
      .values(approverIds.map((approver_id) => ({ change_id: changeId, approver_id, decision: null, comment: '', decided_at: null })))
      .execute();
  }
}

export async function recordDecision(
  db: Executor,
  changeId: string,
  approverId: string,
  decision: ChangeDecision,
  comment: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('change_approval')
    .set({ decision, comment, decided_at: at })
    .where('change_id', '=', changeId)
    .where('approver_id', '=', approverId)
    .execute();
}

/** Assets that depend on the targeted assets: what a change to them may affect. */
export async function findDependentAssets(db: Executor, assetIds: string[]) {
  if (assetIds.length === 0) return [];
  return db
    .selectFrom('asset_dependency')
    .innerJoin('asset', 'asset.id', 'asset_dependency.asset_id')
    .select(['asset.id', 'asset.reference', 'asset.name', 'asset_dependency.depends_on_id'])
    .where('asset_dependency.depends_on_id', 'in', assetIds)
    .execute();
}

export async function findTasksFor(db: Executor, recordType: string, recordId: string) {
  return db
    .selectFrom('task')
    .select(['id', 'reference', 'title', 'status'])
    .where('origin_record_type', '=', recordType)
    .where('origin_record_id', '=', recordId)
    .orderBy('reference')
    .execute();
}
