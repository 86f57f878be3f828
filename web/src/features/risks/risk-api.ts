import { ApiError, type ApiErrorBody } from '../../app/api.ts';

/**
 * PUT with JSON (the shared client offers get/post/patch/delete): the risk method and a risk's treatment are replaced
 * as a whole. Sends the session's CSRF token; errors become ApiError like every other request.
 */
export async function putJson<T>(path: string, body: unknown, csrfToken: string | null): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method: 'PUT', headers, credentials: 'same-origin', body: JSON.stringify(body) });
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
      message: res.status >= 500 ? 'Praxis is not available right now. Try again in a moment.' : `Request failed (${res.status})`,
    };
    throw new ApiError(res.status, err);
  }
  return data as T;
}
