import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../files/multipart-body.ts';
import { createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * A field error names its field in the reader's language, whoever made the error and when: the route's validation, the
 * input guard, and a service that checks a schema itself (`shared/zod-issue.ts`: a multipart form's fields). The label
 * travels as a text of its own and is worded with the message when it is sent, never in the language of the moment it
 * was thrown ("Title darf höchstens …"), and `params.label` is in the words of the message.
 */
describe.each(dialects)('field labels in the reader language (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;

  beforeAll(async () => {
    const c = await createScopeContext(dialect);
    t = c.t;
    scopeId = c.scopeId;
    manager = c.manager;
  });
  afterAll(async () => t?.close());

  const upload = (fields: Record<string, string>, language: string) => {
    const body = multipartBody({ name: 'report.txt', content: 'evidence' }, fields);
    return t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/evidence`,
      headers: { ...manager.headers, ...body.headers, 'accept-language': language },
      payload: body.payload,
    });
  };

  it('words a refused multipart field with its German label (a service checks the form itself)', async () => {
    const long = await upload({ title: 'x'.repeat(301), evidenceDate: '2026-03-01' }, 'de');
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toEqual({
      code: 'validation_failed',
      field: 'body.title',
      message: 'Titel darf höchstens 300 Zeichen haben',
      key: 'validation:tooBig.string',
      params: { label: 'Titel', count: 300 },
    });

    const missing = await upload({ title: 'Backup report' }, 'de');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      field: 'body.evidenceDate',
      message: 'Datum des Nachweises ist erforderlich',
      key: 'validation:required',
      params: { label: 'Datum des Nachweises' },
    });

    // the same refusal for an English reader
    const english = await upload({ title: 'x'.repeat(301), evidenceDate: '2026-03-01' }, 'en');
    expect(english.json().error).toMatchObject({ message: 'Title can have at most 300 characters', params: { label: 'Title' } });
    // nothing was stored
    const list = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/evidence`, headers: manager.headers });
    expect(list.json().total).toBe(0);
  });

  it('words a forbidden character in a multipart field with its German label', async () => {
    const res = await upload({ title: 'a\u0000b', evidenceDate: '2026-03-01' }, 'de');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'body.title', key: 'validation:forbiddenCharacter', params: { label: 'Titel' } });
    expect(res.json().error.message).toMatch(/^Titel /);
  });

  it('words a refused JSON body field with its German label', async () => {
    const email = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/members`,
      headers: { ...manager.headers, 'accept-language': 'de' },
      payload: { email: 'not-an-address', role: 'viewer' },
    });
    expect(email.statusCode).toBe(400);
    expect(email.json().error).toMatchObject({
      field: 'body.email',
      message: 'E-Mail muss eine E-Mail-Adresse wie name@example.com sein',
      key: 'validation:invalidFormat.email',
      params: { label: 'E-Mail' },
    });

    const description = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: { ...manager.headers, 'accept-language': 'de' },
      payload: { name: 'Mail server', type: 'system', description: 'line\u0007' },
    });
    expect(description.statusCode).toBe(400);
    expect(description.json().error).toMatchObject({ field: 'body.description', params: { label: 'Beschreibung' } });
    expect(description.json().error.message).toMatch(/^Beschreibung /);
  });
});
