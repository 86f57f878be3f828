import { lazy } from 'react';
import { IconFileCertificate } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const SoaListPage = lazy(() => import('./SoaListPage.tsx').then((m) => ({ default: m.SoaListPage })));
const SoaPage = lazy(() => import('./SoaPage.tsx').then((m) => ({ default: m.SoaPage })));

export const web: WebModule = {
  order: 70,
  ns: 'soa',
  sections: [{ section: 'soa', group: 'plan', icon: IconFileCertificate, permission: 'soa:read' }],
  routes: [
    { path: 'soa', permission: 'soa:read', what: 'the-statement-of-applicability', page: SoaListPage },
    { path: 'soa/:id', permission: 'soa:read', what: 'the-statement-of-applicability', page: SoaPage },
  ],
};
