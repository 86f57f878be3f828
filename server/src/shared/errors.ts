import { type ComposedText, english, hasText, type Text, type TextParam, type TextParams } from '../i18n/i18n.ts';

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

/**
 * A failure with a stable code. Its message is a text of the `errors` (or `validation`) catalog: a key with parameters
 * (`new AppError('invalid_state', errorText('recordClosed', { reference }))`). `message` is its English rendering (for
 * logs, the CLI and tests); the HTTP error handler renders the key in the reader's language and sends key and
 * parameters along, so that clients can word it themselves. There is no plain-string form: every message a user can
 * see is a catalog text (`shared/error-texts.test.ts` also refuses string literals at the call sites). A parameter may
 * be a text of its own (`ComposedText`, e.g. the audit trail's problem inside a restore's refusal), worded in the same
 * language as the text around it.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** the request field the error is about, as a dotted path (e.g. `body.confidentiality`) */
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  /**
   * the message as a key with parameters; a parameter may be a text of its own (a field's label), worded in the
   * reader's language with the message
   */
  readonly text: ComposedText;
  constructor(code: ErrorCode, text: ComposedText, options: { field?: string; details?: Record<string, unknown> } = {}) {
    super(english(text));
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
    this.text = text;
  }
}

/**
 * A text of the `errors` catalog: `errorText('notFound', { what: 'Risk' })`; a parameter may be a text of its own
 * (`errorText('backup.damagedTrail', { problem: verified.text })`).
 */
export function errorText(key: string, params?: TextParams): Text;
export function errorText(key: string, params?: Record<string, TextParam>): ComposedText;
export function errorText(key: string, params?: Record<string, TextParam>): ComposedText {
  return { key: `errors:${key}`, params };
}

/** `Statement of Applicability` → `statementOfApplicability`: where a thing's name is in the `errors:thing` catalog. */
const thingKey = (what: string) => what.toLowerCase().replace(/[^a-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());

/**
 * 404 naming what was not found (`Risk not found`). A thing the `errors:thing` catalog names is a key of it (`thing:
 * 'risk'`), so that each language words it; anything else is named as given.
 */
export const notFound = (what: string) => {
  const thing = thingKey(what);
  return new AppError(
    'not_found',
    hasText(`errors:thing.${thing}`) ? errorText('thingNotFound', { thing, what }) : errorText('notFound', { what }),
  );
};
/** 403: the role does not allow this (`forbidden(errorText('adminOnly'))`). */
export const forbidden = (text: ComposedText = errorText('forbidden')) => new AppError('forbidden', text);
/** 400 about one field: `invalid('body.ownerId', errorText('ownerNotMember'))`. */
export const invalid = (field: string, text: ComposedText) => new AppError('validation_failed', text, { field });
/**
 * 400: the person named in `field` is not a member of this scope ("The handler must be a member of this scope"); who
 * it is comes from the field's name (`body.handlerId` → `errors:field.handler`).
 */
export const notMember = (field: string) => {
  const name = (field.split('.').pop() ?? '').replace(/Ids?$/, '');
  return invalid(field, errorText('memberRequired', { field: hasText(`errors:field.${name}`) ? name : 'other' }));
};
/** 409: the record changed since the client read it; `current` is what it is now (sent as `details.current`). */
export const changedBySomeoneElse = (reference: string, current?: unknown, sinceOpened = false) =>
  versionConflict(errorText(sinceOpened ? 'recordChangedSinceOpened' : 'recordChanged', { reference }), current);
/** 409 with a catalog text of its own (`errors:scopeChanged`), and what the record is now when known. */
export const versionConflict = (text: ComposedText, current?: unknown) =>
  new AppError('version_conflict', text, { ...(current !== undefined && { details: { current } }) });

/**
 * Awaits `work` (a transaction that checks the version the client sent); a version conflict from it is answered with
 * `text` (null: the conflict's own text) and the record as it is now in `details.current`, read by `current()` after the
 * transaction has ended — also when the conflict came from the update itself (`db/versioned.ts`: someone saved between
 * the check and the write).
 */
export async function conflictWithCurrent<T>(work: Promise<T>, text: ComposedText | null, current: () => Promise<unknown>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof AppError && e.code === 'version_conflict' && e.details?.current === undefined) {
      throw new AppError('version_conflict', text ?? e.text, { field: e.field, details: { current: await current() } });
    }
    throw e;
  }
}

/**
 * Awaits `work`; the record a version conflict carries in `details.current` (read in the stored words the audit trail
 * compares: the built-in catalog's English titles, a disposal rule in English) is worded for the reader by `word`.
 */
export async function conflictInWords<T, C = T>(work: Promise<T>, word: (current: C) => C): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const current = e instanceof AppError && e.code === 'version_conflict' ? e.details?.current : undefined;
    if (e instanceof AppError && current !== undefined && current !== null) {
      throw new AppError(e.code, e.text, { field: e.field, details: { ...e.details, current: word(current as C) } });
    }
    throw e;
  }
}
