import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Tx } from '../db/database.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText, notFound } from '../shared/errors.ts';
import { blobKey, fileStorage, parseFilesUrl, SHA256_HEX, type StoredObject } from './file-storage.ts';

/*
 * Content-addressed file store (ISO 27001 7.5.3 control of documented information): every file is stored once under
 * its SHA-256, written to a temporary file while it is hashed and checked, then moved into the store (file-storage.ts:
 * the local directory PRAXIS_DATA_DIR/files/ab/cd/<sha256> by rename, or S3-compatible object storage). The same
 * content uploaded twice is stored once. Types are decided by the content, never by the name.
 */

export interface StoredFile {
  sha256: string;
  size: number;
  mediaType: string;
}

export interface StoreOptions {
  /** larger files are refused with 413 */
  maxBytes: number;
  /** accepted media types (default: every type that `sniffMediaType` recognises) */
  allowedTypes?: readonly string[];
  /** the uploaded name, to tell plain-text kinds apart (CSV, Markdown, JSON) */
  fileName?: string;
}

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export const OFFICE_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const;

const HEAD_BYTES = 8192;
const TAIL_BYTES = 65536;

const startsWith = (buf: Buffer, bytes: number[] | string, offset = 0) => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return buf.length >= offset + b.length && buf.subarray(offset, offset + b.length).equals(b);
};

/** Programs and scripts are never accepted as evidence. */
function isExecutable(head: Buffer): boolean {
  return (
    startsWith(head, 'MZ') || // Windows PE
    startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) || // Mach-O (and Java class files)
    startsWith(head, '#!') // scripts
  );
}

function textKind(fileName: string | undefined): string {
  const ext = path.extname(fileName ?? '').toLowerCase();
  if (ext === '.csv') return 'text/csv';
  if (ext === '.md' || ext === '.markdown') return 'text/markdown';
  if (ext === '.json') return 'application/json';
  return 'text/plain';
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    // control characters other than tab, line feed, form feed and carriage return
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) control += 1;
  }
  if (control > 0) return false;
  // a UTF-8 sequence may be cut at the end of the head: allow one replacement character
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  return (text.match(/\uFFFD/g) ?? []).length <= 1;
}

/**
 * The media type of a file from its first bytes (and, for ZIP-based Office files, the names in its central directory
 * near the end). Returns null for unknown content; throws for executables.
 */
export function sniffMediaType(head: Buffer, tail: Buffer, fileName?: string): string | null {
  if (isExecutable(head)) {
    throw new AppError('validation_failed', errorText('file.executable'), { field: 'file' });
  }
  if (startsWith(head, '%PDF-')) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'image/webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const names = `${head.toString('latin1')}${tail.toString('latin1')}`;
    if (names.includes('word/document.xml') || names.includes('word/')) return OFFICE_TYPES.docx;
    if (names.includes('xl/workbook.xml') || names.includes('xl/')) return OFFICE_TYPES.xlsx;
    if (names.includes('ppt/presentation.xml') || names.includes('ppt/')) return OFFICE_TYPES.pptx;
    return 'application/zip';
  }
  if (looksLikeText(head)) return textKind(fileName);
  return null;
}

/** The local store's directory (PRAXIS_DATA_DIR/files, unless PRAXIS_FILES_URL names another). */
export const filesDir = (deps: Pick<Deps, 'config'>) => {
  const where = parseFilesUrl(deps.config.filesUrl, deps.config.dataDir);
  return where.kind === 'local' ? where.dir : path.join(deps.config.dataDir, 'files');
};

/** Where a blob lives in the local store: files/ab/cd/<sha256> (tests look there; code goes through `fileStorage`). */
export function blobPath(deps: Pick<Deps, 'config'>, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw notFound('File');
  return path.join(filesDir(deps), ...blobKey(sha256).split('/'));
}

/** Temporary files older than this were left by a process that died while writing; they are removed. */
const STALE_TMP_MS = 24 * 3600 * 1000;
const lastTmpSweep = new Map<string, number>();

