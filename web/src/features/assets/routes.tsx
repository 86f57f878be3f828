import { lazy } from 'react';
import { IconBox } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const AssetListPage = lazy(() => import('./AssetListPage.tsx').then((m) => ({ default: m.AssetListPage })));
const AssetFormPage = lazy(() => import('./AssetFormPage.tsx').then((m) => ({ default: m.AssetFormPage })));
const AssetDetailPage = lazy(() => import('./AssetDetailPage.tsx').then((m) => ({ default: m.AssetDetailPage })));

export const web: WebModule = {
  order: 20,
  ns: 'assets',
  sections: [{ section: 'assets', group: 'plan', icon: IconBox, permission: 'asset:read' }],
  routes: [
    { path: 'assets', permission: 'asset:read', what: 'the-asset-register', page: AssetListPage },
    { path: 'assets/new', permission: 'asset:write', what: 'editing-assets', page: AssetFormPage },
    { path: 'assets/:id', permission: 'asset:read', what: 'the-asset-register', page: AssetDetailPage },
    { path: 'assets/:id/edit', permission: 'asset:write', what: 'editing-assets', page: AssetFormPage },
  ],
};
