import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { VersionedTable } from '../../db/versioned.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid, notFound, versionConflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { changeVersionedRecord } from '../../shared/versioned-record.ts';
import { addMonths } from '../records-control/index.ts';
import { competenceGap } from './competence-rules.ts';
import type { CompetenceResponse, GapResponse, JobRoleResponse, PersonCompetenceResponse, PersonResponse } from './competence.schemas.ts';
import * as repo from './competence.repository.ts';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

/** The shared versioned-change helper names records by `reference`; these records are named by their name. */
type Named<T> = { reference: string; version: number; record: T };
function versioned<T extends { version: number }, Tbl extends VersionedTable>(
  deps: Deps,
  actor: Actor,
  kind: {
    table: Tbl;
    recordType: string;
    label: string;
    name(r: T): string;
    load(db: Executor, scopeId: string, id: string): Promise<T | null>;
    auditable(r: T): Record<string, unknown>;
  },
  target: { scopeId: string; id: string; version: number },
  change: Parameters<typeof changeVersionedRecord<Named<T>, Tbl>>[4],
): Promise<T> {
  return changeVersionedRecord<Named<T>, Tbl>(
    deps,
    actor,
    {
      table: kind.table,
      recordType: kind.recordType,
      label: kind.label,
      load: async (db, scopeId, id) => {
        const r = await kind.load(db, scopeId, id);
        return r ? { reference: kind.name(r), version: r.version, record: r } : null;
      },
      auditable: (n) => kind.auditable(n.record),
    },
    target,
    change,
  ).then((n) => n.record);
}

/** A competence or job role is named uniquely in its scope. */
async function refuseTakenName(db: Executor, table: repo.NamedTable, scopeId: string, name: string) {
  if (await repo.findNamedByName(db, table, scopeId, name))
    throw new AppError(
      'duplicate',
      errorText(table === 'competence' ? 'competence.competenceExists' : 'competence.jobRoleExists', { name }),
      {
        field: 'body.name',
      },
    );
}

async function audit(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  recordType: string,
  recordId: string,
  ref: string,
  after: Record<string, unknown>,
) {
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType,
    recordId,
    recordRef: ref,
    changes: diffChanges(null, after),
  });
}

// ---- competences ----

const presentCompetence = (r: {
  id: string;
  scope_id: string;
  name: string;
  description: string;
  validity_months: number | null;
  version: number;
}): CompetenceResponse => ({
  id: r.id,
  scopeId: r.scope_id,
  name: r.name,
  description: r.description,
  validityMonths: r.validity_months,
  version: r.version,
});
const competenceAuditable = (c: CompetenceResponse) => ({ name: c.name, description: c.description, validityMonths: c.validityMonths });

export async function listCompetences(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; q?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:read');
  const { rows, ...count } = await repo.listNamed(deps.db, 'competence', scopeId, q.q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(rows.map(presentCompetence), count, q);
}

export async function createCompetence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { name: string; description: string; validityMonths: number | null },
) {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return deps.db.transaction().execute(async (tx) => {
    await refuseTakenName(tx, 'competence', scopeId, input.name);
    const now = isoNow(deps.clock);
    const row = {
      id: newId(),
      scope_id: scopeId,
      name: input.name,
      description: input.description,
      validity_months: input.validityMonths,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertNamed(tx, 'competence', row);
    const c = presentCompetence(row);
    await audit(tx, deps, actor, scopeId, 'competence', c.id, c.name, competenceAuditable(c));
    return c;
  });
}

export async function updateCompetence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; name?: string | undefined; description?: string | undefined; validityMonths?: number | null | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return versioned(
    deps,
    actor,
    {
      table: 'competence',
      recordType: 'competence',
      label: 'Competence',
      name: (c: CompetenceResponse) => c.name,
      load: async (db, s, i) => {
        const r = await repo.findCompetence(db, s, i);
        return r ? presentCompetence(r) : null;
      },
      auditable: competenceAuditable,
    },
    { scopeId, id, version: input.version },
    async (tx, before) => {
      if (input.name && input.name !== before.record.name) await refuseTakenName(tx, 'competence', scopeId, input.name);
      return {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.validityMonths !== undefined && { validity_months: input.validityMonths }),
      };
    },
  );
}

// ---- job roles ----

async function loadJobRoles(
  db: Executor,
  rows: { id: string; scope_id: string; name: string; description: string; version: number }[],
): Promise<JobRoleResponse[]> {
  const reqs = await repo.findRequirements(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    scopeId: r.scope_id,
    name: r.name,
    description: r.description,
    competences: reqs.filter((q) => q.job_role_id === r.id).map((q) => ({ id: q.id, name: q.name })),
    version: r.version,
  }));
}
const loadJobRole = async (db: Executor, scopeId: string, id: string) => {
  const row = await repo.findJobRole(db, scopeId, id);
  return row ? (await loadJobRoles(db, [row]))[0]! : null;
};
const jobRoleAuditable = (j: JobRoleResponse) => ({
  name: j.name,
  description: j.description,
  competences: j.competences.map((c) => c.name),
});

