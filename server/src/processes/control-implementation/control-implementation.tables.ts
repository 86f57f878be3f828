import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { ControlEffectiveness, ControlStatus } from './control.schemas.ts';

/**
 * The tables control implementation (with evidence) owns. Their types merge into the database type `DB`; `controlImplementationTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    control: ControlTable;
    control_requirement: ControlRequirementTable;
    control_risk: ControlRiskTable;
    evidence: EvidenceTable;
    evidence_control: EvidenceControlTable;
  }
}

export interface ControlTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  owner_id: string | null;
  status: ControlStatus;
  effectiveness: ControlEffectiveness;
  /** numeric on PostgreSQL comes back as a string from pg; repositories convert with Number() */
  cost_estimate: number | string | null;
  due_on: string | null;
  implemented_on: string | null;
  /** when the control is next verified (the cadences sweep creates the task ahead of it); null: not scheduled */
  next_verification_on: string | null;
  /** the day its last verification was completed */
  last_verified_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ControlRequirementTable {
  control_id: string;
  requirement_id: string;
}

export interface ControlRiskTable {
  control_id: string;
  risk_id: string;
}

export interface EvidenceTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  sha256: string | null;
  file_name: string | null;
  media_type: string | null;
  size: number | null;
  url: string | null;
  evidence_date: string;
  valid_until: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface EvidenceControlTable {
  evidence_id: string;
  control_id: string;
}

export const controlImplementationTables = {
  control: columns<DB['control']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    owner_id: true,
    status: true,
    effectiveness: true,
    cost_estimate: true,
    due_on: true,
    implemented_on: true,
    next_verification_on: true,
    last_verified_on: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  control_requirement: columns<DB['control_requirement']>()({ control_id: true, requirement_id: true }),
  control_risk: columns<DB['control_risk']>()({ control_id: true, risk_id: true }),
  evidence: columns<DB['evidence']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    kind: true,
    sha256: true,
    file_name: true,
    media_type: true,
    size: true,
    url: true,
    evidence_date: true,
    valid_until: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  evidence_control: columns<DB['evidence_control']>()({ evidence_id: true, control_id: true }),
};
