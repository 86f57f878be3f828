import { formatBytes } from '../features/catalogs/upload.ts';
import i18n from '../i18n/index.ts';
import { ApiError, type ApiErrorBody, requestLanguage } from './api.ts';

export { formatBytes };

const statusOfCode: Record<string, number> = { unprocessable: 422, version_conflict: 409, validation_failed: 400, not_found: 404 };

/**
 * Sends a spreadsheet to an import route and follows it: the upload's progress (XMLHttpRequest reports it, fetch does
 * not), then, as the server answers line by line (application/x-ndjson), the rows written so far; resolves with the
 * report of the last line. A refusal of the file is an HTTP error; a refusal of rows is the last line's error (422 with
 * the report in `details.report`); both reject with ApiError.
 */
export function uploadImport<T>(
  url: string,
  file: File,
  options: {
    csrfToken: string | null;
    fields: Record<string, string>;
    signal?: AbortSignal;
    onUpload?: (percent: number) => void;
    onRows?: (done: number, total: number) => void;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/x-ndjson, application/json');
    xhr.setRequestHeader('accept-language', requestLanguage());
    if (options.csrfToken) xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onUpload?.(Math.round((e.loaded / e.total) * 100));
    };
    let read = 0;
    let last: { report?: T; error?: ApiErrorBody['error'] } | null = null;
    const readLines = () => {
      if (xhr.status < 200 || xhr.status >= 300) return;
      const text = xhr.responseText;
      let end = text.indexOf('\n', read);
      while (end !== -1) {
        const line = text.slice(read, end).trim();
        read = end + 1;
        end = text.indexOf('\n', read);
        if (!line) continue;
        const value = JSON.parse(line) as { progress?: { done: number; total: number }; report?: T; error?: ApiErrorBody['error'] };
        if (value.progress) options.onRows?.(value.progress.done, value.progress.total);
        else last = value;
      }
    };
    xhr.onprogress = readLines;
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          readLines();
        } catch {
          last = null;
        }
        const answer = last as { report?: T; error?: ApiErrorBody['error'] } | null;
        if (answer?.report) resolve(answer.report);
        else if (answer?.error) reject(new ApiError(statusOfCode[answer.error.code] ?? 500, answer.error));
        else reject(new ApiError(500, { code: 'internal', message: i18n.t('common:errors.unavailable') }));
        return;
      }
      let data: ApiErrorBody | undefined;
      try {
        data = xhr.responseText ? (JSON.parse(xhr.responseText) as ApiErrorBody) : undefined;
      } catch {
        data = undefined;
      }
      const err = data?.error ?? {
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
    for (const [k, v] of Object.entries(options.fields)) body.append(k, v);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
