import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listCases } from '../db/list-plans.ts';
import { pageOf, userRef } from '../shared/schemas.ts';
import { buildScope, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { listSerializerCompiler, listSerializerSettings, listSerializerStats } from './list-serializer.ts';

const item = z.object({ id: z.string(), owner: userRef, level: z.number().int().nullable(), note: z.string().optional() });

describe('list serializer', () => {
  const compile = (schema: z.ZodType, method = 'GET') =>
    listSerializerCompiler({ schema, method, url: '/x', httpStatus: '200' } as Parameters<typeof listSerializerCompiler>[0]);

  it('writes a page as zod encodes it: keys in the schema order (optional ones too), unnamed keys left out, nulls and absent optionals', () => {
    const write = compile(pageOf(item));
    const written = listSerializerStats.written;
    const page = {
      pageSize: 25,
      page: 1,
      totalCapped: true,
      total: 2,
      items: [
        { level: 3, id: 'a', owner: { email: 'a@example.org', name: 'Anna "A" Ärger', id: 'u', extra: 1 }, secret: 'x' },
        { id: 'b', owner: null, level: null, note: 'line\nbreak' },
      ],
    };
    expect(write(page)).toBe(
      '{"items":[{"id":"a","owner":{"id":"u","name":"Anna \\"A\\" Ärger","email":"a@example.org"},"level":3},' +
        '{"id":"b","owner":null,"level":null,"note":"line\\nbreak"}],"total":2,"totalCapped":true,"page":1,"pageSize":25}',
    );
    expect(listSerializerStats.written).toBe(written + 1);
  });

  it("fails (under vitest) where zod's encoding would: a value not of its schema", () => {
    const write = compile(pageOf(item));
    expect(() => write({ items: [{ id: 'a', owner: null, level: '3' }], total: 1, page: 1, pageSize: 25 })).toThrow();
  });

  it('leaves other responses to zod: not a page, or not a GET', () => {
    const written = listSerializerStats.written;
    expect(compile(item)({ id: 'a', owner: null, level: 1 })).toBe('{"id":"a","owner":null,"level":1}');
    compile(pageOf(item), 'POST')({ items: [], total: 0, page: 1, pageSize: 25 });
    expect(listSerializerStats.written).toBe(written);
  });
});

/** Every list route of list-plans.ts is written by the compiled serializer, with the text zod's encoding gives. */
describe.each(dialects)('list responses on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps);
    scopeId = s.scope.id;
    headers = s.manager.headers;
    for (const [path, payload] of [
      ['assets', { name: 'Mail server', type: 'system' }],
      ['risks', { title: 'Unauthorised access' }],
      ['incidents', { title: 'Phishing mail' }],
      ['changes', { title: 'New firewall', reason: 'The old one is out of support' }],
      ['nonconformities', { title: 'Backup not tested', source: 'manual', severity: 'minor' }],
      ['opportunities', { title: 'Automate reviews' }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/${path}`, headers, payload });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it.each(listCases)('$label: the same text as written by zod', async ({ path }) => {
    const url = `/api/scopes/${scopeId}/${path}`;
    const written = listSerializerStats.written;
    const fast = await t.app.inject({ method: 'GET', url, headers });
    expect(fast.statusCode, fast.body).toBe(200);
    expect(listSerializerStats.written).toBe(written + 1);
    listSerializerSettings.enabled = false;
    try {
      const viaZod = await t.app.inject({ method: 'GET', url, headers });
      expect(fast.body).toBe(viaZod.body);
    } finally {
      listSerializerSettings.enabled = true;
    }
  });
});
