import i18n, { formatNumber } from '../i18n/index.ts';
import { ApiError, type ApiErrorBody, requestLanguage } from './api.ts';

/**
 * File uploads with XMLHttpRequest, which (unlike fetch) reports upload progress. `uploadFile` answers with JSON;
 * `uploadImport` (import-upload.ts) also reads the server's progress lines. Both open, refuse and send through the
 * helpers below.
 */
export interface UploadOptions {
  /** the form field name of the file */
  field?: string;
  /** extra form fields sent before the file (multipart needs them first to be read before the stream) */
  fields?: Record<string, string>;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  /** the session's CSRF token (useCurrentSession().csrfToken): writes with a session cookie need it */
  csrfToken: string | null;
}

/** A POST of a file to `url`, with the session's headers and the upload's progress in percent. */
export function openUpload(url: string, accept: string, csrfToken: string | null, onProgress?: (percent: number) => void) {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  xhr.withCredentials = true;
  xhr.setRequestHeader('accept', accept);
  xhr.setRequestHeader('accept-language', requestLanguage());
  if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
  };
  return xhr;
}

/** The JSON of an answer, or undefined when it has none or it is not JSON. */
export function answerJson(xhr: XMLHttpRequest): unknown {
  try {
    return xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
  } catch {
    return undefined;
  }
}

/** A refused upload as ApiError: the server's error, or words for an answer without one (too large, unavailable). */
export function uploadRefusal(xhr: XMLHttpRequest): ApiError {
  const err = (answerJson(xhr) as ApiErrorBody | undefined)?.error ?? {
    code: xhr.status === 413 ? 'payload_too_large' : xhr.status >= 500 ? 'internal' : 'http_error',
    message:
      xhr.status === 413
        ? i18n.t('catalogs:upload.tooLarge')
        : xhr.status >= 500
          ? i18n.t('common:errors.unavailable')
          : i18n.t('catalogs:upload.failed', { status: xhr.status }),
  };
  return new ApiError(xhr.status, err);
}

/** Sends the file (after the fields) as multipart/form-data; a network error or a cancellation rejects. */
export function sendUpload(
  xhr: XMLHttpRequest,
  file: File,
  options: Pick<UploadOptions, 'field' | 'fields' | 'signal'>,
  reject: (reason: unknown) => void,
): void {
  xhr.onerror = () => reject(new TypeError('network'));
  xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
  options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
  const body = new FormData();
  for (const [k, v] of Object.entries(options.fields ?? {})) body.append(k, v);
  body.append(options.field ?? 'file', file, file.name);
  xhr.send(body);
}

/**
 * Uploads a file as multipart/form-data. Resolves with the JSON answer; rejects with ApiError carrying the server's
 * code, field and details.
 */
export function uploadFile<T>(url: string, file: File, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = openUpload(url, 'application/json', options.csrfToken, options.onProgress);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(100);
        resolve(answerJson(xhr) as T);
        return;
      }
      reject(uploadRefusal(xhr));
    };
    sendUpload(xhr, file, options, reject);
  });
}

export function formatBytes(n: number): string {
  const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (n < 1024) return i18n.t('catalogs:bytes.b', { size: formatNumber(n) });
  if (n < 1024 * 1024) return i18n.t('catalogs:bytes.kb', { size: formatNumber(n / 1024, oneDecimal) });
  return i18n.t('catalogs:bytes.mb', { size: formatNumber(n / 1024 / 1024, oneDecimal) });
}
