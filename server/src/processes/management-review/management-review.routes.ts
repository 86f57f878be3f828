import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import { getScope } from '../../scopes/scope.service.ts';
import type { Deps } from '../../shared/context.ts';
import { DOCX_MEDIA_TYPE } from '../../shared/docx.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import { renderMinutesDocx, renderMinutesPdf } from './management-review.minutes.ts';
import {
  addDecisionBody,
  createReviewBody,
  exportReviewsQuery,
  listReviewsQuery,
  reviewDetailResponse,
  reviewResponse,
  reviewSummaryResponse,
  transitionReviewBody,
  updateReviewBody,
} from './management-review.schemas.ts';
import * as reviews from './management-review.service.ts';

export const managementReviewRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['management review'];
  const base = '/scopes/:scopeId/reviews';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List management reviews (paginated, filtered, searched)',
        params: scopeParams,
        querystring: listReviewsQuery,
        response: { 200: pageOf(reviewResponse) },
      },
    },
    async (request) => reviews.listReviews(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/scopes/:scopeId/reviews.csv',
    {
      schema: {
        tags,
        summary: 'Export the filtered list of management reviews as CSV',
        params: scopeParams,
        querystring: exportReviewsQuery,
      },
    },
    async (request, reply) => {
      const stream = Readable.from(
        reviews.exportReviewsCsv(
          deps,
          actorOf(request),
          request.params.scopeId,
          request.query,
          languageOf(request.headers['accept-language']),
        ),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="management-reviews-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.get(
    '/scopes/:scopeId/review-summary',
    {
      schema: {
        tags,
        summary: 'The last management review held and the decisions still open',
        params: scopeParams,
        response: { 200: reviewSummaryResponse },
      },
    },
    async (request) => reviews.getReviewSummary(deps, actorOf(request), request.params.scopeId),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Plan a management review: chair, attendees, date, the period it looks back on, the quorum',
        params: scopeParams,
        body: createReviewBody,
        response: { 201: reviewDetailResponse, 400: errorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await reviews.createReview(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'One management review with attendees, inputs (frozen once held), decisions and minutes',
        params: scopeRecordParams,
        response: { 200: reviewDetailResponse, 404: errorResponse },
      },
    },
    async (request) =>
      reviews.getReview(deps, actorOf(request), request.params.scopeId, request.params.id, languageOf(request.headers['accept-language'])),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Change the plan, attendance, commentary on the inputs or the discussion (409 with the current review when stale)',
        params: scopeRecordParams,
        body: updateReviewBody,
        response: { 200: reviewDetailResponse, 409: errorResponse },
      },
    },
    async (request) =>
      reviews.updateReview(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/transition`,
    {
      schema: {
        tags,
        summary: 'Move a review: planned → compiled (inputs compiled) → held (inputs frozen) → approved (minutes, by the chair) → closed',
        params: scopeRecordParams,
        body: transitionReviewBody,
        response: { 200: reviewDetailResponse, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request) =>
      reviews.transitionReview(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/decisions`,
    {
      schema: {
        tags,
        summary: 'Record a decision of a held review; its record (nonconformity, opportunity, change request or task) is created with it',
        params: scopeRecordParams,
        body: addDecisionBody,
        response: { 201: reviewDetailResponse, 409: errorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await reviews.addDecision(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.params.id,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );
  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `${base}/:id/minutes.${format}`,
      { schema: { tags, summary: `The minutes as ${format.toUpperCase()}`, params: scopeRecordParams } },
      async (request, reply) => {
        const actor = actorOf(request);
        const lang = languageOf(request.headers['accept-language']);
        const review = await reviews.getReview(deps, actor, request.params.scopeId, request.params.id, lang);
        const scope = await getScope(deps, actor, request.params.scopeId);
        const body =
          format === 'pdf' ? await renderMinutesPdf(review, scope.name, lang) : await renderMinutesDocx(review, scope.name, lang);
        return reply
          .header('content-type', format === 'pdf' ? 'application/pdf' : DOCX_MEDIA_TYPE)
          .header('content-disposition', `attachment; filename="${review.reference}-minutes.${format}"`)
          .send(body);
      },
    );
};
