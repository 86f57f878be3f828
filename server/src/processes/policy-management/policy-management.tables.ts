import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { ApprovalDecision, VersionStatus } from './document.schemas.ts';
import type { audienceKinds, DocumentStatus, documentTypes } from './document.schemas.ts';

/**
 * The tables policy management owns. Their types merge into the database type `DB`; `policyManagementTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    document: DocumentTable;
    document_audience_user: DocumentAudienceUserTable;
    document_approver: DocumentApproverTable;
    document_version: DocumentVersionTable;
    document_approval: DocumentApprovalTable;
    document_acknowledgement: DocumentAcknowledgementTable;
    document_review: DocumentReviewTable;
  }
}

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
  decision: ApprovalDecision;
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

export const policyManagementTables = {
  document: columns<DB['document']>()({
    id: true,
    scope_id: true,
    reference: true,
    doc_type: true,
    title: true,
    description: true,
    owner_id: true,
    classification: true,
    audience_kind: true,
    audience_roles: true,
    review_cadence_months: true,
    retention_value: true,
    retention_unit: true,
    required_approvals: true,
    ack_due_days: true,
    status: true,
    current_version_id: true,
    next_review_on: true,
    review_task_for: true,
    retired_at: true,
    disposed_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  document_audience_user: columns<DB['document_audience_user']>()({ document_id: true, user_id: true }),
  document_approver: columns<DB['document_approver']>()({ document_id: true, user_id: true }),
  document_version: columns<DB['document_version']>()({
    id: true,
    scope_id: true,
    document_id: true,
    version_no: true,
    status: true,
    content_md: true,
    file_id: true,
    file_name: true,
    file_media_type: true,
    file_size: true,
    change_summary: true,
    material_change: true,
    change_request_id: true,
    review_round: true,
    author_id: true,
    submitted_at: true,
    approved_at: true,
    published_at: true,
    published_by: true,
    superseded_at: true,
    content_disposed_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  document_approval: columns<DB['document_approval']>()({
    id: true,
    document_version_id: true,
    document_id: true,
    review_round: true,
    approver_id: true,
    decision: true,
    comment: true,
    decided_at: true,
  }),
  document_acknowledgement: columns<DB['document_acknowledgement']>()({
    id: true,
    scope_id: true,
    document_id: true,
    document_version_id: true,
    user_id: true,
    assigned_at: true,
    due_on: true,
    acknowledged_at: true,
    carried_over_from: true,
    reminded_at: true,
    reminder_task_id: true,
  }),
  document_review: columns<DB['document_review']>()({
    id: true,
    scope_id: true,
    document_id: true,
    document_version_id: true,
    reviewed_by: true,
    reviewed_at: true,
    comment: true,
    due_on: true,
    next_review_on: true,
  }),
};
