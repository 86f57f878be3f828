import { lazy } from 'react';
import { IconGitPullRequest } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const ChangeListPage = lazy(() => import('./ChangeListPage.tsx').then((m) => ({ default: m.ChangeListPage })));
const ChangeDetailPage = lazy(() => import('./ChangeDetailPage.tsx').then((m) => ({ default: m.ChangeDetailPage })));

export const web: WebModule = {
  order: 130,
  ns: 'changes',
  sections: [{ section: 'changes', group: 'act', icon: IconGitPullRequest, permission: 'change:read' }],
  routes: [
    { path: 'changes', permission: 'change:read', what: 'isms-changes', page: ChangeListPage },
    { path: 'changes/:id', permission: 'change:read', what: 'isms-changes', page: ChangeDetailPage },
  ],
};
