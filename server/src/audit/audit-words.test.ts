import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExportCommand } from '../cli/audit.actions.ts';
import { buildScope, createScopeContext, dialects, documentRow, requester, type TestContext, type TestUser } from '../test/harness.ts';
import { newId } from '../shared/ids.ts';
import { showAuditValue, withRecords } from '../../../web/src/features/audit/audit-words.ts';
import { exportTrail } from './audit-export.ts';
import { auditWordsIn } from './audit-words.ts';
import { appendAudit } from './audit.service.ts';

/**
 * The trail in words (trail.<lang>.txt of `praxis audit export`) and the records the audit log names: an entry written
 * before the modules wrote references carries a record's id, which is read back as the record's reference and title —
 * in the reader's scope only, in a fixed number of statements.
 */
describe('a value that names a record, in words', () => {
  const control = { type: 'control', id: '01a25227-08b7-7411-a312-ee58fdb76a10', reference: 'CTL-0003', title: 'Backups' };
  const w = withRecords(auditWordsIn('de', []), [control]);

  it('reads a typed reference as the record and keeps the record to link to', () => {
    const links = showAuditValue(w, 'measure', 'links', ['control:CTL-0003', 'process:risk-assessment']);
    expect(links.parts?.[0]).toMatchObject({ text: 'Maßnahme CTL-0003 Backups', record: control });
    expect(links.parts?.[1]?.record).toBeUndefined();
    expect(links.text).toBe('Maßnahme CTL-0003 Backups, Prozess Risikobeurteilung');
  });

  it('reads an id the reader may see as the record, and one they may not as the type and a short id', () => {
    const linked = showAuditValue(w, 'controlled_record', 'linkedRecord', `control:${control.id}`);
    expect(linked).toMatchObject({ text: 'Maßnahme CTL-0003 Backups', record: control });
    const unknown = showAuditValue(w, 'training_course', 'materialDocumentId', '01a25227-0000-7411-a312-ee58fdb76a10');
    expect(unknown).toMatchObject({ text: 'Dokument (ID 01a25227)' });
    expect(unknown.record).toBeUndefined();
  });
});

