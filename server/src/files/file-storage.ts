import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.ts';
import { ConfigError, configText } from '../config-error.ts';

/*
 * Where stored files live: one interface, two stores.
 *
 * - The local directory (default): PRAXIS_DATA_DIR/files/ab/cd/<sha256>, or the directory of PRAXIS_FILES_URL=file:///path.
 * - S3-compatible object storage: PRAXIS_FILES_URL=s3://bucket/prefix?endpoint=…&region=…, objects <prefix>/ab/cd/<sha256>
 *   (s3-storage.ts, on the AWS SDK; loaded only when configured). Credentials come from the SDK's usual sources: the
 *   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) environment variables, a profile, or an instance role.
 *
 * Content is addressed by its SHA-256 (lower-case hex); the database keeps what a blob is (`file_blob`: size, type) and
 * which records refer to it. Callers outside files/ (uploads, downloads, backup and restore) use `fileStorage(config)` and
 * only the operations below, so that they work on either store. Every operation streams: nothing reads a whole file
 * into memory.
 */

export interface StoredObject {
  sha256: string;
  size: number;
  /** the time the content was last written (or, on the local disk, touched): the orphan sweep keeps young content */
  modifiedAt: Date;
}

export interface FileStorage {
  readonly kind: 'local' | 's3';
  /** where the files are, for logs and messages (never credentials) */
  readonly location: string;
  /** a local directory where uploads are written while they are hashed and checked, before `putFile` */
  readonly spoolDir: string;
  /**
   * Moves a finished local file whose content has this SHA-256 into the store; the local file is gone afterwards.
   * Content that is already stored gets a fresh time, which keeps the orphan sweep off it until its record commits.
   */
  putFile(sha256: string, localFile: string, size: number): Promise<void>;
  /** The content as a stream, with its size; null when the store does not have it. */
  get(sha256: string): Promise<{ stream: Readable; size: number } | null>;
  /** Size and time of the content; null when the store does not have it. */
  stat(sha256: string): Promise<StoredObject | null>;
  /** Removes the content; does nothing when it is not there. */
  delete(sha256: string): Promise<void>;
  /** Every content in the store, in no particular order (the orphan sweep, backups). */
  list(): AsyncIterable<StoredObject>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The relative address of a content in either store: ab/cd/<sha256>. */
export const blobKey = (sha256: string) => `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

export type FilesLocation =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint?: string; region?: string; forcePathStyle: boolean };

/**
 * Reads PRAXIS_FILES_URL: empty → the local directory PRAXIS_DATA_DIR/files; `file:///absolute/path` → that directory;
 * `s3://bucket[/prefix][?endpoint=https://host:port][&region=…][&pathStyle=true|false]` → object storage (path-style
 * addressing by default when an endpoint is given, as most S3-compatible servers expect). Throws a sentence naming the
 * setting (a ConfigError, worded in the CLI's language by `praxis`) when the URL is malformed, so that a wrong setting stops the start rather than the first upload.
 */
export function parseFilesUrl(url: string | undefined, dataDir: string): FilesLocation {
  if (!url) return { kind: 'local', dir: path.join(dataDir, 'files') };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(configText('filesUrl.notAUrl', { value: url }));
  }
  if (u.protocol === 'file:') {
    if (!u.pathname || u.pathname === '/') throw new ConfigError(configText('filesUrl.fileNeedsDirectory'));
    return { kind: 'local', dir: path.resolve(decodeURIComponent(u.pathname)) };
  }
  if (u.protocol !== 's3:') throw new ConfigError(configText('filesUrl.scheme', { value: `${u.protocol}//` }));
  if (u.username || u.password) {
    throw new ConfigError(configText('filesUrl.credentials'));
  }
  const bucket = u.hostname;
  if (!bucket) throw new ConfigError(configText('filesUrl.noBucket'));
  const prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
  const known = new Set(['endpoint', 'region', 'pathStyle']);
  for (const key of u.searchParams.keys()) {
    if (!known.has(key)) throw new ConfigError(configText('filesUrl.unknownParameter', { name: key }));
  }
  const endpoint = u.searchParams.get('endpoint') || undefined;
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new ConfigError(configText('filesUrl.endpoint', { value: endpoint }));
  }
  const pathStyle = u.searchParams.get('pathStyle');
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new ConfigError(configText('filesUrl.pathStyle'));
  }
  return {
    kind: 's3',
    bucket,
    prefix: prefix ? `${prefix}/` : '',
    endpoint,
    region: u.searchParams.get('region') || undefined,
    forcePathStyle: pathStyle === null ? !!endpoint : pathStyle === 'true',
  };
}

/** Content-addressed files in a local directory: ab/cd/<sha256>, written by renaming a finished file into place. */
export class LocalFileStorage implements FileStorage {
  readonly kind = 'local' as const;
  readonly location: string;
  readonly spoolDir: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.location = dir;
    this.spoolDir = path.join(dir, 'tmp');
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, ...blobKey(sha256).split('/'));
  }

  async putFile(sha256: string, localFile: string, _size: number): Promise<void> {
    const target = this.pathOf(sha256);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) {
      await fs.promises.rm(localFile, { force: true });
      const now = new Date();
      await fs.promises.utimes(target, now, now);
    } else {
      await fs.promises.rename(localFile, target);
    }
  }

  async get(sha256: string): Promise<{ stream: Readable; size: number } | null> {
    const stat = await this.stat(sha256);
    if (!stat) return null;
    return { stream: fs.createReadStream(this.pathOf(sha256)), size: stat.size };
  }

  async stat(sha256: string): Promise<StoredObject | null> {
    const stat = await fs.promises.stat(this.pathOf(sha256)).catch(() => null);
    return stat?.isFile() ? { sha256, size: stat.size, modifiedAt: stat.mtime } : null;
  }

  async delete(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    const entries = async (dir: string, pattern: RegExp) =>
      ((await fs.promises.readdir(dir).catch(() => [])) as string[]).filter((n) => pattern.test(n));
    for (const a of await entries(this.dir, /^[0-9a-f]{2}$/)) {
      for (const b of await entries(path.join(this.dir, a), /^[0-9a-f]{2}$/)) {
        for (const sha of await entries(path.join(this.dir, a, b), SHA256_HEX)) {
          const stat = await this.stat(sha);
          if (stat) yield stat;
        }
      }
    }
  }
}

const stores = new WeakMap<Pick<Config, 'dataDir' | 'filesUrl'>, { key: string; store: Promise<FileStorage> }>();

/**
 * The file store of a configuration (made once per configuration and kept, remade when its settings change): the local
 * directory, or object storage when PRAXIS_FILES_URL says s3://. The S3 client is loaded only then.
 */
export function fileStorage(config: Pick<Config, 'dataDir' | 'filesUrl'>): Promise<FileStorage> {
  const key = `${config.dataDir}\n${config.filesUrl ?? ''}`;
  const kept = stores.get(config);
  if (kept?.key === key) return kept.store;
  const where = parseFilesUrl(config.filesUrl, config.dataDir);
  const store =
    where.kind === 'local'
      ? Promise.resolve(new LocalFileStorage(where.dir))
      : import('./s3-storage.ts').then(({ S3FileStorage }) => new S3FileStorage(where, path.join(config.dataDir, 'files', 'tmp')));
  // a failed start (a module that did not load) is not kept: the next call tries again
  store.catch(() => stores.delete(config));
  stores.set(config, { key, store });
  return store;
}
