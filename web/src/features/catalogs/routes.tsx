import { lazy } from 'react';
import { IconBooks } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const CatalogListPage = lazy(() => import('./CatalogListPage.tsx').then((m) => ({ default: m.CatalogListPage })));
const CatalogPage = lazy(() => import('./CatalogPage.tsx').then((m) => ({ default: m.CatalogPage })));

export const web: WebModule = {
  order: 60,
  ns: 'catalogs',
  sections: [{ section: 'catalogs', group: 'do', icon: IconBooks, permission: 'catalog:read' }],
  routes: [
    { path: 'catalogs', permission: 'catalog:read', what: 'the-catalogs', page: CatalogListPage },
    { path: 'catalogs/:id', permission: 'catalog:read', what: 'the-catalogs', page: CatalogPage },
  ],
};
