import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { changeTargetTypes } from './change.schemas.ts';
import type { ChangeDecision, ChangeStatus } from './change.schemas.ts';

/**
 * The tables change management owns. Their types merge into the database type `DB`; `changeManagementTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    change_request: ChangeRequestTable;
    change_target: ChangeTargetTable;
    change_approval: ChangeApprovalTable;
  }
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
  decision: ChangeDecision | null;
  comment: string;
  decided_at: string | null;
}

export const changeManagementTables = {
  change_request: columns<DB['change_request']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    reason: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    planned_on: true,
    status: true,
    change_risk: true,
    consequences: true,
    requested_by: true,
    owner_id: true,
    decision_reason: true,
    decided_at: true,
    verification: true,
    verified_at: true,
    closed_at: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  change_target: columns<DB['change_target']>()({ change_id: true, record_type: true, record_id: true, label: true }),
  change_approval: columns<DB['change_approval']>()({
    change_id: true,
    approver_id: true,
    decision: true,
    comment: true,
    decided_at: true,
  }),
};
