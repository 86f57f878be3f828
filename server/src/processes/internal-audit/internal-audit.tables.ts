import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { AuditResult, AuditSource, AuditStatus, CriterionKind, ExternalParty, ItemKind } from './internal-audit.schemas.ts';

/**
 * The tables internal audit owns. Their types merge into the database type `DB`; `internalAuditTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    internal_audit: InternalAuditTable;
    internal_audit_member: InternalAuditMemberTable;
    internal_audit_criterion: InternalAuditCriterionTable;
    internal_audit_item: InternalAuditItemTable;
    internal_audit_independence: InternalAuditIndependenceTable;
  }
}

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

export const internalAuditTables = {
  internal_audit: columns<DB['internal_audit']>()({
    id: true,
    scope_id: true,
    cycle_id: true,
    reference: true,
    title: true,
    scope_text: true,
    source: true,
    external_party: true,
    external_organisation: true,
    status: true,
    lead_auditor_id: true,
    planned_start: true,
    planned_end: true,
    conclusion: true,
    closed_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  internal_audit_member: columns<DB['internal_audit_member']>()({ audit_id: true, user_id: true }),
  internal_audit_criterion: columns<DB['internal_audit_criterion']>()({ audit_id: true, kind: true, ref: true }),
  internal_audit_item: columns<DB['internal_audit_item']>()({
    id: true,
    audit_id: true,
    position: true,
    kind: true,
    clause: true,
    requirement_id: true,
    follow_up_of: true,
    title: true,
    result: true,
    notes: true,
    sampled_evidence: true,
    recorded_by: true,
    recorded_at: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  internal_audit_independence: columns<DB['internal_audit_independence']>()({
    id: true,
    audit_id: true,
    user_id: true,
    conflict: true,
    justification: true,
    recorded_by: true,
    recorded_at: true,
  }),
};
