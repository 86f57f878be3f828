import type { z } from 'zod';
import { labelsOf } from '../../app/labels.ts';
import type * as awareness from '../../../../server/src/processes/competence-awareness/awareness.schemas.ts';
import type * as competence from '../../../../server/src/processes/competence-awareness/competence.schemas.ts';
import type * as training from '../../../../server/src/processes/competence-awareness/training.schemas.ts';

export type Dashboard = z.infer<typeof awareness.dashboardResponse>;
export type PersonSummary = z.infer<typeof awareness.personSummaryResponse>;
export type Counts = Dashboard['policies'][number];
export type Competence = z.infer<typeof competence.competenceResponse>;
export type JobRole = z.infer<typeof competence.jobRoleResponse>;
export type Person = z.infer<typeof competence.personResponse>;
export type PersonCompetence = z.infer<typeof competence.personCompetenceResponse>;
export type Gap = z.infer<typeof competence.gapResponse>;
export type CreateCompetenceInput = z.input<typeof competence.createCompetenceBody>;
export type CreateJobRoleInput = z.input<typeof competence.createJobRoleBody>;
export type UpdateJobRoleInput = z.input<typeof competence.updateJobRoleBody>;
export type UpdatePersonInput = z.input<typeof competence.updatePersonBody>;
export type AddPersonCompetenceInput = z.input<typeof competence.addPersonCompetenceBody>;
export type UpdatePersonCompetenceInput = z.input<typeof competence.updatePersonCompetenceBody>;
export type Course = z.infer<typeof training.courseResponse>;
export type CourseInput = z.input<typeof training.createCourseBody>;
export type UpdateCourseInput = z.input<typeof training.updateCourseBody>;
export type AddTargetInput = z.input<typeof training.addTargetBody>;
export type AssignTargetResult = z.infer<typeof training.assignTargetResponse>;
export type Assignment = z.infer<typeof training.assignmentResponse>;
export type TargetType = Course['targets'][number]['targetType'];

export const targetTypeLabels: Record<TargetType, string> = labelsOf('training:targetType', [
  'job_role',
  'scope_role',
  'department',
  'person',
]);
