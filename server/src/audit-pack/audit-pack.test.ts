import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/demo.service.ts';
import { buildScope, buildUser, createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { pdfText } from '../test/document-text.ts';
import { buildAuditPack } from './audit-pack.service.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(dialects)('audit pack on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let auditor: TestUser;
  let zip: JSZip;
  let body: Buffer;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    await seedDemo(t.deps, manager.actor, scopeId);
    auditor = await buildUser(t.deps, { name: 'External auditor', memberships: [[scopeId, 'auditor']] });
    const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit-pack.zip`, headers: auditor.headers });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-pack-.*\.zip"$/);
    body = res.rawPayload;
    zip = await JSZip.loadAsync(body);
  }, 120_000);
  afterAll(async () => t?.close());

  const names = () => Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);

  it('holds the documents that exist now, each built by its module', async () => {
    const files = names();
    for (const expected of [
      'index.pdf',
      'manifest.json',
      'SHA256SUMS',
      '01-scope/scope.pdf',
      '03-risks/risk-method.pdf',
      '03-risks/risk-register.csv',
      '04-treatment/treatment-plan.csv',
      '06-performance/measures.csv',
      '07-competence/awareness.xlsx',
      '10-improvement/nonconformities.csv',
      '11-audit-trail/audit-trail.txt',
    ])
      expect(files, expected).toContain(expected);
    // the demo organisation's policies in force, its SoA (PDF and XLSX), audit reports and minutes
    expect(files.filter((f) => f.startsWith('02-policies/') && f.endsWith('.pdf')).length).toBeGreaterThan(0);
    expect(files.some((f) => f.startsWith('05-soa/') && f.endsWith('.pdf'))).toBe(true);
    expect(files.some((f) => f.startsWith('05-soa/') && f.endsWith('.xlsx'))).toBe(true);
    expect(files.filter((f) => f.startsWith('08-internal-audit/')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('09-management-review/')).length).toBeGreaterThan(0);

    const register = await zip.file('03-risks/risk-register.csv')!.async('string');
    expect(register.split('\n').length).toBeGreaterThan(2);
    // the treatment plan and the findings come from their modules' batched exports: every record of the scope, by reference
    const referencesIn = async (file: string) => [
      ...new Set(
        (await zip.file(file)!.async('string'))
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[0]),
      ),
    ];
    const treatments = await t.deps.db
      .selectFrom('risk_treatment')
      .select('reference')
      .where('scope_id', '=', scopeId)
      .orderBy('reference')
      .execute();
    expect(treatments.length).toBeGreaterThan(0);
    expect(await referencesIn('04-treatment/treatment-plan.csv')).toEqual(treatments.map((r) => r.reference));
    const ncs = await t.deps.db
      .selectFrom('nonconformity')
      .select('reference')
      .where('scope_id', '=', scopeId)
      .orderBy('reference')
      .execute();
    expect(ncs.length).toBeGreaterThan(0);
    expect(await referencesIn('10-improvement/nonconformities.csv')).toEqual(ncs.map((r) => r.reference));
    const policy = files.find((f) => f.startsWith('02-policies/'))!;
    const text = await pdfText(await zip.file(policy)!.async('uint8array'));
    expect(text).toMatch(/Version|version/);
  });

  it('records a SHA-256 manifest that matches every file, the index included', async () => {
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      scope: { id: string };
      files: { path: string; sha256: string; size: number; versionAndApproval: string }[];
    };
    expect(manifest.scope.id).toBe(scopeId);
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual(
      names()
        .filter((n) => n !== 'manifest.json' && n !== 'SHA256SUMS')
        .sort(),
    );
    for (const f of manifest.files) {
      const bytes = await zip.file(f.path)!.async('uint8array');
      expect(sha(bytes), f.path).toBe(f.sha256);
      expect(bytes.length, f.path).toBe(f.size);
      expect(f.versionAndApproval.length, f.path).toBeGreaterThan(0);
    }
    const sums = (await zip.file('SHA256SUMS')!.async('string')).trim().split('\n');
    expect(sums).toEqual(manifest.files.map((f) => `${f.sha256}  ${f.path}`));
    // the policies in force carry their version and approval
    for (const f of manifest.files.filter((x) => x.path.startsWith('02-policies/')))
      expect(f.versionAndApproval).toMatch(/^version \d+, approved by .+ on /);
  });

  it('lists every document with its hash in the index PDF', async () => {
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { files: { path: string; sha256: string }[] };
    const text = (await pdfText(await zip.file('index.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    for (const f of manifest.files.filter((x) => x.path !== 'index.pdf')) {
      expect(text, f.path).toContain(f.path);
      expect(text, f.path).toContain(f.sha256);
    }
  });

  it("notes the pack's creation in the audit trail with the manifest's hash", async () => {
    const manifestHash = sha(await zip.file('manifest.json')!.async('uint8array'));
    const entries = await t.deps.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('scope_id', '=', scopeId)
      .where('record_type', '=', 'audit_pack')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_id).toBe(auditor.id);
    expect(entries[0]!.action).toBe('export');
    expect(JSON.parse(entries[0]!.changes).manifestSha256.to).toBe(manifestHash);
  });

  it('gives times in the words of the asker, not ISO', async () => {
    const iso = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
    const english = (await pdfText(await zip.file('index.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
    expect(english).toMatch(/Generated: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} UTC/);
    expect(english).not.toMatch(iso);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/audit-pack.zip`,
      headers: { ...auditor.headers, 'accept-language': 'de' },
    });
    const german = await JSZip.loadAsync(res.rawPayload);
    for (const file of ['index.pdf', '01-scope/scope.pdf', '03-risks/risk-method.pdf']) {
      const text = (await pdfText(await german.file(file)!.async('uint8array'))).replace(/\s+/g, ' ');
      expect(text, file).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC/);
      expect(text, file).not.toMatch(iso);
    }
    const manifest = JSON.parse(await german.file('manifest.json')!.async('string')) as { files: { versionAndApproval: string }[] };
    for (const f of manifest.files) expect(f.versionAndApproval).not.toMatch(iso);
    // the scope's trail in words: German labels, names and references, no codes, ids or ISO times
    const trail = await german.file('11-audit-trail/audit-trail.txt')!.async('string');
    expect(trail).toContain('Audit-Trail des Anwendungsbereichs in Worten');
    expect(trail).toMatch(/\n#\d+ · \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC · .+ · Risiko RSK-0001: Angelegt\n/);
    expect(trail).not.toMatch(iso);
    expect(trail).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    expect(trail).not.toContain('in_operation');
    const scopes = await t.deps.db.selectFrom('scope').select('name').where('id', '!=', scopeId).execute();
    for (const other of scopes) expect(trail).not.toContain(other.name);
  }, 120_000);

  it('is refused to employees and viewers (403) and to another scope (404), and a refusal writes nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('audit_entry')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('record_type', '=', 'audit_pack')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const role of ['employee', 'viewer', 'contributor'] as const) {
      const u = await buildUser(t.deps, { memberships: [[scopeId, role]] });
      const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit-pack.zip`, headers: u.headers });
      expect(res.statusCode, role).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    }
    const other = await buildScope(t.deps);
    const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit-pack.zip`, headers: other.manager.headers });
    expect(res.statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it('stops building when the reader goes away, and then notes no pack in the trail', async () => {
    const before = await t.deps.db.selectFrom('audit_entry').select('seq').where('record_type', '=', 'audit_pack').execute();
    const pack = await buildAuditPack(t.deps, manager.actor, scopeId);
    const first = await new Promise<Buffer>((resolve) => pack.stream.once('data', resolve));
    expect(first.length).toBeGreaterThan(0);
    pack.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await t.deps.db.selectFrom('audit_entry').select('seq').where('record_type', '=', 'audit_pack').execute();
    expect(after).toHaveLength(before.length);
  });

  it('is built for a manager of a scope with no records too', async () => {
    const empty = await buildScope(t.deps);
    const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${empty.scope.id}/audit-pack.zip`, headers: empty.manager.headers });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const z = await JSZip.loadAsync(res.rawPayload);
    expect(Object.keys(z.files)).toEqual(expect.arrayContaining(['index.pdf', 'manifest.json', '01-scope/scope.pdf']));
  });
});
