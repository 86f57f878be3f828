import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { incidentKinds } from './incident.schemas.ts';
import type { IncidentStatus } from './incident-rules.ts';
import type { IncidentEventKind, incidentCategories, severities } from './incident.schemas.ts';

/**
 * The tables incident management owns. Their types merge into the database type `DB`; `incidentManagementTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    incident: IncidentTable;
    incident_asset: IncidentAssetTable;
    incident_event: IncidentEventTable;
    incident_notification: IncidentNotificationTable;
  }
}

export interface IncidentTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  kind: (typeof incidentKinds)[number];
  affected: string;
  reported_by: string | null;
  reported_at: string;
  noticed_at: string;
  status: IncidentStatus;
  category: (typeof incidentCategories)[number] | null;
  severity: (typeof severities)[number] | null;
  impact_confidentiality: boolean | number;
  impact_integrity: boolean | number;
  impact_availability: boolean | number;
  personal_data: boolean | number;
  nis2_significant: boolean | number;
  aware_at: string | null;
  handler_id: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  lessons_learned: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentAssetTable {
  incident_id: string;
  asset_id: string;
}

export interface IncidentEventTable {
  id: string;
  incident_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  kind: IncidentEventKind;
  measure: string | null;
  /** what the entry says in English (search, older readers); an entry Praxis writes is worded for each reader by its key */
  text: string;
  /** the text's key (`incidents:timeline.*`), null for what people type and for older entries of another form (migration 0033) */
  text_key: string | null;
  /** the key's parameters as JSON */
  text_params: string | null;
}

export interface IncidentNotificationTable {
  id: string;
  incident_id: string;
  regime: string;
  sent_at: string;
  recipient: string;
  external_reference: string;
  late_reason: string | null;
  recorded_by: string | null;
  created_at: string;
}

export const incidentManagementTables = {
  incident: columns<DB['incident']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    kind: true,
    affected: true,
    reported_by: true,
    reported_at: true,
    noticed_at: true,
    status: true,
    category: true,
    severity: true,
    impact_confidentiality: true,
    impact_integrity: true,
    impact_availability: true,
    personal_data: true,
    nis2_significant: true,
    aware_at: true,
    handler_id: true,
    resolved_at: true,
    closed_at: true,
    lessons_learned: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  incident_asset: columns<DB['incident_asset']>()({ incident_id: true, asset_id: true }),
  incident_event: columns<DB['incident_event']>()({
    id: true,
    incident_id: true,
    at: true,
    actor_id: true,
    actor_name: true,
    kind: true,
    measure: true,
    text: true,
    text_key: true,
    text_params: true,
  }),
  incident_notification: columns<DB['incident_notification']>()({
    id: true,
    incident_id: true,
    regime: true,
    sent_at: true,
    recipient: true,
    external_reference: true,
    late_reason: true,
    recorded_by: true,
    created_at: true,
  }),
};
