import type { Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import type { Permission } from '../../../server/src/auth/roles.ts';
import { assetsWeb } from './assets/routes.tsx';
import { auditWeb } from './audit/routes.tsx';
import { auditsWeb } from './audits/routes.tsx';
import { catalogsWeb } from './catalogs/routes.tsx';
import { changesWeb } from './changes/routes.tsx';
import { cockpitWeb } from './cockpit/routes.tsx';
import { controlsWeb } from './controls/routes.tsx';
import { improvementWeb } from './improvement/routes.tsx';
import { incidentsWeb } from './incidents/routes.tsx';
import { measuresWeb } from './measures/routes.tsx';
import { myIsmsWeb } from './my-isms/routes.tsx';
import { policiesWeb } from './policies/routes.tsx';
import { processesWeb } from './processes/routes.tsx';
import { recordsWeb } from './records/routes.tsx';
import { reviewsWeb } from './reviews/routes.tsx';
import { risksWeb } from './risks/routes.tsx';
import { scopesWeb } from './scopes/routes.tsx';
import { soaWeb } from './soa/routes.tsx';
import { trainingWeb } from './training/routes.tsx';
import { workWeb } from './work/routes.tsx';

/** Where a section sits in the navigation: the overview, the PDCA phase its process belongs to, or administration. */
export const navGroups = ['overview', 'plan', 'do', 'check', 'act', 'admin'] as const;
export type NavGroup = (typeof navGroups)[number];

/** A page of a scope (`/s/:scopeId/<path>`), shown to roles with the permission; `what` names it in the no-access note. */
export interface ScopeRoute {
  path: string;
  permission: Permission;
  /** key under `nav:noAccess` */
  what: string;
  page: ComponentType;
}

/** What a feature area adds to the web client: its entries in the scope navigation (labels under `nav:section`) and its pages. */
export interface WebModule {
  sections?: { section: string; group: NavGroup; icon: Icon; permission: Permission }[];
  routes: ScopeRoute[];
}

/**
 * Every feature area of the web client, in navigation order. The navigation and the router read this list; the server's
 * module registry test checks that every section a process module declares is drawn here. Pages load when first opened.
 */
export const webModules: readonly WebModule[] = [
  cockpitWeb,
  assetsWeb,
  processesWeb,
  risksWeb,
  controlsWeb,
  catalogsWeb,
  soaWeb,
  policiesWeb,
  recordsWeb,
  trainingWeb,
  workWeb,
  incidentsWeb,
  changesWeb,
  improvementWeb,
  measuresWeb,
  auditsWeb,
  reviewsWeb,
  auditWeb,
  scopesWeb,
  myIsmsWeb,
];

export const navSections = webModules.flatMap((m) => m.sections ?? []);
export const scopeRoutes = webModules.flatMap((m) => m.routes);
