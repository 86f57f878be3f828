export type { CreateControlInput } from './control.schemas.ts';
export { createControl, createControlTx } from './control.service.ts';
export { createLinkEvidence } from './evidence.service.ts';

import { catalogRoutes } from '../../catalogs/catalog.routes.ts';
import { defineModule } from '../../engine/module.ts';
import { controlImplementationHandoffs } from './control-implementation.handoffs.ts';
import { controlRoutes } from './control.routes.ts';
import { evidenceRoutes } from './evidence.routes.ts';

/** Control implementation (ISO 27001 8.1): the control library, the catalogs it maps to, and evidence. */
export const controlImplementationModule = defineModule({
  key: 'control-implementation',
  process: 'control-implementation',
  routes: [catalogRoutes, controlRoutes, evidenceRoutes],
  tags: [
    { name: 'catalogs', description: 'Control catalogs: the built-in ISO/IEC 27001 Annex A and imported OSCAL catalogs' },
    { name: 'controls', description: 'The control library of a scope' },
    { name: 'evidence', description: 'Evidence files and links for controls' },
  ],
  permissions: ['catalog:read', 'catalog:import', 'control:read', 'control:write', 'control:delete', 'evidence:read', 'evidence:write'],
  emits: [],
  receives: controlImplementationHandoffs,
  nav: [
    { section: 'controls', permission: 'control:read' },
    { section: 'catalogs', permission: 'catalog:read' },
    { section: 'evidence', permission: 'evidence:read' },
  ],
});
