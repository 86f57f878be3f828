export { findAssets, findIncident } from './incident.repository.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './incident-management.permissions.ts';
import { incidentManagementTables } from './incident-management.tables.ts';
import { sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { incidentManagementDemo } from './incident-management.demo.ts';
import { incidentManagementHandoffs } from './incident-management.handoffs.ts';
import { incidentRoutes } from './incident.routes.ts';

/** Incident management (Annex A 5.24–5.28): reports, triage, response, regulatory clocks, lessons learned. */
export const incidentManagementModule = defineModule({
  key: 'incident-management',
  process: 'incident-management',
  tables: incidentManagementTables,
  routes: [incidentRoutes],
  tags: [{ name: 'incident management', description: 'Incidents and weaknesses: report, triage, respond, learn' }],
  permissions,
  emits: [{ event: 'incident.reported' }, { event: 'incident.lesson' }],
  receives: incidentManagementHandoffs,
  demo: incidentManagementDemo,
  nav: [{ section: 'incidents', permission: 'incident:report' }],
});

/**
 * For performance evaluation (ISO 27001 9.1): the median hours from report to closure of the incidents closed since
 * `since` (null when none was), in one statement (the middle rows by a window function, on both dialects).
 */
export async function medianHoursToClose(db: Executor, dialect: DialectName, scopeId: string, since: string): Promise<number | null> {
  const hours =
    dialect === 'postgres'
      ? sql<number>`extract(epoch from (closed_at - reported_at)) / 3600.0`
      : sql<number>`(julianday(closed_at) - julianday(reported_at)) * 24.0`;
  const rows = await db
    .selectFrom(
      db
        .selectFrom('incident')
        .select([hours.as('h'), sql<number>`row_number() over (order by ${hours})`.as('rn'), sql<number>`count(*) over ()`.as('n')])
        .where('scope_id', '=', scopeId)
        .where('closed_at', '>=', since)
        .as('closed'),
    )
    .select('h')
    .where(sql<boolean>`rn in ((n + 1) / 2, (n + 2) / 2)`)
    .execute();
  return rows.length ? rows.reduce((a, r) => a + Number(r.h), 0) / rows.length : null;
}

/** For management review (ISO 27001 9.3.2 d): incidents reported in the period by severity (null: not triaged). Instants, `to` excluded. */
export async function countIncidentsBySeverity(db: Executor, scopeId: string, period: { from: string; to: string }) {
  const rows = await db
    .selectFrom('incident')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('scope_id', '=', scopeId)
    .where('reported_at', '>=', period.from)
    .where('reported_at', '<', period.to)
    .groupBy('severity')
    .execute();
  return rows.map((r) => ({ severity: r.severity, count: Number(r.n) }));
}

/** For performance evaluation: regulatory notifications sent since `since`, and those sent in time (no late reason). */
export async function notificationFigures(db: Executor, scopeId: string, since: string) {
  const row = await db
    .selectFrom('incident_notification as n')
    .innerJoin('incident as i', 'i.id', 'n.incident_id')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`coalesce(sum(case when n.late_reason is null then 1 else 0 end), 0)`.as('in_time'),
    ])
    .where('i.scope_id', '=', scopeId)
    .where('n.sent_at', '>=', since)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), inTime: Number(row?.in_time ?? 0) };
}