async function checkCompetences(db: Executor, scopeId: string, ids: string[], field: string) {
  if ((await repo.countNamedIn(db, 'competence', scopeId, ids)) !== ids.length)
    throw invalid(field, errorText('competence.competenceNotInScope'));
}

export async function listJobRoles(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; q?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:read');
  const { rows, ...count } = await repo.listNamed(deps.db, 'job_role', scopeId, q.q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(await loadJobRoles(deps.db, rows), count, q);
}

/** A job role and the competences it needs (ISO 27001 7.2 a: determine the necessary competence). */
export async function createJobRole(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { name: string; description: string; competenceIds: string[] },
) {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return deps.db.transaction().execute(async (tx) => {
    await refuseTakenName(tx, 'job_role', scopeId, input.name);
    const ids = [...new Set(input.competenceIds)];
    await checkCompetences(tx, scopeId, ids, 'body.competenceIds');
    const now = isoNow(deps.clock);
    const row = {
      id: newId(),
      scope_id: scopeId,
      name: input.name,
      description: input.description,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertNamed(tx, 'job_role', row);
    await repo.replaceRequirements(tx, row.id, ids);
    const j = (await loadJobRole(tx, scopeId, row.id))!;
    await audit(tx, deps, actor, scopeId, 'job_role', j.id, j.name, jobRoleAuditable(j));
    return j;
  });
}

export async function updateJobRole(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; name?: string | undefined; description?: string | undefined; competenceIds?: string[] | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return versioned(
    deps,
    actor,
    {
      table: 'job_role',
      recordType: 'job_role',
      label: 'Job role',
      name: (j: JobRoleResponse) => j.name,
      load: loadJobRole,
      auditable: jobRoleAuditable,
    },
    { scopeId, id, version: input.version },
    async (tx, before) => {
      if (input.name && input.name !== before.record.name) await refuseTakenName(tx, 'job_role', scopeId, input.name);
      if (input.competenceIds) {
        const ids = [...new Set(input.competenceIds)];
        await checkCompetences(tx, scopeId, ids, 'body.competenceIds');
        await repo.replaceRequirements(tx, id, ids);
      }
      // the version moves on every edit, also when only the requirements changed
      return {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
      };
    },
  );
}

// ---- people ----

const presentHeld = (r: repo.PersonCompetenceRow, on: string): PersonCompetenceResponse => ({
  id: r.id,
  userId: r.user_id,
  competenceId: r.competence_id,
  competenceName: r.competence_name,
  evidence: r.evidence,
  acquiredOn: r.acquired_on,
  expiresOn: r.expires_on,
  expired: competenceGap({ expiresOn: r.expires_on }, on) === 'expired',
  version: r.version,
});

/** Members with department, job roles and competences held: four statements whatever the page size. */
export async function listPeople(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; q?: string | undefined; department?: string | undefined; jobRoleId?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:read');
  const { rows, ...count } = await repo.listPeople(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(await presentPeople(deps, deps.db, scopeId, rows), count, q);
}

async function presentPeople(
  deps: Deps,
  db: Executor,
  scopeId: string,
  rows: { user_id: string; role: string; name: string; email: string; department: string | null; profile_version: number | null }[],
): Promise<PersonResponse[]> {
  const ids = rows.map((r) => r.user_id);
  const [roles, held] = await Promise.all([repo.findJobRolesOf(db, scopeId, ids), repo.findCompetencesOf(db, scopeId, ids)]);
  const on = today(deps);
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    scopeRole: r.role,
    department: r.department,
    jobRoles: roles.filter((j) => j.user_id === r.user_id).map((j) => ({ id: j.id, name: j.name })),
    competences: held.filter((h) => h.user_id === r.user_id).map((h) => presentHeld(h, on)),
    version: r.profile_version ?? 0,
  }));
}

async function loadPerson(deps: Deps, db: Executor, scopeId: string, userId: string): Promise<PersonResponse | null> {
  const m = await findMembership(db, scopeId, userId);
  if (!m) return null;
  const [user, profile] = await Promise.all([
    db.selectFrom('app_user').select(['name', 'email']).where('id', '=', userId).executeTakeFirstOrThrow(),
    repo.findProfile(db, scopeId, userId),
  ]);
  return (
    await presentPeople(deps, db, scopeId, [
      {
        user_id: userId,
        role: m.role,
        name: user.name,
        email: user.email,
        department: profile?.department ?? null,
        profile_version: profile?.version ?? null,
      },
    ])
  )[0]!;
}

