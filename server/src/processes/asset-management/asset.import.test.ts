import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { multipartBody } from '../../files/multipart-body.ts';
import { buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';
import { ASSET_IMPORT_MAX_BYTES, guessMapping } from './asset.import.ts';

type Value = string | number | { formula: string; result?: unknown } | null;

async function xlsx(rows: Value[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Assets');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the guessed column mapping', () => {
  it('reads English and German headers', () => {
    expect(guessMapping(['Reference', 'Name', 'Type', 'Owner email', 'C', 'I', 'A', 'Depends on', 'Remarks x'])).toEqual({
      Reference: 'reference',
      Name: 'name',
      Type: 'type',
      'Owner email': 'owner',
      C: 'confidentiality',
      I: 'integrity',
      A: 'availability',
      'Depends on': 'dependsOn',
      'Remarks x': null,
    });
    expect(
      guessMapping(['Kennung', 'Bezeichnung', 'Typ', 'Verantwortlich', 'Vertraulichkeit', 'Integrität', 'Verfügbarkeit', 'Schlagwörter']),
    ).toEqual({
      Kennung: 'reference',
      Bezeichnung: 'name',
      Typ: 'type',
      Verantwortlich: 'owner',
      Vertraulichkeit: 'confidentiality',
      Integrität: 'integrity',
      Verfügbarkeit: 'availability',
      Schlagwörter: 'tags',
    });
  });
});

describe.each(dialects)('asset spreadsheet import on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  const url = () => `/api/scopes/${scopeId}/imports/assets`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    owner = await buildUser(t.deps, { name: 'Olga Owner', memberships: [[scopeId, 'contributor']] });
  });
  afterAll(() => t.close());

  const send = (content: Buffer | string, fields: Record<string, string> = {}, name = 'assets.xlsx', user = manager) => {
    const body = multipartBody({ name, content }, fields);
    return t.app.inject({ method: 'POST', url: url(), headers: { ...user.headers, ...body.headers }, payload: body.payload });
  };
  const counts = async () => {
    const [a, e] = await Promise.all([
      t.deps.db
        .selectFrom('asset')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('scope_id', '=', scopeId)
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('audit_entry')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { assets: Number(a.n), audit: Number(e.n) };
  };

  it('a dry run reports row by row what would be created and writes nothing', async () => {
    const before = await counts();
    const file = await xlsx([
      ['Name', 'Type', 'Owner', 'Confidentiality', 'Integrity', 'Availability', 'Tags'],
      ['Payroll data', 'information', owner.email, 'high', 'normal', 'sehr hoch', 'hr; personal-data'],
      ['Mail server', 'System', 'Olga Owner', 2, 1, 3, ''],
    ]);
    const res = await send(file);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report).toMatchObject({ dryRun: true, applied: false, mappingSource: 'guessed', summary: { rows: 2, created: 2, refused: 0 } });
    expect(report.rows.map((r: { line: number; outcome: string }) => [r.line, r.outcome])).toEqual([
      [2, 'created'],
      [3, 'created'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses rows with their reasons in words, and the real run then writes nothing (422)', async () => {
    const before = await counts();
    const file = await xlsx([
      ['Reference', 'Name', 'Type', 'Owner', 'C', 'I', 'A', 'Description'],
      ['X-1', 'Good one', 'system', owner.email, 'normal', 'normal', 'normal', 'fine'],
      ['X-2', 'Bad email', 'system', 'olga@@example', 'normal', 'normal', 'normal', ''],
      ['X-3', 'Unknown owner', 'system', 'nobody@example.com', 'normal', 'normal', 'normal', ''],
      ['X-4', 'Out of range', 'system', '', '5', 'normal', 'extreme', ''],
      ['X-1', 'Duplicate reference', 'system', '', 'normal', 'normal', 'normal', ''],
      ['X-6', 'Formula', 'system', '', 'normal', 'normal', 'normal', { formula: 'CONCAT("a","b")', result: 'ab' }],
    ]);
    const dry = json(await send(file));
    expect(dry.summary).toMatchObject({ rows: 6, created: 1, refused: 5 });
    const keys = dry.rows.map((r: { problems: { key: string }[] }) => r.problems.map((p) => p.key.replace('errors:assetImport.', '')));
    expect(keys).toEqual([[], ['badEmail'], ['unknownOwner'], ['levelOutOfRange', 'levelOutOfRange'], ['duplicateReference'], ['formula']]);
    expect(dry.rows[2].problems[0]).toMatchObject({ field: 'owner', column: 'Owner' });
    expect(dry.rows[2].problems[0].message).toContain('nobody@example.com');
    expect(dry.rows[4].problems[0].message).toBe('The reference X-1 already appears in line 2 of the file');
    expect(dry.rows[5].problems[0].message).toContain('formula');

    const real = await send(file, { dryRun: 'false' });
    expect(real.statusCode).toBe(422);
    expect(json(real).error.details.report.summary.refused).toBe(5);
    expect(await counts()).toEqual(before);
  });

  it('names the words to use in the reader’s language when a type or lifecycle status is unknown', async () => {
    const csv = ['Name;Typ;Lebenszyklus', 'Rechenzentrum;Rakete;Kaputt', 'Ohne Typ;;In Betrieb'].join('\n');
    const german = { ...manager, headers: { ...manager.headers, 'accept-language': 'de' } } as TestUser;
    const de = json(await send(csv, {}, 'assets.csv', german));
    const messages = (line: number, report: typeof de) => report.rows[line].problems.map((p: { message: string }) => p.message);
    expect(messages(0, de)).toEqual([
      '„Rakete“ ist kein Asset-Typ; verwenden Sie einen von: Information, System, Dienst, Standort, Person / Rolle, Lieferant',
      '„Kaputt“ ist kein Lebenszyklusstatus; verwenden Sie einen von: Geplant, In Betrieb, Wird außer Betrieb genommen, Außer Betrieb',
    ]);
    expect(messages(1, de)).toEqual([
      'Ein neues Asset braucht einen Typ: einen von Information, System, Dienst, Standort, Person / Rolle, Lieferant',
    ]);
    const en = json(await send(csv, {}, 'assets.csv'));
    expect(messages(0, en)[1]).toBe('"Kaputt" is not a lifecycle status; use one of: planned, in operation, retiring, retired');
  });

  it('refuses an empty sheet, an unreadable file and a file over the limit', async () => {
    const empty = await send(await xlsx([]));
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error).toMatchObject({ field: 'file', key: 'errors:assetImport.emptySheet' });
    const headersOnly = await send('Name,Type\n', {}, 'assets.csv');
    expect(json(headersOnly).error.key).toBe('errors:assetImport.emptySheet');
    const garbage = await send(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]));
    expect(garbage.statusCode).toBe(400);
    expect(json(garbage).error.key).toBe('errors:assetImport.unreadable');
    const large = await send(Buffer.alloc(ASSET_IMPORT_MAX_BYTES + 1, 0x61), {}, 'big.csv');
    expect(large.statusCode).toBe(413);
    const badMapping = await send('Name,Type\nA,system\n', { mapping: '{"Nope":"name"}' }, 'a.csv');
    expect(json(badMapping).error).toMatchObject({ field: 'body.mapping', key: 'errors:assetImport.unknownColumn' });
  });

  it('imports a CSV with German headers: creates, updates by reference, links dependencies, trails each, saves the mapping', async () => {
    const first = await send(
      [
        'Bezeichnung;Typ;Verantwortlich;Vertraulichkeit;Abhängigkeiten',
        'Rechenzentrum;Standort;Olga Owner;normal;',
        'ERP;Anwendung;;hoch;Rechenzentrum',
      ].join('\n'),
      { dryRun: 'false' },
      'assets.csv',
    );
    expect(first.statusCode, first.body).toBe(200);
    const report = json(first);
    expect(report).toMatchObject({ applied: true, summary: { created: 2 } });
    const [dc, erp] = report.rows as { reference: string }[];
    expect(dc!.reference).toMatch(/^AST-\d{4}$/);
    const list = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets?q=ERP`, headers: manager.headers }));
    const detail = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets/${list.items[0].id}`, headers: manager.headers }),
    );
    expect(detail).toMatchObject({ reference: erp!.reference, type: 'service', confidentiality: 'high' });
    expect(detail.dependsOn.map((d: { reference: string }) => d.reference)).toEqual([dc!.reference]);
    const trail = await t.deps.db.selectFrom('audit_entry').select(['action', 'changes']).where('record_id', '=', detail.id).execute();
    expect(trail.map((e) => e.action)).toEqual(['create']);
    expect(JSON.parse(trail[0]!.changes).dependsOn).toEqual({ to: [dc!.reference] });

    // the next file: the saved mapping is offered; a row matched by reference is updated, an unchanged one left alone
    const second = await send(
      [
        `Kennung;Bezeichnung;Typ;Vertraulichkeit`,
        `${erp!.reference};ERP;Anwendung;sehr hoch`,
        `${dc!.reference};Rechenzentrum;Standort;normal`,
      ].join('\n'),
      { dryRun: 'false' },
      'assets.csv',
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(json(second)).toMatchObject({ mappingSource: 'saved', summary: { created: 0, updated: 1, unchanged: 1 } });
    const after = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets/${detail.id}`, headers: manager.headers }));
    expect(after).toMatchObject({ confidentiality: 'very_high', version: 2 });
    expect(after.dependsOn).toHaveLength(1);
    // very high protection hands a re-assessment task to risk assessment, as an edit in the form does
    const tasks = await t.deps.db.selectFrom('task').select('purpose').where('origin_record_id', '=', detail.id).execute();
    expect(tasks.map((k) => k.purpose)).toContain('reassess');
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('re-imports its own CSV export unchanged', async () => {
    const csv = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets.csv`, headers: manager.headers });
    expect(csv.statusCode).toBe(200);
    const dry = json(await send(csv.body, {}, 'assets.csv'));
    expect(dry.mapping).toMatchObject({ reference: 'reference', owner: 'owner', owner_email: null, lifecycle_status: 'lifecycleStatus' });
    expect(dry.summary.rows).toBeGreaterThan(0);
    expect(dry.summary).toMatchObject({ created: 0, updated: 0, refused: 0, unchanged: dry.summary.rows });
  });

  it("re-imports a German reader's CSV export unchanged: German headers and words", async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: manager.headers,
      payload: {
        name: 'Empfang',
        type: 'person',
        lifecycleStatus: 'retiring',
        confidentiality: 'very_high',
        integrity: 'high',
        availability: 'normal',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/assets.csv`,
      headers: { ...manager.headers, 'accept-language': 'de' },
    });
    expect(csv.body).toContain('Person / Rolle,');
    expect(csv.body).toContain('Wird außer Betrieb genommen,Sehr hoch,Hoch,Normal');
    const dry = json(await send(csv.body, {}, 'assets.csv'));
    expect(dry.summary.rows).toBeGreaterThan(1);
    expect(dry.summary).toMatchObject({ created: 0, updated: 0, refused: 0, unchanged: dry.summary.rows });
  });

  it('a failure while writing leaves nothing half-imported', async () => {
    const before = await counts();
    const file = await xlsx([
      ['Name', 'Type', 'Confidentiality'],
      ['Alpha', 'system', 'normal'],
      ['Beta', 'system', 'very high'],
    ]);
    const spy = vi.spyOn(t.deps.events, 'emit').mockRejectedValueOnce(new Error('receiver failed'));
    try {
      const res = await send(file, { dryRun: 'false' });
      expect(res.statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await counts()).toEqual(before);
  });

  it('imports 10,000 rows generated with exceljs', async () => {
    const before = await counts();
    const rows: Value[][] = [['Name', 'Type', 'Owner', 'C', 'I', 'A', 'Tags', 'Depends on']];
    for (let i = 1; i <= 10_000; i++) {
      rows.push([
        `Bulk asset ${i}`,
        i % 2 ? 'system' : 'information',
        owner.email,
        'normal',
        'high',
        'normal',
        'bulk',
        i > 1 ? `Bulk asset ${i - 1}` : '',
      ]);
    }
    const res = await send(await xlsx(rows), { dryRun: 'false' });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(json(res).summary).toMatchObject({ created: 10_000, refused: 0 });
    const after = await counts();
    expect(after.assets - before.assets).toBe(10_000);
    expect(after.audit - before.audit).toBe(10_000);
  }, 120_000);
});
