import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, json, type TestContext } from '../test/harness.ts';

/**
 * A field error names its field in the reader's language (`http/errors.ts` `fieldLabel`: the last name in the path,
 * looked up as `validation:label.<name>`). Every name a client can send — each property of a request body (nested
 * objects and array items included), each query and path parameter of the API document — has that label in every
 * language's catalog, so that no German reader sees an English name made from the property ("Information need ist
 * erforderlich"). The document is the same on both dialects, so it is read once, from SQLite.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
};
type Operation = {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

/** the property names of a schema and of every schema inside it (references followed once each) */
function namesOf(doc: Document, schema: Schema | undefined, into: Map<string, string>, where: string, seen = new Set<string>()) {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return;
    seen.add(schema.$ref);
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    namesOf(doc, doc.components?.schemas?.[name], into, where, seen);
  }
  for (const [name, inner] of Object.entries(schema.properties ?? {})) {
    if (!into.has(name)) into.set(name, `${where} .${name}`);
    namesOf(doc, inner, into, where, seen);
  }
  const items = Array.isArray(schema.items) ? schema.items : schema.items ? [schema.items] : [];
  for (const inner of [
    ...items,
    ...(schema.prefixItems ?? []),
    ...(schema.allOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
  ]) {
    namesOf(doc, inner, into, where, seen);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    namesOf(doc, schema.additionalProperties, into, where, seen);
  }
}

/**
 * Names of the document that are not the name of a field a client sends, so never the last name of an error's path:
 * the OIDC callback takes the identity provider's query as a record (`z.record`), which the document shows as one
 * parameter named `query`; an error there is about one of the provider's own parameters (`querystring.code`,
 * `querystring.state`, …), never about `query`.
 */
const notFields = new Map([['query', 'GET /api/auth/oidc/callback']]);

/** every field name a client can send, with the first operation that has it */
function fieldNames(doc: Document): Map<string, string> {
  const into = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'query' && parameter.in !== 'path') continue;
        if (notFields.get(parameter.name) === where) continue;
        if (!into.has(parameter.name)) into.set(parameter.name, `${where} ${parameter.in} ${parameter.name}`);
        namesOf(doc, parameter.schema, into, where);
      }
      for (const content of Object.values(operation.requestBody?.content ?? {})) namesOf(doc, content.schema, into, where);
    }
  }
  return into;
}

const root = join(import.meta.dirname, '../i18n');
const languages = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const labelsOf = (lang: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(root, lang, 'validation.json'), 'utf8')) as { label?: Record<string, unknown> }).label ?? {};

describe('field labels', () => {
  let t: TestContext;
  let doc: Document;
  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = json(res);
  }, 120_000);
  afterAll(async () => t?.close());

  it('finds the fields of bodies, nested objects, array items, queries and paths', () => {
    const names = fieldNames(doc);
    // a body field, a query parameter and a path parameter of the document: the walk reaches each kind
    for (const name of ['name', 'pageSize', 'scopeId']) expect(names.has(name), name).toBe(true);
    expect(names.size).toBeGreaterThan(40);
  });

  it('names every field a client can send in every language of the validation catalog', () => {
    const names = [...fieldNames(doc).entries()];
    expect(languages).toEqual(expect.arrayContaining(['de', 'en']));
    for (const lang of languages) {
      const labels = labelsOf(lang);
      const missing = names.filter(([name]) => typeof labels[name] !== 'string' || !(labels[name] as string).trim());
      // each line: the name and the first operation that sends it
      expect(
        missing.map(([name, where]) => `${name}  (${where})`),
        `${lang}/validation.json label.* is missing`,
      ).toEqual([]);
    }
  });
});
