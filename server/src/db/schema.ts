/**
 * The database as Kysely sees it. Kept by hand next to the migrations; `db/schema.test.ts` introspects a freshly
 * migrated database of each dialect and fails when this file and the migrations drift apart.
 * Timestamps are UTC ISO strings, dates 'YYYY-MM-DD', booleans come back as 0/1 on SQLite (normalise with toBool).
 */

// Status, kind and role columns take the unions of the zod schemas: type-only imports of the modules' contracts.
import type { ScopeRole } from '../auth/roles.ts';
import type { ReminderKind } from '../jobs/reminder.service.ts';
import type { UserLanguage } from '../users/user-language.ts';
import type { TaskStatus } from '../work/task.schemas.ts';

export interface AppUserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: boolean | number;
  status: 'active' | 'invited' | 'disabled';
  /** the user's language ('en' | 'de', `users/user-language.ts`); null follows the browser's */
  language: UserLanguage | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ScopeTable {
  id: string;
  name: string;
  profile: 'small' | 'large';
  description: string;
  /** its managers must have a second factor (TOTP or a passkey) for manager actions */
  require_mfa_managers: boolean | number;
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

export interface UserTotpTable {
  user_id: string;
  secret_enc: string;
  confirmed_at: string | null;
  last_time_step: number | null;
  created_at: string;
}

export interface UserRecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface UserPasskeyTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  /** JSON array of transports */
  transports: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean | number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  version: number;
}

export interface AuthChallengeTable {
  id: string;
  user_id: string | null;
  purpose: 'sign-in' | 'passkey-sign-in' | 'passkey-register';
  webauthn_challenge: string | null;
  failed_attempts: number;
  created_at: string;
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
  /** the signing key's id and the base64 Ed25519 signature of `hash` (0021; null on entries written before it) */
  key_id: string | null;
  signature: string | null;
}

/** An audit entry committed and not yet sealed into the chain (0039, audit/audit-seal.ts). */
export interface AuditPendingTable {
  id: string;
  /** the UUIDv7 of the write of its transaction's entries, and its place among them: the order of sealing */
  batch: string;
  n: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  scope_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  record_ref: string | null;
  changes: string;
}

/** A signed statement that the trail ended at `seq` with `hash` at `at` (0021). */
export interface AuditCheckpointTable {
  id: string;
  seq: number;
  hash: string;
  at: string;
  reason: 'sweep' | 'threshold' | 'command' | 'restore';
  key_id: string;
  public_key: string;
  signature: string;
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
  /** i18n key and JSON parameters of a generated description (migration 0035); null when someone typed it */
  description_key: string | null;
  description_params: string | null;
  /**
   * i18n key and JSON parameters of the completion note Praxis wrote (migration 0037); null for a note stored as written.
   * Optional: a row built without them (an older fixture) has none.
   */
  completion_note_key?: string | null;
  completion_note_params?: string | null;
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
  /** i18n key and JSON parameters of the note Praxis wrote when it settled the row (migration 0037); optional like the task's */
  note_key?: string | null;
  note_params?: string | null;
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

export interface ReminderTable {
  id: string;
  scope_id: string;
  record_type: string;
  record_id: string;
  /** `<topic>:<stage>` (`jobs/reminder.service.ts`) */
  kind: ReminderKind;
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

export interface FileBlobTable {
  sha256: string;
  size: number;
  media_type: string;
  created_at: string;
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

export interface UserIdentityTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  email: string;
  /** JSON array of the scope ids whose membership the provider's groups gave */
  managed_scopes: string;
  created_at: string;
  last_sign_in_at: string;
}

export interface RateLimitTable {
  key: string;
  /** milliseconds since the epoch */
  window_start: number;
  count: number;
  /** milliseconds since the epoch */
  expires_at: number;
}

export interface DB {
  app_user: AppUserTable;
  scope: ScopeTable;
  membership: MembershipTable;
  invitation: InvitationTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  user_totp: UserTotpTable;
  user_recovery_code: UserRecoveryCodeTable;
  user_passkey: UserPasskeyTable;
  auth_challenge: AuthChallengeTable;
  reference_counter: ReferenceCounterTable;
  audit_entry: AuditEntryTable;
  audit_checkpoint: AuditCheckpointTable;
  audit_pending: AuditPendingTable;
  scope_process: ScopeProcessTable;
  task: TaskTable;
  handoff: HandoffTable;
  outbox: OutboxTable;
  isms_cycle: IsmsCycleTable;
  // -- cadences (0015)
  cadence: CadenceTable;
  cadence_occurrence: CadenceOccurrenceTable;
  cadence_escalation: CadenceEscalationTable;
  reminder: ReminderTable;
  catalog: CatalogTable;
  catalog_requirement: CatalogRequirementTable;
  // -- evidence (0008)
  file_blob: FileBlobTable;
  // -- single sign-on and shared rate limits (0023)
  user_identity: UserIdentityTable;
  rate_limit: RateLimitTable;
}
