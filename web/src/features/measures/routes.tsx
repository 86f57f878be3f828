import { IconChartLine } from '@tabler/icons-react';
import { lazy } from 'react';
import type { WebModule } from '../registry.tsx';

const MeasuresPage = lazy(() => import('./MeasuresPage.tsx').then((m) => ({ default: m.MeasuresPage })));
const MeasureDetailPage = lazy(() => import('./MeasureDetailPage.tsx').then((m) => ({ default: m.MeasureDetailPage })));
const MeasureFormPage = lazy(() => import('./MeasureFormPage.tsx').then((m) => ({ default: m.MeasureFormPage })));

/** Performance evaluation (ISO 27001 9.1): the measures dashboard, a measure with its trend, the measure form. */
export const web: WebModule = {
  order: 150,
  ns: 'measures',
  sections: [{ section: 'measures', group: 'check', icon: IconChartLine, permission: 'measure:read' }],
  routes: [
    { path: 'measures', permission: 'measure:read', what: 'the-measures', page: MeasuresPage },
    { path: 'measures/new', permission: 'measure:manage', what: 'defining-measures', page: MeasureFormPage },
    { path: 'measures/:id', permission: 'measure:read', what: 'the-measures', page: MeasureDetailPage },
    { path: 'measures/:id/edit', permission: 'measure:manage', what: 'defining-measures', page: MeasureFormPage },
  ],
};
