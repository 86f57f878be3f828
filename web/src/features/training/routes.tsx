import { lazy } from 'react';
import { IconChartBar, IconSchool } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const TrainingPage = lazy(() => import('./TrainingPage.tsx').then((m) => ({ default: m.TrainingPage })));
const CourseDetailPage = lazy(() => import('./CourseDetailPage.tsx').then((m) => ({ default: m.CourseDetailPage })));
const AwarenessDashboardPage = lazy(() => import('./AwarenessDashboardPage.tsx').then((m) => ({ default: m.AwarenessDashboardPage })));

export const web: WebModule = {
  order: 100,
  ns: 'training',
  sections: [
    { section: 'training', group: 'do', icon: IconSchool, permission: 'training:read' },
    { section: 'awareness', group: 'do', icon: IconChartBar, permission: 'awareness:report' },
  ],
  routes: [
    { path: 'training', permission: 'training:read', what: 'training-and-competence', page: TrainingPage },
    { path: 'training/courses/:id', permission: 'training:read', what: 'training-and-competence', page: CourseDetailPage },
    { path: 'awareness', permission: 'awareness:report', what: 'the-awareness-dashboard', page: AwarenessDashboardPage },
  ],
};
