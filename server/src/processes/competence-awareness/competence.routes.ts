import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  addPersonCompetenceBody,
  competenceResponse,
  createCompetenceBody,
  createJobRoleBody,
  gapResponse,
  jobRoleResponse,
  listGapsQuery,
  listNamedQuery,
  listPeopleQuery,
  personCompetenceResponse,
  personParams,
  personResponse,
  updateCompetenceBody,
  updateJobRoleBody,
  updatePersonBody,
  updatePersonCompetenceBody,
} from './competence.schemas.ts';
import * as competence from './competence.service.ts';

export const competenceRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['competence'];
  const s = '/scopes/:scopeId';
  app.get(
    `${s}/competences`,
    {
      schema: {
        tags,
        summary: 'Competences',
        params: scopeParams,
        querystring: listNamedQuery,
        response: { 200: pageOf(competenceResponse) },
      },
    },
    async (request) => competence.listCompetences(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    `${s}/competences`,
    {
      schema: {
        tags,
        summary: 'Define a competence',
        params: scopeParams,
        body: createCompetenceBody,
        response: { 201: competenceResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await competence.createCompetence(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.patch(
    `${s}/competences/:id`,
    {
      schema: {
        tags,
        summary: 'Edit a competence',
        params: scopeRecordParams,
        body: updateCompetenceBody,
        response: { 200: competenceResponse },
      },
    },
    async (request) => competence.updateCompetence(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${s}/job-roles`,
    {
      schema: {
        tags,
        summary: 'Job roles with the competences they require',
        params: scopeParams,
        querystring: listNamedQuery,
        response: { 200: pageOf(jobRoleResponse) },
      },
    },
    async (request) => competence.listJobRoles(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    `${s}/job-roles`,
    {
      schema: {
        tags,
        summary: 'Define a job role and its required competences',
        params: scopeParams,
        body: createJobRoleBody,
        response: { 201: jobRoleResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await competence.createJobRole(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.patch(
    `${s}/job-roles/:id`,
    {
      schema: { tags, summary: 'Edit a job role', params: scopeRecordParams, body: updateJobRoleBody, response: { 200: jobRoleResponse } },
    },
    async (request) => competence.updateJobRole(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${s}/people`,
    {
      schema: {
        tags,
        summary: 'Members with department, job roles and competences held',
        params: scopeParams,
        querystring: listPeopleQuery,
        response: { 200: pageOf(personResponse) },
      },
    },
    async (request) => competence.listPeople(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.patch(
    `${s}/people/:userId`,
    {
      schema: {
        tags,
        summary: "A person's department and job roles",
        params: personParams,
        body: updatePersonBody,
        response: { 200: personResponse },
      },
    },
    async (request) => competence.updatePerson(deps, actorOf(request), request.params.scopeId, request.params.userId, request.body),
  );
  app.post(
    `${s}/people/:userId/competences`,
    {
      schema: {
        tags,
        summary: 'Record a competence a person holds, with evidence',
        params: personParams,
        body: addPersonCompetenceBody,
        response: { 201: personCompetenceResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await competence.addPersonCompetence(deps, actorOf(request), request.params.scopeId, request.params.userId, request.body)),
  );
  app.patch(
    `${s}/person-competences/:id`,
    {
      schema: {
        tags,
        summary: 'Renew or correct a competence record',
        params: scopeRecordParams,
        body: updatePersonCompetenceBody,
        response: { 200: personCompetenceResponse },
      },
    },
    async (request) => competence.updatePersonCompetence(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${s}/competence-gaps`,
    {
      schema: {
        tags,
        summary: 'Who lacks, or holds an expired, competence that a job role requires',
        params: scopeParams,
        querystring: listGapsQuery,
        response: { 200: pageOf(gapResponse) },
      },
    },
    async (request) => competence.listGaps(deps, actorOf(request), request.params.scopeId, request.query),
  );
};
