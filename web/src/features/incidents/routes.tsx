import { lazy } from 'react';
import { IconAlertOctagon } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const IncidentListPage = lazy(() => import('./IncidentListPage.tsx').then((m) => ({ default: m.IncidentListPage })));
const IncidentDetailPage = lazy(() => import('./IncidentDetailPage.tsx').then((m) => ({ default: m.IncidentDetailPage })));

export const web: WebModule = {
  order: 120,
  ns: 'incidents',
  sections: [{ section: 'incidents', group: 'do', icon: IconAlertOctagon, permission: 'incident:report' }],
  routes: [
    { path: 'incidents', permission: 'incident:report', what: 'incident-reports', page: IncidentListPage },
    { path: 'incidents/:id', permission: 'incident:report', what: 'incident-reports', page: IncidentDetailPage },
  ],
};
