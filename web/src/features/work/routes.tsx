import { lazy } from 'react';
import { IconChecklist } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const TasksPage = lazy(() => import('./TasksPage.tsx').then((m) => ({ default: m.TasksPage })));

export const web: WebModule = {
  order: 110,
  ns: 'work',
  sections: [{ section: 'tasks', group: 'overview', icon: IconChecklist, permission: 'task:read' }],
  routes: [{ path: 'tasks', permission: 'task:read', what: 'the-task-list-of-the-scope', page: TasksPage }],
};
