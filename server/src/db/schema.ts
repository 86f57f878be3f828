/**
 * The database as Kysely sees it. Kept by hand next to the migrations; `db/schema.test.ts` introspects a freshly
 * migrated database of each dialect and fails when this file and the migrations drift apart.
 * Timestamps are UTC ISO strings, dates 'YYYY-MM-DD', booleans come back as 0/1 on SQLite (normalise with toBool).
 */
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
  role: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface InvitationTable {
  id: string;
  token_hash: string;
  user_id: string;
  scope_id: string;
  role: string;
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
  status: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
}

export interface AssetTable {
  id: string;
  scope_id: string;
  reference: string;
  name: string;
  type: string;
  owner_id: string | null;
  description: string;
  lifecycle_status: string;
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
  asset: AssetTable;
  asset_tag: AssetTagTable;
  asset_dependency: AssetDependencyTable;
}
