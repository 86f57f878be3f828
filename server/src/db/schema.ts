/**
 * The database as Kysely sees it. Kept by hand next to the migrations; `db/schema.test.ts` introspects a freshly
 * migrated database of each dialect and fails when this file and the migrations drift apart.
 * Timestamps are UTC ISO strings, dates 'YYYY-MM-DD', booleans come back as 0/1 on SQLite (normalise with toBool).
 */

// Status, kind and role columns take the unions of the zod schemas: type-only imports of the modules' contracts.
import type { assetTypes, lifecycleStatuses } from '../processes/asset-management/asset.schemas.ts';
import type { changeTargetTypes } from '../processes/change-management/change.schemas.ts';
import type { TargetType } from '../processes/competence-awareness/training.schemas.ts';
import type { findingSeverities } from '../processes/improvement/improvement.schemas.ts';
import type { DecisionKind, DecisionRecordType, ReviewStatus } from '../processes/management-review/management-review.schemas.ts';
import type { incidentKinds } from '../processes/incident-management/incident.schemas.ts';
import type {
  AuditResult,
  AuditSource,
  AuditStatus,
  CriterionKind,
  ExternalParty,
  ItemKind,
} from '../processes/internal-audit/internal-audit.schemas.ts';
import type * as pe from '../processes/performance-evaluation/measure.schemas.ts';
import type { VersionStatus } from '../processes/policy-management/document.schemas.ts';
import type { recordStatuses } from '../processes/records-control/record.schemas.ts';
import type { RiskStatus, ThreatCategory, warningSeverities } from '../processes/risk-assessment/risk.schemas.ts';
import type { ActionStatus, SignatureRole, TreatmentOption, TreatmentStatus } from '../processes/risk-treatment/risk-treatment.schemas.ts';
import type { ScopeRole } from '../auth/roles.ts';
import type { ChangeStatus } from '../processes/change-management/change.schemas.ts';
import type { courseStatuses } from '../processes/competence-awareness/training.schemas.ts';
import type { ControlEffectiveness, ControlStatus } from '../processes/control-implementation/control.schemas.ts';
import type { findingKinds, findingStatuses, opportunityStatuses } from '../processes/improvement/improvement.schemas.ts';
import type { IncidentStatus } from '../processes/incident-management/incident-rules.ts';
import type { incidentCategories, severities } from '../processes/incident-management/incident.schemas.ts';
import type { audienceKinds, DocumentStatus, documentTypes } from '../processes/policy-management/document.schemas.ts';
import type { AcceptanceStatus } from '../processes/risk-treatment/risk-treatment.schemas.ts';
import type { TaskStatus } from '../work/task.schemas.ts';

