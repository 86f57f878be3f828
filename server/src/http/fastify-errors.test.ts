import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { riskMethodSchema } from '../processes/risk-assessment/risk-method.ts';
import { addTexts } from '../i18n/i18n.ts';
import { registerErrorHandler } from './errors.ts';

/** Fastify's own refusals (before any route code runs) reach the client as catalog texts in the reader's language. */
describe("Fastify's own 4xx answers", () => {
  const app = async () => {
    const a = Fastify({ bodyLimit: 64 });
    registerErrorHandler(a);
    a.post('/things', async (request) => ({ got: request.body }));
    await a.ready();
    return a;
  };
  const post = async (payload: string, headers: Record<string, string>) =>
    (await app()).inject({ method: 'POST', url: '/things', payload, headers });

  it('words an unsupported media type, an empty JSON body, malformed JSON and a body too large', async () => {
    const plain = await post('hello', { 'content-type': 'application/xml' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error).toMatchObject({
      code: 'validation_failed',
      field: 'body',
      key: 'errors:http.unsupportedMediaType',
      message: expect.stringMatching(/^The request body has a type that is not accepted here \(application\/xml\)/),
    });

    const empty = await post('', { 'content-type': 'application/json' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ key: 'errors:http.emptyJsonBody', field: 'body' });
    expect(empty.json().error.message).not.toMatch(/content-type is set/);

    const broken = await post('{"a":', { 'content-type': 'application/json' });
    expect(broken.json().error).toMatchObject({ key: 'errors:invalidJson', message: 'The request body is not valid JSON' });

    const large = await post(JSON.stringify({ text: 'x'.repeat(200) }), { 'content-type': 'application/json' });
    expect(large.statusCode).toBe(413);
    expect(large.json().error).toMatchObject({ code: 'payload_too_large', key: 'errors:bodyTooLarge' });
  });

  it('words a route that does not exist, and in the reader’s language', async () => {
    const missing = await (await app()).inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ key: 'errors:noRoute', message: 'No route GET /nowhere' });

    addTexts('de', 'errors', { http: { unsupportedMediaType: 'Der Inhaltstyp {{type}} wird hier nicht angenommen' } });
    const german = await post('hello', { 'content-type': 'application/xml', 'accept-language': 'de-DE,de;q=0.9' });
    expect(german.json().error.message).toBe('Der Inhaltstyp application/xml wird hier nicht angenommen');
  });
});

/** A schema's own message may be a key of the validation catalog, with parameters: worded per language like the rest. */
describe('schema messages as catalog keys', () => {
  const post = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.post(
      '/x',
      {
        schema: {
          body: z.strictObject({
            edge: z
              .string()
              .regex(/^[a-z-]+>[a-z-]+$/, { error: 'validation:edgeFormat' })
              .optional(),
            method: riskMethodSchema.optional(),
          }),
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
    return (await app.inject({ method: 'POST', url: '/x', payload, headers })).json().error;
  };

  it('words a pattern and a cross-field rule from their keys, with the field and the parameters', async () => {
    expect(await post({ edge: 'nowhere' })).toMatchObject({
      field: 'body.edge',
      key: 'validation:edgeFormat',
      message: 'Hand-off must name two processes as from>to',
    });
    const level = (key: string, order: number) => ({ key, label: key, order, colour: '#e03131' });
    const scale = [1, 2, 3].map((value) => ({ value, label: `L${value}`, description: '' }));
    const twice = await post({
      method: {
        likelihood: scale,
        impact: scale,
        levels: [level('low', 1), level('low', 2), level('high', 3)],
        matrix: [
          ['low', 'low', 'high'],
          ['low', 'high', 'high'],
          ['high', 'high', 'high'],
        ],
        acceptance: [{ level: 'low', acceptedBy: 'risk_owner' }],
      },
    });
    expect(twice).toMatchObject({ key: 'validation:method.keyTwice', params: { key: 'low' }, message: 'Level key "low" is used twice' });
    addTexts('de', 'validation', { edgeFormat: '{{label}} nennt zwei Prozesse als von>nach' });
    expect((await post({ edge: 'x' }, { 'accept-language': 'de' })).message).toMatch(/nennt zwei Prozesse als von>nach$/);
  });
});

/** A field left out is "required", even when its schema words a wrong type with its own message. */
describe('a missing field', () => {
  it('is worded as required, a wrong type as a wrong type', async () => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.post(
      '/x',
      { schema: { body: z.strictObject({ version: z.number({ error: 'version is required (the version you edited)' }).int() }) } },
      async () => ({ ok: true }),
    );
    await app.ready();
    const post = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      (await app.inject({ method: 'POST', url: '/x', payload, headers })).json().error;
    expect(await post({})).toMatchObject({ field: 'body.version', key: 'validation:required' });
    expect((await post({}, { 'accept-language': 'de' })).message).toBe('Version ist erforderlich');
    expect(await post({ version: 'three' })).toMatchObject({ field: 'body.version', key: 'validation:invalidType' });
  });
});
