import type { Executor } from '../../db/database.ts';

/*
 * What the plan of action and milestones (POA&M) reads: the risks under treatment with their plans, the nonconformities
 * not closed with their corrective actions (improvement's tables, read here as internal audit reads them for its
 * checklist), and the scope's Statement of Applicability that the plan refers to.
 */

/**
 * Decided treatments (the plan is being carried out) of risks not closed, with the risk and its owner, and the actions
 * of each plan. Two statements.
 */
export async function findTreatmentsUnderWay(db: Executor, scopeId: string) {
  const treatments = await db
    .selectFrom('risk_treatment as t')
    .innerJoin('risk as r', 'r.id', 't.risk_id')
    .leftJoin('app_user as u', 'u.id', 'r.owner_id')
    .select([
      't.id',
      't.reference',
      't.option',
      't.rationale',
      't.objectives',
      't.decided_at',
      't.updated_at',
      'r.id as risk_id',
      'r.reference as risk_reference',
      'r.title as risk_title',
      'r.description as risk_description',
      'r.status as risk_status',
      'r.current_level',
      'r.target_level',
      'r.owner_id as risk_owner_id',
      'u.name as risk_owner_name',
    ])
    .where('t.scope_id', '=', scopeId)
    .where('t.status', '=', 'decided')
    .where('r.status', '<>', 'closed')
    .orderBy('t.reference')
    .execute();
  const actions = treatments.length
    ? await db
        .selectFrom('treatment_action as a')
        .leftJoin('app_user as u', 'u.id', 'a.owner_id')
        .select(['a.id', 'a.treatment_id', 'a.title', 'a.owner_id', 'u.name as owner_name', 'a.due_on', 'a.status', 'a.cost_estimate'])
        .where(
          'a.treatment_id',
          'in',
          treatments.map((t) => t.id),
        )
        .orderBy('a.treatment_id')
        .orderBy('a.position')
        .execute()
    : [];
  return treatments.map((t) => ({ ...t, actions: actions.filter((a) => a.treatment_id === t.id) }));
}

/** The scope's Statement of Applicability that the POA&M refers to: the one approved most recently, else the newest. */
export async function findScopeSoa(db: Executor, scopeId: string) {
  return db
    .selectFrom('soa')
    .select(['id', 'reference', 'title', 'status', 'approved_number', 'updated_at'])
    .where('scope_id', '=', scopeId)
    .orderBy((eb) => eb.case().when('approved_number', 'is not', null).then(0).else(1).end())
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The scope's nonconformities not closed (observations left out), with their owners, and the corrective actions of
 * each (tasks with assignee, due date and status): what a plan of action and milestones lists. Two statements.
 */
export async function findOpenNonconformities(db: Executor, scopeId: string) {
  const findings = await db
    .selectFrom('nonconformity as n')
    .leftJoin('app_user as u', 'u.id', 'n.owner_id')
    .select([
      'n.id',
      'n.reference',
      'n.title',
      'n.description',
      'n.source',
      'n.source_record_ref',
      'n.requirement',
      'n.severity',
      'n.status',
      'n.owner_id',
      'u.name as owner_name',
      'n.root_cause',
      'n.immediate_correction',
      'n.effectiveness_due_on',
      'n.created_at',
      'n.updated_at',
    ])
    .where('n.scope_id', '=', scopeId)
    .where('n.kind', '=', 'nonconformity')
    .where('n.status', '<>', 'closed')
    .orderBy('n.reference')
    .execute();
  const actions = findings.length
    ? await db
        .selectFrom('corrective_action as ca')
        .innerJoin('task as t', 't.id', 'ca.task_id')
        .leftJoin('app_user as u', 'u.id', 't.assignee_id')
        .select([
          'ca.nonconformity_id',
          't.id',
          't.reference',
          't.title',
          't.status',
          't.due_on',
          't.assignee_id',
          'u.name as assignee_name',
          't.completed_at',
        ])
        .where(
          'ca.nonconformity_id',
          'in',
          findings.map((f) => f.id),
        )
        .orderBy('t.reference')
        .execute()
    : [];
  return findings.map((f) => ({ ...f, actions: actions.filter((a) => a.nonconformity_id === f.id) }));
}
