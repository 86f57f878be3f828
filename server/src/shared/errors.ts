/** The one error type. Codes are stable: clients and tests rely on them. Mapped to HTTP status in http/errors.ts. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'version_conflict'
  | 'duplicate'
  | 'invalid_state'
  /** a well-formed request that a business rule refuses (e.g. approving an incomplete document): 422 */
  | 'unprocessable'
  | 'setup_already_done'
  | 'csrf_failed'
  | 'rate_limited'
  | 'payload_too_large';

export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  version_conflict: 409,
  duplicate: 409,
  invalid_state: 409,
  unprocessable: 422,
  setup_already_done: 409,
  csrf_failed: 403,
  rate_limited: 429,
  payload_too_large: 413,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  /** the request field the error is about, as a dotted path (e.g. `body.confidentiality`) */
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, options: { field?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this') => new AppError('forbidden', message);
export const invalid = (field: string, message: string) => new AppError('validation_failed', message, { field });
