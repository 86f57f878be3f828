import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isTransactionAborted, isUniqueViolation } from '../db/errors.ts';
import { type ComposedText, hasText, inLanguage, languageOf, type TextParam, translate } from '../i18n/i18n.ts';
import { AppError, type ErrorCode, errorStatus, errorText } from '../shared/errors.ts';

/**
 * What the multipart parser (@fastify/busboy) throws for a body it cannot read — no boundary, an empty or overlong one,
 * a body that ends before its closing boundary. Its errors carry no code, so their fixed wording is matched.
 */
const malformedMultipart =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|.* terminated early due to unexpected end of multipart data|The needle cannot (be an empty|have a length bigger))/;

/** Fastify's own 4xx refusals by code: the text of the errors catalog that words each, and the field it is about. */
const fastifyTexts: Record<string, { key: string; field?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { key: 'http.unsupportedMediaType', field: 'body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { key: 'http.emptyJsonBody', field: 'body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { key: 'http.contentLength', field: 'body' },
  FST_ERR_CTP_EMPTY_TYPE: { key: 'http.noContentType', field: 'body' },
  FST_ERR_CTP_INVALID_TYPE: { key: 'http.noContentType', field: 'body' },
  FST_ERR_BAD_URL: { key: 'http.badUrl' },
  FST_ERR_INVALID_URL: { key: 'http.badUrl' },
  FST_ERR_MAX_PARAM_LENGTH: { key: 'http.badUrl' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { key: 'file.notMultipart', field: 'file' },
  FST_REQ_FILE_TOO_LARGE: { key: 'file.tooLarge', field: 'file' },
  FST_FILES_LIMIT: { key: 'file.onePerRequest', field: 'file' },
  FST_PARTS_LIMIT: { key: 'file.tooManyFields', field: 'body' },
  FST_FIELDS_LIMIT: { key: 'file.tooManyFields', field: 'body' },
};

/** One problem with a request as fastify-type-provider-zod reports a zod issue. */
interface ValidationProblem {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
  /** the request left the field out (a schema's own type message would hide that) */
  missing?: boolean;
}

/** Whether the request part (`body`, `querystring`, `params`) has nothing at the path. */
export function isMissing(request: { body?: unknown; query?: unknown; params?: unknown }, where: string, instancePath: string): boolean {
  let at: unknown = where === 'querystring' ? request.query : where === 'params' ? request.params : request.body;
  for (const segment of instancePath.split('/').filter(Boolean)) {
    if (at === null || typeof at !== 'object') return true;
    at = (at as Record<string, unknown>)[segment];
  }
  return at === undefined;
}

const words = (value: unknown) => (Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(v)).join(', ');

/**
 * `body.ownerId` → "Owner": the label of the `validation:label` catalog as a text of its own, worded in the reader's
 * language when the message is shown (never fixed in the language of the moment it was thrown); else the last name in
 * the path in words.
 */
function fieldLabel(segments: string[]): TextParam {
  const name = [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? 'body';
  const key = `validation:label.${name}`;
  if (hasText(key)) return { key };
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/ ids?$/, '')
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * A zod issue as a plain sentence of the `validation` catalog that names the field ("Name can have at most 200
 * characters"), instead of the validator's text. A refinement's own message (and the meaning of a pattern) is the
 * schema author's, so it is kept. The field's label is a text of its own in the parameters, so that the message reads
 * in one language wherever it is worded: the reader's (HTTP), the command's (CLI). `_lang` is not needed for that.
 */
export function validationText(_lang: string, problem: ValidationProblem, where: string): { field: string; text: ComposedText } {
  const segments = problem.instancePath.split('/').filter(Boolean);
  const p = problem.params;
  const keys = Array.isArray(p.keys) ? p.keys.map(String) : [];
  if (problem.keyword === 'unrecognized_keys' && keys.length > 0) {
    return {
      field: [where, ...segments, keys[0]].join('.'),
      text: { key: 'validation:unrecognizedKeys', params: { keys: keys.join('", "'), count: keys.length } },
    };
  }
  const field = [where, ...segments].join('.');
  const label = fieldLabel(segments);
  const text = (key: string, params: Record<string, TextParam> = {}): { field: string; text: ComposedText } => ({
    field,
    text: { key: `validation:${key}`, params: { label, ...params } },
  });
  // a schema's own message may be a key of the validation catalog (`validation:noNul`), with the issue's `params`
  const own = (message: string): { field: string; text: ComposedText } | null =>
    /^validation:[\w.]+$/.test(message) && hasText(message)
      ? { field, text: { key: message, params: { label, ...((p.params ?? {}) as Record<string, TextParam>) } } }
      : null;
  const limit = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value));
  switch (problem.keyword) {
    case 'invalid_type': {
      if (problem.missing || /received undefined/i.test(problem.message)) return text('required');
      const expected = String(p.expected ?? 'other');
      return text('invalidType', { expected: hasText(`validation:type.${expected}`) ? expected : 'other' });
    }
    case 'too_small': {
      const origin = String(p.origin ?? '');
      const minimum = limit(p.minimum);
      if ((origin === 'string' || origin === 'array') && minimum === 1) return text('required');
      if (origin === 'string' || origin === 'array' || origin === 'set') {
        return text(`tooSmall.${origin === 'set' ? 'array' : origin}`, { count: Number(minimum) });
      }
      if (origin === 'number' || origin === 'bigint')
        return text(p.inclusive === false ? 'tooSmall.numberExclusive' : 'tooSmall.number', { minimum });
      if (origin === 'date') return text('tooSmall.date', { minimum });
      return text('tooSmall.other');
    }
    case 'too_big': {
      const origin = String(p.origin ?? '');
      const maximum = limit(p.maximum);
      if (origin === 'string' || origin === 'array' || origin === 'set') {
        return text(`tooBig.${origin === 'set' ? 'array' : origin}`, { count: Number(maximum) });
      }
      if (origin === 'number' || origin === 'bigint')
        return text(p.inclusive === false ? 'tooBig.numberExclusive' : 'tooBig.number', { maximum });
      if (origin === 'date') return text('tooBig.date', { maximum });
      return text('tooBig.other');
    }
    case 'invalid_format': {
      const format = String(p.format ?? 'other');
      if (format === 'regex' && own(problem.message)) return own(problem.message)!;
      if (format === 'regex' && !/^Invalid string/i.test(problem.message)) return text('custom', { message: sentence(problem.message) });
      return text(hasText(`validation:invalidFormat.${format}`) ? `invalidFormat.${format}` : 'invalidFormat.other', {
        prefix: p.prefix === undefined ? null : String(p.prefix),
        suffix: p.suffix === undefined ? null : String(p.suffix),
        includes: p.includes === undefined ? null : String(p.includes),
      });
    }
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values : [];
      return text('invalidValue', { options: words(values), count: values.length });
    }
    case 'not_multiple_of':
      return text('notMultipleOf', { divisor: limit(p.divisor) });
    case 'custom':
      return own(problem.message) ?? text('custom', { message: sentence(problem.message) });
    case 'forbidden_character':
      return text('forbiddenCharacter', { character: String(p.character ?? '') });
    default:
      return text('invalid');
  }
}

/**
 * A schema author's message as a sentence: "edge must name …" → "Edge must name …"; a first word that is a field's
 * name in camelCase ("endsOn must …") stays as it is.
 */
const sentence = (message: string) => (/^[a-z]+(?![A-Za-z])/.test(message) ? message.charAt(0).toUpperCase() + message.slice(1) : message);

/**
 * Maps every failure to `{ error: { code, message, field?, key?, params?, details? } }` with a 4xx for anything the
 * client can fix. The message is rendered in the reader's language (`Accept-Language`, else English); `key` and
 * `params` are the message as a text of the server's catalogs, for clients that word it themselves.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const send = (
    reply: FastifyReply,
    lang: string,
    status: number,
    code: ErrorCode | 'internal',
    message: string | ComposedText,
    more: { field?: string | undefined; details?: Record<string, unknown> | undefined } = {},
  ) =>
    reply
      .status(status)
      // an export route may have set its file's type and name before its stream failed: the error is JSON, not a file
      .removeHeader('content-disposition')
      .type('application/json; charset=utf-8')
      .send({
        error: {
          code,
          message: typeof message === 'string' ? message : translate(lang, message.key, message.params),
          ...(more.field && { field: more.field }),
          // a parameter that is a text of its own (a field's label) is sent in the words of the message
          ...(typeof message !== 'string' && { key: message.key, params: inLanguage(lang, message.params ?? {}) }),
          ...(more.details && { details: more.details }),
        },
      });

  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const lang = languageOf(request.headers['accept-language']);
    if (err instanceof AppError) {
      return send(reply, lang, errorStatus[err.code], err.code, err.text ?? err.message, { field: err.field, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const problem: ValidationProblem = {
        keyword: first?.keyword ?? 'invalid',
        instancePath: first?.instancePath ?? '',
        message: first?.message ?? '',
        params: (first?.params ?? {}) as Record<string, unknown>,
        missing: first?.keyword === 'invalid_type' && isMissing(request, err.validationContext ?? 'body', first.instancePath ?? ''),
      };
      const { field, text } = validationText(lang, problem, err.validationContext ?? 'body');
      return send(reply, lang, 400, 'validation_failed', text, { field });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe instanceof SyntaxError && fe.statusCode === 400)) {
      return send(reply, lang, 400, 'validation_failed', errorText('invalidJson'), { field: 'body' });
    }
    if (!fe.code && malformedMultipart.test(fe.message ?? '')) {
      return send(reply, lang, 400, 'validation_failed', errorText('malformedMultipart'), { field: 'body' });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, lang, 413, 'payload_too_large', errorText('bodyTooLarge'), { field: 'body' });
    }
    if (fe.statusCode === 429) {
      return send(reply, lang, 429, 'rate_limited', errorText('rateLimited'));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's (and its plugins') own refusals as catalog texts, never their English wording
      const known = fastifyTexts[fe.code ?? ''];
      const text = known
        ? errorText(known.key, { type: String(request.headers['content-type'] ?? '').split(';')[0] ?? '' })
        : errorText('http.refused', { status: fe.statusCode });
      return send(reply, lang, fe.statusCode, fe.statusCode === 413 ? 'payload_too_large' : 'validation_failed', text, {
        field: known?.field,
      });
    }
    // a writer that lost a race to a concurrent insert of the same key: nothing was saved, and trying again helps
    if (isUniqueViolation(err)) {
      return send(reply, lang, 409, 'duplicate', errorText('concurrentInsert'));
    }
    if (isTransactionAborted(err)) {
      request.log.warn({ err }, 'transaction aborted by the database (deadlock or serialization failure)');
      return send(reply, lang, 409, 'version_conflict', errorText('concurrentChange'));
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, lang, 500, 'internal', errorText('internal'));
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      languageOf(request.headers['accept-language']),
      404,
      'not_found',
      errorText('noRoute', {
        method: request.method,
        path: request.url.split('?')[0] ?? '',
      }),
    ),
  );
}
