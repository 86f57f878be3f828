import type { z } from 'zod';
import { validationText } from '../http/errors.ts';
import { AppError } from './errors.ts';

/**
 * A zod issue of a schema that a service checks itself (multipart form fields, input handed over by another process)
 * as the same 400 a route answers: a plain sentence of the `validation` catalog naming the field.
 */
export function issueError(issue: z.core.$ZodIssue, where = 'body'): AppError {
  const { path, code, message, ...params } = issue;
  const problem = { keyword: code, instancePath: `/${path.map(String).join('/')}`, message, params: params as Record<string, unknown> };
  const { field, text } = validationText('en', problem, where);
  return new AppError('validation_failed', text, { field });
}
