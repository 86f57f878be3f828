import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList, type Page } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type { CompetenceTable, PersonCompetenceTable, PersonProfileTable } from './competence-awareness.tables.ts';

// ---- competences and job roles ----

/** Competences and job roles: scope-owned records named uniquely in their scope, read and listed the same way. */
export type NamedTable = 'competence' | 'job_role';

export async function insertNamed<T extends NamedTable>(db: Executor, table: T, row: DB[T]): Promise<void> {
  // Kysely cannot narrow a generic table name; both tables share the columns used here.
  await db
    .insertInto(table as 'competence')
    .values(row as CompetenceTable)
    .execute();
}

export async function findNamed<T extends NamedTable>(db: Executor, table: T, scopeId: string, id: string): Promise<DB[T] | undefined> {
  return db
    .selectFrom(table as 'competence')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('id', '=', id)
    .executeTakeFirst() as Promise<DB[T] | undefined>;
}

export async function findNamedByName<T extends NamedTable>(
  db: Executor,
  table: T,
  scopeId: string,
  name: string,
): Promise<DB[T] | undefined> {
  return db
    .selectFrom(table as 'competence')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('name', '=', name)
    .executeTakeFirst() as Promise<DB[T] | undefined>;
}

/** How many of `ids` exist in the scope. */
export async function countNamedIn(db: Executor, table: NamedTable, scopeId: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await db
    .selectFrom(table as 'competence')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

interface NamedShape extends Shape {
  table: NamedTable;
  q: boolean;
}
interface NamedValues extends Params {
  scopeId: string;
  pattern?: string;
}

function namedFiltered(db: Executor, s: NamedShape, v: NamedValues) {
  let filtered = db.selectFrom(s.table as 'competence').where('scope_id', '=', v.scopeId);
  if (s.q) filtered = filtered.where((eb) => likeInsensitive(eb.ref('name'), v.pattern as string));
  return filtered;
}

const namedPage = cachedList(
  'competence-named.list',
  (db, s: NamedShape, v: NamedValues) => namedFiltered(db, s, v).selectAll().orderBy('name').orderBy('id'),
  namedFiltered,
);

/** One page by name, searched by name: two statements whatever the page size, compiled once per shape (query-cache.ts). */
export async function listNamed<T extends NamedTable>(
  db: Executor,
  table: T,
  scopeId: string,
  q: string | undefined,
  limit: number,
  offset: number,
): Promise<Page<DB[T]>> {
  const values: NamedValues = { scopeId };
  if (q) values.pattern = containsPattern(q);
  return (await namedPage(db, { table, q: !!q }, values, limit, offset)) as Page<DB[T]>;
}

export const findCompetence = (db: Executor, scopeId: string, id: string) => findNamed(db, 'competence', scopeId, id);
export const findJobRole = (db: Executor, scopeId: string, id: string) => findNamed(db, 'job_role', scopeId, id);

/** Required competences of several job roles in one query. */
export async function findRequirements(db: Executor, jobRoleIds: string[]) {
  if (!jobRoleIds.length) return [];
  return db
    .selectFrom('job_role_competence')
    .innerJoin('competence', 'competence.id', 'job_role_competence.competence_id')
    .select(['job_role_competence.job_role_id', 'competence.id', 'competence.name'])
    .where('job_role_competence.job_role_id', 'in', jobRoleIds)
    .orderBy('competence.name')
    .execute();
}

export async function replaceRequirements(db: Executor, jobRoleId: string, competenceIds: string[]): Promise<void> {
  await db.deleteFrom('job_role_competence').where('job_role_id', '=', jobRoleId).execute();
  if (competenceIds.length)
    await db
      .insertInto('job_role_competence')
      .values(competenceIds.map((competence_id) => ({ job_role_id: jobRoleId, competence_id })))
      .execute();
}

// ---- people ----

interface PeopleShape extends Shape {
  q: boolean;
  department: boolean;
  jobRole: boolean;
}
interface PeopleValues extends Params {
  scopeId: string;
  pattern?: string;
  department?: string;
  jobRoleId?: string;
}

function peopleFiltered(db: Executor, sh: PeopleShape, v: PeopleValues) {
  let s = db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .leftJoin('person_profile', (j) =>
      j.onRef('person_profile.scope_id', '=', 'membership.scope_id').onRef('person_profile.user_id', '=', 'membership.user_id'),
    )
    .where('membership.scope_id', '=', v.scopeId);
  if (sh.q) {
    const pattern = v.pattern as string;
    s = s.where((eb) => eb.or([likeInsensitive(eb.ref('app_user.name'), pattern), likeInsensitive(eb.ref('app_user.email'), pattern)]));
  }
  if (sh.department) s = s.where('person_profile.department', '=', v.department as string);
  if (sh.jobRole) {
    const jobRoleId = v.jobRoleId as string;
    s = s.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_job_role')
          .select('person_job_role.user_id')
          .whereRef('person_job_role.user_id', '=', 'membership.user_id')
          .where('person_job_role.job_role_id', '=', jobRoleId),
      ),
    );
  }
  return s;
}

