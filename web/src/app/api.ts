import i18n from '../i18n/index.ts';

/**
 * The one HTTP client: JSON in and out, the CSRF header on writes, the user's language (`accept-language`, so that the
 * server words its messages in it), errors as ApiError with the server's code, field and message.
 */
export interface ApiErrorBody {
  error: {
    code: string;
    /** rendered by the server in the language the request asked for */
    message: string;
    field?: string;
    /** the message as a text of the server's catalogs (`errors:recordClosed`) with its parameters */
    key?: string;
    params?: Record<string, string | number | null>;
    details?: Record<string, unknown>;
  };
}

/** The language the server words its answers in: the user's current i18n language. */
export const requestLanguage = (): string => i18n.resolvedLanguage ?? i18n.language ?? 'en';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly key: string | undefined;
  readonly params: Record<string, string | number | null> | undefined;
  constructor(status: number, body: ApiErrorBody['error']) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
    this.key = body.key;
    this.params = body.params;
  }
  /** `body.name` → `name`, `body.tags.2` → `tags.2`: for putting the message on a form field */
  get formField(): string | undefined {
    return this.field?.startsWith('body.') ? this.field.slice(5) : undefined;
  }
  /** The message without the `body.name: ` prefix that validation errors carry */
  get fieldMessage(): string {
    return this.field && this.message.startsWith(`${this.field}: `) ? this.message.slice(this.field.length + 2) : this.message;
  }
}

/** A readable message for any error, for notifications and alerts. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403 && error.code === 'csrf_failed') return i18n.t('errors.csrf');
    return error.message;
  }
  if (error instanceof TypeError) return i18n.t('errors.unreachable');
  if (error instanceof Error) return error.message;
  return i18n.t('errors.generic');
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthenticated: (() => void) | null = null;
/** Called when a request made with a session gets 401: the session expired or was ended elsewhere. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}
/** Endpoints whose 401 is an answer, not an expired session. */
const quiet401 = ['/api/auth/login', '/api/auth/session', '/api/auth/mfa', '/api/auth/passkey', '/api/setup', '/api/invitations/'];

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': requestLanguage() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data as ApiErrorBody | undefined)?.error ?? {
      code: res.status >= 500 ? 'internal' : 'http_error',
      message: res.status >= 500 ? i18n.t('errors.unavailable') : i18n.t('errors.requestFailed', { status: res.status }),
    };
    if (res.status === 401 && !quiet401.some((p) => path.startsWith(p))) onUnauthenticated?.();
    throw new ApiError(res.status, err);
  }
  return data as T;
}

/**
 * Reads and writes. A write names its answer and its body as type arguments, and the body's type is the server's
 * input type of the route's zod schema (`api.post<RiskDetail, CreateRiskInput>(url, body)`, the input types in
 * app/types.ts and the features' *-types.ts files). The body is never inferred from the argument (`NoInfer`): a write
 * whose body type is not named takes no body (`undefined`), so an object literal that the server's schema does not describe does not
 * compile. A POST without a body (an action: submit, acknowledge) names only its answer.
 */
export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T = void, B extends object | undefined = undefined>(path: string, body?: NoInfer<B>) => request<T>('POST', path, body ?? {}),
  patch: <T = void, B extends object = never>(path: string, body: NoInfer<B>) => request<T>('PATCH', path, body),
  put: <T = void, B extends object = never>(path: string, body: NoInfer<B>) => request<T>('PUT', path, body),
  delete: <T = void>(path: string, query?: Query) => request<T>('DELETE', withQuery(path, query)),
};

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  /** the server stopped counting at `total` (db/paging.ts countCap): more rows match than that */
  totalCapped?: boolean;
}