export interface AppUserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: boolean | number;
  status: 'active' | 'invited' | 'disabled';
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ScopeTable {
  id: string;
  name: string;
  profile: 'small' | 'large';
  description: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MembershipTable {
  id: string;
  scope_id: string;
  user_id: string;
  role: ScopeRole;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface InvitationTable {
  id: string;
  token_hash: string;
  user_id: string;
  scope_id: string;
  role: ScopeRole;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ReferenceCounterTable {
  scope_id: string;
  prefix: string;
  last_value: number;
}

export interface AuditEntryTable {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  scope_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  record_ref: string | null;
  changes: string;
  prev_hash: string;
  hash: string;
}

export interface ScopeProcessTable {
  id: string;
  scope_id: string;
  process_key: string;
  owner_id: string | null;
  cadence: string;
  next_review_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TaskTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  process_key: string;
  origin_process_key: string | null;
  origin_record_type: string | null;
  origin_record_id: string | null;
  origin_record_ref: string | null;
  assignee_id: string | null;
  due_on: string | null;
  status: TaskStatus;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
  /** why the task exists for its origin record (e.g. "triage"); at most one open task per record and purpose */
  purpose: string | null;
  /** what completed or cancelled it, when the record moved on */
  completion_note: string | null;
  /** i18n key and JSON parameters of a generated title, rendered for the reader */
  title_key: string | null;
  title_params: string | null;
}

/** The hand-off ledger: one row per delivery along an edge of the process model (migration 0014). */
export interface HandoffTable {
  id: string;
  scope_id: string;
  edge: string;
  from_process: string;
  to_process: string;
  event: string;
  source_record_type: string;
  source_record_id: string;
  source_record_ref: string | null;
  work_record_type: string;
  work_record_id: string;
  work_record_ref: string | null;
  title: string;
  assignee_id: string | null;
  due_on: string | null;
  created_at: string;
  done_at: string | null;
  outcome: 'done' | 'cancelled' | null;
  note: string | null;
}

/** An ISMS cycle of a scope (migration 0016); the one without closed_at is current. */
export interface IsmsCycleTable {
  id: string;
  scope_id: string;
  number: number;
  starts_on: string;
  ends_on: string;
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Hand-offs that run after their sender's commit, delivered exactly once per event and record (migration 0014). */
export interface OutboxTable {
  id: string;
  scope_id: string;
  event: string;
  record_id: string;
  payload: string;
  actor_id: string | null;
  created_at: string;
  available_at: string;
  attempts: number;
  delivered_at: string | null;
  last_error: string | null;
}

export interface AssetTable {
  id: string;
  scope_id: string;
  reference: string;
  name: string;
  type: (typeof assetTypes)[number];
  owner_id: string | null;
  description: string;
  lifecycle_status: (typeof lifecycleStatuses)[number];
  confidentiality: string;
  integrity: string;
  availability: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AssetTagTable {
  asset_id: string;
  tag: string;
}

export interface AssetDependencyTable {
  asset_id: string;
  depends_on_id: string;
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
  kind: string;
  measure: string | null;
  text: string;
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

export interface ChangeRequestTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  reason: string;
  source: string;
  source_record_type: string | null;
  source_record_id: string | null;
  source_record_ref: string | null;
  planned_on: string | null;
  status: ChangeStatus;
  change_risk: string;
  consequences: string;
  requested_by: string | null;
  owner_id: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  verification: string | null;
  verified_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ChangeTargetTable {
  change_id: string;
  record_type: (typeof changeTargetTypes)[number];
  record_id: string;
  label: string;
}

export interface ChangeApprovalTable {
  change_id: string;
  approver_id: string;
  decision: string | null;
  comment: string;
  decided_at: string | null;
}

export interface NonconformityTable {
  id: string;
  scope_id: string;
  reference: string;
  kind: (typeof findingKinds)[number];
  title: string;
  description: string;
  source: string;
  source_record_type: string | null;
  source_record_id: string | null;
  source_record_ref: string | null;
  requirement: string;
  severity: (typeof findingSeverities)[number];
  status: (typeof findingStatuses)[number];
  owner_id: string | null;
  immediate_correction: string;
  root_cause: string;
  effectiveness_due_on: string | null;
  effectiveness_result: string | null;
  effectiveness_checked_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CorrectiveActionTable {
  id: string;
  nonconformity_id: string;
  task_id: string;
  created_at: string;
}

export interface ImprovementOpportunityTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  source: string;
  source_record_type: string | null;
  source_record_id: string | null;
  source_record_ref: string | null;
  benefit: string;
  status: (typeof opportunityStatuses)[number];
  owner_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RiskMethodTable {
  id: string;
  scope_id: string;
  version_no: number;
  /** the method as JSON text (risk-method.ts RiskMethod); never changed once written */
  definition: string;
  created_at: string;
  created_by: string | null;
  is_current: boolean | number;
}

export interface ThreatTable {
  id: string;
  /** null for the built-in BSI elementary threats */
  scope_id: string | null;
  code: string;
  title: string;
  category: ThreatCategory;
  source: string;
  description: string;
  created_at: string;
}

export interface ThreatWarningTable {
  id: string;
  scope_id: string;
  threat_id: string | null;
  title: string;
  source: string;
  received_on: string;
  description: string;
  severity: (typeof warningSeverities)[number];
  created_by: string | null;
  created_at: string;
}

export interface RiskTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  threat_id: string | null;
  vulnerability: string;
  consequences_c: boolean | number;
  consequences_i: boolean | number;
  consequences_a: boolean | number;
  owner_id: string | null;
  status: RiskStatus;
  inherent_likelihood: number | null;
  inherent_impact: number | null;
  inherent_level: string | null;
  current_likelihood: number | null;
  current_impact: number | null;
  current_level: string | null;
  target_likelihood: number | null;
  target_impact: number | null;
  target_level: string | null;
  method_id: string | null;
  assessed_at: string | null;
  next_review_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RiskAssetTable {
  risk_id: string;
  asset_id: string;
}

export interface ReminderTable {
  id: string;
  scope_id: string;
  record_type: string;
  record_id: string;
  kind: string;
  recipient_id: string;
  send_at: string;
  subject: string;
  body: string;
  /** pending until sent; failed after the last attempt; cancelled when its record moved on or the recipient left */
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  locked_until: string | null;
  sent_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface CatalogTable {
  id: string;
  scope_id: string | null;
  key: string;
  title: string;
  version: string;
  source: 'builtin' | 'oscal';
  oscal_uuid: string | null;
  published: string | null;
  requirement_count: number;
  withdrawn_count: number;
  imported_by: string | null;
  created_at: string;
}

export interface CatalogRequirementTable {
  id: string;
  catalog_id: string;
  identifier: string;
  parent_identifier: string | null;
  kind: 'group' | 'control';
  label: string;
  title: string;
  statement: string;
  guidance: string | null;
  withdrawn: boolean | number;
  depth: number;
  sort_order: number;
  params: string | null;
}

export interface ControlTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  owner_id: string | null;
  status: ControlStatus;
  effectiveness: ControlEffectiveness;
  /** numeric on PostgreSQL comes back as a string from pg; repositories convert with Number() */
  cost_estimate: number | string | null;
  due_on: string | null;
  implemented_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ControlRequirementTable {
  control_id: string;
  requirement_id: string;
}

export interface ControlRiskTable {
  control_id: string;
  risk_id: string;
}

// ---- evidence tables (0008) ----

export interface FileBlobTable {
  sha256: string;
  size: number;
  media_type: string;
  created_at: string;
}

export interface EvidenceTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  sha256: string | null;
  file_name: string | null;
  media_type: string | null;
  size: number | null;
  url: string | null;
  evidence_date: string;
  valid_until: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface EvidenceControlTable {
  evidence_id: string;
  control_id: string;
}

// ---- risk treatment tables (0009) ----

export interface RiskTreatmentTable {
  id: string;
  scope_id: string;
  risk_id: string;
  reference: string;
  /** modify | retain | avoid | share (ISO 27005 risk treatment options) */
  option: TreatmentOption;
  rationale: string;
  /** control objectives: JSON array of strings */
  objectives: string;
  /** draft | decided | implemented */
  status: TreatmentStatus;
  decided_at: string | null;
  decided_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TreatmentControlTable {
  treatment_id: string;
  position: number;
  control_id: string | null;
  requirement_id: string | null;
  /** owner of the control created for a requirement */
  owner_id: string | null;
  task_id: string | null;
}

export interface TreatmentActionTable {
  id: string;
  treatment_id: string;
  scope_id: string;
  position: number;
  title: string;
  owner_id: string | null;
  due_on: string | null;
  /** numeric on PostgreSQL comes back as a string from pg; repositories convert with Number() */
  cost_estimate: number | string | null;
  /** open | in_progress | done | cancelled */
  status: ActionStatus;
  task_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface RiskAcceptanceTable {
  id: string;
  scope_id: string;
  risk_id: string;
  reference: string;
  /** current | target: which residual level was accepted */
  basis: string;
  level: string;
  level_label: string;
  likelihood: number;
  impact: number;
  method_id: string | null;
  method_version: number;
  /** risk_owner | management: what the acceptance criteria require for the level */
  authority: string;
  requires_management: boolean | number;
  justification: string;
  expires_on: string;
  /** pending | effective | expired | revoked | ended */
  status: AcceptanceStatus;
  effective_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  review_task_id: string | null;
  review_started_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RiskAcceptanceSignatureTable {
  acceptance_id: string;
  /** risk_owner | management */
  role: SignatureRole;
  signer_id: string | null;
  signer_name: string;
  signer_email: string;
  justification: string;
  signed_at: string;
}

// ---- statement of applicability tables (0010) ----

export interface SoaTable {
  id: string;
  scope_id: string;
  catalog_id: string;
  reference: string;
  title: string;
  status: 'draft' | 'submitted' | 'approved';
  draft_number: number;
  approved_number: number | null;
  submitted_by: string | null;
  submitted_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SoaEntryTable {
  id: string;
  soa_id: string;
  requirement_id: string;
  group_identifier: string | null;
  sort_order: number;
  applicable: boolean | number | null;
  justification: string;
  decision_source: 'treatment' | 'control' | 'catalog' | 'user' | null;
  decided_by: string | null;
  decided_at: string | null;
  updated_at: string;
  version: number;
}

export interface SoaVersionTable {
  id: string;
  soa_id: string;
  number: number;
  submitted_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string;
  entry_count: number;
  applicable_count: number;
  excluded_count: number;
  entries: string;
}

// ---- policy management tables (0011) ----
export interface DocumentTable {
  id: string;
  scope_id: string;
  reference: string;
  doc_type: (typeof documentTypes)[number];
  title: string;
  description: string;
  owner_id: string | null;
  classification: string;
  audience_kind: (typeof audienceKinds)[number];
  audience_roles: string;
  review_cadence_months: number;
  retention_value: number;
  retention_unit: string;
  required_approvals: number | null;
  ack_due_days: number;
  status: DocumentStatus;
  current_version_id: string | null;
  next_review_on: string | null;
  review_task_for: string | null;
  retired_at: string | null;
  disposed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DocumentAudienceUserTable {
  document_id: string;
  user_id: string;
}

export interface DocumentApproverTable {
  document_id: string;
  user_id: string;
}

export interface DocumentVersionTable {
  id: string;
  scope_id: string;
  document_id: string;
  version_no: number;
  status: VersionStatus;
  content_md: string | null;
  file_id: string | null;
  file_name: string | null;
  file_media_type: string | null;
  file_size: number | string | null;
  change_summary: string;
  material_change: boolean | number;
  change_request_id: string | null;
  review_round: number;
  author_id: string | null;
  submitted_at: string | null;
  approved_at: string | null;
  published_at: string | null;
  published_by: string | null;
  superseded_at: string | null;
  content_disposed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DocumentApprovalTable {
  id: string;
  document_version_id: string;
  document_id: string;
  review_round: number;
  approver_id: string | null;
  decision: string;
  comment: string;
  decided_at: string;
}

/** Read-and-acknowledge: one row per person and published version; acknowledged_at is null until acknowledged. */
export interface DocumentAcknowledgementTable {
  id: string;
  scope_id: string;
  document_id: string;
  document_version_id: string;
  user_id: string;
  assigned_at: string;
  due_on: string;
  acknowledged_at: string | null;
  carried_over_from: string | null;
  reminded_at: string | null;
  reminder_task_id: string | null;
}

/** A periodic review that confirmed the document in force without changes (0013). */
export interface DocumentReviewTable {
  id: string;
  scope_id: string;
  document_id: string;
  document_version_id: string | null;
  reviewed_by: string | null;
  reviewed_at: string;
  comment: string;
  due_on: string | null;
  next_review_on: string;
}

// ---- records control, competence and awareness tables (0012) ----

/** documented information under records control (ISO 27001 7.5.3) */
export interface ControlledRecordTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  owner_id: string | null;
  process_key: string;
  classification: string;
  storage: string;
  linked_record_type: string | null;
  linked_record_id: string | null;
  location: string;
  retention_months: number;
  retention_start_on: string;
  legal_hold: boolean | number;
  legal_hold_reason: string | null;
  status: (typeof recordStatuses)[number];
  disposed_at: string | null;
  disposed_by: string | null;
  disposal_rule: string | null;
  disposal_task_id: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CompetenceTable {
  id: string;
  scope_id: string;
  name: string;
  description: string;
  validity_months: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface JobRoleTable {
  id: string;
  scope_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface JobRoleCompetenceTable {
  job_role_id: string;
  competence_id: string;
}

export interface PersonProfileTable {
  scope_id: string;
  user_id: string;
  department: string | null;
  updated_at: string;
  version: number;
}

export interface PersonJobRoleTable {
  scope_id: string;
  user_id: string;
  job_role_id: string;
}

export interface PersonCompetenceTable {
  id: string;
  scope_id: string;
  user_id: string;
  competence_id: string;
  evidence: string;
  acquired_on: string;
  expires_on: string | null;
  recorded_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TrainingCourseTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  material_document_id: string | null;
  material_url: string | null;
  /** JSON: [{ id, text, options: string[], correct: number[] }] */
  quiz: string | null;
  pass_mark: number | null;
  due_days: number;
  recurrence_months: number | null;
  grants_competence_id: string | null;
  status: (typeof courseStatuses)[number];
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TrainingTargetTable {
  id: string;
  scope_id: string;
  course_id: string;
  target_type: TargetType;
  target_value: string;
  created_at: string;
}

export interface TrainingAssignmentTable {
  id: string;
  scope_id: string;
  course_id: string;
  user_id: string;
  round: number;
  assigned_at: string;
  due_on: string;
  completed_at: string | null;
  score: number | null;
  passed: boolean | number | null;
  attempts: number;
  version: number;
}

/** A cadence: an RFC 5545 rule on a process or on a record source of a scope (migration 0015). */
export interface CadenceTable {
  id: string;
  scope_id: string;
  /** 'process' (subject = the process key) or a record source such as 'risk-review' (subject '') */
  source: string;
  subject: string;
  /** the RRULE value without DTSTART; null: no cadence */
  rule: string | null;
  starts_on: string | null;
  mode: 'fixed' | 'after_completion';
  lead_days: number;
  escalation_days: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** One occurrence of a cadence for one record and date: its task, completion and escalation (migration 0015). */
export interface CadenceOccurrenceTable {
  id: string;
  scope_id: string;
  cadence_id: string | null;
  source: string;
  record_id: string;
  record_ref: string | null;
  process_key: string;
  occurs_on: string;
  task_id: string | null;
  assignee_id: string | null;
  state: 'open' | 'done' | 'cancelled';
  completed_at: string | null;
  escalation_level: number;
  escalate_on: string | null;
  created_at: string;
}

/** A task an escalation step of an occurrence created (migration 0015). */
export interface CadenceEscalationTable {
  id: string;
  occurrence_id: string;
  level: number;
  assignee_id: string | null;
  task_id: string | null;
  created_at: string;
}

// ---- internal audit (0018) ----

export interface InternalAuditTable {
  id: string;
  scope_id: string;
  cycle_id: string | null;
  reference: string;
  title: string;
  scope_text: string;
  source: AuditSource;
  external_party: ExternalParty | null;
  external_organisation: string;
  status: AuditStatus;
  lead_auditor_id: string | null;
  planned_start: string;
  planned_end: string;
  conclusion: string;
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface InternalAuditMemberTable {
  audit_id: string;
  user_id: string;
}

export interface InternalAuditCriterionTable {
  audit_id: string;
  kind: CriterionKind;
  ref: string;
}

export interface InternalAuditItemTable {
  id: string;
  audit_id: string;
  position: number;
  kind: ItemKind;
  clause: string | null;
  requirement_id: string | null;
  follow_up_of: string | null;
  title: string;
  result: AuditResult | null;
  notes: string;
  /** JSON array of evidence ids */
  sampled_evidence: string;
  recorded_by: string | null;
  recorded_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface InternalAuditIndependenceTable {
  id: string;
  audit_id: string;
  user_id: string | null;
  conflict: string;
  justification: string;
  recorded_by: string | null;
  recorded_at: string;
}

// ---- performance evaluation (0017) ----

/** A measure (ISO 27001 9.1, ISO/IEC 27004): what is measured, how, against which target, by whom. */
export interface MeasureTable {
  id: string;
  scope_id: string;
  reference: string;
  name: string;
  information_need: string;
  object: string;
  attribute: string;
  base_measures: string;
  derived_measure: string;
  formula: string;
  unit: string;
  direction: pe.MeasureDirection;
  /** numeric on PostgreSQL comes back as a string from pg; repositories convert with Number() */
  target: number | string;
  breach_at: number | string;
  collection_frequency: pe.MeasureFrequency;
  analysis_frequency: pe.MeasureFrequency;
  measured_by: string | null;
  analysed_by: string | null;
  reported_by: string | null;
  source_kind: pe.MeasureSourceKind;
  live_key: pe.LiveKey | null;
  live_param: string | null;
  status: pe.MeasureStatus;
  next_due_on: string | null;
  definition_version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MeasureVersionTable {
  measure_id: string;
  definition_version: number;
  formula: string;
  unit: string;
  direction: pe.MeasureDirection;
  target: number | string;
  breach_at: number | string;
  created_by: string | null;
  created_at: string;
}

export interface MeasureLinkTable {
  measure_id: string;
  target_type: pe.LinkType;
  target_key: string;
}

/** A measurement: appended, never changed; evaluated against the thresholds of its definition version. */
export interface MeasurementTable {
  id: string;
  scope_id: string;
  measure_id: string;
  definition_version: number;
  value: number | string;
  status: pe.MeasurementStatus;
  measured_at: string;
  source: pe.MeasureSourceKind;
  comment: string;
  evidence_url: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface MeasureAnalysisTable {
  measurement_id: string;
  scope_id: string;
  measure_id: string;
  outcome: pe.AnalysisOutcome;
  note: string;
  analysed_by: string | null;
  analysed_at: string;
}

/** A management review (ISO 27001 9.3), migration 0019. */
export interface ManagementReviewTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  status: ReviewStatus;
  chair_id: string | null;
  planned_on: string;
  period_from: string;
  period_to: string;
  quorum: number | null;
  /** the compiled inputs (JSON), frozen when held */
  inputs: string | null;
  /** SHA-256 (hex) of `inputs` as stored */
  inputs_hash: string | null;
  compiled_at: string | null;
  /** JSON object: input section → the owner's commentary */
  commentary: string;
  discussion: string;
  held_at: string | null;
  approved_at: string | null;
  approved_by: string | null;
  minutes_record_id: string | null;
  minutes_record_ref: string | null;
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ManagementReviewAttendeeTable {
  review_id: string;
  user_id: string;
  present: boolean | number;
}

/** A decision of a management review (ISO 27001 9.3.3) and the record it created. */
export interface ManagementReviewDecisionTable {
  id: string;
  review_id: string;
  scope_id: string;
  position: number;
  kind: DecisionKind;
  title: string;
  description: string;
  owner_id: string | null;
  due_on: string;
  record_type: DecisionRecordType;
  record_id: string;
  record_ref: string;
  created_by: string | null;
  created_at: string;
}

export interface DB {
  app_user: AppUserTable;
  scope: ScopeTable;
  membership: MembershipTable;
  invitation: InvitationTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  reference_counter: ReferenceCounterTable;
  audit_entry: AuditEntryTable;
  scope_process: ScopeProcessTable;
  task: TaskTable;
  handoff: HandoffTable;
  outbox: OutboxTable;
  isms_cycle: IsmsCycleTable;
  // -- cadences (0015)
  cadence: CadenceTable;
  cadence_occurrence: CadenceOccurrenceTable;
  cadence_escalation: CadenceEscalationTable;
  asset: AssetTable;
  asset_tag: AssetTagTable;
  asset_dependency: AssetDependencyTable;
  incident: IncidentTable;
  incident_asset: IncidentAssetTable;
  incident_event: IncidentEventTable;
  incident_notification: IncidentNotificationTable;
  change_request: ChangeRequestTable;
  change_target: ChangeTargetTable;
  change_approval: ChangeApprovalTable;
  nonconformity: NonconformityTable;
  corrective_action: CorrectiveActionTable;
  improvement_opportunity: ImprovementOpportunityTable;
  reminder: ReminderTable;
  risk_method: RiskMethodTable;
  threat: ThreatTable;
  threat_warning: ThreatWarningTable;
  risk: RiskTable;
  risk_asset: RiskAssetTable;
  catalog: CatalogTable;
  catalog_requirement: CatalogRequirementTable;
  control: ControlTable;
  control_requirement: ControlRequirementTable;
  control_risk: ControlRiskTable;
  // -- evidence (0008)
  file_blob: FileBlobTable;
  evidence: EvidenceTable;
  evidence_control: EvidenceControlTable;
  // -- risk treatment (0009)
  risk_treatment: RiskTreatmentTable;
  treatment_control: TreatmentControlTable;
  treatment_action: TreatmentActionTable;
  risk_acceptance: RiskAcceptanceTable;
  risk_acceptance_signature: RiskAcceptanceSignatureTable;
  // -- statement of applicability (0010)
  soa: SoaTable;
  soa_entry: SoaEntryTable;
  soa_version: SoaVersionTable;
  // -- policy management (0011)
  document: DocumentTable;
  document_audience_user: DocumentAudienceUserTable;
  document_approver: DocumentApproverTable;
  document_version: DocumentVersionTable;
  document_approval: DocumentApprovalTable;
  document_acknowledgement: DocumentAcknowledgementTable;
  document_review: DocumentReviewTable;
  // -- records control, competence and awareness (0012)
  controlled_record: ControlledRecordTable;
  competence: CompetenceTable;
  job_role: JobRoleTable;
  job_role_competence: JobRoleCompetenceTable;
  person_profile: PersonProfileTable;
  person_job_role: PersonJobRoleTable;
  person_competence: PersonCompetenceTable;
  training_course: TrainingCourseTable;
  training_target: TrainingTargetTable;
  training_assignment: TrainingAssignmentTable;
  // -- internal audit (0018)
  internal_audit: InternalAuditTable;
  internal_audit_member: InternalAuditMemberTable;
  internal_audit_criterion: InternalAuditCriterionTable;
  internal_audit_item: InternalAuditItemTable;
  internal_audit_independence: InternalAuditIndependenceTable;
  // -- performance evaluation (0017)
  measure: MeasureTable;
  measure_version: MeasureVersionTable;
  measure_link: MeasureLinkTable;
  measurement: MeasurementTable;
  measure_analysis: MeasureAnalysisTable;
  // -- management review (0019)
  management_review: ManagementReviewTable;
  management_review_attendee: ManagementReviewAttendeeTable;
  management_review_decision: ManagementReviewDecisionTable;
}
