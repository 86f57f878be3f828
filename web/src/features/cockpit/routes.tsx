import { lazy } from 'react';
import { IconGauge } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const CockpitPage = lazy(() => import('./CockpitPage.tsx').then((m) => ({ default: m.CockpitPage })));

export const web: WebModule = {
  order: 10,
  ns: 'cockpit',
  sections: [{ section: 'cockpit', group: 'overview', icon: IconGauge, permission: 'process:read' }],
  routes: [{ path: 'cockpit', permission: 'process:read', what: 'the-cockpit', page: CockpitPage }],
};
