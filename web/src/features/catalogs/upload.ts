import { ApiError, type ApiErrorBody, requestLanguage } from '../../app/api.ts';

import i18n, { formatNumber } from '../../i18n/index.ts';

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

/**
 * Uploads a file as multipart/form-data with XMLHttpRequest, which (unlike fetch) reports upload progress.
 * Resolves with the JSON answer; rejects with ApiError carrying the server's code, field and details.
 */
export function uploadFile<T>(url: string, file: File, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', requestLanguage());
    const csrf = options.csrfToken;
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(100);
        resolve(data as T);
        return;
      }
      const err = (data as ApiErrorBody | undefined)?.error ?? {
        code: xhr.status === 413 ? 'payload_too_large' : xhr.status >= 500 ? 'internal' : 'http_error',
        message:
          xhr.status === 413
            ? i18n.t('catalogs:upload.tooLarge')
            : xhr.status >= 500
              ? i18n.t('common:errors.unavailable')
              : i18n.t('catalogs:upload.failed', { status: xhr.status }),
      };
      reject(new ApiError(xhr.status, err));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    for (const [k, v] of Object.entries(options.fields ?? {})) body.append(k, v);
    body.append(options.field ?? 'file', file, file.name);
    xhr.send(body);
  });
}

export function formatBytes(n: number): string {
  const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (n < 1024) return i18n.t('catalogs:bytes.b', { size: formatNumber(n) });
  if (n < 1024 * 1024) return i18n.t('catalogs:bytes.kb', { size: formatNumber(n / 1024, oneDecimal) });
  return i18n.t('catalogs:bytes.mb', { size: formatNumber(n / 1024 / 1024, oneDecimal) });
}
