import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { RiskStatus, ThreatCategory, warningSeverities } from './risk.schemas.ts';

/**
 * The tables risk assessment owns. Their types merge into the database type `DB`; `riskAssessmentTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    risk_method: RiskMethodTable;
    threat: ThreatTable;
    threat_warning: ThreatWarningTable;
    risk: RiskTable;
    risk_asset: RiskAssetTable;
  }
}

export interface RiskMethodTable {
  id: string;
  scope_id: string;
  version_no: number;
  /** the method as JSON text (risk-method.ts RiskMethod); never changed once written */
  definition: string;
  created_at: string;
  created_by: string | null;
  is_current: boolean | number;
}

export interface ThreatTable {
  id: string;
  /** null for the built-in BSI elementary threats */
  scope_id: string | null;
  code: string;
  title: string;
  category: ThreatCategory;
  source: string;
  description: string;
  created_at: string;
}

export interface ThreatWarningTable {
  id: string;
  scope_id: string;
  threat_id: string | null;
  title: string;
  source: string;
  received_on: string;
  description: string;
  severity: (typeof warningSeverities)[number];
  created_by: string | null;
  created_at: string;
}

export interface RiskTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  threat_id: string | null;
  vulnerability: string;
  consequences_c: boolean | number;
  consequences_i: boolean | number;
  consequences_a: boolean | number;
  owner_id: string | null;
  status: RiskStatus;
  inherent_likelihood: number | null;
  inherent_impact: number | null;
  inherent_level: string | null;
  current_likelihood: number | null;
  current_impact: number | null;
  current_level: string | null;
  target_likelihood: number | null;
  target_impact: number | null;
  target_level: string | null;
  method_id: string | null;
  assessed_at: string | null;
  next_review_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** the list's sort keys (0025, risk-rank.ts): kept in step with the levels on every write */
  priority_rank: number;
  current_rank: number;
  inherent_rank: number;
}

export interface RiskAssetTable {
  risk_id: string;
  asset_id: string;
}

export const riskAssessmentTables = {
  risk_method: columns<DB['risk_method']>()({
    id: true,
    scope_id: true,
    version_no: true,
    definition: true,
    created_at: true,
    created_by: true,
    is_current: true,
  }),
  threat: columns<DB['threat']>()({
    id: true,
    scope_id: true,
    code: true,
    title: true,
    category: true,
    source: true,
    description: true,
    created_at: true,
  }),
  threat_warning: columns<DB['threat_warning']>()({
    id: true,
    scope_id: true,
    threat_id: true,
    title: true,
    source: true,
    received_on: true,
    description: true,
    severity: true,
    created_by: true,
    created_at: true,
  }),
  risk: columns<DB['risk']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    threat_id: true,
    vulnerability: true,
    consequences_c: true,
    consequences_i: true,
    consequences_a: true,
    owner_id: true,
    status: true,
    inherent_likelihood: true,
    inherent_impact: true,
    inherent_level: true,
    current_likelihood: true,
    current_impact: true,
    current_level: true,
    target_likelihood: true,
    target_impact: true,
    target_level: true,
    method_id: true,
    assessed_at: true,
    next_review_on: true,
    created_at: true,
    updated_at: true,
    version: true,
    priority_rank: true,
    current_rank: true,
    inherent_rank: true,
  }),
  risk_asset: columns<DB['risk_asset']>()({ risk_id: true, asset_id: true }),
};