describe.each(dialects)('the audit trail in words on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let otherScopeId: string;
  let ours: string;
  let theirs: string;
  let dir: string;
  const { call, ok } = requester(() => t);

  /** An entry as an older release wrote it: a training course's material document by its id. */
  const oldEntry = (scope: string, documentId: string) =>
    t.deps.db.transaction().execute((tx) =>
      appendAudit(tx, t.deps, manager.actor, {
        scopeId: scope,
        action: 'update',
        recordType: 'training_course',
        recordId: newId(),
        recordRef: 'TRN-0001',
        changes: { materialDocumentId: { from: null, to: documentId } },
      }),
    );
  const document = async (scope: string, reference: string, title: string) => {
    const row = documentRow({ scope_id: scope, reference, title, status: 'published', created_at: new Date().toISOString() });
    await t.deps.db.insertInto('document').values(row).execute();
    return row.id;
  };

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    otherScopeId = (await buildScope(t.deps, { name: 'Other scope' })).scope.id;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-trail-words-'));
    await ok(
      'POST',
      `/api/scopes/${scopeId}/assets`,
      manager,
      {
        name: 'Mail server',
        type: 'system',
        ownerId: manager.id,
        lifecycleStatus: 'in_operation',
        confidentiality: 'very_high',
      },
      201,
    );
    ours = await document(scopeId, 'POL-0001', 'Acceptable use');
    theirs = await document(otherScopeId, 'POL-0001', 'Secret of another scope');
    await oldEntry(scopeId, ours);
    // an id of another scope's record in this scope's entry: never read as that record
    await oldEntry(scopeId, theirs);
    await t.deps.db.transaction().execute((tx) =>
      appendAudit(tx, t.deps, manager.actor, {
        scopeId,
        action: 'create',
        recordType: 'controlled_record',
        recordId: newId(),
        recordRef: 'REC-0001',
        changes: { linkedRecord: { to: `document:${ours}` }, classification: { to: 'confidential' } },
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports the trail in German words beside trail.txt, which still verifies', async () => {
    const out = path.join(dir, 'de');
    const result = await exportTrail(t.deps, out, 'de');
    expect(result.words).toBe('trail.de.txt');
    const words = fs.readFileSync(path.join(out, 'trail.de.txt'), 'utf8');
    expect(words).toContain('Audit-Trail in Worten');
    expect(words).toMatch(/\n#\d+ · \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC · Scope \w+ · Scope manager · Asset AST-0001: Angelegt\n/);
    expect(words).toMatch(/Beginnt am: \d{1,2}\. [A-ZÄÖÜ][a-zä]+\.? \d{4}\n/);
    expect(words).toContain('Lebenszyklus: In Betrieb');
    expect(words).toContain('Vertraulichkeit: Sehr hoch');
    expect(words).toContain('Typ: System');
    expect(words).toContain('Verantwortlich: Scope manager');
    expect(words).toContain('Schulungsmaterial: — → Dokument POL-0001 Acceptable use');
    expect(words).toContain('Verknüpfter Datensatz: Dokument POL-0001 Acceptable use');
    expect(words).toContain('Anwendungsbereich');
    // no codes, ids or ISO times; another scope's record is not named
    for (const raw of ['in_operation', 'very_high', 'lifecycleStatus', 'training_course', manager.id, ours, 'Secret of another scope']) {
      expect(words).not.toContain(raw);
    }
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(words).not.toMatch(/ [0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(words).toContain('Schulungsmaterial: — → Dokument (ID ');

    // trail.txt is as before: each line's hash is sha256(prev || entry), as the README's recipe checks it
    const lines = fs.readFileSync(path.join(out, 'trail.txt'), 'utf8').trimEnd().split('\n');
    let prev = '0'.repeat(64);
    for (const line of lines) {
      const [seq, p, hash, , ...rest] = line.split(' ');
      expect(p, `entry ${seq}`).toBe(prev);
      expect(
        createHash('sha256')
          .update(`${prev}${rest.join(' ')}`)
          .digest('hex'),
      ).toBe(hash);
      prev = hash!;
    }
    expect(lines).toHaveLength(result.entries);
    expect(fs.readFileSync(path.join(out, 'checkpoint.txt'), 'utf8')).toContain(`:${result.seq}:${prev}:`);
  });

  it('words the export in the language of the acting user of the command', async () => {
    await t.deps.db.updateTable('app_user').set({ language: 'de' }).where('id', '=', manager.id).execute();
    const out = path.join(dir, 'cli');
    const result = await auditExportCommand(t.deps, { out, as: manager.email });
    expect(result.stdout).toContain('trail.de.txt');
    expect(fs.readFileSync(path.join(out, 'trail.de.txt'), 'utf8')).toContain('Lebenszyklus: In Betrieb');
    const english = path.join(dir, 'en');
    await exportTrail(t.deps, english);
    expect(fs.readFileSync(path.join(english, 'trail.en.txt'), 'utf8')).toContain('Lifecycle status: In operation');
  });

  it("names the record an older entry holds by id by its reference and title, only in the reader's scope", async () => {
    const page = await ok('GET', `/api/scopes/${scopeId}/audit?recordType=training_course`, manager);
    const byDocument = new Map(
      page.items.map((e: { changes: { materialDocumentId: { to: string } }; records: unknown[] }) => [
        e.changes.materialDocumentId.to,
        e.records,
      ]),
    );
    expect(byDocument.get(ours)).toEqual([{ type: 'document', id: ours, reference: 'POL-0001', title: 'Acceptable use' }]);
    expect(byDocument.get(theirs)).toEqual([]);
    const linked = await ok('GET', `/api/scopes/${scopeId}/audit?recordType=controlled_record`, manager);
    expect(linked.items[0].records).toEqual([{ type: 'document', id: ours, reference: 'POL-0001', title: 'Acceptable use' }]);
    expect((await call('GET', `/api/scopes/${scopeId}/audit`, manager)).body).not.toContain('Secret of another scope');
  });

  it('lists the audit log in a fixed number of statements however many records its entries name', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (qs: string) => {
      const before = counter.count;
      await ok('GET', `/api/scopes/${scopeId}/audit?${qs}`, manager);
      return counter.count - before;
    };
    await count('pageSize=1');
    // the page and its count
    const plain = await count('recordType=asset&pageSize=50');
    expect(plain).toBe(2);
    // one more for the documents named, however many
    const few = await count('recordType=training_course&pageSize=50');
    expect(few).toBe(plain + 1);
    for (let i = 2; i <= 21; i++) await oldEntry(scopeId, await document(scopeId, `POL-${String(i).padStart(4, '0')}`, `Policy ${i}`));
    expect(await count('recordType=training_course&pageSize=50')).toBe(few);
    const page = await ok('GET', `/api/scopes/${scopeId}/audit?recordType=training_course&pageSize=50`, manager);
    expect(page.items.filter((e: { records: unknown[] }) => e.records.length === 1)).toHaveLength(21);
  });
});
