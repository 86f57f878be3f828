import { lazy } from 'react';
import { IconFileCheck, IconShieldCheck } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const ControlListPage = lazy(() => import('./ControlListPage.tsx').then((m) => ({ default: m.ControlListPage })));
const ControlFormPage = lazy(() => import('./ControlFormPage.tsx').then((m) => ({ default: m.ControlFormPage })));
const ControlDetailPage = lazy(() => import('./ControlDetailPage.tsx').then((m) => ({ default: m.ControlDetailPage })));
const EvidencePage = lazy(() => import('./EvidencePage.tsx').then((m) => ({ default: m.EvidencePage })));

export const web: WebModule = {
  order: 50,
  ns: 'controls',
  sections: [
    { section: 'controls', group: 'do', icon: IconShieldCheck, permission: 'control:read' },
    { section: 'evidence', group: 'do', icon: IconFileCheck, permission: 'evidence:read' },
  ],
  routes: [
    { path: 'controls', permission: 'control:read', what: 'the-control-library', page: ControlListPage },
    { path: 'controls/new', permission: 'control:write', what: 'editing-controls', page: ControlFormPage },
    { path: 'controls/:id', permission: 'control:read', what: 'the-control-library', page: ControlDetailPage },
    { path: 'controls/:id/edit', permission: 'control:write', what: 'editing-controls', page: ControlFormPage },
    { path: 'evidence', permission: 'evidence:read', what: 'the-evidence-register', page: EvidencePage },
  ],
};
