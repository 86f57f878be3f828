import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup } from '../backup/backup.service.ts';
import { loadConfig } from '../config.ts';
import { buildScope, createTestContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';
import { startS3 } from '../test/s3-server.ts';
import { blobKey, fileStorage, parseFilesUrl } from './file-storage.ts';
import { openFile, putBlob, registerBlobTx, removeOrphanBlobs } from './file-store.ts';
import { multipartBody } from './multipart-body.ts';

const pdf = (body: string | Buffer) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(body), Buffer.from('\n%%EOF\n')]);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('PRAXIS_FILES_URL (small)', () => {
  it('reads s3:// and file:// locations and names what is wrong with a bad one', () => {
    expect(parseFilesUrl(undefined, '/srv/praxis')).toEqual({ kind: 'local', dir: '/srv/praxis/files' });
    expect(parseFilesUrl('file:///mnt/shared/praxis-files', '/srv/praxis')).toEqual({ kind: 'local', dir: '/mnt/shared/praxis-files' });
    expect(parseFilesUrl('s3://isms-files/prod/praxis?endpoint=https://minio.internal:9000&region=eu-central-1', '.')).toEqual({
      kind: 's3',
      bucket: 'isms-files',
      prefix: 'prod/praxis/',
      endpoint: 'https://minio.internal:9000',
      region: 'eu-central-1',
      forcePathStyle: true,
    });
    // AWS itself: virtual-hosted addressing, region from the URL or the AWS variables
    expect(parseFilesUrl('s3://isms-files', '.')).toMatchObject({ bucket: 'isms-files', prefix: '', forcePathStyle: false });
    expect(parseFilesUrl('s3://b/p?endpoint=http://h:1&pathStyle=false', '.')).toMatchObject({ forcePathStyle: false });
    expect(() => parseFilesUrl('https://bucket/prefix', '.')).toThrow(/PRAXIS_FILES_URL must start with s3:\/\/ or file:\/\//);
    expect(() => parseFilesUrl('s3://key:secret@bucket/p', '.')).toThrow(/must not contain credentials/);
    expect(() => parseFilesUrl('s3://bucket/p?endpiont=http://h', '.')).toThrow(/unknown parameter "endpiont"/);
    expect(() => parseFilesUrl('s3://bucket/p?endpoint=minio:9000', '.')).toThrow(/endpoint must be an http\(s\) URL/);
    expect(() => loadConfig({ PRAXIS_FILES_URL: 's3:///no-bucket' })).toThrow(/needs a bucket/);
    expect(loadConfig({ PRAXIS_FILES_URL: ' s3://b/p ' }).filesUrl).toBe('s3://b/p');
  });
});

describe.each(dialects)('stored files on S3-compatible storage, %s', (dialect) => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let spool: string;
  const prefix = `${dialect}/files`;
  const base = () => `/api/scopes/${scopeId}/evidence`;

  beforeAll(async () => {
    s3 = await startS3();
    t = await createTestContext(dialect);
    // the bucket holds the files; the data directory only spools uploads while they are hashed and checked
    spool = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-spool-'));
    t.deps.config.dataDir = spool;
    t.deps.config.filesUrl = s3.url(prefix);
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
    fs.rmSync(spool, { recursive: true, force: true });
  });

  const upload = (name: string, content: Buffer, title = name) => {
    const body = multipartBody({ name, content }, { title, evidenceDate: '2026-02-27' });
    return t.app.inject({ method: 'POST', url: base(), headers: { ...manager.headers, ...body.headers }, payload: body.payload });
  };
  const objectOf = async (hash: string) => {
    try {
      const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${blobKey(hash)}` }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw e;
    }
  };

  it('uploads evidence into the bucket, downloads it from there, and deletes it with its last record', async () => {
    const content = pdf('Firewall review Q1');
    const res = await upload('firewall-review.pdf', content);
    expect(res.statusCode, res.body).toBe(201);
    const e = json(res);
    expect(e.sha256).toBe(sha(content));
    // the object is in the bucket under the prefix, byte for byte; nothing stays on the local disk
    expect((await objectOf(e.sha256))?.equals(content)).toBe(true);
    expect(fs.existsSync(path.join(spool, 'files', e.sha256.slice(0, 2)))).toBe(false);
    expect(fs.readdirSync(path.join(spool, 'files', 'tmp'))).toEqual([]);

    const download = await t.app.inject({ method: 'GET', url: `${base()}/${e.id}/file`, headers: manager.headers });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(Number(download.headers['content-length'])).toBe(content.length);
    expect(download.rawPayload.equals(content)).toBe(true);

    // the same content again: one object, shared by both records; it goes with the last of them
    const twin = json(await upload('copy.pdf', content, 'Copy'));
    expect(twin.sha256).toBe(e.sha256);
    expect((await s3.keys(prefix)).filter((k) => k?.endsWith(e.sha256))).toHaveLength(1);
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=1`, headers: manager.headers })).statusCode).toBe(204);
    expect(await objectOf(e.sha256)).not.toBeNull();
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${twin.id}?version=1`, headers: manager.headers })).statusCode).toBe(
      204,
    );
    expect(await objectOf(e.sha256)).toBeNull();
    expect(await t.deps.db.selectFrom('file_blob').select('sha256').where('sha256', '=', e.sha256).execute()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `${base()}/${twin.id}/file`, headers: manager.headers })).statusCode).toBe(404);
  });

  it('refuses an executable or an oversized file before anything reaches the bucket', async () => {
    const before = await s3.keys(prefix);
    const exe = await upload('tool.pdf', Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(64)]));
    expect(exe.statusCode).toBe(400);
    expect(json(exe).error.field).toBe('file');
    const big = await upload('huge.pdf', pdf(Buffer.alloc(26 * 1024 * 1024, 0x41)));
    expect(big.statusCode).toBe(413);
    expect(await s3.keys(prefix)).toEqual(before);
    expect(fs.readdirSync(path.join(spool, 'files', 'tmp'))).toEqual([]);
  });

  it('streams a large file up and down unchanged', async () => {
    const content = pdf(randomBytes(12 * 1024 * 1024));
    const res = await upload('scan.pdf', content);
    expect(res.statusCode, res.body).toBe(201);
    const e = json(res);
    // read through the store in chunks: the body arrives as a stream, not as one buffer
    const { stream, size } = await openFile(t.deps, e.sha256);
    expect(size).toBe(content.length);
    const hash = createHash('sha256');
    let chunks = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      chunks++;
    }
    expect(hash.digest('hex')).toBe(sha(content));
    expect(chunks).toBeGreaterThan(1);
    const download = await t.app.inject({ method: 'GET', url: `${base()}/${e.id}/file`, headers: manager.headers });
    expect(sha(download.rawPayload)).toBe(sha(content));
  });

  it('answers 404 when the object is missing from the bucket, not 500', async () => {
    const content = pdf('Lost in the bucket');
    const e = json(await upload('lost.pdf', content));
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${blobKey(e.sha256)}` }));
    const res = await t.app.inject({ method: 'GET', url: `${base()}/${e.id}/file`, headers: manager.headers });
    expect(res.statusCode).toBe(404);
    // and the record still goes (a backup would refuse a record whose file is gone)
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=1`, headers: manager.headers })).statusCode).toBe(204);
  });

  it('keeps a deletion when the bucket is out of reach, and leaves the file to the orphan sweep', async () => {
    const content = pdf('Deleted while the bucket was away');
    const e = json(await upload('away.pdf', content));
    const url = t.deps.config.filesUrl;
    t.deps.config.filesUrl = s3.url(prefix).replace(`s3://${s3.bucket}/`, 's3://no-such-bucket/');
    try {
      const res = await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=1`, headers: manager.headers });
      expect(res.statusCode, res.body).toBe(204);
      // the row stays registered, so that the sweep finds the file; the sweep reports the store's failure
      expect(await t.deps.db.selectFrom('file_blob').select('sha256').where('sha256', '=', e.sha256).execute()).toHaveLength(1);
      await expect(removeOrphanBlobs(t.deps, -60_000)).rejects.toThrow();
    } finally {
      t.deps.config.filesUrl = url;
    }
    expect((await t.app.inject({ method: 'GET', url: `${base()}/${e.id}`, headers: manager.headers })).statusCode).toBe(404);
    expect(await objectOf(e.sha256)).not.toBeNull();
    expect(await removeOrphanBlobs(t.deps, -60_000)).toBeGreaterThanOrEqual(1);
    expect(await objectOf(e.sha256)).toBeNull();
    expect(await t.deps.db.selectFrom('file_blob').select('sha256').where('sha256', '=', e.sha256).execute()).toEqual([]);
  });

  it('restores content by its address and refuses content that does not match it', async () => {
    const content = Buffer.from('restored from a backup');
    const stored = await putBlob(t.deps, sha(content), Readable.from([content.subarray(0, 5), content.subarray(5)]));
    expect(stored).toMatchObject({ sha256: sha(content), size: content.length });
    expect((await objectOf(sha(content)))?.equals(content)).toBe(true);
    const wrong = sha('something else');
    await expect(putBlob(t.deps, wrong, Readable.from([content]))).rejects.toThrow(/hashes to/);
    expect(await objectOf(wrong)).toBeNull();
    expect(fs.readdirSync(path.join(spool, 'files', 'tmp'))).toEqual([]);
    const listed = [];
    for await (const o of (await fileStorage(t.deps.config)).list()) listed.push(o.sha256);
    expect(listed).toContain(sha(content));
  });

  it('sweeps registered objects that no record refers to, and never touches objects it does not know', async () => {
    const kept = json(await upload('kept.pdf', pdf('Still evidence')));
    const orphan = Buffer.from('left behind');
    await putBlob(t.deps, sha(orphan), Readable.from([orphan]));
    await t.deps.db
      .transaction()
      .execute((tx) => registerBlobTx(tx, t.deps, { sha256: sha(orphan), size: orphan.length, mediaType: 'text/plain' }));
    // an object another installation put under the same prefix, and one that is no content address at all
    const foreign = Buffer.from('another database');
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${blobKey(sha(foreign))}`, Body: foreign }));
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/README.txt`, Body: 'not ours' }));

    // object stores cannot back-date an object: an age limit below zero counts every object as old enough
    expect(await removeOrphanBlobs(t.deps, -60_000)).toBe(1);
    expect(await objectOf(sha(orphan))).toBeNull();
    expect(await objectOf(kept.sha256)).not.toBeNull();
    expect(await objectOf(sha(foreign))).not.toBeNull();
    await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/README.txt` }));
    // a young object is left alone by the daily sweep's age limit
    expect(await removeOrphanBlobs(t.deps)).toBe(0);
  });

  it('keeps files in another directory with PRAXIS_FILES_URL=file:///path (a volume several instances mount)', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-shared-files-'));
    const url = t.deps.config.filesUrl;
    t.deps.config.filesUrl = `file://${shared}`;
    try {
      const content = pdf('On the shared volume');
      const e = json(await upload('volume.pdf', content));
      expect(fs.readFileSync(path.join(shared, ...blobKey(e.sha256).split('/'))).equals(content)).toBe(true);
      const download = await t.app.inject({ method: 'GET', url: `${base()}/${e.id}/file`, headers: manager.headers });
      expect(download.rawPayload.equals(content)).toBe(true);
      expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=1`, headers: manager.headers })).statusCode).toBe(204);
      expect(fs.existsSync(path.join(shared, ...blobKey(e.sha256).split('/')))).toBe(false);
    } finally {
      t.deps.config.filesUrl = url;
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });

  it('backs up the files from the bucket and restores them into another installation through its store', async () => {
    const content = pdf('Kept across a move');
    const e = json(await upload('moved.pdf', content));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-s3-backup-'));
    const target = await createTestContext(dialect);
    try {
      const archive = path.join(dir, 'praxis.tar.gz');
      await createBackup(t.deps, archive);
      // the new installation keeps its files under a prefix of its own
      target.deps.config.dataDir = dir;
      target.deps.config.filesUrl = s3.url(`${prefix}-restored`);
      await restoreBackup(target.deps, archive);
      expect(await s3.keys(`${prefix}-restored`)).toContain(`${prefix}-restored/${blobKey(e.sha256)}`);
      const download = await target.app.inject({ method: 'GET', url: `${base()}/${e.id}/file`, headers: manager.headers });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(content)).toBe(true);
    } finally {
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
