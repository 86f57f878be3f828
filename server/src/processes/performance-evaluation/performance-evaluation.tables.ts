import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type * as pe from './measure.schemas.ts';

/**
 * The tables performance evaluation owns. Their types merge into the database type `DB`; `performanceEvaluationTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    measure: MeasureTable;
    measure_version: MeasureVersionTable;
    measure_link: MeasureLinkTable;
    measurement: MeasurementTable;
    measure_analysis: MeasureAnalysisTable;
  }
}

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

export const performanceEvaluationTables = {
  measure: columns<DB['measure']>()({
    id: true,
    scope_id: true,
    reference: true,
    name: true,
    information_need: true,
    object: true,
    attribute: true,
    base_measures: true,
    derived_measure: true,
    formula: true,
    unit: true,
    direction: true,
    target: true,
    breach_at: true,
    collection_frequency: true,
    analysis_frequency: true,
    measured_by: true,
    analysed_by: true,
    reported_by: true,
    source_kind: true,
    live_key: true,
    live_param: true,
    status: true,
    next_due_on: true,
    definition_version: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  measure_version: columns<DB['measure_version']>()({
    measure_id: true,
    definition_version: true,
    formula: true,
    unit: true,
    direction: true,
    target: true,
    breach_at: true,
    created_by: true,
    created_at: true,
  }),
  measure_link: columns<DB['measure_link']>()({ measure_id: true, target_type: true, target_key: true }),
  measurement: columns<DB['measurement']>()({
    id: true,
    scope_id: true,
    measure_id: true,
    definition_version: true,
    value: true,
    status: true,
    measured_at: true,
    source: true,
    comment: true,
    evidence_url: true,
    recorded_by: true,
    created_at: true,
  }),
  measure_analysis: columns<DB['measure_analysis']>()({
    measurement_id: true,
    scope_id: true,
    measure_id: true,
    outcome: true,
    note: true,
    analysed_by: true,
    analysed_at: true,
  }),
};
