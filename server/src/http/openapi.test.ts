import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, dialects, json, type TestContext, type TestUser, createTestContext } from '../test/harness.ts';
import { deriveOperationId, singular } from './openapi.ts';

/**
 * The API document (`/api/openapi.json`) as scripts and generated clients see it (`http/openapi.ts`): every operation
 * has a unique verb-noun `operationId` from the list at the end of this file (a rename or a new route is a visible
 * change here), documents its error answers with the shared error body, and the document lints clean with Redocly's
 * recommended rules (`redocly.yaml`). A client generated from it with openapi-typescript type-checks and, with
 * openapi-fetch, makes a call against the running server.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
/** CI machines are slow and the document is large: the linter and the generator get minutes, not seconds */
const slow = 240_000;

type Operation = {
  operationId: string;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { $ref?: string }>;
  security?: unknown[];
};
type Document = {
  openapi: string;
  info: { title: string; description: string; license?: { name: string; identifier?: string }; contact?: unknown };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
};

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path: p, operation })),
  );

describe('operation ids derived from method and path', () => {
  it('reads a collection, its records, files and actions as verb and noun', () => {
    expect(deriveOperationId('get', '/scopes/{scopeId}/risks')).toBe('listRisks');
    expect(deriveOperationId('post', '/scopes/{scopeId}/risks')).toBe('createRisk');
    expect(deriveOperationId('get', '/scopes/{scopeId}/risks/{id}')).toBe('getRisk');
    expect(deriveOperationId('patch', '/scopes/{scopeId}/risks/{id}')).toBe('updateRisk');
    expect(deriveOperationId('delete', '/scopes/{scopeId}/risks/{id}')).toBe('deleteRisk');
    expect(deriveOperationId('get', '/scopes/{scopeId}/risks.csv')).toBe('exportRisksCsv');
    expect(deriveOperationId('get', '/scopes/{scopeId}/soa/{id}/export.pdf')).toBe('exportSoaPdf');
    expect(deriveOperationId('post', '/scopes/{scopeId}/documents/{id}/versions/{vid}/submit')).toBe('submitDocumentVersion');
    expect(deriveOperationId('get', '/me/tasks')).toBe('listMyTasks');
    expect(deriveOperationId('put', '/scopes/{scopeId}/risk-method')).toBe('setRiskMethod');
    expect(singular('nonconformities')).toBe('nonconformity');
    expect(singular('processes')).toBe('process');
    expect(singular('people')).toBe('person');
  });
});

