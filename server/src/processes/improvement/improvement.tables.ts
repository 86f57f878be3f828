import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { findingSeverities } from './improvement.schemas.ts';
import type { findingKinds, findingStatuses, opportunityStatuses } from './improvement.schemas.ts';

/**
 * The tables improvement owns. Their types merge into the database type `DB`; `improvementTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    nonconformity: NonconformityTable;
    corrective_action: CorrectiveActionTable;
    improvement_opportunity: ImprovementOpportunityTable;
  }
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
  /** small profile: why the root cause could not be determined (null: not recorded) */
  root_cause_not_determined: string | null;
  effectiveness_due_on: string | null;
  /** the effectiveness check's result in English (search, older readers); the reader's words come from its key */
  effectiveness_result: string | null;
  /** its text key (`improvement:effectiveness.effective` / `.notEffective`), null for a text of an older form (migration 0032) */
  effectiveness_result_key: string | null;
  /** the key's parameters as JSON: the checker's note */
  effectiveness_result_params: string | null;
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

export const improvementTables = {
  nonconformity: columns<DB['nonconformity']>()({
    id: true,
    scope_id: true,
    reference: true,
    kind: true,
    title: true,
    description: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    requirement: true,
    severity: true,
    status: true,
    owner_id: true,
    immediate_correction: true,
    root_cause: true,
    root_cause_not_determined: true,
    effectiveness_due_on: true,
    effectiveness_result: true,
    effectiveness_result_key: true,
    effectiveness_result_params: true,
    effectiveness_checked_at: true,
    closed_at: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  corrective_action: columns<DB['corrective_action']>()({ id: true, nonconformity_id: true, task_id: true, created_at: true }),
  improvement_opportunity: columns<DB['improvement_opportunity']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    benefit: true,
    status: true,
    owner_id: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
};
