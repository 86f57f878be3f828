import { lazy } from 'react';
import { IconFileText } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const PolicyListPage = lazy(() => import('./PolicyListPage.tsx').then((m) => ({ default: m.PolicyListPage })));
const PolicyFormPage = lazy(() => import('./PolicyFormPage.tsx').then((m) => ({ default: m.PolicyFormPage })));
const PolicyDetailPage = lazy(() => import('./PolicyDetailPage.tsx').then((m) => ({ default: m.PolicyDetailPage })));

export const web: WebModule = {
  order: 80,
  ns: 'policies',
  sections: [{ section: 'policies', group: 'plan', icon: IconFileText, permission: 'document:read' }],
  routes: [
    { path: 'policies', permission: 'document:read', what: 'the-policies', page: PolicyListPage },
    { path: 'policies/new', permission: 'document:write', what: 'writing-policies', page: PolicyFormPage },
    { path: 'policies/:id', permission: 'document:read', what: 'the-policies', page: PolicyDetailPage },
    { path: 'policies/:id/edit', permission: 'document:write', what: 'writing-policies', page: PolicyFormPage },
  ],
};
