import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { assetTypes, lifecycleStatuses } from './asset.schemas.ts';

/**
 * The tables asset management owns. Their types merge into the database type `DB`; `assetManagementTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    asset: AssetTable;
    asset_tag: AssetTagTable;
    asset_dependency: AssetDependencyTable;
    import_mapping: ImportMappingTable;
  }
}

export interface AssetTable {
  id: string;
  scope_id: string;
  reference: string;
  name: string;
  type: (typeof assetTypes)[number];
  owner_id: string | null;
  description: string;
  lifecycle_status: (typeof lifecycleStatuses)[number];
  confidentiality: string;
  integrity: string;
  availability: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AssetTagTable {
  asset_id: string;
  tag: string;
}

export interface AssetDependencyTable {
  asset_id: string;
  depends_on_id: string;
}

/** The column mapping a scope last imported a spreadsheet with, per kind of import (migration 0027). */
export interface ImportMappingTable {
  scope_id: string;
  /** 'assets' (risks and controls will share the table) */
  kind: string;
  /** JSON: source column header → field */
  mapping: string;
  updated_by: string | null;
  updated_at: string;
}

export const assetManagementTables = {
  asset: columns<DB['asset']>()({
    id: true,
    scope_id: true,
    reference: true,
    name: true,
    type: true,
    owner_id: true,
    description: true,
    lifecycle_status: true,
    confidentiality: true,
    integrity: true,
    availability: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  asset_tag: columns<DB['asset_tag']>()({ asset_id: true, tag: true }),
  asset_dependency: columns<DB['asset_dependency']>()({ asset_id: true, depends_on_id: true }),
  import_mapping: columns<DB['import_mapping']>()({ scope_id: true, kind: true, mapping: true, updated_by: true, updated_at: true }),
};
