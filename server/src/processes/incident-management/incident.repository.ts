import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { IncidentEventTable, IncidentNotificationTable, IncidentTable } from './incident-management.tables.ts';

export async function insertIncident(db: Executor, row: IncidentTable): Promise<void> {
  await db.insertInto('incident').values(row).execute();
}

const withPeople = (db: Executor) =>
  db
    .selectFrom('incident')
    .leftJoin('app_user as reporter', 'reporter.id', 'incident.reported_by')
    .leftJoin('app_user as handler', 'handler.id', 'incident.handler_id')
    .selectAll('incident')
    .select([
      'reporter.name as reporter_name',
      'reporter.email as reporter_email',
      'handler.name as handler_name',
      'handler.email as handler_email',
    ]);

export type IncidentRow = IncidentTable & {
  reporter_name: string | null;
  reporter_email: string | null;
  handler_name: string | null;
  handler_email: string | null;
};

export async function findIncident(db: Executor, scopeId: string, id: string): Promise<IncidentRow | undefined> {
  return (await withPeople(db).where('incident.scope_id', '=', scopeId).where('incident.id', '=', id).executeTakeFirst()) as
    | IncidentRow
    | undefined;
}

export interface IncidentFilter {
  status?: IncidentTable['status'] | 'open' | undefined;
  severity?: NonNullable<IncidentTable['severity']> | undefined;
  q?: string | undefined;
  reportedBy?: string | undefined;
}

/** What changes the list's SQL: which filters are given (their values are bound: IncidentValues). */
interface IncidentShape extends Shape {
  status: 'open' | 'one' | undefined;
  severity: boolean;
  reportedBy: boolean;
  q: boolean;
}

interface IncidentValues extends Params {
  scopeId: string;
  status?: string;
  severity?: string;
  reportedBy?: string;
  pattern?: string;
}

function filtered(db: Executor, s: IncidentShape, v: IncidentValues) {
  let q = db.selectFrom('incident').where('incident.scope_id', '=', v.scopeId);
  if (s.status === 'open') q = q.where('incident.status', '!=', 'closed');
  else if (s.status) q = q.where('incident.status', '=', v.status as IncidentTable['status']);
  if (s.severity) q = q.where('incident.severity', '=', v.severity as NonNullable<IncidentTable['severity']>);
  if (s.reportedBy) q = q.where('incident.reported_by', '=', v.reportedBy as string);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) =>
      eb.or([likeInsensitive(eb.ref('incident.title'), pattern), likeInsensitive(eb.ref('incident.reference'), pattern)]),
    );
  }
  return q;
}

const incidentPage = cachedList(
  'incident.list',
  (db, s: IncidentShape, v: IncidentValues) =>
    filtered(db, s, v)
      .leftJoin('app_user as reporter', 'reporter.id', 'incident.reported_by')
      .leftJoin('app_user as handler', 'handler.id', 'incident.handler_id')
      .selectAll('incident')
      .select([
        'reporter.name as reporter_name',
        'reporter.email as reporter_email',
        'handler.name as handler_name',
        'handler.email as handler_email',
      ])
      .orderBy('incident.reported_at', 'desc')
      .orderBy('incident.id', 'desc'),
  filtered,
);

/** A page of incidents, newest first, with reporter and handler names: two statements whatever the page size. */
export async function listIncidents(db: Executor, scopeId: string, f: IncidentFilter, limit: number, offset: number) {
  const shape: IncidentShape = {
    status: f.status === 'open' ? 'open' : f.status ? 'one' : undefined,
    severity: !!f.severity,
    reportedBy: !!f.reportedBy,
    q: !!f.q,
  };
  const values: IncidentValues = { scopeId };
  if (shape.status === 'one') values.status = f.status;
  if (f.severity) values.severity = f.severity;
  if (f.reportedBy) values.reportedBy = f.reportedBy;
  if (f.q) values.pattern = containsPattern(f.q);
  const { rows, total, capped } = await incidentPage(db, shape, values, limit, offset);
  return { rows: rows as IncidentRow[], total, capped };
}

export async function findNotificationsFor(db: Executor, incidentIds: string[]) {
  if (incidentIds.length === 0) return [];
  return db.selectFrom('incident_notification').selectAll().where('incident_id', 'in', incidentIds).execute();
}

export async function insertNotification(db: Executor, row: IncidentNotificationTable): Promise<void> {
  await db.insertInto('incident_notification').values(row).execute();
}

export async function insertEvent(db: Executor, row: IncidentEventTable): Promise<void> {
  await db.insertInto('incident_event').values(row).execute();
}

export async function findEvents(db: Executor, incidentId: string) {
  return db.selectFrom('incident_event').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
}

export async function findAssets(db: Executor, incidentId: string) {
  return db
    .selectFrom('incident_asset')
    .innerJoin('asset', 'asset.id', 'incident_asset.asset_id')
    .select(['asset.id', 'asset.reference', 'asset.name'])
    .where('incident_asset.incident_id', '=', incidentId)
    .orderBy('asset.reference')
    .execute();
}

export async function replaceAssets(db: Executor, incidentId: string, assetIds: string[]): Promise<void> {
  await db.deleteFrom('incident_asset').where('incident_id', '=', incidentId).execute();
  if (assetIds.length)
    await db
      .insertInto('incident_asset')
      .values(assetIds.map((asset_id) => ({ incident_id: incidentId, asset_id })))
      .execute();
}
