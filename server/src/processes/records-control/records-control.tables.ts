import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { recordStatuses } from './record.schemas.ts';

/**
 * The tables records control owns. Their types merge into the database type `DB`; `recordsControlTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    controlled_record: ControlledRecordTable;
  }
}

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

export const recordsControlTables = {
  controlled_record: columns<DB['controlled_record']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    owner_id: true,
    process_key: true,
    classification: true,
    storage: true,
    linked_record_type: true,
    linked_record_id: true,
    location: true,
    retention_months: true,
    retention_start_on: true,
    legal_hold: true,
    legal_hold_reason: true,
    status: true,
    disposed_at: true,
    disposed_by: true,
    disposal_rule: true,
    disposal_task_id: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
};
