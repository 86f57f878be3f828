/**
 * Competence API (ISO 27001 7.2). Endpoints (read: competence:read, write: competence:manage):
 *   GET   /api/scopes/:scopeId/competences                       competences (page, pageSize, q)
 *   POST  /api/scopes/:scopeId/competences                       { name, description, validityMonths }
 *   PATCH /api/scopes/:scopeId/competences/:id                   { version, name?, description?, validityMonths? }
 *   GET   /api/scopes/:scopeId/job-roles                         job roles with their required competences (page, pageSize, q)
 *   POST  /api/scopes/:scopeId/job-roles                         { name, description, competenceIds }
 *   PATCH /api/scopes/:scopeId/job-roles/:id                     { version, name?, description?, competenceIds? }
 *   GET   /api/scopes/:scopeId/people                            members with department, job roles, competences (page, pageSize, q, department, jobRoleId)
 *   PATCH /api/scopes/:scopeId/people/:userId                    { version (0 before the first edit), department?, jobRoleIds? }
 *   POST  /api/scopes/:scopeId/people/:userId/competences        { competenceId, evidence, acquiredOn, expiresOn? }
 *   PATCH /api/scopes/:scopeId/person-competences/:id            { version, evidence?, acquiredOn?, expiresOn? }
 *   GET   /api/scopes/:scopeId/competence-gaps                   who lacks, or holds an expired, competence required by a job role (page, pageSize, userId, jobRoleId)
 */
import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, versionSchema } from '../../shared/schemas.ts';

const name = z.string().trim().min(1, { error: 'name is required' }).max(200);

export const createCompetenceBody = z.strictObject({
  name,
  description: z.string().max(5000).default(''),
  /** how long a competence stays valid after it was acquired (e.g. a certification); null: no expiry */
  validityMonths: z.number().int().min(1).max(600).nullable().default(null),
});
export const updateCompetenceBody = z.strictObject({
  version: versionSchema,
  name: name.optional(),
  description: z.string().max(5000).optional(),
  validityMonths: z.number().int().min(1).max(600).nullable().optional(),
});

export const createJobRoleBody = z.strictObject({
  name,
  description: z.string().max(5000).default(''),
  competenceIds: z.array(idSchema).max(100).default([]),
});
export const updateJobRoleBody = z.strictObject({
  version: versionSchema,
  name: name.optional(),
  description: z.string().max(5000).optional(),
  competenceIds: z.array(idSchema).max(100).optional(),
});

export const updatePersonBody = z.strictObject({
  /** the profile's version; 0 when the person has none yet */
  version: z.number({ error: 'version is required (0 before the first edit)' }).int().min(0),
  department: z.string().trim().max(200).nullable().optional(),
  jobRoleIds: z.array(idSchema).max(50).optional(),
});

export const addPersonCompetenceBody = z.strictObject({
  competenceId: idSchema,
  evidence: z.string().trim().min(1, { error: 'evidence is required: a certificate, a course, a link' }).max(5000),
  acquiredOn: dateSchema,
  /** defaults to acquiredOn + the competence's validity */
  expiresOn: dateSchema.nullable().optional(),
});
export const updatePersonCompetenceBody = z.strictObject({
  version: versionSchema,
  evidence: z.string().trim().min(1).max(5000).optional(),
  acquiredOn: dateSchema.optional(),
  expiresOn: dateSchema.nullable().optional(),
});

export const listNamedQuery = z.strictObject({ ...pageQuery, q: searchQuery });
export const listPeopleQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  department: z.string().trim().max(200).optional(),
  jobRoleId: idSchema.optional(),
});
export const listGapsQuery = z.strictObject({ ...pageQuery, userId: idSchema.optional(), jobRoleId: idSchema.optional() });
export const personParams = z.object({ scopeId: idSchema, userId: idSchema });

export const competenceResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  name: z.string(),
  description: z.string(),
  validityMonths: z.number().int().nullable(),
  version: z.number().int(),
});
export type CompetenceResponse = z.infer<typeof competenceResponse>;

export const jobRoleResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  name: z.string(),
  description: z.string(),
  competences: z.array(z.object({ id: z.string(), name: z.string() })),
  version: z.number().int(),
});
export type JobRoleResponse = z.infer<typeof jobRoleResponse>;

export const personCompetenceResponse = z.object({
  id: z.string(),
  userId: z.string(),
  competenceId: z.string(),
  competenceName: z.string(),
  evidence: z.string(),
  acquiredOn: z.string(),
  expiresOn: z.string().nullable(),
  expired: z.boolean(),
  version: z.number().int(),
});
export type PersonCompetenceResponse = z.infer<typeof personCompetenceResponse>;

export const personResponse = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  scopeRole: z.string(),
  department: z.string().nullable(),
  jobRoles: z.array(z.object({ id: z.string(), name: z.string() })),
  competences: z.array(personCompetenceResponse),
  /** the profile's version; 0 while the person has none */
  version: z.number().int(),
});
export type PersonResponse = z.infer<typeof personResponse>;

export const gapResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  department: z.string().nullable(),
  jobRole: z.object({ id: z.string(), name: z.string() }),
  competence: z.object({ id: z.string(), name: z.string() }),
  /** missing: never recorded; expired: recorded, but past its expiry */
  gap: z.enum(['missing', 'expired']),
  expiresOn: z.string().nullable(),
});
export type GapResponse = z.infer<typeof gapResponse>;
