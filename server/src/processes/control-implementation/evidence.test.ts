import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPath, OFFICE_TYPES, registerBlobTx, removeOrphanBlobs, sniffMediaType } from '../../files/file-store.ts';
import { multipartBody } from '../../files/multipart-body.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
/** The start of a ZIP whose first entry is word/document.xml, as Word writes it. */
const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26, 0), Buffer.from('word/document.xml<w:document/>')]);

describe('content sniffing (small)', () => {
  it('recognises documents by their bytes, not their names', () => {
    const none = Buffer.alloc(0);
    expect(sniffMediaType(pdf, none, 'report.exe')).toBe('application/pdf');
    expect(sniffMediaType(png, none, 'x.pdf')).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), none)).toBe('image/jpeg');
    expect(sniffMediaType(docx, none, 'a.zip')).toBe(OFFICE_TYPES.docx);
    expect(sniffMediaType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), Buffer.from('xl/workbook.xml'))).toBe(OFFICE_TYPES.xlsx);
    expect(sniffMediaType(Buffer.from('a,b\n1,2\n'), none, 'export.csv')).toBe('text/csv');
    expect(sniffMediaType(Buffer.from('Zugriffsprüfung erledigt\n'), none, 'notes.txt')).toBe('text/plain');
    expect(sniffMediaType(Buffer.from([0x00, 0x01, 0x02, 0xfe, 0x99]), none, 'blob.bin')).toBeNull();
    for (const exe of [Buffer.from('MZ\x90\x00'), Buffer.from('\x7fELF\x02'), Buffer.from('#!/bin/sh\nrm -rf /\n')]) {
      expect(() => sniffMediaType(exe, none, 'evidence.pdf')).toThrow(/Executable/);
    }
  });
});

