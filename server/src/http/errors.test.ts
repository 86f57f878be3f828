import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addTexts } from '../i18n/i18n.ts';
import { AppError, errorText, invalid, notFound } from '../shared/errors.ts';
import { registerErrorHandler } from './errors.ts';

/** Database refusals that a client can resolve by trying again are 409s, never 500s. */
describe('error handler', () => {
  const appThrowing = async (err: unknown) => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/x', async () => {
      throw err;
    });
    await app.ready();
    return app.inject({ method: 'GET', url: '/x' });
  };

  it.each([
    ['a PostgreSQL unique violation', Object.assign(new Error('duplicate key value'), { code: '23505' }), 'duplicate'],
    ['a SQLite unique violation', Object.assign(new Error('UNIQUE constraint failed: threat.code'), { errcode: 2067 }), 'duplicate'],
    ['a PostgreSQL deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'version_conflict'],
    ['a PostgreSQL serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' }), 'version_conflict'],
  ])('answers %s with 409', async (_name, err, code) => {
    const res = await appThrowing(err);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe(code);
  });

  it('answers anything else unexpected with 500 and no detail', async () => {
    const res = await appThrowing(new Error('secret internals'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
  });
});

describe('error messages for the reader', () => {
  const appThrowing = async (err: unknown, headers: Record<string, string> = {}) => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/x', async () => {
      throw err;
    });
    await app.ready();
    return app.inject({ method: 'GET', url: '/x', headers });
  };

  it('renders an error key with its parameters and sends key and parameters along', async () => {
    const res = await appThrowing(notFound('Risk'));
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'not_found',
      message: 'Risk not found',
      key: 'errors:thingNotFound',
      params: { thing: 'risk', what: 'Risk' },
    });
    // a thing the catalog does not name is named as given
    expect((await appThrowing(notFound('Version 3'))).json().error).toMatchObject({
      message: 'Version 3 not found',
      key: 'errors:notFound',
      params: { what: 'Version 3' },
    });

    const conflict = await appThrowing(
      new AppError('duplicate', errorText('alreadyMember', { email: 'ada@example.com' }), { field: 'body.email' }),
    );
    expect(conflict.json().error).toMatchObject({
      code: 'duplicate',
      message: 'ada@example.com is already a member of this scope',
      field: 'body.email',
      params: { email: 'ada@example.com' },
    });
    // the role is named in words of the catalog
    expect(
      (await appThrowing(new AppError('forbidden', errorText('roleForbids', { role: 'viewer', permission: 'risk:write' })))).json().error
        .message,
    ).toBe('Your role (viewer) does not allow risk:write');
  });

  it('sends the text of a module with its parameters, and the field', async () => {
    const res = await appThrowing(invalid('body.dependsOn', errorText('asset.dependsOnItself')));
    expect(res.json().error).toEqual({
      code: 'validation_failed',
      message: 'An asset cannot depend on itself',
      field: 'body.dependsOn',
      key: 'errors:asset.dependsOnItself',
      params: {},
    });
    expect(
      (await appThrowing(new AppError('invalid_state', errorText('recordClosed', { reference: 'INC-0001' })))).json().error,
    ).toMatchObject({
      message: 'INC-0001 is closed',
      params: { reference: 'INC-0001' },
    });
    // the English rendering is the error's message, for logs, the CLI and tests
    expect(invalid('body.ownerId', errorText('ownerNotMember')).message).toBe('The owner must be a member of this scope');
  });

  it('renders in the language of Accept-Language, else English', async () => {
    addTexts('de', 'errors', { thingNotFound: '$t(errors:thing.{{thing}}) nicht gefunden', thing: { risk: 'Risiko' } });
    expect((await appThrowing(notFound('Risk'), { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' })).json().error.message).toBe(
      'Risiko nicht gefunden',
    );
    expect((await appThrowing(notFound('Risk'), { 'accept-language': 'fr-FR,fr;q=0.9' })).json().error.message).toBe('Risk not found');
    expect((await appThrowing(notFound('Risk'), { 'accept-language': 'fr, en;q=0.1, de;q=0.5' })).json().error.message).toBe(
      'Risiko nicht gefunden',
    );
    expect((await appThrowing(notFound('Risk'))).json().error.message).toBe('Risk not found');
    expect((await appThrowing(new AppError('forbidden', errorText('adminOnly')), { 'accept-language': 'de' })).json().error.message).toBe(
      'Nur eine Administratorin oder ein Administrator der Installation darf das tun',
    );
    // a key without a German text falls back to English
    addTexts('en', 'errors', { onlyInEnglish: 'Only in English' });
    expect(
      (await appThrowing(new AppError('forbidden', errorText('onlyInEnglish')), { 'accept-language': 'de' })).json().error.message,
    ).toBe('Only in English');
  });
});

describe('request validation messages', () => {
  const post = async (payload: unknown, query = '') => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.post(
      '/x',
      {
        schema: {
          querystring: z.strictObject({ pageSize: z.coerce.number().int().min(1).max(200).optional() }),
          body: z
            .strictObject({
              name: z.string().trim().min(1).max(200),
              dueOn: z.iso.date().optional(),
              ownerId: z.uuid().optional(),
              profile: z.enum(['small', 'large']).optional(),
              tags: z.array(z.string().max(20)).max(3).optional(),
              confidentialityLevel: z.number().int().min(1).max(4).optional(),
              edge: z
                .string()
                .regex(/^[a-z-]+>[a-z-]+$/, { error: 'edge must name two processes as from>to' })
                .optional(),
              startsOn: z.string().optional(),
              endsOn: z.string().optional(),
            })
            .refine((b) => !b.startsOn || !b.endsOn || b.startsOn <= b.endsOn, {
              error: 'endsOn must not be before startsOn',
              path: ['endsOn'],
            }),
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
    return app.inject({ method: 'POST', url: `/x${query}`, payload: payload as Record<string, unknown> });
  };
  const error = async (payload: unknown, query = '') => {
    const res = await post(payload, query);
    expect(res.statusCode).toBe(400);
    return res.json().error;
  };

  it('says in a plain sentence which field is wrong and how, with the key and its parameters', async () => {
    expect(await error({ name: 'x'.repeat(201) })).toEqual({
      code: 'validation_failed',
      message: 'Name can have at most 200 characters',
      field: 'body.name',
      key: 'validation:tooBig.string',
      params: { label: 'Name', count: 200 },
    });
    expect(await error({})).toMatchObject({ message: 'Name is required', field: 'body.name', key: 'validation:required' });
    expect(await error({ name: '  ' })).toMatchObject({ message: 'Name is required', field: 'body.name' });
    expect(await error({ name: 7 })).toMatchObject({ message: 'Name must be text', field: 'body.name' });
    expect(await error({ name: 'A', dueOn: 'tomorrow' })).toMatchObject({
      message: 'Due date must be a date such as 2026-12-31',
      field: 'body.dueOn',
    });
    expect(await error({ name: 'A', ownerId: 'ada' })).toMatchObject({ message: 'Owner must be an id', field: 'body.ownerId' });
    expect(await error({ name: 'A', profile: 'medium' })).toMatchObject({
      message: 'Profile must be one of "small", "large"',
      field: 'body.profile',
    });
    expect(await error({ name: 'A', tags: ['a', 'b', 'c', 'd'] })).toMatchObject({
      message: 'Tags can have at most 3 entries',
      field: 'body.tags',
    });
    expect(await error({ name: 'A', tags: ['a', 'x'.repeat(21)] })).toMatchObject({
      message: 'Tags can have at most 20 characters',
      field: 'body.tags.1',
    });
    expect(await error({ name: 'A', confidentialityLevel: 5 })).toMatchObject({
      message: 'Confidentiality level can be at most 4',
      field: 'body.confidentialityLevel',
    });
    expect(await error({ name: 'A', confidentialityLevel: 1.5 })).toMatchObject({
      message: 'Confidentiality level must be a whole number',
    });
    expect(await error({ name: 'A', colour: 'red' })).toMatchObject({ message: 'Unknown field "colour"', field: 'body.colour' });
    // the meaning of a pattern is the schema author's
    expect(await error({ name: 'A', edge: 'a-b' })).toMatchObject({
      message: 'Edge must name two processes as from>to',
      field: 'body.edge',
    });
    // a refinement's own message is kept; a field's name at its start keeps its case
    expect(await error({ name: 'A', startsOn: '2026-05-01', endsOn: '2026-04-01' })).toMatchObject({
      message: 'endsOn must not be before startsOn',
      field: 'body.endsOn',
      key: 'validation:custom',
    });
    expect(await error({ name: 'A' }, '?pageSize=500')).toMatchObject({
      message: 'Page size can be at most 200',
      field: 'querystring.pageSize',
    });
    expect((await post({ name: 'A' })).statusCode).toBe(200);
  });
});