describe.each(dialects)('the API document (%s)', (dialect) => {
  let t: TestContext;
  let doc: Document;
  let scopeId: string;
  let manager: TestUser;
  beforeAll(async () => {
    t = await createTestContext(dialect);
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = json(res);
  }, slow);
  afterAll(async () => t?.close());

  it('names every operation with a unique verb-noun id, exactly as listed below', () => {
    const ids = operationsOf(doc).map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(new RegExp(`^(${verbs.join('|')})[A-Z][A-Za-z]*$`));
    const actual = Object.fromEntries(operationsOf(doc).map((o) => [`${o.method} ${o.path}`, o.operation.operationId]));
    // a new route adds its line to `operationIds`; a renamed id is a change a client notices
    expect(actual).toEqual(operationIds);
  });

  it('documents the error answers of every operation with the shared error body', () => {
    const refOf = (name: string) => `#/components/responses/${name}`;
    for (const { method, path: p, operation } of operationsOf(doc)) {
      const where = `${method} ${p}`;
      const statuses = Object.keys(operation.responses);
      expect(statuses, where).toContain('400');
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      if (!isPublic) expect(statuses, where).toContain('401');
      if (p.includes('{scopeId}')) expect(statuses, where).toEqual(expect.arrayContaining(['401', '403', '404']));
      const body = Object.values(operation.requestBody?.content ?? {})[0]?.schema;
      if (body?.properties && 'version' in body.properties) expect(statuses, where).toContain('409');
      for (const status of statuses.filter((s) => /^4/.test(s))) {
        expect(operation.responses[status]?.$ref, `${where} ${status}`).toMatch(/^#\/components\/responses\//);
      }
      if (!isPublic) expect(operation.responses['401']?.$ref).toBe(refOf('Unauthorized'));
    }
    for (const [name, response] of Object.entries(doc.components.responses)) {
      expect(response.content['application/json']?.schema.$ref, name).toBe('#/components/schemas/Error');
    }
  });

  it('has servers, an Apache-2.0 licence and no contact', () => {
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.info.license).toEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' });
    expect(doc.info.contact).toBeUndefined();
    expect(doc.info.description).not.toMatch(/@|https?:/);
  });

  it('answers errors as the document says: the shared body, 401 without credentials, 400 for a control character', async () => {
    const ajv = new Ajv2020({ strict: false });
    const validError = ajv.compile(doc.components.schemas.Error as object);
    // every operation may answer 400: the input guard reads every query
    const health = await t.app.inject({ method: 'GET', url: '/api/health?x=%01' });
    expect(health.statusCode).toBe(400);
    expect(validError(json(health)), JSON.stringify(validError.errors)).toBe(true);
    // every operation that is not public answers 401 without a token or session
    const id = '01900000-0000-7000-8000-000000000000';
    for (const { method, path: p, operation } of operationsOf(doc)) {
      if (method !== 'GET' || (Array.isArray(operation.security) && operation.security.length === 0)) continue;
      if (operation.parameters?.some((q) => q.in === 'query' && q.required)) continue;
      const url = p.replace('{scopeId}', scopeId).replace(/\{[^}]+\}/g, id);
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, `GET ${p}`).toBe(401);
      expect(validError(json(res)), `GET ${p}`).toBe(true);
    }
    // a 404 and a 403 have the shape of the document's error body too
    const other = await buildScope(t.deps);
    const forbidden = await t.app.inject({ method: 'GET', url: `/api/scopes/${other.scope.id}/risks`, headers: manager.headers });
    expect([403, 404]).toContain(forbidden.statusCode);
    expect(validError(json(forbidden))).toBe(true);
  });

  it.runIf(dialect === 'sqlite')(
    "lints clean with Redocly's recommended rules",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-openapi-'));
      try {
        const file = path.join(dir, 'openapi.json');
        fs.writeFileSync(file, JSON.stringify(doc));
        const cli = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
        const { stdout } = await run(
          process.execPath,
          [cli, 'lint', file, '--config', path.join(root, 'redocly.yaml'), '--format', 'json'],
          {
            cwd: dir,
            timeout: slow,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
          },
        ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }));
        const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
          problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
        };
        const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
        expect(problems).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    slow,
  );

  it(
    'generates a client that type-checks and lists the risks of a scope',
    async () => {
      const dir = await generatedClient(doc);
      // the same file that type-checked, run by Node against the listening server
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const node = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
      const { stdout } = await run(process.execPath, [...node, path.join(dir, 'client.ts'), address, manager.token, scopeId], {
        cwd: dir,
        timeout: slow,
      });
      expect(JSON.parse(stdout)).toEqual({ status: 200, health: dialect, items: [], total: 0 });
    },
    slow,
  );
});

let client: Promise<string> | undefined;
const clientDirs: string[] = [];
afterAll(() => {
  for (const dir of clientDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A client generated from the document, once for the file (the document is the same on both databases): types by
 * openapi-typescript and a script that calls the API with openapi-fetch, type-checked by the project's compiler.
 * Answers the directory that holds it.
 */
function generatedClient(doc: Document): Promise<string> {
  client ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-client-'));
    clientDirs.push(dir);
    // the client resolves openapi-fetch and Node's types from the project's packages
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const { default: openapiTS, astToString } = await import('openapi-typescript');
    fs.writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(doc as never)));
    fs.writeFileSync(path.join(dir, 'client.ts'), clientSource);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: ['node'],
          lib: ['ES2024', 'DOM'],
        },
        files: ['client.ts'],
      }),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: slow }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` || 'tsc failed' }),
    );
    expect(checked.stdout, 'the generated client does not type-check').toBe('');
    return dir;
  })();
  return client;
}

/** What a script written against the generated types does: one public call and one authenticated list. */
const clientSource = `import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