describe.each(dialects)('evidence on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let dataDir: string;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const base = () => `/api/scopes/${scopeId}/evidence`;

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    // a store of its own for this file (the PostgreSQL harness points PRAXIS_DATA_DIR at the shared temp directory)
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-evidence-'));
    t.deps.config.dataDir = dataDir;
    // a temporary file a crashed upload left two days ago: the next upload removes it
    fs.mkdirSync(path.join(dataDir, 'files', 'tmp'), { recursive: true });
    const stale = path.join(dataDir, 'files', 'tmp', 'stale-upload');
    fs.writeFileSync(stale, 'half a file');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(stale, twoDaysAgo, twoDaysAgo);
    const s = await buildScope(t.deps);
    scopeId = s.scope.id;
    manager = s.manager;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (file: { name: string; content: Buffer | string } | null, fields: Record<string, string | string[]>, user = manager) => {
    const body = multipartBody(file, fields);
    return t.app.inject({ method: 'POST', url: base(), headers: { ...user.headers, ...body.headers }, payload: body.payload });
  };
  const get = (url: string, user = manager) => t.app.inject({ method: 'GET', url, headers: user.headers });
  const counts = async () => {
    const [e, b] = await Promise.all([
      t.deps.db
        .selectFrom('evidence')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('file_blob')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { evidence: Number(e.n), blobs: Number(b.n) };
  };
  const control = async (title: string) =>
    json(await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/controls`, headers: manager.headers, payload: { title } }));

  it('stores an uploaded file once by its SHA-256, however often it is uploaded', async () => {
    const c = await control('Firewall rule review');
    const before = await counts();
    const res = await upload(
      { name: 'firewall-review-Q1.pdf', content: pdf },
      { title: 'Firewall review Q1', evidenceDate: '2026-02-27', validUntil: '2026-05-31', controlIds: c.id },
    );
    expect(res.statusCode, res.body).toBe(201);
    const e = json(res);
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(e).toMatchObject({
      reference: expect.stringMatching(/^EVD-\d{4}$/),
      kind: 'file',
      fileName: 'firewall-review-Q1.pdf',
      mediaType: 'application/pdf',
      size: pdf.length,
      sha256: sha,
      url: null,
      expired: false,
      controlCount: 1,
      createdBy: { id: manager.id },
      version: 1,
    });
    expect(e.controls.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const stored = blobPath(t.deps, sha);
    expect(stored).toBe(path.join(dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha));
    expect(fs.readFileSync(stored).equals(pdf)).toBe(true);

    const again = await upload({ name: 'copy.pdf', content: pdf }, { title: 'Same file again', evidenceDate: '2026-02-28' });
    expect(again.statusCode).toBe(201);
    expect(json(again).sha256).toBe(sha);
    expect(await counts()).toEqual({ evidence: before.evidence + 2, blobs: before.blobs + 1 });
    expect(fs.readdirSync(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
    // the control shows its evidence
    const detail = json(await get(`/api/scopes/${scopeId}/controls/${c.id}`));
    expect(detail.evidence.map((x: { reference: string }) => x.reference)).toEqual([e.reference]);
    expect(detail.evidenceCount).toBe(1);
  });

  it('refuses oversized files, executables, unknown types and bad fields, writing no record', async () => {
    const before = await counts();
    const fields = { title: 'x', evidenceDate: '2026-03-01' };
    const big = await upload({ name: 'big.txt', content: Buffer.alloc(25 * 1024 * 1024 + 10, 0x61) }, fields);
    expect(big.statusCode).toBe(413);
    expect(json(big).error.message).toMatch(/larger than 25 MB/);
    const exe = await upload({ name: 'scan.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 0x90)]) }, fields);
    expect(exe.statusCode).toBe(400);
    expect(json(exe).error).toMatchObject({ field: 'file', message: expect.stringMatching(/Executable/) });
    const unknown = await upload({ name: 'data.bin', content: Buffer.from([0, 1, 2, 3, 254, 255, 0, 7]) }, fields);
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.message).toMatch(/file type is not accepted/);
    const empty = await upload({ name: 'empty.txt', content: '' }, fields);
    expect(empty.statusCode).toBe(400);
    const cases: [Record<string, string>, string][] = [
      [{ evidenceDate: '2026-03-01' }, 'body.title'],
      [{ title: 'x' }, 'body.evidenceDate'],
      [{ title: 'x', evidenceDate: '2026-03-01', validUntil: '2026-02-01' }, 'body.validUntil'],
      [{ title: 'x', evidenceDate: '2026-03-01', colour: 'red' }, 'body.colour'],
      [{ title: 'x', evidenceDate: '2026-03-01', controlIds: 'nope' }, 'body.controlIds.0'],
    ];
    for (const [f, field] of cases) {
      const res = await upload({ name: 'n.txt', content: 'note' }, f);
      expect(res.statusCode, JSON.stringify(f)).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
    const other = await buildScope(t.deps);
    const foreignControl = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${other.scope.id}/controls`,
        headers: other.manager.headers,
        payload: { title: 'Foreign' },
      }),
    );
    const foreign = await upload({ name: 'n.txt', content: 'note' }, { ...fields, controlIds: foreignControl.id });
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign).error.field).toBe('body.controlIds');
    const noFile = await upload(null, fields);
    expect(noFile.statusCode).toBe(400);
    expect(json(noFile).error.field).toBe('file');
    expect((await counts()).evidence).toBe(before.evidence);
    expect(fs.readdirSync(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
  });

  it('downloads only for members who may read evidence, as an attachment of the right type', async () => {
    const e = json(await upload({ name: 'Prüfbericht final.pdf', content: pdf }, { title: 'Audit report', evidenceDate: '2026-03-01' }));
    const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    const employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
    const other = await buildScope(t.deps);
    const url = `${base()}/${e.id}/file`;
    const res = await get(url, viewer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Pr_fbericht final.pdf"; filename*=UTF-8''${encodeURIComponent('Prüfbericht final.pdf')}`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect((await get(url, employee)).statusCode).toBe(403);
    expect((await get(url, other.manager)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    // another scope's evidence through this scope: not found
    expect((await get(`/api/scopes/${other.scope.id}/evidence/${e.id}/file`, other.manager)).statusCode).toBe(404);
  });

  it('records http(s) links and refuses other schemes', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: `${base()}/links`,
      headers: manager.headers,
      payload: { title: 'Pen test ticket', url: 'https://tickets.example.com/SEC-42', evidenceDate: '2026-03-01' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok)).toMatchObject({ kind: 'link', url: 'https://tickets.example.com/SEC-42', sha256: null, fileName: null });
    for (const url of ['javascript:alert(1)', 'ftp://files.example.com/x', 'file:///etc/passwd', 'not a url']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base()}/links`,
        headers: manager.headers,
        payload: { title: 'x', url, evidenceDate: '2026-03-01' },
      });
      expect(res.statusCode, url).toBe(400);
      expect(json(res).error.field).toBe('body.url');
    }
    expect((await get(`${base()}/${json(ok).id}/file`)).statusCode).toBe(409);
  });

  it('flags expired evidence and filters by validity, control and search', async () => {
    const s = await buildScope(t.deps);
    const h = s.manager.headers;
    const url = `/api/scopes/${s.scope.id}/evidence`;
    const link = (title: string, validUntil: string | null) =>
      t.app.inject({
        method: 'POST',
        url: `${url}/links`,
        headers: h,
        payload: { title, url: 'https://example.com/e', evidenceDate: '2026-01-01', validUntil },
      });
    const expired = json(await link('Old certificate', '2026-03-01'));
    const today = json(await link('Ends today', '2026-03-02'));
    const open = json(await link('Without end', null));
    expect([expired.expired, today.expired, open.expired]).toEqual([true, false, false]);
    const q = async (query: string) => json(await t.app.inject({ method: 'GET', url: `${url}?${query}`, headers: h }));
    expect((await q('validity=expired')).items.map((e: { title: string }) => e.title)).toEqual(['Old certificate']);
    expect((await q('validity=valid&sort=title&order=asc')).items.map((e: { title: string }) => e.title)).toEqual([
      'Ends today',
      'Without end',
    ]);
    // ends within 30 days (today included), not yet expired
    expect((await q('validity=expiring')).items.map((e: { title: string }) => e.title)).toEqual(['Ends today']);
    clock.advance(24 * 3600 * 1000);
    expect((await q('validity=expired')).total).toBe(2);
    expect(json(await t.app.inject({ method: 'GET', url: `${url}/${today.id}`, headers: h })).expired).toBe(true);
    clock.advance(-24 * 3600 * 1000);
    const c = json(
      await t.app.inject({ method: 'POST', url: `/api/scopes/${s.scope.id}/controls`, headers: h, payload: { title: 'TLS' } }),
    );
    const attached = await t.app.inject({ method: 'POST', url: `${url}/${open.id}/controls`, headers: h, payload: { controlId: c.id } });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(json(attached)).toMatchObject({ controlCount: 1, version: 2 });
    expect((await q(`controlId=${c.id}`)).items.map((e: { id: string }) => e.id)).toEqual([open.id]);
    expect((await q('q=certificate')).total).toBe(1);
    const detached = await t.app.inject({ method: 'DELETE', url: `${url}/${open.id}/controls/${c.id}`, headers: h });
    expect(detached.statusCode).toBe(200);
    expect(json(detached).controls).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${open.id}/controls/${c.id}`, headers: h })).statusCode).toBe(404);
  });

  it('updates and deletes with a version check', async () => {
    const e = json(await upload({ name: 'n.txt', content: 'Access review notes' }, { title: 'Notes', evidenceDate: '2026-03-01' }));
    expect(e.mediaType).toBe('text/plain');
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${e.id}`,
      headers: manager.headers,
      payload: { version: 1, title: 'Access review notes', validUntil: '2027-03-01' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ version: 2, title: 'Access review notes', validUntil: '2027-03-01' });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${e.id}`,
      headers: manager.headers,
      payload: { version: 1, title: 'x' },
    });
    expect(stale.statusCode).toBe(409);
    const url = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${e.id}`,
      headers: manager.headers,
      payload: { version: 2, url: 'https://example.com' },
    });
    expect(url.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=1`, headers: manager.headers })).statusCode).toBe(409);
    // two records of the same content share one stored file; it goes with the last of them
    const twin = json(await upload({ name: 'copy.txt', content: 'Access review notes' }, { title: 'Copy', evidenceDate: '2026-03-01' }));
    expect(twin.sha256).toBe(e.sha256);
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${e.id}?version=2`, headers: manager.headers })).statusCode).toBe(204);
    expect((await get(`${base()}/${e.id}`)).statusCode).toBe(404);
    expect(fs.existsSync(blobPath(t.deps, e.sha256))).toBe(true);
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${twin.id}?version=1`, headers: manager.headers })).statusCode).toBe(
      204,
    );
    expect(fs.existsSync(blobPath(t.deps, e.sha256))).toBe(false);
    expect(await t.deps.db.selectFrom('file_blob').select('sha256').where('sha256', '=', e.sha256).execute()).toEqual([]);
  });

  it('removes stored files that no record refers to once they are a day old, and keeps the others', async () => {
    const kept = json(await upload({ name: 'kept.txt', content: 'Still evidence' }, { title: 'Kept', evidenceDate: '2026-03-01' }));
    const orphanSha = createHash('sha256').update('left behind').digest('hex');
    const orphan = blobPath(t.deps, orphanSha);
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    fs.writeFileSync(orphan, 'left behind');
    // registered by this database, referred to by nothing (its record went, the clean-up did not run)
    await t.deps.db.transaction().execute((tx) => registerBlobTx(tx, t.deps, { sha256: orphanSha, size: 11, mediaType: 'text/plain' }));
    // a file this database never registered: another database may share the directory
    const foreignSha = createHash('sha256').update('another database').digest('hex');
    const foreign = blobPath(t.deps, foreignSha);
    fs.mkdirSync(path.dirname(foreign), { recursive: true });
    fs.writeFileSync(foreign, 'another database');
    const young = createHash('sha256').update('being uploaded').digest('hex');
    fs.mkdirSync(path.dirname(blobPath(t.deps, young)), { recursive: true });
    fs.writeFileSync(blobPath(t.deps, young), 'being uploaded');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    for (const f of [orphan, foreign, blobPath(t.deps, kept.sha256)]) fs.utimesSync(f, twoDaysAgo, twoDaysAgo);

    expect(await removeOrphanBlobs(t.deps)).toBe(1);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(blobPath(t.deps, kept.sha256))).toBe(true); // referenced by evidence
    expect(fs.existsSync(blobPath(t.deps, young))).toBe(true); // too young: an upload may still be committing
    expect(fs.existsSync(foreign)).toBe(true); // not this database's file
    expect(await removeOrphanBlobs(t.deps)).toBe(0);
    expect((await get(`${base()}/${kept.id}/file`)).statusCode).toBe(200);
  });

  it('runs the same number of SQL statements for a list whatever the page size', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (pageSize: number) => {
      const before = counter.count;
      const res = await get(`${base()}?pageSize=${pageSize}&validity=valid&q=e`);
      expect(res.statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count(1);
    const large = await count(200);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(4);
  });
});
