import type { z } from 'zod';
import { isMissing, validationText } from '../http/errors.ts';
import { AppError } from './errors.ts';

/**
 * A zod issue of a schema that a service checks itself (multipart form fields, input handed over by another process)
 * as the same 400 a route answers: a plain sentence of the `validation` catalog naming the field, its label a text of
 * its own that the error handler words in the reader's language. `input` is what was checked, so that a field left out
 * reads "… is required" as on a route.
 */
export function issueError(issue: z.core.$ZodIssue, where = 'body', input?: unknown): AppError {
  const { path, code, message, ...params } = issue;
  const instancePath = `/${path.map(String).join('/')}`;
  const problem = {
    keyword: code,
    instancePath,
    message,
    params: params as Record<string, unknown>,
    missing: code === 'invalid_type' && input !== undefined && isMissing({ body: input }, 'body', instancePath),
  };
  const { field, text } = validationText('en', problem, where);
  return new AppError('validation_failed', text, { field });
}
