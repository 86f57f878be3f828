import { assetImportFields } from '../../../../server/src/processes/asset-management/asset.import.schemas.ts';
import { ImportWizard } from '../../app/ImportWizard.tsx';

/** "Import from spreadsheet" for the asset register: the shared wizard with the asset import's fields. */
export function AssetImportModal({ scopeId, opened, onClose }: { scopeId: string; opened: boolean; onClose: () => void }) {
  return (
    <ImportWizard
      scopeId={scopeId}
      kind="assets"
      fields={assetImportFields}
      namespace="assets"
      invalidate={['assets', scopeId]}
      testId="asset"
      opened={opened}
      onClose={onClose}
    />
  );
}
