import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { DecisionKind, DecisionRecordType, ReviewStatus } from './management-review.schemas.ts';

/**
 * The tables management review owns. Their types merge into the database type `DB`; `managementReviewTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    management_review: ManagementReviewTable;
    management_review_attendee: ManagementReviewAttendeeTable;
    management_review_decision: ManagementReviewDecisionTable;
  }
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

export const managementReviewTables = {
  management_review: columns<DB['management_review']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    status: true,
    chair_id: true,
    planned_on: true,
    period_from: true,
    period_to: true,
    quorum: true,
    inputs: true,
    inputs_hash: true,
    compiled_at: true,
    commentary: true,
    discussion: true,
    held_at: true,
    approved_at: true,
    approved_by: true,
    minutes_record_id: true,
    minutes_record_ref: true,
    closed_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  management_review_attendee: columns<DB['management_review_attendee']>()({ review_id: true, user_id: true, present: true }),
  management_review_decision: columns<DB['management_review_decision']>()({
    id: true,
    review_id: true,
    scope_id: true,
    position: true,
    kind: true,
    title: true,
    description: true,
    owner_id: true,
    due_on: true,
    record_type: true,
    record_id: true,
    record_ref: true,
    created_by: true,
    created_at: true,
  }),
};
