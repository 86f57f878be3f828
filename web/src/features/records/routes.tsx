import { lazy } from 'react';
import { IconArchive } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const RecordsPage = lazy(() => import('./RecordsPage.tsx').then((m) => ({ default: m.RecordsPage })));

export const web: WebModule = {
  order: 90,
  ns: 'records',
  sections: [{ section: 'records', group: 'do', icon: IconArchive, permission: 'record:read' }],
  routes: [{ path: 'records', permission: 'record:read', what: 'the-records-register', page: RecordsPage }],
};
