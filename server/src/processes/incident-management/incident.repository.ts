import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { countCapped } from '../../db/paging.ts';
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

function filtered(db: Executor, scopeId: string, f: IncidentFilter) {
  let q = db.selectFrom('incident').where('incident.scope_id', '=', scopeId);
  if (f.status === 'open') q = q.where('incident.status', '!=', 'closed');
  else if (f.status) q = q.where('incident.status', '=', f.status);
  if (f.severity) q = q.where('incident.severity', '=', f.severity);
  if (f.reportedBy) q = q.where('incident.reported_by', '=', f.reportedBy);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([containsInsensitive(eb.ref('incident.title'), needle), containsInsensitive(eb.ref('incident.reference'), needle)]),
    );
  }
  return q;
}

/** A page of incidents, newest first, with reporter and handler names: two statements whatever the page size. */
export async function listIncidents(db: Executor, scopeId: string, f: IncidentFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, scopeId, f)
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
      .orderBy('incident.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    countCapped(db, filtered(db, scopeId, f)),
  ]);
  return { rows: rows as IncidentRow[], ...count };
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
