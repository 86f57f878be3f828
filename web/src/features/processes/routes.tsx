import { lazy } from 'react';
import { IconSitemap } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const ProcessMapPage = lazy(() => import('./ProcessMapPage.tsx').then((m) => ({ default: m.ProcessMapPage })));

export const web: WebModule = {
  order: 30,
  ns: 'processes',
  sections: [{ section: 'processes', group: 'overview', icon: IconSitemap, permission: 'process:read' }],
  routes: [{ path: 'processes', permission: 'process:read', what: 'the-process-map', page: ProcessMapPage }],
};
