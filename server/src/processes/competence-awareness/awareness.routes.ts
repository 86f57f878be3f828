import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams } from '../../shared/schemas.ts';
import { dashboardResponse, overdueQuery, personSummaryResponse } from './awareness.schemas.ts';
import * as awareness from './awareness.service.ts';

export const awarenessRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['awareness'];
  const base = '/scopes/:scopeId/awareness';
  const day = () => deps.clock.now().toISOString().slice(0, 10);
  app.get(
    `${base}/dashboard`,
    {
      schema: {
        tags,
        summary: 'Acknowledgement and completion rates by policy, course, scope role and department',
        params: scopeParams,
        response: { 200: dashboardResponse },
      },
    },
    async (request) => awareness.getDashboard(deps, actorOf(request), request.params.scopeId),
  );
  app.get(
    `${base}/overdue`,
    {
      schema: {
        tags,
        summary: 'People with overdue acknowledgements or trainings, longest overdue first',
        params: scopeParams,
        querystring: overdueQuery,
        response: { 200: pageOf(personSummaryResponse) },
      },
    },
    async (request) => awareness.listOverdue(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    `${base}/export.csv`,
    { schema: { tags, summary: 'Per-person acknowledgement and training status as CSV', params: scopeParams } },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const csv = await awareness.exportCsv(deps, actorOf(request), request.params.scopeId, lang);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="awareness-${day()}.csv"`)
        .send(csv);
    },
  );
  app.get(
    `${base}/export.xlsx`,
    { schema: { tags, summary: 'The awareness dashboard as an Excel workbook', params: scopeParams } },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const xlsx = await awareness.exportXlsx(deps, actorOf(request), request.params.scopeId, lang);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="awareness-${day()}.xlsx"`)
        .send(xlsx);
    },
  );
};
