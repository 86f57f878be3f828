import { lazy } from 'react';
import { IconTargetArrow } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const ImprovementPage = lazy(() => import('./ImprovementPage.tsx').then((m) => ({ default: m.ImprovementPage })));
const NonconformityPage = lazy(() => import('./NonconformityPage.tsx').then((m) => ({ default: m.NonconformityPage })));

export const web: WebModule = {
  order: 140,
  ns: 'improvement',
  sections: [{ section: 'improvement', group: 'act', icon: IconTargetArrow, permission: 'improvement:read' }],
  routes: [
    { path: 'improvement', permission: 'improvement:read', what: 'improvement', page: ImprovementPage },
    { path: 'improvement/:id', permission: 'improvement:read', what: 'improvement', page: NonconformityPage },
  ],
};
