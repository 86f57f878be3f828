import { lazy } from 'react';
import { IconSettings } from '@tabler/icons-react';
import type { WebModule } from '../registry.tsx';

const ScopeSettingsPage = lazy(() => import('./ScopeSettingsPage.tsx').then((m) => ({ default: m.ScopeSettingsPage })));

export const web: WebModule = {
  order: 190,
  ns: 'scopes',
  sections: [{ section: 'settings', group: 'admin', icon: IconSettings, permission: 'scope:manage' }],
  routes: [{ path: 'settings', permission: 'scope:manage', what: 'the-scope-settings', page: ScopeSettingsPage }],
};
