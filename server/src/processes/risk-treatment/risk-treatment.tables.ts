import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { ActionStatus, SignatureRole, TreatmentOption, TreatmentStatus } from './risk-treatment.schemas.ts';
import type { AcceptanceStatus } from './risk-treatment.schemas.ts';

/**
 * The tables risk treatment (with the Statement of Applicability) owns. Their types merge into the database type `DB`; `riskTreatmentTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    risk_treatment: RiskTreatmentTable;
    treatment_control: TreatmentControlTable;
    treatment_action: TreatmentActionTable;
    risk_acceptance: RiskAcceptanceTable;
    risk_acceptance_signature: RiskAcceptanceSignatureTable;
    soa: SoaTable;
    soa_entry: SoaEntryTable;
    soa_version: SoaVersionTable;
  }
}

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
  /** i18n key and JSON parameters of an end reason Praxis wrote (migration 0038); null for a reason someone gave */
  end_reason_key: string | null;
  end_reason_params: string | null;
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

export const riskTreatmentTables = {
  risk_treatment: columns<DB['risk_treatment']>()({
    id: true,
    scope_id: true,
    risk_id: true,
    reference: true,
    option: true,
    rationale: true,
    objectives: true,
    status: true,
    decided_at: true,
    decided_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  treatment_control: columns<DB['treatment_control']>()({
    treatment_id: true,
    position: true,
    control_id: true,
    requirement_id: true,
    owner_id: true,
    task_id: true,
  }),
  treatment_action: columns<DB['treatment_action']>()({
    id: true,
    treatment_id: true,
    scope_id: true,
    position: true,
    title: true,
    owner_id: true,
    due_on: true,
    cost_estimate: true,
    status: true,
    task_id: true,
    created_at: true,
    updated_at: true,
  }),
  risk_acceptance: columns<DB['risk_acceptance']>()({
    id: true,
    scope_id: true,
    risk_id: true,
    reference: true,
    basis: true,
    level: true,
    level_label: true,
    likelihood: true,
    impact: true,
    method_id: true,
    method_version: true,
    authority: true,
    requires_management: true,
    justification: true,
    expires_on: true,
    status: true,
    effective_at: true,
    ended_at: true,
    end_reason: true,
    end_reason_key: true,
    end_reason_params: true,
    review_task_id: true,
    review_started_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  risk_acceptance_signature: columns<DB['risk_acceptance_signature']>()({
    acceptance_id: true,
    role: true,
    signer_id: true,
    signer_name: true,
    signer_email: true,
    justification: true,
    signed_at: true,
  }),
  soa: columns<DB['soa']>()({
    id: true,
    scope_id: true,
    catalog_id: true,
    reference: true,
    title: true,
    status: true,
    draft_number: true,
    approved_number: true,
    submitted_by: true,
    submitted_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  soa_entry: columns<DB['soa_entry']>()({
    id: true,
    soa_id: true,
    requirement_id: true,
    group_identifier: true,
    sort_order: true,
    applicable: true,
    justification: true,
    decision_source: true,
    decided_by: true,
    decided_at: true,
    updated_at: true,
    version: true,
  }),
  soa_version: columns<DB['soa_version']>()({
    id: true,
    soa_id: true,
    number: true,
    submitted_by: true,
    submitted_at: true,
    approved_by: true,
    approved_at: true,
    entry_count: true,
    applicable_count: true,
    excluded_count: true,
    entries: true,
  }),
};