const [baseUrl, token, scopeId] = process.argv.slice(2) as [string, string, string];
const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
const health = await client.GET('/api/health');
const database: 'sqlite' | 'postgres' | undefined = health.data?.database;
const risks = await client.GET('/api/scopes/{scopeId}/risks', { params: { path: { scopeId }, query: { pageSize: 10 } } });
if (risks.error) throw new Error(risks.error.error.message);
const total: number = risks.data.total;
console.log(JSON.stringify({ status: risks.response.status, health: database, items: risks.data.items, total }));
`;

/** The verbs operation ids start with. */
const verbs = [
  'accept',
  'acknowledge',
  'add',
  'adopt',
  'analyse',
  'approve',
  'cancel',
  'change',
  'close',
  'complete',
  'confirm',
  'create',
  'decide',
  'delete',
  'diff',
  'disable',
  'dispose',
  'download',
  'export',
  'get',
  'implement',
  'import',
  'invite',
  'link',
  'list',
  'log',
  'publish',
  'raise',
  'record',
  'refresh',
  'regenerate',
  'register',
  'reject',
  'remove',
  'resend',
  'retire',
  'review',
  'revise',
  'revoke',
  'schedule',
  'seed',
  'set',
  'sign',
  'start',
  'submit',
  'transition',
  'triage',
  'unlink',
  'update',
  'upload',
  'verify',
  'withdraw',
];

/** Every operation's id, by method and path: the names generated clients use. */
const operationIds: Record<string, string> = {
  'GET /api/health': 'getHealth',
  'GET /api/setup': 'getSetupStatus',
  'POST /api/setup': 'completeSetup',
  'POST /api/auth/login': 'logIn',
  'POST /api/auth/logout': 'logOut',
  'GET /api/auth/session': 'getSession',
  'POST /api/auth/password': 'changePassword',
  'PATCH /api/me': 'updateMyAccount',
  'GET /api/me/tokens': 'listMyTokens',
  'POST /api/me/tokens': 'createMyToken',
  'DELETE /api/me/tokens/{id}': 'revokeMyToken',
  'GET /api/auth/providers': 'listSignInProviders',
  'GET /api/auth/oidc/start': 'startOidcSignIn',
  'GET /api/auth/oidc/callback': 'completeOidcSignIn',
  'GET /api/auth/mfa': 'getPendingMfaSignIn',
  'POST /api/auth/mfa': 'completeMfaSignIn',
  'DELETE /api/auth/mfa': 'cancelMfaSignIn',
  'POST /api/auth/mfa/passkey-options': 'getMfaPasskeyOptions',
  'POST /api/auth/passkey/options': 'getPasskeySignInOptions',
  'POST /api/auth/passkey': 'signInWithPasskey',
  'GET /api/me/mfa': 'getMyMfaStatus',
  'POST /api/me/mfa/totp': 'startMyTotpSetup',
  'POST /api/me/mfa/totp/confirm': 'confirmMyTotp',
  'POST /api/me/mfa/totp/disable': 'disableMyTotp',
  'POST /api/me/mfa/recovery-codes': 'regenerateMyRecoveryCodes',
  'GET /api/me/passkeys': 'listMyPasskeys',
  'POST /api/me/passkeys': 'registerMyPasskey',
  'POST /api/me/passkeys/options': 'getMyPasskeyRegistrationOptions',
  'PATCH /api/me/passkeys/{id}': 'updateMyPasskey',
  'DELETE /api/me/passkeys/{id}': 'deleteMyPasskey',
  'GET /api/users': 'listUsers',
  'POST /api/users': 'createUser',
  'PATCH /api/users/{id}': 'updateUser',
  'POST /api/users/{id}/invitation': 'resendUserInvitation',
  'GET /api/scopes': 'listScopes',
  'POST /api/scopes': 'createScope',
  'GET /api/scopes/{scopeId}': 'getScope',
  'PATCH /api/scopes/{scopeId}': 'updateScope',
  'GET /api/scopes/{scopeId}/members': 'listMembers',
  'POST /api/scopes/{scopeId}/members': 'inviteMember',
  'PATCH /api/scopes/{scopeId}/members/{userId}': 'updateMember',
  'DELETE /api/scopes/{scopeId}/members/{userId}': 'removeMember',
  'POST /api/scopes/{scopeId}/demo': 'seedScopeDemo',
  'GET /api/invitations/{token}': 'getInvitation',
  'POST /api/invitations/{token}/accept': 'acceptInvitation',
  'GET /api/scopes/{scopeId}/processes': 'listProcesses',
  'PATCH /api/scopes/{scopeId}/processes/{key}': 'updateProcess',
  'GET /api/scopes/{scopeId}/handoffs': 'listHandoffs',
  'GET /api/scopes/{scopeId}/processes/{key}/cadence': 'getProcessCadence',
  'PUT /api/scopes/{scopeId}/processes/{key}/cadence': 'setProcessCadence',
  'GET /api/scopes/{scopeId}/cadences': 'listCadences',
  'GET /api/scopes/{scopeId}/cadences/sources/{source}': 'getCadenceSource',
  'PUT /api/scopes/{scopeId}/cadences/sources/{source}': 'setCadenceSource',
  'GET /api/scopes/{scopeId}/cadences/upcoming': 'listUpcomingCadenceDates',
  'GET /api/scopes/{scopeId}/cockpit': 'getCockpit',
  'GET /api/scopes/{scopeId}/cycles': 'listCycles',
  'POST /api/scopes/{scopeId}/cycles': 'createCycle',
  'PATCH /api/scopes/{scopeId}/cycles/{cycleId}': 'updateCycle',
  'GET /api/me/tasks': 'listMyTasks',
  'GET /api/scopes/{scopeId}/tasks': 'listTasks',
  'POST /api/scopes/{scopeId}/tasks': 'createTask',
  'PATCH /api/scopes/{scopeId}/tasks/{id}': 'updateTask',
  'GET /api/scopes/{scopeId}/audit': 'listAuditTrail',
  'GET /api/scopes/{scopeId}/audit-pack.zip': 'exportAuditPackZip',
  'GET /api/scopes/{scopeId}/assets': 'listAssets',
  'POST /api/scopes/{scopeId}/assets': 'createAsset',
  'GET /api/scopes/{scopeId}/assets.csv': 'exportAssetsCsv',
  'GET /api/scopes/{scopeId}/assets/{id}': 'getAsset',
  'PATCH /api/scopes/{scopeId}/assets/{id}': 'updateAsset',
  'DELETE /api/scopes/{scopeId}/assets/{id}': 'deleteAsset',
  'POST /api/scopes/{scopeId}/imports/assets': 'createImportsAsset',
  'POST /api/scopes/{scopeId}/imports/risks': 'createImportsRisk',
  'POST /api/scopes/{scopeId}/imports/controls': 'createImportsControl',
  'GET /api/scopes/{scopeId}/risk-method': 'getRiskMethod',
  'PUT /api/scopes/{scopeId}/risk-method': 'setRiskMethod',
  'GET /api/scopes/{scopeId}/risk-method/versions': 'listRiskMethodVersions',
  'GET /api/threats': 'listThreats',
  'POST /api/scopes/{scopeId}/threats': 'createThreat',
  'GET /api/scopes/{scopeId}/threat-warnings': 'listThreatWarnings',
  'POST /api/scopes/{scopeId}/threat-warnings': 'createThreatWarning',
  'GET /api/scopes/{scopeId}/risks': 'listRisks',
  'POST /api/scopes/{scopeId}/risks': 'createRisk',
  'GET /api/scopes/{scopeId}/risks.csv': 'exportRisksCsv',
  'GET /api/scopes/{scopeId}/risks/heatmap': 'getRiskHeatmap',
  'GET /api/scopes/{scopeId}/risks/{id}': 'getRisk',
  'PATCH /api/scopes/{scopeId}/risks/{id}': 'updateRisk',
  'DELETE /api/scopes/{scopeId}/risks/{id}': 'deleteRisk',
  'GET /api/scopes/{scopeId}/catalogs': 'listCatalogs',
  'POST /api/scopes/{scopeId}/catalogs/import': 'importCatalog',
  'GET /api/scopes/{scopeId}/catalogs/{id}': 'getCatalog',
  'DELETE /api/scopes/{scopeId}/catalogs/{id}': 'deleteCatalog',
  'GET /api/scopes/{scopeId}/catalogs/{id}/requirements': 'listCatalogRequirements',
  'GET /api/scopes/{scopeId}/controls': 'listControls',
  'POST /api/scopes/{scopeId}/controls': 'createControl',
  'GET /api/scopes/{scopeId}/controls.csv': 'exportControlsCsv',
  'GET /api/scopes/{scopeId}/controls/{id}': 'getControl',
  'PATCH /api/scopes/{scopeId}/controls/{id}': 'updateControl',
  'DELETE /api/scopes/{scopeId}/controls/{id}': 'deleteControl',
  'GET /api/scopes/{scopeId}/evidence': 'listEvidence',
  'POST /api/scopes/{scopeId}/evidence': 'uploadEvidence',
  'POST /api/scopes/{scopeId}/evidence/links': 'createEvidenceLink',
  'GET /api/scopes/{scopeId}/evidence/{id}': 'getEvidence',
  'PATCH /api/scopes/{scopeId}/evidence/{id}': 'updateEvidence',
  'DELETE /api/scopes/{scopeId}/evidence/{id}': 'deleteEvidence',
  'GET /api/scopes/{scopeId}/evidence/{id}/file': 'downloadEvidenceFile',
  'POST /api/scopes/{scopeId}/evidence/{id}/controls': 'linkEvidenceControls',
  'DELETE /api/scopes/{scopeId}/evidence/{id}/controls/{controlId}': 'unlinkEvidenceControl',
  'GET /api/scopes/{scopeId}/treatments': 'listTreatments',
  'GET /api/scopes/{scopeId}/treatments.csv': 'exportTreatmentsCsv',
  'GET /api/scopes/{scopeId}/poam.oscal.json': 'exportPoamOscalJson',
  'GET /api/scopes/{scopeId}/risks/{riskId}/treatment': 'getRiskTreatment',
  'PUT /api/scopes/{scopeId}/risks/{riskId}/treatment': 'setRiskTreatment',
  'POST /api/scopes/{scopeId}/risks/{riskId}/treatment/decide': 'decideRiskTreatment',
  'GET /api/scopes/{scopeId}/risks/{riskId}/acceptance': 'getRiskAcceptance',
  'POST /api/scopes/{scopeId}/risks/{riskId}/acceptance': 'signRiskAcceptance',
  'POST /api/scopes/{scopeId}/risks/{riskId}/acceptance/revoke': 'revokeRiskAcceptance',
  'GET /api/scopes/{scopeId}/soa': 'listSoas',
  'POST /api/scopes/{scopeId}/soa': 'createSoa',
  'GET /api/scopes/{scopeId}/soa/{id}': 'getSoa',
  'GET /api/scopes/{scopeId}/soa/{id}/entries': 'listSoaEntries',
  'PATCH /api/scopes/{scopeId}/soa/{id}/entries/{entryId}': 'updateSoaEntry',
  'POST /api/scopes/{scopeId}/soa/{id}/refresh': 'refreshSoa',
  'POST /api/scopes/{scopeId}/soa/{id}/submit': 'submitSoa',
  'POST /api/scopes/{scopeId}/soa/{id}/approve': 'approveSoa',
  'GET /api/scopes/{scopeId}/soa/{id}/versions': 'listSoaVersions',
  'GET /api/scopes/{scopeId}/soa/{id}/export.xlsx': 'exportSoaXlsx',
  'GET /api/scopes/{scopeId}/soa/{id}/export.pdf': 'exportSoaPdf',
  'GET /api/scopes/{scopeId}/soa/{id}/export.docx': 'exportSoaDocx',
  'GET /api/scopes/{scopeId}/soa/{id}/export.json': 'exportSoaJson',
  'GET /api/scopes/{scopeId}/documents': 'listDocuments',
  'POST /api/scopes/{scopeId}/documents': 'createDocument',
  'GET /api/scopes/{scopeId}/documents/{id}': 'getDocument',
  'PATCH /api/scopes/{scopeId}/documents/{id}': 'updateDocument',
  'GET /api/scopes/{scopeId}/documents/{id}/versions': 'listDocumentVersions',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}': 'getDocumentVersion',
  'PATCH /api/scopes/{scopeId}/documents/{id}/versions/{vid}': 'updateDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/submit': 'submitDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/approve': 'approveDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/reject': 'rejectDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/publish': 'publishDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/withdraw': 'withdrawDocumentVersion',
  'POST /api/scopes/{scopeId}/documents/{id}/revise': 'reviseDocument',
  'POST /api/scopes/{scopeId}/documents/{id}/retire': 'retireDocument',
  'POST /api/scopes/{scopeId}/documents/{id}/review': 'reviewDocument',
  'GET /api/scopes/{scopeId}/documents/{id}/diff': 'diffDocumentVersions',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}/pdf': 'exportDocumentVersionPdf',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}/docx': 'exportDocumentVersionDocx',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/file': 'uploadDocumentVersionFile',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}/file': 'downloadDocumentVersionFile',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}/acknowledgements': 'listDocumentVersionAcknowledgements',
  'GET /api/scopes/{scopeId}/documents/{id}/versions/{vid}/read': 'getDocumentVersionReadStatus',
  'POST /api/scopes/{scopeId}/documents/{id}/versions/{vid}/acknowledge': 'acknowledgeDocumentVersion',
  'GET /api/me/acknowledgements': 'listMyAcknowledgements',
  'GET /api/scopes/{scopeId}/records': 'listRecords',
  'POST /api/scopes/{scopeId}/records': 'createRecord',
  'GET /api/scopes/{scopeId}/records/disposal-queue': 'listRecordDisposalQueue',
  'GET /api/scopes/{scopeId}/records/{id}': 'getRecord',
  'PATCH /api/scopes/{scopeId}/records/{id}': 'updateRecord',
  'POST /api/scopes/{scopeId}/records/{id}/legal-hold': 'setRecordLegalHold',
  'POST /api/scopes/{scopeId}/records/{id}/dispose': 'disposeRecord',
  'GET /api/scopes/{scopeId}/competences': 'listCompetences',
  'POST /api/scopes/{scopeId}/competences': 'createCompetence',
  'PATCH /api/scopes/{scopeId}/competences/{id}': 'updateCompetence',
  'GET /api/scopes/{scopeId}/job-roles': 'listJobRoles',
  'POST /api/scopes/{scopeId}/job-roles': 'createJobRole',
  'PATCH /api/scopes/{scopeId}/job-roles/{id}': 'updateJobRole',
  'GET /api/scopes/{scopeId}/people': 'listPeople',
  'PATCH /api/scopes/{scopeId}/people/{userId}': 'updatePerson',
  'POST /api/scopes/{scopeId}/people/{userId}/competences': 'createPersonCompetence',
  'PATCH /api/scopes/{scopeId}/person-competences/{id}': 'updatePersonCompetence',
  'GET /api/scopes/{scopeId}/competence-gaps': 'listCompetenceGaps',
  'GET /api/scopes/{scopeId}/courses': 'listCourses',
  'POST /api/scopes/{scopeId}/courses': 'createCourse',
  'GET /api/scopes/{scopeId}/courses/{id}': 'getCourse',
  'PATCH /api/scopes/{scopeId}/courses/{id}': 'updateCourse',
  'POST /api/scopes/{scopeId}/courses/{id}/targets': 'createCourseTarget',
  'DELETE /api/scopes/{scopeId}/courses/{id}/targets/{targetId}': 'deleteCourseTarget',
  'GET /api/scopes/{scopeId}/training-assignments': 'listTrainingAssignments',
  'GET /api/me/trainings': 'listMyTrainings',
  'POST /api/me/trainings/{assignmentId}/complete': 'completeMyTraining',
  'POST /api/me/trainings/{assignmentId}/quiz': 'submitMyTrainingQuiz',
  'GET /api/scopes/{scopeId}/awareness/dashboard': 'getAwarenessDashboard',
  'GET /api/scopes/{scopeId}/awareness/overdue': 'listOverdueTrainings',
  'GET /api/scopes/{scopeId}/awareness/export.csv': 'exportAwarenessCsv',
  'GET /api/scopes/{scopeId}/awareness/export.xlsx': 'exportAwarenessXlsx',
  'POST /api/scopes/{scopeId}/incidents': 'createIncident',
  'GET /api/scopes/{scopeId}/incidents': 'listIncidents',
  'GET /api/scopes/{scopeId}/incidents/{id}': 'getIncident',
  'GET /api/scopes/{scopeId}/incidents/{id}/report.pdf': 'exportIncidentReportPdf',
  'GET /api/scopes/{scopeId}/incidents/{id}/report.docx': 'exportIncidentReportDocx',
  'POST /api/scopes/{scopeId}/incidents/{id}/triage': 'triageIncident',
  'POST /api/scopes/{scopeId}/incidents/{id}/status': 'setIncidentStatus',
  'POST /api/scopes/{scopeId}/incidents/{id}/events': 'addIncidentEvent',
  'POST /api/scopes/{scopeId}/incidents/{id}/notifications': 'addIncidentNotification',
  'POST /api/scopes/{scopeId}/incidents/{id}/tasks': 'createIncidentTask',
  'GET /api/scopes/{scopeId}/changes': 'listChanges',
  'POST /api/scopes/{scopeId}/changes': 'createChange',
  'GET /api/scopes/{scopeId}/changes/{id}': 'getChange',
  'PATCH /api/scopes/{scopeId}/changes/{id}': 'updateChange',
  'POST /api/scopes/{scopeId}/changes/{id}/submit': 'submitChange',
  'POST /api/scopes/{scopeId}/changes/{id}/decision': 'decideChange',
  'POST /api/scopes/{scopeId}/changes/{id}/implement': 'implementChange',
  'POST /api/scopes/{scopeId}/changes/{id}/verify': 'verifyChange',
  'POST /api/scopes/{scopeId}/changes/{id}/close': 'closeChange',
  'GET /api/scopes/{scopeId}/nonconformities': 'listNonconformities',
  'GET /api/scopes/{scopeId}/nonconformities.csv': 'exportNonconformitiesCsv',
  'POST /api/scopes/{scopeId}/nonconformities': 'createNonconformity',
  'GET /api/scopes/{scopeId}/nonconformities/{id}': 'getNonconformity',
  'PATCH /api/scopes/{scopeId}/nonconformities/{id}': 'updateNonconformity',
  'POST /api/scopes/{scopeId}/nonconformities/{id}/corrective-actions': 'addNonconformityCorrectiveAction',
  'POST /api/scopes/{scopeId}/nonconformities/{id}/effectiveness-check': 'scheduleNonconformityEffectivenessCheck',
  'POST /api/scopes/{scopeId}/nonconformities/{id}/effectiveness': 'recordNonconformityEffectiveness',
  'POST /api/scopes/{scopeId}/nonconformities/{id}/change-request': 'raiseNonconformityChangeRequest',
  'GET /api/scopes/{scopeId}/opportunities': 'listOpportunities',
  'POST /api/scopes/{scopeId}/opportunities': 'createOpportunity',
  'PATCH /api/scopes/{scopeId}/opportunities/{id}': 'updateOpportunity',
  'GET /api/scopes/{scopeId}/measures': 'listMeasures',
  'POST /api/scopes/{scopeId}/measures': 'createMeasure',
  'GET /api/scopes/{scopeId}/measures.csv': 'exportMeasuresCsv',
  'GET /api/scopes/{scopeId}/measures/recommended': 'listRecommendedMeasures',
  'POST /api/scopes/{scopeId}/measures/recommended': 'adoptRecommendedMeasures',
  'GET /api/scopes/{scopeId}/measures/{id}': 'getMeasure',
  'PATCH /api/scopes/{scopeId}/measures/{id}': 'updateMeasure',
  'GET /api/scopes/{scopeId}/measures/{id}/measurements': 'listMeasurements',
  'POST /api/scopes/{scopeId}/measures/{id}/measurements': 'recordMeasurement',
  'GET /api/scopes/{scopeId}/measures/{id}/trend': 'getMeasureTrend',
  'POST /api/scopes/{scopeId}/measures/{id}/measurements/{measurementId}/analysis': 'analyseMeasurement',
  'GET /api/scopes/{scopeId}/audit-programme': 'getAuditProgramme',
  'GET /api/scopes/{scopeId}/audits': 'listAudits',
  'POST /api/scopes/{scopeId}/audits': 'createAudit',
  'GET /api/scopes/{scopeId}/audits.csv': 'exportAuditsCsv',
  'GET /api/scopes/{scopeId}/audits/{id}': 'getAudit',
  'PATCH /api/scopes/{scopeId}/audits/{id}': 'updateAudit',
  'POST /api/scopes/{scopeId}/audits/{id}/transition': 'transitionAudit',
  'PUT /api/scopes/{scopeId}/audits/{id}/checklist/{itemId}': 'setAuditChecklistItem',
  'POST /api/scopes/{scopeId}/audits/{id}/findings': 'createAuditFinding',
  'GET /api/scopes/{scopeId}/audits/{id}/export.oscal.json': 'exportAuditOscalJson',
  'GET /api/scopes/{scopeId}/audits/{id}/report.pdf': 'exportAuditReportPdf',
  'GET /api/scopes/{scopeId}/audits/{id}/report.docx': 'exportAuditReportDocx',
  'GET /api/scopes/{scopeId}/reviews': 'listReviews',
  'POST /api/scopes/{scopeId}/reviews': 'createReview',
  'GET /api/scopes/{scopeId}/reviews.csv': 'exportReviewsCsv',
  'GET /api/scopes/{scopeId}/review-summary': 'getReviewSummary',
  'GET /api/scopes/{scopeId}/reviews/{id}': 'getReview',
  'PATCH /api/scopes/{scopeId}/reviews/{id}': 'updateReview',
  'POST /api/scopes/{scopeId}/reviews/{id}/transition': 'transitionReview',
  'POST /api/scopes/{scopeId}/reviews/{id}/decisions': 'createReviewDecision',
  'GET /api/scopes/{scopeId}/reviews/{id}/minutes.pdf': 'exportReviewMinutesPdf',
  'GET /api/scopes/{scopeId}/reviews/{id}/minutes.docx': 'exportReviewMinutesDocx',
};
