import type { DB } from '../../db/schema.ts';
import { columns } from '../../db/table-columns.ts';
import type { TargetType } from './training.schemas.ts';
import type { courseStatuses } from './training.schemas.ts';

/**
 * The tables competence and awareness owns. Their types merge into the database type `DB`; `competenceAwarenessTables`
 * lists every column, and `db/schema-drift.test.ts` checks the list against a freshly migrated database of each dialect.
 */
declare module '../../db/schema.ts' {
  interface DB {
    competence: CompetenceTable;
    job_role: JobRoleTable;
    job_role_competence: JobRoleCompetenceTable;
    person_profile: PersonProfileTable;
    person_job_role: PersonJobRoleTable;
    person_competence: PersonCompetenceTable;
    training_course: TrainingCourseTable;
    training_target: TrainingTargetTable;
    training_assignment: TrainingAssignmentTable;
  }
}

export interface CompetenceTable {
  id: string;
  scope_id: string;
  name: string;
  description: string;
  validity_months: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface JobRoleTable {
  id: string;
  scope_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface JobRoleCompetenceTable {
  job_role_id: string;
  competence_id: string;
}

export interface PersonProfileTable {
  scope_id: string;
  user_id: string;
  department: string | null;
  updated_at: string;
  version: number;
}

export interface PersonJobRoleTable {
  scope_id: string;
  user_id: string;
  job_role_id: string;
}

export interface PersonCompetenceTable {
  id: string;
  scope_id: string;
  user_id: string;
  competence_id: string;
  evidence: string;
  acquired_on: string;
  expires_on: string | null;
  recorded_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TrainingCourseTable {
  id: string;
  scope_id: string;
  reference: string;
  title: string;
  description: string;
  material_document_id: string | null;
  material_url: string | null;
  /** JSON: [{ id, text, options: string[], correct: number[] }] */
  quiz: string | null;
  pass_mark: number | null;
  due_days: number;
  recurrence_months: number | null;
  grants_competence_id: string | null;
  status: (typeof courseStatuses)[number];
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TrainingTargetTable {
  id: string;
  scope_id: string;
  course_id: string;
  target_type: TargetType;
  target_value: string;
  created_at: string;
}

export interface TrainingAssignmentTable {
  id: string;
  scope_id: string;
  course_id: string;
  user_id: string;
  round: number;
  assigned_at: string;
  due_on: string;
  completed_at: string | null;
  score: number | null;
  passed: boolean | number | null;
  attempts: number;
  version: number;
}

export const competenceAwarenessTables = {
  competence: columns<DB['competence']>()({
    id: true,
    scope_id: true,
    name: true,
    description: true,
    validity_months: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  job_role: columns<DB['job_role']>()({
    id: true,
    scope_id: true,
    name: true,
    description: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  job_role_competence: columns<DB['job_role_competence']>()({ job_role_id: true, competence_id: true }),
  person_profile: columns<DB['person_profile']>()({ scope_id: true, user_id: true, department: true, updated_at: true, version: true }),
  person_job_role: columns<DB['person_job_role']>()({ scope_id: true, user_id: true, job_role_id: true }),
  person_competence: columns<DB['person_competence']>()({
    id: true,
    scope_id: true,
    user_id: true,
    competence_id: true,
    evidence: true,
    acquired_on: true,
    expires_on: true,
    recorded_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  training_course: columns<DB['training_course']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    material_document_id: true,
    material_url: true,
    quiz: true,
    pass_mark: true,
    due_days: true,
    recurrence_months: true,
    grants_competence_id: true,
    status: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  training_target: columns<DB['training_target']>()({
    id: true,
    scope_id: true,
    course_id: true,
    target_type: true,
    target_value: true,
    created_at: true,
  }),
  training_assignment: columns<DB['training_assignment']>()({
    id: true,
    scope_id: true,
    course_id: true,
    user_id: true,
    round: true,
    assigned_at: true,
    due_on: true,
    completed_at: true,
    score: true,
    passed: true,
    attempts: true,
    version: true,
  }),
};
