import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/*
 * List responses written by a compiled serializer. fastify-type-provider-zod's serializer encodes every response with
 * its zod schema (a full check of each item of a page) and then JSON.stringify; for a list page that is a few percent of
 * the request's CPU. A GET route whose 200 response is a page (`pageOf` in shared/schemas.ts: items, total, page,
 * pageSize) is written instead by fast-json-stringify, compiled once per route from the JSON Schema of the same zod
 * schema (its output side, as the OpenAPI document shows it): the same keys in the same order, keys the schema does not
 * name left out, as zod's encoding leaves them out. The route's schema stays the zod schema, so validation of requests
 * and the OpenAPI document do not change. Every other response keeps the zod serializer. Under vitest each list
 * response is also encoded by zod and must give the same text, so a response that does not match its schema (a
 * number given as a string, a missing field) still fails the tests.
 */

/** Off, list responses are encoded by zod as every other response (`npm run bench` and the tests compare). */
export const listSerializerSettings = { enabled: true };

/** How many responses the compiled serializer wrote (a test checks that the lists use it). */
export const listSerializerStats = { written: 0 };

const verifying = process.env.VITEST !== undefined;

type ZodRouteSchema = z.ZodType | { properties: z.ZodType };

/** A page of a list: an object with `items` (an array), `total`, `page` and `pageSize`. */
function isPage(schema: unknown): schema is z.ZodObject {
  if (!(schema instanceof z.ZodObject)) return false;
  const shape = schema.shape as Record<string, unknown>;
  return shape.items instanceof z.ZodArray && 'total' in shape && 'page' in shape && 'pageSize' in shape;
}

/**
 * The JSON Schema as fast-json-stringify should read it to write zod's text:
 * - zod writes a nullable value as `anyOf: [X, { type: 'null' }]`, which fast-json-stringify resolves by validating
 *   each value against the alternatives; `nullable: true` on X writes the same text without that check;
 * - fast-json-stringify writes an object's required properties before its optional ones (`totalCapped` would move
 *   behind `pageSize`), so `required` is left out: the properties come in the schema's order, as zod writes them, and
 *   an absent one is left out (zod would refuse it; under vitest zod's check still runs).
 */
function writable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(writable);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => !(k === 'required' && Array.isArray(v)))
      .map(([k, v]) => [
        k,
        k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, d]) => [p, writable(d)])) : writable(v),
      ]),
  ) as Record<string, unknown>;
  const anyOf = out.anyOf as Record<string, unknown>[] | undefined;
  if (anyOf?.length === 2 && anyOf[1]?.type === 'null' && Object.keys(anyOf[1]).length === 1 && typeof anyOf[0]?.type === 'string') {
    const { anyOf: _anyOf, ...rest } = out;
    return { ...rest, ...anyOf[0], nullable: true };
  }
  return out;
}

/** The compiled writer of a page schema, or undefined when its JSON Schema cannot be compiled (zod's serializer then). */
function compilePage(schema: z.ZodObject): ((data: unknown) => string) | undefined {
  try {
    const { $schema: _version, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
    return fastJson(writable(json) as Parameters<typeof fastJson>[0]);
  } catch {
    return undefined;
  }
}

/** The app's serializer compiler: compiled writers for list pages, zod's serializer for every other response. */
export const listSerializerCompiler: FastifySerializerCompiler<ZodRouteSchema> = (route) => {
  const viaZod = serializerCompiler(route);
  const { schema, method, httpStatus } = route;
  if (method !== 'GET' || String(httpStatus) !== '200' || !isPage(schema)) return viaZod;
  // compiled on the route's first response, so that building the app (every test, every CLI command) does not pay it
  let write: ((data: unknown) => string) | null | undefined;
  return (data: unknown) => {
    if (!listSerializerSettings.enabled) return viaZod(data);
    if (write === undefined) write = compilePage(schema) ?? null;
    if (write === null) return viaZod(data);
    const text = write(data);
    listSerializerStats.written += 1;
    if (verifying) {
      const expected = viaZod(data);
      if (expected !== text) throw new Error(`List response of ${method} ${route.url} differs from zod's encoding: ${text} ≠ ${expected}`);
    }
    return text;
  };
};
