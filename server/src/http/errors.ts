import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isTransactionAborted, isUniqueViolation } from '../db/errors.ts';
import { AppError, errorStatus } from '../shared/errors.ts';

/** Maps every failure to `{ error: { code, message, field? } }` with a 4xx for anything the client can fix. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(errorStatus[err.code]).send({
        error: {
          code: err.code,
          message: err.message,
          ...(err.field && { field: err.field }),
          ...(err.details && { details: err.details }),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const segments = (first?.instancePath ?? '').split('/').filter(Boolean);
      const where = err.validationContext ?? 'body';
      let path = [where, ...segments].join('.');
      let message = first?.message ?? 'Invalid request';
      const keys = (first?.params as { keys?: string[] } | undefined)?.keys;
      if (first?.keyword === 'unrecognized_keys' && keys?.length) {
        path = [where, ...segments, keys[0]].join('.');
        message = `Unknown field "${keys.join('", "')}"`;
      }
      if (/expected \w+, received undefined/i.test(message)) message = `${path.split('.').pop()} is required`;
      return reply.status(400).send({ error: { code: 'validation_failed', message: `${path}: ${message}`, field: path } });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe instanceof SyntaxError && fe.statusCode === 400)) {
      return reply.status(400).send({ error: { code: 'validation_failed', message: 'The request body is not valid JSON', field: 'body' } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'The request body is too large', field: 'body' } });
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: 'Too many attempts; wait a minute and try again' } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'validation_failed', message: fe.message } });
    }
    // a writer that lost a race to a concurrent insert of the same key: nothing was saved, and trying again helps
    if (isUniqueViolation(err)) {
      return reply.status(409).send({
        error: {
          code: 'duplicate',
          message: 'The same record was saved at the same moment by someone else; nothing was changed. Reload and try again.',
        },
      });
    }
    if (isTransactionAborted(err)) {
      request.log.warn({ err }, 'transaction aborted by the database (deadlock or serialization failure)');
      return reply.status(409).send({
        error: { code: 'version_conflict', message: 'Someone changed the same records at the same moment; nothing was saved. Try again.' },
      });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on the server; the change was not saved' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
