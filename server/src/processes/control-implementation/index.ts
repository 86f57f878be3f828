export type { CreateControlInput } from './control.schemas.ts';
export { createControl, createControlTx } from './control.service.ts';
export { createLinkEvidence } from './evidence.service.ts';

import { catalogRoutes } from '../../catalogs/catalog.routes.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
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

/**
 * For performance evaluation (ISO 27001 9.1): the scope's applicable controls, those implemented or verified, and those
 * with evidence valid on `today` (no expiry, or not yet expired). One aggregate statement.
 */
export async function controlFigures(db: Executor, scopeId: string, today: string) {
  const row = await db
    .selectFrom('control as c')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`coalesce(sum(case when c.status in ('implemented', 'verified') then 1 else 0 end), 0)`.as('implemented'),
      sql<number>`coalesce(sum(case when exists (
        select 1 from evidence_control ec inner join evidence e on e.id = ec.evidence_id
        where ec.control_id = c.id and (e.valid_until is null or e.valid_until >= ${today})
      ) then 1 else 0 end), 0)`.as('fresh'),
    ])
    .where('c.scope_id', '=', scopeId)
    .where('c.status', '!=', 'not_applicable')
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), implemented: Number(row?.implemented ?? 0), withValidEvidence: Number(row?.fresh ?? 0) };
}