const peoplePage = cachedList(
  'competence-people.list',
  (db, sh: PeopleShape, v: PeopleValues) =>
    peopleFiltered(db, sh, v)
      .select([
        'membership.user_id',
        'membership.role',
        'app_user.name',
        'app_user.email',
        'person_profile.department',
        'person_profile.version as profile_version',
      ])
      .orderBy('app_user.name')
      .orderBy('membership.user_id'),
  peopleFiltered,
);

/** One page of the scope's people by name, and the total: two statements, compiled once per shape (query-cache.ts). */
export async function listPeople(
  db: Executor,
  scopeId: string,
  f: { q?: string | undefined; department?: string | undefined; jobRoleId?: string | undefined },
  limit: number,
  offset: number,
) {
  const values: PeopleValues = { scopeId };
  if (f.q) values.pattern = containsPattern(f.q);
  if (f.department) values.department = f.department;
  if (f.jobRoleId) values.jobRoleId = f.jobRoleId;
  return peoplePage(db, { q: !!f.q, department: !!f.department, jobRole: !!f.jobRoleId }, values, limit, offset);
}

export async function findProfile(db: Executor, scopeId: string, userId: string) {
  return db.selectFrom('person_profile').selectAll().where('scope_id', '=', scopeId).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertProfile(db: Executor, row: PersonProfileTable): Promise<void> {
  await db.insertInto('person_profile').values(row).execute();
}

/** Version-checked update of a profile (keyed by scope and user). Returns whether a row was written. */
export async function updateProfile(db: Executor, scopeId: string, userId: string, version: number, patch: Partial<PersonProfileTable>) {
  const r = await db
    .updateTable('person_profile')
    .set({ ...patch, version: version + 1 })
    .where('scope_id', '=', scopeId)
    .where('user_id', '=', userId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findJobRolesOf(db: Executor, scopeId: string, userIds: string[]) {
  if (!userIds.length) return [];
  return db
    .selectFrom('person_job_role')
    .innerJoin('job_role', 'job_role.id', 'person_job_role.job_role_id')
    .select(['person_job_role.user_id', 'job_role.id', 'job_role.name'])
    .where('person_job_role.scope_id', '=', scopeId)
    .where('person_job_role.user_id', 'in', userIds)
    .orderBy('job_role.name')
    .execute();
}

export async function replaceJobRolesOf(db: Executor, scopeId: string, userId: string, jobRoleIds: string[]): Promise<void> {
  await db.deleteFrom('person_job_role').where('scope_id', '=', scopeId).where('user_id', '=', userId).execute();
  if (jobRoleIds.length)
    await db
      .insertInto('person_job_role')
      .values(jobRoleIds.map((job_role_id) => ({ scope_id: scopeId, user_id: userId, job_role_id })))
      .execute();
}

// ---- competences held ----

export type PersonCompetenceRow = PersonCompetenceTable & { competence_name: string };

const held = (db: Executor) =>
  db
    .selectFrom('person_competence')
    .innerJoin('competence', 'competence.id', 'person_competence.competence_id')
    .selectAll('person_competence')
    .select('competence.name as competence_name');

export async function findCompetencesOf(db: Executor, scopeId: string, userIds: string[]): Promise<PersonCompetenceRow[]> {
  if (!userIds.length) return [];
  return held(db)
    .where('person_competence.scope_id', '=', scopeId)
    .where('person_competence.user_id', 'in', userIds)
    .orderBy('competence.name')
    .execute();
}

export async function findPersonCompetence(db: Executor, scopeId: string, id: string): Promise<PersonCompetenceRow | undefined> {
  return held(db).where('person_competence.scope_id', '=', scopeId).where('person_competence.id', '=', id).executeTakeFirst();
}

export async function findHeld(db: Executor, scopeId: string, userId: string, competenceId: string) {
  return db
    .selectFrom('person_competence')
    .select('id')
    .where('scope_id', '=', scopeId)
    .where('user_id', '=', userId)
    .where('competence_id', '=', competenceId)
    .executeTakeFirst();
}

export async function insertPersonCompetence(db: Executor, row: PersonCompetenceTable): Promise<void> {
  await db.insertInto('person_competence').values(row).execute();
}

// ---- gaps ----

interface GapShape extends Shape {
  user: boolean;
  jobRole: boolean;
}
interface GapValues extends Params {
  scopeId: string;
  today: string;
  userId?: string;
  jobRoleId?: string;
}

function gapsFiltered(db: Executor, sh: GapShape, v: GapValues) {
  let s = db
    .selectFrom('person_job_role')
    .innerJoin('job_role', 'job_role.id', 'person_job_role.job_role_id')
    .innerJoin('job_role_competence', 'job_role_competence.job_role_id', 'person_job_role.job_role_id')
    .innerJoin('competence', 'competence.id', 'job_role_competence.competence_id')
    .innerJoin('membership', (j) =>
      j.onRef('membership.scope_id', '=', 'person_job_role.scope_id').onRef('membership.user_id', '=', 'person_job_role.user_id'),
    )
    .leftJoin('person_competence', (j) =>
      j
        .onRef('person_competence.scope_id', '=', 'person_job_role.scope_id')
        .onRef('person_competence.user_id', '=', 'person_job_role.user_id')
        .onRef('person_competence.competence_id', '=', 'job_role_competence.competence_id'),
    )
    .where('person_job_role.scope_id', '=', v.scopeId)
    .where((eb) => eb.or([eb('person_competence.id', 'is', null), eb('person_competence.expires_on', '<', v.today)]));
  if (sh.user) s = s.where('person_job_role.user_id', '=', v.userId as string);
  if (sh.jobRole) s = s.where('person_job_role.job_role_id', '=', v.jobRoleId as string);
  return s;
}

const gapPage = cachedList(
  'competence-gap.list',
  (db, sh: GapShape, v: GapValues) =>
    gapsFiltered(db, sh, v)
      .innerJoin('app_user', 'app_user.id', 'person_job_role.user_id')
      .leftJoin('person_profile', (j) =>
        j.onRef('person_profile.scope_id', '=', 'person_job_role.scope_id').onRef('person_profile.user_id', '=', 'person_job_role.user_id'),
      )
      .select([
        'app_user.id as user_id',
        'app_user.name as user_name',
        'app_user.email as user_email',
        'person_profile.department',
        'job_role.id as job_role_id',
        'job_role.name as job_role_name',
        'competence.id as competence_id',
        'competence.name as competence_name',
        'person_competence.id as held_id',
        'person_competence.expires_on',
      ])
      .orderBy('app_user.name')
      .orderBy('app_user.id')
      .orderBy('job_role.name')
      .orderBy('competence.name'),
  gapsFiltered,
);

/**
 * Competence gaps (ISO 27001 7.2 a-c): for each person's job role, each required competence that the person does not
 * hold or holds only past its expiry. One page query and one count, whatever the page size, compiled once per shape.
 */
export async function listGaps(
  db: Executor,
  scopeId: string,
  today: string,
  f: { userId?: string | undefined; jobRoleId?: string | undefined },
  limit: number,
  offset: number,
) {
  const values: GapValues = { scopeId, today };
  if (f.userId) values.userId = f.userId;
  if (f.jobRoleId) values.jobRoleId = f.jobRoleId;
  return gapPage(db, { user: !!f.userId, jobRole: !!f.jobRoleId }, values, limit, offset);
}
