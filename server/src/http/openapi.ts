import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../shared/schemas.ts';

/**
 * The finishing touches of `/api/openapi.json`, in one place instead of in every route file: each operation gets a
 * stable verb-noun `operationId` (derived from its method and path, with explicit names where the derived one would be
 * ambiguous or awkward), the public operations say so (`security: []`), and every operation documents the error
 * answers it can give with the shared error body of `http/errors.ts`. `openapi.test.ts` keeps the list of ids (a rename
 * is a visible change there) and runs the linter and a generated client over the document.
 */

/** `info` of the document: what the API is and its licence. */
export const apiInfo = {
  title: 'Praxis API',
  version: '0.1.0',
  description:
    'The HTTP API of a Praxis installation: the ISMS process model, its registers and work items. Scripts authenticate ' +
    'with an API token (`Authorization: Bearer …`); the web client uses its session cookie and sends the CSRF token of ' +
    'the session in `x-csrf-token` with every write. Errors answer `{ error: { code, message, field?, key?, params?, ' +
    'details? } }`; a stale `version` answers 409 with the record as it is now in `details.current`.',
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

/** Paths in the document start with `/api`: the server is the installation's own origin. */
export const apiServers = [{ url: '/', description: 'This installation (the origin the document was read from)' }];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const methods: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Operations whose derived name would be ambiguous or awkward, by `METHOD path` (the path without `/api`). Everything
 * else is derived by `deriveOperationId`.
 */
const explicitIds: Record<string, string> = {
  'GET /health': 'getHealth',
  'GET /setup': 'getSetupStatus',
  'POST /setup': 'completeSetup',
  'POST /auth/login': 'logIn',
  'POST /auth/logout': 'logOut',
  'GET /auth/session': 'getSession',
  'POST /auth/password': 'changePassword',
  'GET /auth/providers': 'listSignInProviders',
  'GET /auth/oidc/start': 'startOidcSignIn',
  'GET /auth/oidc/callback': 'completeOidcSignIn',
  'GET /auth/mfa': 'getPendingMfaSignIn',
  'POST /auth/mfa': 'completeMfaSignIn',
  'DELETE /auth/mfa': 'cancelMfaSignIn',
  'POST /auth/mfa/passkey-options': 'getMfaPasskeyOptions',
  'POST /auth/passkey/options': 'getPasskeySignInOptions',
  'POST /auth/passkey': 'signInWithPasskey',
  'PATCH /me': 'updateMyAccount',
  'GET /me/mfa': 'getMyMfaStatus',
  'POST /me/mfa/totp': 'startMyTotpSetup',
  'POST /me/mfa/totp/confirm': 'confirmMyTotp',
  'POST /me/mfa/totp/disable': 'disableMyTotp',
  'POST /me/mfa/recovery-codes': 'regenerateMyRecoveryCodes',
  'POST /me/passkeys/options': 'getMyPasskeyRegistrationOptions',
  'POST /users/{id}/invitation': 'resendUserInvitation',
  'DELETE /me/tokens/{id}': 'revokeMyToken',
  'POST /me/passkeys': 'registerMyPasskey',
  'POST /scopes/{scopeId}/members': 'inviteMember',
  'DELETE /scopes/{scopeId}/members/{userId}': 'removeMember',
  'POST /scopes/{scopeId}/demo': 'seedScopeDemo',
  'GET /invitations/{token}': 'getInvitation',
  'POST /invitations/{token}/accept': 'acceptInvitation',
  'GET /scopes/{scopeId}/handoffs': 'listHandoffs',
  'GET /scopes/{scopeId}/processes/{key}/cadence': 'getProcessCadence',
  'PUT /scopes/{scopeId}/processes/{key}/cadence': 'setProcessCadence',
  'GET /scopes/{scopeId}/cadences/sources/{source}': 'getCadenceSource',
  'PUT /scopes/{scopeId}/cadences/sources/{source}': 'setCadenceSource',
  'GET /scopes/{scopeId}/cadences/upcoming': 'listUpcomingCadenceDates',
  'GET /scopes/{scopeId}/cockpit': 'getCockpit',
  'GET /scopes/{scopeId}/audit': 'listAuditTrail',
  'GET /scopes/{scopeId}/risk-method/versions': 'listRiskMethodVersions',
  'GET /threats': 'listThreats',
  'GET /scopes/{scopeId}/risks/heatmap': 'getRiskHeatmap',
  'POST /scopes/{scopeId}/catalogs/import': 'importCatalog',
  'GET /scopes/{scopeId}/catalogs/{id}/requirements': 'listCatalogRequirements',
  'GET /scopes/{scopeId}/evidence': 'listEvidence',
  'POST /scopes/{scopeId}/evidence': 'uploadEvidence',
  'POST /scopes/{scopeId}/evidence/links': 'createEvidenceLink',
  'GET /scopes/{scopeId}/evidence/{id}/file': 'downloadEvidenceFile',
  'POST /scopes/{scopeId}/evidence/{id}/controls': 'linkEvidenceControls',
  'DELETE /scopes/{scopeId}/evidence/{id}/controls/{controlId}': 'unlinkEvidenceControl',
  'GET /scopes/{scopeId}/treatments': 'listTreatments',
  'POST /scopes/{scopeId}/risks/{riskId}/treatment/decide': 'decideRiskTreatment',
  'POST /scopes/{scopeId}/risks/{riskId}/acceptance': 'signRiskAcceptance',
  'POST /scopes/{scopeId}/risks/{riskId}/acceptance/revoke': 'revokeRiskAcceptance',
  'GET /scopes/{scopeId}/soa': 'listSoas',
  'POST /scopes/{scopeId}/soa': 'createSoa',
  'GET /scopes/{scopeId}/documents/{id}/diff': 'diffDocumentVersions',
  'GET /scopes/{scopeId}/documents/{id}/versions/{vid}/pdf': 'exportDocumentVersionPdf',
  'GET /scopes/{scopeId}/documents/{id}/versions/{vid}/docx': 'exportDocumentVersionDocx',
  'POST /scopes/{scopeId}/documents/{id}/versions/{vid}/file': 'uploadDocumentVersionFile',
  'GET /scopes/{scopeId}/documents/{id}/versions/{vid}/file': 'downloadDocumentVersionFile',
  'GET /scopes/{scopeId}/documents/{id}/versions/{vid}/read': 'getDocumentVersionReadStatus',
  'GET /scopes/{scopeId}/records/disposal-queue': 'listRecordDisposalQueue',
  'POST /scopes/{scopeId}/records/{id}/legal-hold': 'setRecordLegalHold',
  'GET /scopes/{scopeId}/competence-gaps': 'listCompetenceGaps',
  'POST /scopes/{scopeId}/people/{userId}/competences': 'createPersonCompetence',
  'POST /scopes/{scopeId}/courses/{id}/targets': 'createCourseTarget',
  'GET /scopes/{scopeId}/awareness/dashboard': 'getAwarenessDashboard',
  'GET /scopes/{scopeId}/awareness/overdue': 'listOverdueTrainings',
  'GET /scopes/{scopeId}/awareness/export.csv': 'exportAwarenessCsv',
  'GET /scopes/{scopeId}/awareness/export.xlsx': 'exportAwarenessXlsx',
  'POST /me/trainings/{assignmentId}/complete': 'completeMyTraining',
  'POST /me/trainings/{assignmentId}/quiz': 'submitMyTrainingQuiz',
  'POST /scopes/{scopeId}/incidents/{id}/status': 'setIncidentStatus',
  'POST /scopes/{scopeId}/incidents/{id}/events': 'addIncidentEvent',
  'POST /scopes/{scopeId}/incidents/{id}/notifications': 'addIncidentNotification',
  'POST /scopes/{scopeId}/incidents/{id}/tasks': 'createIncidentTask',
  'POST /scopes/{scopeId}/changes/{id}/decision': 'decideChange',
  'POST /scopes/{scopeId}/nonconformities/{id}/corrective-actions': 'addNonconformityCorrectiveAction',
  'POST /scopes/{scopeId}/nonconformities/{id}/effectiveness-check': 'scheduleNonconformityEffectivenessCheck',
  'POST /scopes/{scopeId}/nonconformities/{id}/effectiveness': 'recordNonconformityEffectiveness',
  'POST /scopes/{scopeId}/nonconformities/{id}/change-request': 'raiseNonconformityChangeRequest',
  'GET /scopes/{scopeId}/measures/recommended': 'listRecommendedMeasures',
  'POST /scopes/{scopeId}/measures/recommended': 'adoptRecommendedMeasures',
  'GET /scopes/{scopeId}/measures/{id}/measurements': 'listMeasurements',
  'POST /scopes/{scopeId}/measures/{id}/measurements': 'recordMeasurement',
  'GET /scopes/{scopeId}/measures/{id}/trend': 'getMeasureTrend',
  'POST /scopes/{scopeId}/measures/{id}/measurements/{measurementId}/analysis': 'analyseMeasurement',
  'GET /scopes/{scopeId}/audit-programme': 'getAuditProgramme',
  'POST /scopes/{scopeId}/audits/{id}/transition': 'transitionAudit',
  'PUT /scopes/{scopeId}/audits/{id}/checklist/{itemId}': 'setAuditChecklistItem',
  'GET /scopes/{scopeId}/review-summary': 'getReviewSummary',
  'POST /scopes/{scopeId}/reviews/{id}/transition': 'transitionReview',
  'GET /scopes/{scopeId}/reviews/{id}/minutes.pdf': 'exportReviewMinutesPdf',
  'GET /scopes/{scopeId}/reviews/{id}/minutes.docx': 'exportReviewMinutesDocx',
};

/**
 * Operations anyone may call without a session or token: first-run setup, the sign-in steps, accepting an invitation
 * and health. They declare `security: []`; the others need a token or session and answer 401 without one.
 */
const publicOperations = new Set([
  'getHealth',
  'getSetupStatus',
  'completeSetup',
  'logIn',
  'logOut',
  'listSignInProviders',
  'startOidcSignIn',
  'completeOidcSignIn',
  'getPendingMfaSignIn',
  'completeMfaSignIn',
  'cancelMfaSignIn',
  'getMfaPasskeyOptions',
  'getPasskeySignInOptions',
  'signInWithPasskey',
  'getInvitation',
  'acceptInvitation',
]);

const camel = (word: string) => word.replace(/[-_.]+(.)/g, (_, c: string) => c.toUpperCase());
const pascal = (word: string) => {
  const c = camel(word);
  return c.charAt(0).toUpperCase() + c.slice(1);
};

/** `risks` → `risk`, `nonconformities` → `nonconformity`, `processes` → `process`, `people` → `person`. */
export function singular(word: string): string {
  if (word === 'people') return 'person';
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(sses|xes|ches|shes)$/.test(word)) return word.replace(/es$/, '');
  if (/(ss|us|is)$/.test(word)) return word;
  return word.replace(/s$/, '');
}
const isPlural = (word: string) => singular(word) !== word;

