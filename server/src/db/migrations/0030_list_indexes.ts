import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';

// Every list page is read from an index (ARCHITECTURE.md, "Lists and their indexes"): for each list, its default
// order and its main filters get an index that starts with the scope, then the filter's column, then the sort keys
// including the list's last tie-breaker (the id, or the reference), so that a page reads only its own rows and never
// sorts the scope. An index that one of these extends (the same columns as its start) is dropped: the longer one
// serves every statement the shorter one did. db/list-plans.test.ts checks the plans on both databases.
// Frozen in time: never edit a released migration; add a new one.

/** [name, table, columns (SQL), replaced index or null] */
const indexes: [string, string, string, string | null][] = [
  // assets: by name (the default), by last change, by type, by lifecycle status
  ['asset_scope_name_id_idx', 'asset', 'scope_id, name, id', 'asset_scope_name_idx'],
  ['asset_scope_updated_id_idx', 'asset', 'scope_id, updated_at, id', 'asset_scope_updated_idx'],
  ['asset_scope_type_name_id_idx', 'asset', 'scope_id, type, name, id', 'asset_scope_type_idx'],
  ['asset_scope_type_updated_idx', 'asset', 'scope_id, type, updated_at, id', null],
  ['asset_scope_lifecycle_name_idx', 'asset', 'scope_id, lifecycle_status, name, id', null],
  // controls: by reference (the unique index), of a status, by last change
  ['control_scope_status_ref_idx', 'control', 'scope_id, status, reference', 'control_scope_status_idx'],
  ['control_scope_updated_id_idx', 'control', 'scope_id, updated_at, id', 'control_scope_updated_idx'],
  // evidence: newest evidence date first, of a kind
  ['evidence_scope_date_id_idx', 'evidence', 'scope_id, evidence_date, id', 'evidence_scope_date_idx'],
  ['evidence_scope_kind_date_idx', 'evidence', 'scope_id, kind, evidence_date, id', null],
  // tasks of one status by due date (those without one last); active tasks have a partial index below
  ['task_scope_status_order_idx', 'task', 'scope_id, status, (due_on is null), due_on, created_at, id', null],
  // the audit log of a record type, newest first
  ['audit_entry_scope_type_idx', 'audit_entry', 'scope_id, record_type, seq', null],
  // policies: of a status by reference, by review date, by last change
  ['document_scope_status_ref_idx', 'document', 'scope_id, status, reference', 'document_scope_status_idx'],
  ['document_scope_review_ref_idx', 'document', 'scope_id, next_review_on, reference', 'document_scope_review_idx'],
  ['document_scope_updated_ref_idx', 'document', 'scope_id, updated_at, reference', 'document_scope_updated_idx'],
  // incidents, newest first, all or of a status
  ['incident_scope_reported_idx', 'incident', 'scope_id, reported_at, id', null],
  ['incident_scope_status_reported_idx', 'incident', 'scope_id, status, reported_at, id', 'incident_scope_status_idx'],
  // change requests, nonconformities and opportunities, newest first
  ['change_request_scope_created_idx', 'change_request', 'scope_id, created_at, id', null],
  ['change_request_scope_status_created_idx', 'change_request', 'scope_id, status, created_at, id', 'change_request_scope_status_idx'],
  ['nonconformity_scope_created_idx', 'nonconformity', 'scope_id, created_at, id', null],
  ['nonconformity_scope_status_created_idx', 'nonconformity', 'scope_id, status, created_at, id', 'nonconformity_scope_status_idx'],
  ['improvement_opportunity_scope_created_idx', 'improvement_opportunity', 'scope_id, created_at, id', null],
  // measures by name, all or of a status; a measure's latest measurements
  ['measure_scope_name_idx', 'measure', 'scope_id, name, id', null],
  ['measure_scope_status_name_idx', 'measure', 'scope_id, status, name, id', 'measure_scope_status_idx'],
  ['measurement_measure_at_id_idx', 'measurement', 'measure_id, measured_at, id', 'measurement_measure_at_idx'],
  // audits and management reviews, latest planned first
  ['internal_audit_scope_planned_idx', 'internal_audit', 'scope_id, planned_start, reference', null],
  ['management_review_scope_planned_idx', 'management_review', 'scope_id, planned_on, reference', null],
  // records: of a status by reference, by last change
  ['controlled_record_scope_status_ref_idx', 'controlled_record', 'scope_id, status, reference', 'controlled_record_scope_status_idx'],
  ['controlled_record_scope_updated_idx', 'controlled_record', 'scope_id, updated_at, id', null],
  // training assignments by due date
  ['training_assignment_scope_due_idx', 'training_assignment', 'scope_id, due_on, id', 'training_assignment_scope_idx'],
  // risk treatments by last change; statements of applicability in order of creation; threat warnings, newest first
  ['risk_treatment_scope_updated_id_idx', 'risk_treatment', 'scope_id, updated_at, id', 'risk_treatment_scope_updated_idx'],
  ['soa_scope_created_idx', 'soa', 'scope_id, created_at, id', null],
  ['threat_warning_scope_received_idx', 'threat_warning', 'scope_id, received_on, id', 'threat_warning_scope_idx'],
];

export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  for (const [name, table, columns, replaces] of indexes) {
    await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(db);
    if (replaces) await sql`drop index ${sql.id(replaces)}`.execute(db);
  }
  // the active tasks (open or in progress: the default of every task list) by due date, those without one last; the
  // list names the statuses as literals, so that both databases see that this partial index holds every row it wants
  await sql`create index task_scope_active_order_idx on task (scope_id, (due_on is null), due_on, created_at, id)
    where status in ('open', 'in_progress')`.execute(db);
}
