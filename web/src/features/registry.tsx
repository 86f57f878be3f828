import type { Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import type { Permission } from '../../../server/src/auth/roles.ts';

/** Where a section sits in the navigation: the overview, the PDCA phase its process belongs to, or administration. */
export const navGroups = ['overview', 'plan', 'do', 'check', 'act', 'admin'] as const;
export type NavGroup = (typeof navGroups)[number];

/** A page of a scope (`/s/:scopeId/<path>`), shown to roles with the permission; `what` names it in the no-access note. */
export interface ScopeRoute {
  path: string;
  permission: Permission;
  /** key under `<ns>:navigation.noAccess` of its area */
  what: string;
  page: ComponentType;
}

/**
 * What a feature area adds to the web client: its entries in the scope navigation and its pages. Its labels are in its
 * own i18n namespace `ns`: `navigation.section.<section>` names a navigation entry, `navigation.noAccess.<what>` a page in the note
 * shown to a role without access.
 */
export interface WebModule {
  /** its place in the navigation (and the router): ascending */
  order: number;
  ns: string;
  sections?: { section: string; group: NavGroup; icon: Icon; permission: Permission }[];
  routes: ScopeRoute[];
}

/**
 * Every feature area of the web client: each `features/<area>/routes.tsx` exports its `web` module, found here by Vite,
 * so that a new area is its folder and nothing else. The navigation and the router read this list; the server's module
 * registry test checks that every section a process module declares is drawn. Pages load when first opened.
 */
const areas = import.meta.glob<WebModule>('./*/routes.tsx', { eager: true, import: 'web' });
export const webModules: readonly WebModule[] = Object.values(areas).sort((a, b) => a.order - b.order);

export const navSections = webModules.flatMap((m) => (m.sections ?? []).map((s) => ({ ...s, ns: m.ns })));
export const scopeRoutes = webModules.flatMap((m) => m.routes.map((r) => ({ ...r, ns: m.ns })));
