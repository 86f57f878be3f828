import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { refuseForbiddenText } from '../http/input-guard.ts';
import { languageOf } from '../i18n/i18n.ts';
import { AppError, errorText } from '../shared/errors.ts';

/** Multipart parts as the services read them: form fields and at most one file. */
export interface UploadPart {
  type: 'field' | 'file';
  fieldname: string;
  value?: unknown;
  filename?: string;
  file?: MultipartFile['file'];
}

/** The multipart parts of a request; 400 when the request is not multipart/form-data. */
export function uploadParts(
  request: FastifyRequest,
  limits: { fileSize: number; files?: number; fields?: number },
): AsyncIterable<UploadPart> {
  // checked when the service starts reading (after its permission check), not here
  if (!request.isMultipart()) {
    return (async function* () {
      yield* [];
      throw new AppError('validation_failed', errorText('file.notMultipart'), { field: 'file' });
    })();
  }
  // throwFileSizeLimit: false — the readers check `truncated` themselves and answer 413 (the option is read at runtime
  // but missing from the parts() type)
  const parts = request.parts({
    limits: { fileSize: limits.fileSize, files: limits.files ?? 1, fields: limits.fields ?? 20, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0]);
  return (async function* () {
    try {
      for await (const part of parts) {
        // a form's names, values and file name are text of the request: refused as in every JSON body (input-guard.ts)
        const text = part.type === 'file' ? part.filename : part.value;
        refuseForbiddenText(languageOf(request.headers['accept-language']), { [part.fieldname]: text }, 'body');
        if (part.type === 'file') yield { type: 'file', fieldname: part.fieldname, filename: part.filename, file: part.file };
        else yield { type: 'field', fieldname: part.fieldname, value: part.value };
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'FST_FILES_LIMIT') throw new AppError('validation_failed', errorText('file.onePerRequest'), { field: 'file' });
      if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
        throw new AppError('validation_failed', errorText('file.tooManyFields'), { field: 'body' });
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', errorText('file.tooLarge'), { field: 'file' });
      throw e;
    }
  })();
}

/** Reads the one file of a multipart request into memory (for small documents such as catalogs), bounded by `maxBytes`. */
export async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<{ fileName: string; content: Buffer }> {
  for await (const part of uploadParts(request, { fileSize: maxBytes })) {
    if (part.type !== 'file' || !part.file) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if ((part.file as { truncated?: boolean }).truncated) {
      throw new AppError('payload_too_large', errorText('file.largerThanMax', { megabytes: Math.round(maxBytes / (1024 * 1024)) }), {
        field: 'file',
      });
    }
    return { fileName: part.filename ?? '', content: Buffer.concat(chunks) };
  }
  throw new AppError('validation_failed', errorText('file.missingCatalog'), { field: 'file' });
}