/** A person's department and job roles in the scope; the profile is created on the first edit (version 0). */
export async function updatePerson(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  userId: string,
  input: { version: number; department?: string | null | undefined; jobRoleIds?: string[] | undefined },
): Promise<PersonResponse> {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return deps.db.transaction().execute(async (tx) => {
    const before = await loadPerson(deps, tx, scopeId, userId);
    if (!before) throw notFound('Person');
    if (before.version !== input.version)
      throw new AppError('version_conflict', errorText('competence.profileChanged', { name: before.name }), {
        details: { current: before },
      });
    const now = isoNow(deps.clock);
    const department = input.department === undefined ? before.department : input.department || null;
    if (input.version === 0) await repo.insertProfile(tx, { scope_id: scopeId, user_id: userId, department, updated_at: now, version: 1 });
    else if (!(await repo.updateProfile(tx, scopeId, userId, input.version, { department, updated_at: now })))
      // someone saved between the check and the write
      throw versionConflict(errorText('competence.profileChanged', { name: before.name }), await loadPerson(deps, tx, scopeId, userId));
    if (input.jobRoleIds) {
      const ids = [...new Set(input.jobRoleIds)];
      if ((await repo.countNamedIn(tx, 'job_role', scopeId, ids)) !== ids.length)
        throw invalid('body.jobRoleIds', errorText('competence.jobRoleNotInScope'));
      await repo.replaceJobRolesOf(tx, scopeId, userId, ids);
    }
    const after = (await loadPerson(deps, tx, scopeId, userId))!;
    const view = (p: PersonResponse) => ({ department: p.department, jobRoles: p.jobRoles.map((j) => j.name) });
    const changes = diffChanges(view(before), view(after));
    if (Object.keys(changes).length)
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'update',
        recordType: 'person_profile',
        recordId: userId,
        recordRef: after.email,
        changes,
      });
    return after;
  });
}

const heldAuditable = (h: PersonCompetenceResponse) => ({
  competence: h.competenceName,
  evidence: h.evidence,
  acquiredOn: h.acquiredOn,
  expiresOn: h.expiresOn,
});

/** Records a competence a person holds, with the evidence (ISO 27001 7.2 d). Its expiry defaults to the competence's validity. */
export async function addPersonCompetence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  userId: string,
  input: { competenceId: string; evidence: string; acquiredOn: string; expiresOn?: string | null | undefined },
): Promise<PersonCompetenceResponse> {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return deps.db.transaction().execute(async (tx) => {
    if (!(await findMembership(tx, scopeId, userId))) throw notFound('Person');
    const competence = await repo.findCompetence(tx, scopeId, input.competenceId);
    if (!competence) throw invalid('body.competenceId', errorText('competence.noCompetence'));
    if (await repo.findHeld(tx, scopeId, userId, input.competenceId))
      throw new AppError('duplicate', errorText('competence.alreadyHeld', { competence: competence.name }));
    const expiresOn =
      input.expiresOn !== undefined
        ? input.expiresOn
        : competence.validity_months
          ? addMonths(input.acquiredOn, competence.validity_months)
          : null;
    if (expiresOn && expiresOn < input.acquiredOn) throw invalid('body.expiresOn', errorText('competence.expiresBeforeAcquired'));
    const now = isoNow(deps.clock);
    const id = newId();
    await repo.insertPersonCompetence(tx, {
      id,
      scope_id: scopeId,
      user_id: userId,
      competence_id: input.competenceId,
      evidence: input.evidence,
      acquired_on: input.acquiredOn,
      expires_on: expiresOn,
      recorded_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    const h = presentHeld((await repo.findPersonCompetence(tx, scopeId, id))!, today(deps));
    await audit(tx, deps, actor, scopeId, 'person_competence', id, competence.name, { userId, ...heldAuditable(h) });
    return h;
  });
}

export async function updatePersonCompetence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; evidence?: string | undefined; acquiredOn?: string | undefined; expiresOn?: string | null | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:manage');
  return versioned(
    deps,
    actor,
    {
      table: 'person_competence',
      recordType: 'person_competence',
      label: 'Competence record',
      name: (h: PersonCompetenceResponse) => h.competenceName,
      load: async (db, s, i) => {
        const r = await repo.findPersonCompetence(db, s, i);
        return r ? presentHeld(r, today(deps)) : null;
      },
      auditable: heldAuditable,
    },
    { scopeId, id, version: input.version },
    async (_tx, before) => {
      const acquired = input.acquiredOn ?? before.record.acquiredOn;
      const expires = input.expiresOn !== undefined ? input.expiresOn : before.record.expiresOn;
      if (expires && expires < acquired) throw invalid('body.expiresOn', errorText('competence.expiresBeforeAcquired'));
      return {
        ...(input.evidence !== undefined && { evidence: input.evidence }),
        ...(input.acquiredOn !== undefined && { acquired_on: input.acquiredOn }),
        ...(input.expiresOn !== undefined && { expires_on: input.expiresOn }),
      };
    },
  );
}

export async function listGaps(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; userId?: string | undefined; jobRoleId?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'competence:read');
  const on = today(deps);
  const { rows, ...count } = await repo.listGaps(deps.db, scopeId, on, q, q.pageSize, (q.page - 1) * q.pageSize);
  const items: GapResponse[] = rows.map((r) => ({
    user: { id: r.user_id, name: r.user_name, email: r.user_email },
    department: r.department,
    jobRole: { id: r.job_role_id, name: r.job_role_name },
    competence: { id: r.competence_id, name: r.competence_name },
    gap: r.held_id ? 'expired' : 'missing',
    expiresOn: r.expires_on,
  }));
  return listPage(items, count, q);
}
