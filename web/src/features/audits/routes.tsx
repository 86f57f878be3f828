import { IconClipboardCheck } from '@tabler/icons-react';
import { lazy } from 'react';
import type { WebModule } from '../registry.tsx';

const AuditsPage = lazy(() => import('./AuditsPage.tsx').then((m) => ({ default: m.AuditsPage })));
const AuditDetailPage = lazy(() => import('./AuditDetailPage.tsx').then((m) => ({ default: m.AuditDetailPage })));

export const web: WebModule = {
  order: 160,
  ns: 'audits',
  sections: [{ section: 'audits', group: 'check', icon: IconClipboardCheck, permission: 'audit-programme:read' }],
  routes: [
    { path: 'audits', permission: 'audit-programme:read', what: 'the-audit-programme', page: AuditsPage },
    { path: 'audits/:id', permission: 'audit-programme:read', what: 'the-audit-programme', page: AuditDetailPage },
  ],
};
