import fs from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { blobKey, type FileStorage, type FilesLocation, SHA256_HEX, type StoredObject } from './file-storage.ts';

/*
 * Stored files on S3-compatible object storage (AWS S3, MinIO, Ceph, R2, …) through the AWS SDK v3, so that several
 * app instances share them. Uploads are spooled to a local file while they are hashed and type-checked (nothing
 * reaches the bucket before it is accepted), then streamed from that file with their length; downloads stream the
 * object's body. Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile,
 * an instance role); the URL never carries them.
 */

const isNotFound = (e: unknown) =>
  e instanceof S3ServiceException
    ? e.$metadata.httpStatusCode === 404 || e.name === 'NoSuchKey' || e.name === 'NotFound'
    : (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

export class S3FileStorage implements FileStorage {
  readonly kind = 's3' as const;
  readonly location: string;
  readonly spoolDir: string;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(where: Extract<FilesLocation, { kind: 's3' }>, spoolDir: string) {
    this.bucket = where.bucket;
    this.prefix = where.prefix;
    this.spoolDir = spoolDir;
    this.location = `s3://${where.bucket}/${where.prefix}${where.endpoint ? ` at ${where.endpoint}` : ''}`;
    this.client = new S3Client({
      endpoint: where.endpoint,
      region: where.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      forcePathStyle: where.forcePathStyle,
    });
  }

  private key(sha256: string): string {
    return `${this.prefix}${blobKey(sha256)}`;
  }

  /**
   * Always writes the object, also when the content is already there: object stores cannot touch an object, and a
   * fresh write is what keeps the orphan sweep off content that a record is about to refer to again. The content's
   * SHA-256 goes along, so that a store that checks it refuses a corrupted transfer (and the SDK sends the body as
   * it is, not in its chunked checksum framing, which not every S3-compatible server understands).
   */
  async putFile(sha256: string, localFile: string, size: number): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(sha256),
          Body: fs.createReadStream(localFile),
          ContentLength: size,
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
    } finally {
      await fs.promises.rm(localFile, { force: true });
    }
  }

  async get(sha256: string): Promise<{ stream: Readable; size: number } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      if (!out.Body) return null;
      return { stream: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async stat(sha256: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return { sha256, size: Number(out.ContentLength ?? 0), modifiedAt: out.LastModified ?? new Date(0) };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const rest = (o.Key ?? '').slice(this.prefix.length);
        const sha256 = rest.split('/').pop() ?? '';
        // only content addresses: anything else under the prefix is not ours
        if (!SHA256_HEX.test(sha256) || rest !== blobKey(sha256)) continue;
        yield { sha256, size: Number(o.Size ?? 0), modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
