import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../files/multipart-body.ts';
import { errorText, notFound } from '../shared/errors.ts';
import { findForbiddenText } from '../shared/schemas.ts';
import { buildUser, createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { registerErrorHandler } from './errors.ts';

describe('forbidden characters in text', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['a bell', 'a\u0007', 'U+0007'],
    ['a lone high surrogate', 'x\uD800y', 'U+D800'],
    ['a lone low surrogate', '\uDC00', 'U+DC00'],
    ['U+FFFF', '\uFFFF', 'U+FFFF'],
    ['U+FFFE', 'a\uFFFE', 'U+FFFE'],
    ['U+FDD0', '\uFDD0', 'U+FDD0'],
  ])('finds %s', (_name, text, character) => {
    expect(findForbiddenText({ items: [{ name: 'ok' }, { name: text }] })).toEqual({ path: ['items', '1', 'name'], character });
  });

  it('keeps tab, line breaks, pairs of surrogates and the rest of Unicode', () => {
    expect(findForbiddenText({ a: 'line\r\nbreak\ttab', b: 'emoji 😀 ü ß 中 \u00A0 \u2028 \uFFFD' })).toBeNull();
  });

  it('finds a forbidden character in a key', () => {
    expect(findForbiddenText({ 'a\u0000': 1 })).toEqual({ path: ['a?'], character: 'U+0000' });
  });
});

describe('an export that fails before its first byte', () => {
  it('answers in JSON, not as the file it announced', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/export.csv', async (_request, reply) => {
      const rows = (async function* () {
        throw notFound('Scope');
        // biome-ignore lint/correctness/noUnreachable: the generator fails before its first row
        yield 'a,b\n';
      })();
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="x.csv"')
        .send(Readable.from(rows));
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/export.csv' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.json().error).toMatchObject({ code: 'not_found', key: errorText('thingNotFound').key });
    await app.close();
  });
});

describe.each(dialects)('client input never gives 5xx (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let admin: TestUser;
  const auditCount = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom('audit_entry')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    const c = await createScopeContext(dialect);
    t = c.t;
    scopeId = c.scopeId;
    manager = c.manager;
    // an installation administrator who is no member of the scope
    admin = await buildUser(t.deps, { isAdmin: true });
  });
  afterAll(async () => t?.close());

  it('refuses NUL and other non-characters in a JSON body with 400 naming the field, and writes nothing', async () => {
    const before = await auditCount();
    for (const name of ['a\u0000b', 'x\uFFFF', 'half \uD83D pair']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/assets`,
        headers: manager.headers,
        payload: { name, type: 'system' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'body.name', key: 'validation:forbiddenCharacter' });
      expect(res.json().error.message).toMatch(/^Name contains a character that text cannot hold \(U\+/);
    }
    // nested: the path names the entry
    const tags = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: manager.headers,
      payload: { name: 'Mail server', type: 'system', tags: ['ok', 'b\u0000d'] },
    });
    expect(tags.json().error.field).toBe('body.tags.1');
    expect(await auditCount()).toBe(before);
    // text with line breaks and tabs is fine
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: manager.headers,
      payload: { name: 'Mail server 😀', type: 'system', description: 'line one\r\nline\ttwo' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses NUL in the query and the path, also of a CSV export, before the first byte', async () => {
    for (const url of [
      `/api/scopes/${scopeId}/risks.csv?q=%00`,
      `/api/scopes/${scopeId}/assets?q=a%00`,
      `/api/scopes/${scopeId}/assets.csv?q=%EF%BF%BF`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: manager.headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().error).toMatchObject({ field: 'querystring.q', key: 'validation:forbiddenCharacter' });
    }
    const path = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets/%00`, headers: manager.headers });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.field).toBe('params.id');
  });

  it('refuses NUL in a multipart field and in a file name with 400', async () => {
    const before = await auditCount();
    const upload = (file: { name: string; content: string } | null, fields: Record<string, string>) => {
      const body = multipartBody(file, fields);
      return t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/evidence`,
        headers: { ...manager.headers, ...body.headers },
        payload: body.payload,
      });
    };
    const field = await upload({ name: 'a.txt', content: 'evidence' }, { title: 'a\u0000b', evidenceDate: '2026-03-01' });
    expect(field.statusCode).toBe(400);
    expect(field.json().error).toMatchObject({ field: 'body.title', key: 'validation:forbiddenCharacter' });
    const fileName = await upload({ name: 'a\u0000.txt', content: 'evidence' }, { title: 'Report', evidenceDate: '2026-03-01' });
    expect(fileName.statusCode).toBe(400);
    expect(fileName.json().error.field).toBe('body.file');
    expect(await auditCount()).toBe(before);
  });

  it('answers a malformed multipart body with 400 on every upload route', async () => {
    const b = '----praxisboundary';
    const field = `--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n`;
    const file = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\nContent-Type: application/json\r\n\r\n{}`;
    const bodies: [string, string, string][] = [
      ['no boundary', `${field}--${b}--\r\n`, 'multipart/form-data'],
      ['an empty boundary', `${field}--${b}--\r\n`, 'multipart/form-data; boundary='],
      ['another boundary', `${field}--${b}--\r\n`, 'multipart/form-data; boundary=other'],
      ['no closing boundary', `${field}${file}`, `multipart/form-data; boundary=${b}`],
      ['a header cut short', `--${b}\r\nContent-Disposition: form-da`, `multipart/form-data; boundary=${b}`],
    ];
    const before = await auditCount();
    for (const url of [`/api/scopes/${scopeId}/evidence`, `/api/scopes/${scopeId}/catalogs/import`]) {
      for (const [name, payload, type] of bodies) {
        const res = await t.app.inject({ method: 'POST', url, headers: { ...manager.headers, 'content-type': type }, payload });
        expect([400, 413], `${url} with ${name}: ${res.body}`).toContain(res.statusCode);
      }
    }
    expect(await auditCount()).toBe(before);
  });

  it('answers an administrator on a scope that does not exist with 404, on writes, reads and exports', async () => {
    const before = await auditCount();
    const missing = randomUUID();
    const create = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${missing}/assets`,
      headers: admin.headers,
      payload: { name: 'Mail server', type: 'system' },
    });
    expect(create.statusCode).toBe(404);
    expect(create.json().error).toMatchObject({ code: 'not_found', message: 'Scope not found' });
    for (const url of [`/api/scopes/${missing}/risks.csv`, `/api/scopes/${missing}/assets`, `/api/scopes/${missing}`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: admin.headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
    }
    expect(await auditCount()).toBe(before);
    // the administrator still acts as a manager in a scope that exists
    const real = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: admin.headers,
      payload: { name: 'Backup server', type: 'system' },
    });
    expect(real.statusCode).toBe(201);
  });
});