/** At most hourly per store: removes temporary files that a crashed write left behind (real file times, not the clock). */
async function sweepStaleTmp(tmpDir: string): Promise<void> {
  const now = Date.now();
  if (now - (lastTmpSweep.get(tmpDir) ?? 0) < 3600 * 1000) return;
  lastTmpSweep.set(tmpDir, now);
  for (const name of await fs.promises.readdir(tmpDir)) {
    const file = path.join(tmpDir, name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > STALE_TMP_MS) await fs.promises.rm(file, { force: true });
  }
}

/**
 * Streams `input` into the store: refuses it with 413 beyond `maxBytes`, with 400 when its type is unknown, not
 * allowed, or executable. Nothing stays behind on refusal. Returns the content's address, size and type.
 */
export async function storeFile(deps: Pick<Deps, 'config'>, input: Readable | Buffer, options: StoreOptions): Promise<StoredFile> {
  const storage = await fileStorage(deps.config);
  const tmpDir = storage.spoolDir;
  await fs.promises.mkdir(tmpDir, { recursive: true });
  await sweepStaleTmp(tmpDir);
  const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  const out = fs.createWriteStream(tmp, { flags: 'wx' });
  let size = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const source = Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const tooLarge = () =>
    new AppError('payload_too_large', errorText('file.largerThan', { megabytes: Math.round(options.maxBytes / (1024 * 1024)) }), {
      field: 'file',
    });
  try {
    let over = false;
    for await (const raw of source) {
      // past the limit the rest is read and dropped (not destroyed), so that a request stream can still finish
      if (over) continue;
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
      size += chunk.length;
      if (size > options.maxBytes) {
        over = true;
        continue;
      }
      hash.update(chunk);
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    // a multipart stream cut short at its size limit
    if (over || (source as Readable & { truncated?: boolean }).truncated) throw tooLarge();
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (size === 0) throw new AppError('validation_failed', errorText('file.empty'), { field: 'file' });
    const mediaType = sniffMediaType(head, tail, options.fileName);
    if (!mediaType) {
      throw new AppError('validation_failed', errorText('file.typeNotAccepted'), { field: 'file' });
    }
    if (options.allowedTypes && !options.allowedTypes.includes(mediaType)) {
      throw new AppError('validation_failed', errorText('file.typeNotAcceptedHere', { mediaType }), { field: 'file' });
    }
    const sha256 = hash.digest('hex');
    // content already stored gets a fresh time: that keeps the orphan sweep off it until the record is committed
    await storage.putFile(sha256, tmp, size);
    return { sha256, size, mediaType };
  } catch (e) {
    // the stream opens its file asynchronously: wait until it is closed, or the file could appear after the removal
    if (!out.closed) {
      await new Promise<void>((resolve) => {
        out.once('close', () => resolve());
        out.destroy();
      });
    }
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/** Records a stored blob in the database (once per content) inside the caller's transaction. */
export async function registerBlobTx(tx: Tx, deps: Pick<Deps, 'clock'>, file: StoredFile): Promise<void> {
  await tx
    .insertInto('file_blob')
    .values({ sha256: file.sha256, size: file.size, media_type: file.mediaType, created_at: isoNow(deps.clock) })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** A readable stream of a stored file; 404 when the content is not in the store. */
export async function openFile(deps: Pick<Deps, 'config'>, sha256: string): Promise<{ stream: Readable; size: number }> {
  if (!SHA256_HEX.test(sha256)) throw notFound('File');
  const file = await (await fileStorage(deps.config)).get(sha256);
  if (!file) throw notFound('File');
  return file;
}

/**
 * Puts content whose SHA-256 is known into the store from a stream (a restore): spooled and hashed first, and refused
 * without a trace when the content does not match its address. No type or size check: the content was accepted when it
 * was first uploaded.
 */
export async function putBlob(deps: Pick<Deps, 'config'>, sha256: string, input: Readable): Promise<StoredObject> {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  const storage = await fileStorage(deps.config);
  await fs.promises.mkdir(storage.spoolDir, { recursive: true });
  const tmp = path.join(storage.spoolDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      input,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      fs.createWriteStream(tmp, { flags: 'wx' }),
    );
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new Error(`the content of ${sha256} hashes to ${actual}`);
    await storage.putFile(sha256, tmp, size);
    return { sha256, size, modifiedAt: new Date() };
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/**
 * After a deletion or disposal has committed: removes the stored files that no record refers to any more (a blob is
 * shared by every record with the same content: policy document versions, evidence), with their `file_blob` rows.
 * Safe to run again; returns how many blobs it removed. The tables that refer to blobs are listed here, in the store
 * that owns them. A store that fails (object storage out of reach) does not fail the deletion that has committed: the
 * blob's row is put back, so that the orphan sweep removes the file later.
 */
export async function removeUnreferencedBlobs(deps: Pick<Deps, 'db' | 'config'>, sha256s: readonly (string | null)[]): Promise<number> {
  return (await removeBlobs(deps, sha256s)).removed;
}

async function removeBlobs(deps: Pick<Deps, 'db' | 'config'>, sha256s: readonly (string | null)[]) {
  let removed = 0;
  const failures: unknown[] = [];
  for (const sha of new Set(sha256s.filter((x): x is string => !!x))) {
    const row = await deps.db.transaction().execute(async (tx) => {
      const [v, e] = await Promise.all([
        tx.selectFrom('document_version').select('id').where('file_id', '=', sha).limit(1).executeTakeFirst(),
        tx.selectFrom('evidence').select('id').where('sha256', '=', sha).limit(1).executeTakeFirst(),
      ]);
      if (v || e) return null;
      const blob = await tx.selectFrom('file_blob').selectAll().where('sha256', '=', sha).executeTakeFirst();
      if (blob) await tx.deleteFrom('file_blob').where('sha256', '=', sha).execute();
      return { blob };
    });
    if (row === null) continue;
    try {
      const storage = await fileStorage(deps.config);
      const existed = (await storage.stat(sha)) !== null;
      await storage.delete(sha);
      if (row.blob || existed) removed++;
    } catch (err) {
      failures.push(err);
      if (row.blob)
        await deps.db
          .insertInto('file_blob')
          .values(row.blob)
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
    }
  }
  return { removed, failures };
}

/**
 * Removes stored files older than `minAgeMs` (their store's times, not the clock) that this database registered
 * (`file_blob`) and no record refers to any more, e.g. left by a clean-up that failed after its deletion committed.
 * Files this database does not know are never touched: another database may share the store (a SQLite trial next to a
 * PostgreSQL installation under the same PRAXIS_DATA_DIR or bucket). Walks the store, so the sweep registry runs it at
 * most once a day per instance. Returns how many it removed.
 */
export async function removeOrphanBlobs(deps: Pick<Deps, 'db' | 'config'>, minAgeMs = STALE_TMP_MS): Promise<number> {
  const now = Date.now();
  const old: string[] = [];
  for await (const o of (await fileStorage(deps.config)).list()) {
    if (now - o.modifiedAt.getTime() > minAgeMs) old.push(o.sha256);
  }
  const known: string[] = [];
  for (let i = 0; i < old.length; i += 500) {
    const rows = await deps.db
      .selectFrom('file_blob')
      .select('sha256')
      .where('sha256', 'in', old.slice(i, i + 500))
      .execute();
    known.push(...rows.map((r) => r.sha256));
  }
  const { removed, failures } = await removeBlobs(deps, known);
  // the sweep reports a store that fails (its rows stay, for the next run)
  if (failures.length) throw failures[0];
  return removed;
}

let lastOrphanSweep = 0;
/** The sweep registry's entry: `removeOrphanBlobs` at most once a day per instance. */
export async function sweepOrphanBlobs(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  if (Date.now() - lastOrphanSweep < 24 * 3600 * 1000) return 0;
  lastOrphanSweep = Date.now();
  return removeOrphanBlobs(deps);
}
