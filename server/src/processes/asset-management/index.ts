import { defineModule } from '../../engine/module.ts';
import { permissions } from './asset-management.permissions.ts';
import { assetManagementTables } from './asset-management.tables.ts';
import { assetImportRoutes } from './asset.import.routes.ts';
import { assetRoutes } from './asset.routes.ts';

export type { CreateAssetInput } from './asset.schemas.ts';
export { countAssetsInScope } from './asset.repository.ts';
export { createAsset, importAssetsTx, listAssets, type AssetImportWrite } from './asset.service.ts';
export { assetImport, importAssets, guessMapping, parseMapping, ASSET_IMPORT_MAX_BYTES } from './asset.import.ts';

/** The asset register (A.5.9): the inventory that risk assessment starts from, with C/I/A protection needs. */
export const assetManagementModule = defineModule({
  key: 'asset-management',
  process: 'risk-assessment',
  tables: assetManagementTables,
  routes: [assetRoutes, assetImportRoutes],
  tags: [{ name: 'assets', description: 'The asset register: information, systems, services, locations, people, suppliers' }],
  permissions,
  emits: [{ event: 'asset.protection-raised' }],
  nav: [{ section: 'assets', permission: 'asset:read' }],
});
