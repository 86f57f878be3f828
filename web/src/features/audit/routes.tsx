import { lazy } from 'react';
import { IconHistory } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const AuditLogPage = lazy(() => import('./AuditLogPage.tsx').then((m) => ({ default: m.AuditLogPage })));

export const web: WebModule = {
  order: 180,
  ns: 'audit',
  sections: [{ section: 'audit', group: 'admin', icon: IconHistory, permission: 'audit:read' }],
  routes: [{ path: 'audit', permission: 'audit:read', what: 'the-audit-log', page: AuditLogPage }],
};
