import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  createRecordBody,
  disposalQueueQuery,
  disposeRecordBody,
  legalHoldBody,
  listRecordsQuery,
  recordResponse,
  updateRecordBody,
} from './record.schemas.ts';
import * as records from './record.service.ts';

export const recordRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['records control'];
  // the words Praxis wrote into a record (the rule it was disposed of by) in the reader's language
  const lang = (request: { headers: { 'accept-language'?: string | string[] | undefined } }) =>
    languageOf(request.headers['accept-language']);
  const pageIn = <P extends { items: Parameters<typeof records.recordIn>[1][] }>(language: string, page: P): P => ({
    ...page,
    items: page.items.map((r) => records.recordIn(language, r)),
  });
  const base = '/scopes/:scopeId/records';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'The records register (paginated, filtered, sorted, searched)',
        params: scopeParams,
        querystring: listRecordsQuery,
        response: { 200: pageOf(recordResponse) },
      },
    },
    async (request) => pageIn(lang(request), await records.listRecords(deps, actorOf(request), request.params.scopeId, request.query)),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add documented information to the register',
        params: scopeParams,
        body: createRecordBody,
        response: { 201: recordResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(records.recordIn(lang(request), await records.createRecord(deps, actorOf(request), request.params.scopeId, request.body))),
  );
  app.get(
    `${base}/disposal-queue`,
    {
      schema: {
        tags,
        summary: 'Records past their retention and not on legal hold, oldest first',
        params: scopeParams,
        querystring: disposalQueueQuery,
        response: { 200: pageOf(recordResponse) },
      },
    },
    async (request) =>
      pageIn(lang(request), await records.listDisposalQueue(deps, actorOf(request), request.params.scopeId, request.query)),
  );
  app.get(
    `${base}/:id`,
    { schema: { tags, summary: 'One record', params: scopeRecordParams, response: { 200: recordResponse } } },
    async (request) =>
      records.recordIn(lang(request), await records.getRecord(deps, actorOf(request), request.params.scopeId, request.params.id)),
  );
  app.patch(
    `${base}/:id`,
    { schema: { tags, summary: 'Edit a record', params: scopeRecordParams, body: updateRecordBody, response: { 200: recordResponse } } },
    async (request) =>
      records.recordIn(
        lang(request),
        await records.updateRecord(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
      ),
  );
  app.post(
    `${base}/:id/legal-hold`,
    {
      schema: {
        tags,
        summary: 'Set or lift a legal hold',
        params: scopeRecordParams,
        body: legalHoldBody,
        response: { 200: recordResponse },
      },
    },
    async (request) =>
      records.recordIn(
        lang(request),
        await records.setLegalHold(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
      ),
  );
  app.post(
    `${base}/:id/dispose`,
    {
      schema: {
        tags,
        summary: 'Dispose of a record past its retention (confirm with "DISPOSE <reference>")',
        params: scopeRecordParams,
        body: disposeRecordBody,
        response: { 200: recordResponse },
      },
    },
    async (request) =>
      records.recordIn(
        lang(request),
        await records.disposeRecord(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
      ),
  );
};
