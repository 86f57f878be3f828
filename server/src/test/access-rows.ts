import type { TestUser } from './harness.ts';

/**
 * Rows of the access matrix (`auth/access-matrix.test.ts`): a route × every kind of actor → the expected status.
 * A process module keeps the rows of its routes in `processes/<module>/<module>.access-rows.ts` (exporting `accessRows`);
 * the matrix runs them with its own, and fails when a scoped route has no row.
 * `outsider` is a manager of another scope; `admin` is an installation administrator without membership.
 */
export type AccessActor = 'anonymous' | 'outsider' | 'employee' | 'viewer' | 'auditor' | 'contributor' | 'manager' | 'admin';

export interface AccessFixture {
  scopeId: string;
  freshAsset(): Promise<{ id: string; version: number }>;
  assetId: string;
  taskId: string;
  incidentId: string;
  changeId: string;
  member: TestUser;
  users: Record<Exclude<AccessActor, 'anonymous'>, TestUser>;
  /** creates a record as the scope's manager: POST `/api/scopes/:scopeId${path}`, returns the response body */
  create(path: string, body: unknown): Promise<any>;
}

export interface AccessRow {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (f: AccessFixture) => string | Promise<string>;
  body?: (f: AccessFixture, actor: AccessActor) => unknown | Promise<unknown>;
  //         anonymous outsider employee viewer auditor contributor manager admin
  expect: [number, number, number, number, number, number, number, number];
}
