export type { CreateControlInput } from './control.schemas.ts';
export { createControl, createControlTx } from './control.service.ts';
export { createLinkEvidence } from './evidence.service.ts';
// the spreadsheet import (praxis import controls)
export { controlImport, importControls } from './control.import.ts';

import type { Executor } from '../../db/database.ts';

/** For management review (resources and costs): the cost estimate of the scope's controls that apply. One statement. */
export async function sumControlCosts(db: Executor, scopeId: string): Promise<number> {
  const row = await db
    .selectFrom('control')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost_estimate'), eb.lit(0)).as('cost'))
    .where('scope_id', '=', scopeId)
    .where('status', '!=', 'not_applicable')
    .executeTakeFirst();
  return Number(row?.cost ?? 0);
}

/** Controls of the scope that implement the given catalog requirements, with their owners (internal audit reads them). */
export async function findControlsOfRequirements(db: Executor, scopeId: string, requirementIds: readonly string[]) {
  if (requirementIds.length === 0) return [];
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .leftJoin('app_user as u', 'u.id', 'c.owner_id')
    .select(['cr.requirement_id', 'c.id', 'c.reference', 'c.title', 'c.owner_id', 'u.name as owner_name'])
    .where('c.scope_id', '=', scopeId)
    .where('cr.requirement_id', 'in', [...requirementIds])
    .orderBy('c.reference')
    .execute();
}

/** The evidence of the given controls, newest first: what an auditor samples. */
export async function findEvidenceOfControls(db: Executor, scopeId: string, controlIds: readonly string[]) {
  if (controlIds.length === 0) return [];
  return db
    .selectFrom('evidence_control as ec')
    .innerJoin('evidence as e', 'e.id', 'ec.evidence_id')
    .select(['ec.control_id', 'e.id', 'e.reference', 'e.title', 'e.evidence_date', 'e.valid_until'])
    .where('e.scope_id', '=', scopeId)
    .where('ec.control_id', 'in', [...controlIds])
    .orderBy('e.evidence_date', 'desc')
    .execute();
}

/** Evidence of the scope by id (an auditor's sampled evidence). */
export async function findEvidenceByIds(db: Executor, scopeId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('evidence')
    .select(['id', 'reference', 'title'])
    .where('scope_id', '=', scopeId)
    .where('id', 'in', [...ids])
    .execute();
}

/** The current risk levels of the risks linked to the controls of each requirement (internal audit's frequency rule). */
export async function findRiskLevelsOfRequirements(db: Executor, scopeId: string) {
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .innerJoin('control_risk as k', 'k.control_id', 'c.id')
    .innerJoin('risk as r', 'r.id', 'k.risk_id')
    .select(['cr.requirement_id', 'r.current_level'])
    .distinct()
    .where('c.scope_id', '=', scopeId)
    .where('r.current_level', 'is not', null)
    .execute();
}

import { catalogRoutes } from '../../catalogs/catalog.routes.ts';
import { sql } from 'kysely';
import { defineModule } from '../../engine/module.ts';
import { permissions } from './control-implementation.permissions.ts';
import { controlImplementationTables } from './control-implementation.tables.ts';
import { controlImplementationReadinessChecks } from './control-implementation.readiness.ts';
import { controlVerificationSource } from './control-verification.source.ts';
import { controlImplementationHandoffs } from './control-implementation.handoffs.ts';
import { controlRoutes } from './control.routes.ts';
import { controlImportRoutes } from './control.import.routes.ts';
import { evidenceRoutes } from './evidence.routes.ts';

/** Control implementation (ISO 27001 8.1): the control library, the catalogs it maps to, and evidence. */
export const controlImplementationModule = defineModule({
  key: 'control-implementation',
  process: 'control-implementation',
  tables: controlImplementationTables,
  routes: [catalogRoutes, controlRoutes, controlImportRoutes, evidenceRoutes],
  tags: [
    { name: 'catalogs', description: 'Control catalogs: the built-in ISO/IEC 27001 Annex A and imported OSCAL catalogs' },
    { name: 'controls', description: 'The control library of a scope' },
    { name: 'evidence', description: 'Evidence files and links for controls' },
  ],
  permissions,
  emits: [],
  receives: controlImplementationHandoffs,
  readiness: controlImplementationReadinessChecks,
  cadences: [controlVerificationSource],
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