/**
 * The verb-noun name of an operation from its method and path (`/api` stripped): the scope prefix is left out (nearly
 * everything lives in a scope), `/me/…` reads as "my"; the nouns are the path's words, singular before an id; a GET of
 * a plural list is `list…`, a POST to it `create…`, the methods on one record `get/update/set/delete…`; a file
 * (`risks.csv`, `export.pdf`) is `export…Csv`; a POST to a trailing verb (`…/{id}/submit`) is that verb.
 */
export function deriveOperationId(method: string, apiPath: string): string {
  let segments = apiPath.split('/').filter(Boolean);
  if (segments[0] === 'scopes' && segments[1] === '{scopeId}' && segments.length > 2) segments = segments.slice(2);
  let my = '';
  if (segments[0] === 'me') {
    my = 'My';
    segments = segments.slice(1);
  }
  // `risks.csv` → `Csv`, `export.oscal.json` → `OscalJson`
  let format = '';
  const last = segments.at(-1) ?? '';
  const dot = last.match(/^([^{.]+)\.([\w.]+)$/);
  if (dot) {
    segments = [...segments.slice(0, -1), ...(dot[1] === 'export' ? [] : [dot[1] as string])];
    format = pascal(dot[2] as string);
  }
  const isParam = (s: string | undefined) => s?.startsWith('{') === true;
  const endsWithParam = isParam(segments.at(-1));
  const words = segments.filter((s) => !isParam(s));
  const lastWord = words.at(-1) ?? '';
  // every word before an id is one record of its collection
  const noun = (parts: string[]) =>
    my +
    parts
      .map((s) => {
        const i = segments.indexOf(s);
        return pascal(isParam(segments[i + 1]) ? singular(s) : s);
      })
      .join('');
  const m = method.toLowerCase();
  if (format) return `export${noun(words)}${format}`;
  if (endsWithParam) {
    const verb = { get: 'get', patch: 'update', put: 'set', delete: 'delete', post: 'create' }[m] ?? m;
    return `${verb}${noun(words)}`;
  }
  if (m === 'get') return isPlural(lastWord) ? `list${noun(words)}` : `get${noun(words)}`;
  if (m === 'post') {
    if (isPlural(lastWord)) return `create${noun(words.slice(0, -1))}${pascal(singular(lastWord))}`;
    return `${camel(lastWord)}${noun(words.slice(0, -1))}`;
  }
  const verb = { patch: 'update', put: 'set', delete: 'delete' }[m] ?? m;
  return `${verb}${noun(words)}`;
}

/** The `operationId` of an operation: its explicit name, else the derived one. */
export function operationIdOf(method: string, path: string): string {
  const apiPath = path.replace(/^\/api(?=\/)/, '');
  return explicitIds[`${method.toUpperCase()} ${apiPath}`] ?? deriveOperationId(method, apiPath);
}

/** The shared error answers, as `#/components/responses/…`, each with the error body of `http/errors.ts`. */
const errorAnswers: Record<string, { name: string; description: string }> = {
  '400': { name: 'BadRequest', description: 'The request is malformed or a field is invalid (`validation_failed`; `field` names it)' },
  '401': { name: 'Unauthorized', description: 'No valid session or API token (`unauthenticated`)' },
  '403': {
    name: 'Forbidden',
    description: 'Your role or scope membership does not allow this, or a cookie write lacks the CSRF token (`forbidden`, `csrf_failed`)',
  },
  '404': { name: 'NotFound', description: 'The scope or record does not exist or is not visible to you (`not_found`)' },
  '409': {
    name: 'Conflict',
    description:
      'The record changed since you read it (`version_conflict`, with the record as it is now in `details.current`), ' +
      'a duplicate, or a state that does not allow this (`duplicate`, `invalid_state`)',
  },
  '413': { name: 'PayloadTooLarge', description: 'The body or uploaded file is too large (`payload_too_large`)' },
  '422': { name: 'UnprocessableEntity', description: 'A business rule refuses this well-formed request (`unprocessable`)' },
  '429': { name: 'TooManyRequests', description: 'Too many attempts; try again later (`rate_limited`)' },
};

/** The error body (`{ error: { code, message, … } }`) as JSON Schema, from the same zod schema the routes use. */
function errorBodySchema(): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(errorResponse, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return { ...schema, description: 'The body of every error answer' };
}

/** Where `transformRoute` keeps a free-form query (`z.record(…)`) until `finishDocument` makes it one parameter. */
const freeFormQuery = 'x-praxis-free-form-query';

/**
 * The per-route `transform`: zod to JSON Schema (fastify-type-provider-zod), except that a free-form query (a record,
 * such as the OpenID provider's answer) would otherwise be listed as parameters named after the keywords of its schema
 * (`type`, `additionalProperties`); it becomes one `style: form` object parameter instead.
 */
export const transformRoute: SwaggerTransform = (args) => {
  const result = jsonSchemaTransform(args as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = result.schema as Record<string, unknown> | undefined;
  const query = schema?.querystring as { properties?: unknown; additionalProperties?: unknown } | undefined;
  if (!schema || !query || query.properties !== undefined || query.additionalProperties === undefined) return result;
  const { querystring: _, ...rest } = schema;
  return { ...result, schema: { ...rest, [freeFormQuery]: query } as FastifySchema };
};

interface OperationObject {
  operationId?: string;
  parameters?: { in: string; name: string; [key: string]: unknown }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
  [key: string]: unknown;
}

/** The error answers an operation can give, from what it takes. */
export function errorStatuses(method: string, path: string, operation: OperationObject, isPublic: boolean): string[] {
  const statuses = new Set<string>(Object.keys(operation.responses ?? {}).filter((s) => s in errorAnswers));
  const m = method.toLowerCase();
  // every operation: the input guard (`http/input-guard.ts`) refuses a control character in any query, and a write's
  // body may be malformed
  statuses.add('400');
  if (!isPublic) {
    statuses.add('401');
    // a scope's member role, an administrator's role, or (for a cookie write) the CSRF token
    if (path.includes('{scopeId}') || path.startsWith('/api/users') || m !== 'get') statuses.add('403');
  }
  if (/\{[^}]+\}/.test(path)) statuses.add('404');
  const bodies = Object.values(operation.requestBody?.content ?? {});
  if (bodies.some((b) => b.schema?.properties && 'version' in b.schema.properties)) statuses.add('409');
  if (m === 'delete' && path.includes('{scopeId}')) statuses.add('409');
  // every body is limited (1 MiB for JSON, the upload limit for files)
  if (operation.requestBody !== undefined) statuses.add('413');
  return [...statuses].sort();
}

/**
 * `transformObject` of @fastify/swagger: names every operation, marks the public ones, and points every error answer at
 * the shared responses. Throws when two operations would get the same id, so that a new route cannot ship one.
 */
export const finishDocument: SwaggerTransformObject = (documentObject) => {
  if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
  const { openapiObject } = documentObject;
  const doc = openapiObject as {
    paths?: Record<string, Partial<Record<Method, OperationObject>>>;
    components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown> };
  };
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const id = operation.operationId ?? operationIdOf(method, path);
      const where = `${method.toUpperCase()} ${path}`;
      if (seen.has(id)) throw new Error(`OpenAPI: operationId ${id} of ${where} is also that of ${seen.get(id)}`);
      seen.set(id, where);
      const isPublic = publicOperations.has(id);
      const query = operation[freeFormQuery];
      if (query) {
        const { $schema: _, propertyNames: __, ...schema } = query as Record<string, unknown>;
        operation.parameters = [
          ...(operation.parameters ?? []),
          { in: 'query', name: 'query', style: 'form', explode: true, schema: { ...schema, type: 'object' } },
        ];
        delete operation[freeFormQuery];
      }
      const responses = operation.responses ?? {};
      for (const status of errorStatuses(method, path, operation, isPublic)) {
        responses[status] = { $ref: `#/components/responses/${errorAnswers[status]?.name}` };
      }
      item[method] = { operationId: id, ...operation, responses, ...(isPublic && { security: [] }) };
    }
  }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Error: errorBodySchema() },
    responses: {
      ...doc.components?.responses,
      ...Object.fromEntries(
        Object.values(errorAnswers).map(({ name, description }) => [
          name,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
  };
  return openapiObject;
};
