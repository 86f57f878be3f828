import { lazy } from 'react';
import { IconShieldExclamation } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const RiskListPage = lazy(() => import('./RiskListPage.tsx').then((m) => ({ default: m.RiskListPage })));
const RiskHeatmapPage = lazy(() => import('./RiskHeatmapPage.tsx').then((m) => ({ default: m.RiskHeatmapPage })));
const ThreatsPage = lazy(() => import('./ThreatsPage.tsx').then((m) => ({ default: m.ThreatsPage })));
const RiskMethodPage = lazy(() => import('./RiskMethodPage.tsx').then((m) => ({ default: m.RiskMethodPage })));
const RiskFormPage = lazy(() => import('./RiskFormPage.tsx').then((m) => ({ default: m.RiskFormPage })));
const RiskDetailPage = lazy(() => import('./RiskDetailPage.tsx').then((m) => ({ default: m.RiskDetailPage })));

export const web: WebModule = {
  order: 40,
  ns: 'risks',
  sections: [{ section: 'risks', group: 'plan', icon: IconShieldExclamation, permission: 'risk:read' }],
  routes: [
    { path: 'risks', permission: 'risk:read', what: 'the-risk-register', page: RiskListPage },
    { path: 'risks/heatmap', permission: 'risk:read', what: 'the-risk-register', page: RiskHeatmapPage },
    { path: 'risks/threats', permission: 'risk:read', what: 'the-threat-catalog', page: ThreatsPage },
    { path: 'risks/method', permission: 'risk:read', what: 'the-risk-method', page: RiskMethodPage },
    { path: 'risks/new', permission: 'risk:write', what: 'editing-risks', page: RiskFormPage },
    { path: 'risks/:id', permission: 'risk:read', what: 'the-risk-register', page: RiskDetailPage },
    { path: 'risks/:id/edit', permission: 'risk:write', what: 'editing-risks', page: RiskFormPage },
  ],
};
