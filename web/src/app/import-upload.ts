import i18n from '../i18n/index.ts';
import { ApiError, type ApiErrorBody } from './api.ts';
import { formatBytes, openUpload, sendUpload, uploadRefusal } from './upload.ts';

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
    const xhr = openUpload(url, 'application/x-ndjson, application/json', options.csrfToken, options.onUpload);
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
      reject(uploadRefusal(xhr));
    };
    sendUpload(xhr, file, options, reject);
  });
}
