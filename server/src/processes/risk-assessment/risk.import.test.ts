import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { multipartBody } from '../../files/multipart-body.ts';
import { IMPORT_MAX_BYTES } from '../../shared/import/import.schemas.ts';
import { buildScope, buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';

type Value = string | number | Date | { formula: string; result?: unknown } | null;

async function xlsx(rows: Value[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Risks');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(dialects)('risk spreadsheet import on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let server: { reference: string };
  const url = (scope = scopeId) => `/api/scopes/${scope}/imports/risks`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    owner = await buildUser(t.deps, { name: 'Rita Owner', memberships: [[scopeId, 'contributor']] });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    outsider = (await buildScope(t.deps)).manager;
    const asset = (payload: { name: string; type: string }) =>
      t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/assets`, headers: manager.headers, payload });
    server = json(await asset({ name: 'Mail server', type: 'system' }));
    await asset({ name: 'Payroll data', type: 'information' });
  });
  afterAll(() => t.close());

  const send = (content: Buffer | string, fields: Record<string, string> = {}, name = 'risks.xlsx', user = manager, lang = 'en') => {
    const body = multipartBody({ name, content }, fields);
    return t.app.inject({
      method: 'POST',
      url: url(),
      headers: { ...user.headers, ...body.headers, 'accept-language': lang },
      payload: body.payload,
    });
  };
  const counts = async () => {
    const [r, e, k] = await Promise.all([
      t.deps.db
        .selectFrom('risk')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('scope_id', '=', scopeId)
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('audit_entry')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('task')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { risks: Number(r.n), audit: Number(e.n), tasks: Number(k.n) };
  };
  const header = ['Reference', 'Title', 'Threat', 'Owner', 'Assets', 'C', 'I', 'A', 'Likelihood', 'Impact', 'Next review'];

  it('a dry run reports row by row what would be created and writes nothing', async () => {
    const before = await counts();
    const file = await xlsx([
      header,
      ['', 'Mail interception', 'G 0.14', owner.email, `${server.reference}; Payroll data`, 'yes', 'no', 'nein', 3, 3, '31.03.2027'],
      ['', 'Fire in the server room', 'Fire', 'Rita Owner', 'Mail server', 'x', '', 'ja', 'Rare', 2, new Date('2027-06-30')],
    ]);
    const res = await send(file);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report).toMatchObject({ dryRun: true, applied: false, mappingSource: 'guessed', summary: { rows: 2, created: 2, refused: 0 } });
    expect(report.mapping).toMatchObject({
      Threat: 'threat',
      Assets: 'assets',
      Likelihood: 'currentLikelihood',
      'Next review': 'nextReviewOn',
    });
    expect(report.rows.map((r: { line: number; outcome: string; reference: string | null }) => [r.line, r.outcome, r.reference])).toEqual([
      [2, 'created', null],
      [3, 'created', null],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses rows with their reasons in words, in the reader language, and the real run then writes nothing (422)', async () => {
    const before = await counts();
    const file = await xlsx([
      header,
      ['R-1', 'Good one', 'G 0.1', owner.email, '', 'yes', 'no', 'no', 1, 1, ''],
      ['R-2', 'Bad email', '', 'rita@@example', '', '', '', '', '', '', ''],
      ['R-3', 'Unknown threat', 'G 0.99', '', '', '', '', '', '', '', ''],
      ['R-4', 'Out of range', '', '', '', 'maybe', '', '', 4, 0, ''],
      ['R-1', 'Duplicate reference', '', '', '', '', '', '', '', '', ''],
      ['R-6', 'Formula', '', '', '', '', '', '', { formula: '1+1', result: 2 }, '', ''],
      ['R-7', 'Unknown asset', '', '', 'No such asset', '', '', '', '', '', '31.02.2027'],
    ]);
    const dry = json(await send(file));
    expect(dry.summary).toMatchObject({ rows: 7, created: 1, refused: 6 });
    const keys = dry.rows.map((r: { problems: { key: string }[] }) => r.problems.map((p) => p.key));
    expect(keys).toEqual([
      [],
      ['errors:import.badEmail'],
      ['errors:riskImport.unknownThreat'],
      ['errors:riskImport.notYesNo', 'errors:riskImport.outOfScale', 'errors:riskImport.outOfScale'],
      ['errors:import.duplicateReference'],
      ['errors:import.formula'],
      ['errors:riskImport.unknownAsset', 'errors:import.badDate'],
    ]);
    expect(dry.rows[2].problems[0]).toMatchObject({ field: 'threat', column: 'Threat' });
    expect(dry.rows[2].problems[0].message).toContain('G 0.99');
    expect(dry.rows[3].problems[1].message).toBe(
      '"4" in column "Likelihood" is not on the scope\'s scale: use a whole number from 1 to 3 or the name of a level',
    );
    expect(dry.rows[4].problems[0].message).toBe('The reference R-1 already appears in line 2 of the file');

    const german = json(await send(file, {}, 'risks.xlsx', manager, 'de'));
    expect(german.rows[1].problems[0].message).toBe('„rita@@example“ ist keine gültige E-Mail-Adresse');
    expect(german.rows[2].problems[0].message).toContain('Keine Gefährdung');

    const real = await send(file, { dryRun: 'false' });
    expect(real.statusCode).toBe(422);
    expect(json(real).error.details.report.summary.refused).toBe(6);
    expect(json(real).error.message).toBe('6 rows of the file are refused; nothing was imported. Correct them and try again');
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty sheet, a file over the limit and a mapping without titles', async () => {
    const before = await counts();
    const empty = await send(await xlsx([]));
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error).toMatchObject({ field: 'file', key: 'errors:riskImport.emptySheet' });
    const headersOnly = await send('Title,Threat\n', {}, 'risks.csv');
    expect(json(headersOnly).error.key).toBe('errors:riskImport.emptySheet');
    const large = await send(Buffer.alloc(IMPORT_MAX_BYTES + 1, 0x61), {}, 'big.csv');
    expect(large.statusCode).toBe(413);
    expect(json(large).error.key).toBe('errors:import.tooLarge');
    const noTitle = await send('Threat,Owner\nG 0.1,\n', {}, 'risks.csv');
    expect(json(noTitle).error).toMatchObject({ field: 'body.mapping', key: 'errors:riskImport.nameOrReferenceNeeded' });
    expect(await counts()).toEqual(before);
  });

  it('answers 404 to a member of another scope and 403 to a viewer, and writes nothing', async () => {
    const before = await counts();
    const file = await xlsx([header, ['', 'Not for them', '', '', '', '', '', '', '', '', '']]);
    const other = multipartBody({ name: 'risks.xlsx', content: file }, { dryRun: 'false' });
    const res = await t.app.inject({
      method: 'POST',
      url: url(),
      headers: { ...outsider.headers, ...other.headers },
      payload: other.payload,
    });
    expect(res.statusCode).toBe(404);
    expect((await send(file, { dryRun: 'false' }, 'risks.xlsx', viewer)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('a failure while writing the second row leaves nothing of the first', async () => {
    const before = await counts();
    const file = await xlsx([
      ['Title', 'Likelihood', 'Impact'],
      ['Written first', 1, 1],
      ['Fails', 3, 3],
    ]);
    const emit = t.deps.events.emit.bind(t.deps.events);
    let calls = 0;
    const spy = vi.spyOn(t.deps.events, 'emit').mockImplementation(async (...args: Parameters<typeof emit>) => {
      if (++calls === 2) throw new Error('receiver failed');
      return emit(...args);
    });
    try {
      expect((await send(file, { dryRun: 'false' })).statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect(await counts()).toEqual(before);
  });

  it('answers line by line with progress to a client that accepts application/x-ndjson', async () => {
    const rows: Value[][] = [['Title', 'Likelihood', 'Impact']];
    for (let i = 1; i <= 250; i++) rows.push([`Progress risk ${i}`, 1 + (i % 3), 1]);
    const file = await xlsx(rows);
    const stream = (fields: Record<string, string>, content = file) => {
      const body = multipartBody({ name: 'risks.xlsx', content }, fields);
      return t.app.inject({
        method: 'POST',
        url: url(),
        headers: { ...manager.headers, ...body.headers, accept: 'application/x-ndjson' },
        payload: body.payload,
      });
    };
    const before = await counts();
    const dry = await stream({});
    expect(dry.statusCode).toBe(200);
    expect(dry.headers['content-type']).toContain('application/x-ndjson');
    const lines = dry.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.progress).map((l) => l.progress)).toEqual([
      { done: 100, total: 250 },
      { done: 200, total: 250 },
      { done: 250, total: 250 },
    ]);
    expect(lines.at(-1).report.summary).toMatchObject({ created: 250, refused: 0 });
    expect(await counts()).toEqual(before);
    // a refused row: the last line is the error with the report; a refused file is still an HTTP error
    const refused = await stream({ dryRun: 'false' }, await xlsx([...rows, ['One too far', 9, 1]]));
    const last = JSON.parse(refused.body.trim().split('\n').at(-1)!);
    expect(last.error).toMatchObject({ code: 'unprocessable', key: 'errors:import.rowsRefused' });
    expect(last.error.details.report.summary.refused).toBe(1);
    expect(await counts()).toEqual(before);
    expect((await stream({}, await xlsx([]))).statusCode).toBe(400);
  });

  it('imports through the risk service: levels, ranks, status, hand-offs and trail; then updates by reference', async () => {
    const before = await counts();
    const csv = [
      'Titel;Gefährdung;Verantwortlich;Assets;Vertraulichkeit;Wahrscheinlichkeit;Auswirkung',
      `Abhören von Mails;G 0.14;Rita Owner;${server.reference};ja;3;3`,
      'Stromausfall;G 0.8;;;nein;1;1',
    ].join('\n');
    const first = await send(csv, { dryRun: 'false' }, 'risks.csv');
    expect(first.statusCode, first.body).toBe(200);
    const report = json(first);
    expect(report).toMatchObject({ applied: true, summary: { created: 2, refused: 0 } });
    const [high, low] = report.rows as { reference: string }[];
    expect(high!.reference).toMatch(/^RSK-\d{4}$/);
    const stored = await t.deps.db
      .selectFrom('risk')
      .selectAll()
      .where('scope_id', '=', scopeId)
      .where('reference', '=', high!.reference)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ current_likelihood: 3, current_impact: 3, status: 'assessed' });
    expect(stored.current_level).not.toBeNull();
    expect(stored.priority_rank).not.toBeNull();
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/risks/${stored.id}`, headers: manager.headers }));
    expect(detail).toMatchObject({ threat: { code: 'G 0.14' }, owner: { id: owner.id }, consequences: { confidentiality: true } });
    expect(detail.assets.map((a: { reference: string }) => a.reference)).toEqual([server.reference]);
    const trail = await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', stored.id).execute();
    expect(trail.map((e) => e.action)).toEqual(['create']);
    // 3 × 3 on the small method lies above the acceptance criteria: the treatment task is handed to the owner
    const tasks = await t.deps.db.selectFrom('task').select(['purpose', 'assignee_id']).where('origin_record_id', '=', stored.id).execute();
    expect(tasks.length).toBeGreaterThan(0);
    const after = await counts();
    expect(after.risks - before.risks).toBe(2);

    // the next file: the saved mapping is offered; a row matched by reference is updated, an unchanged one left alone
    const second = await send(
      [
        'Referenz;Titel;Gefährdung;Wahrscheinlichkeit;Auswirkung',
        `${high!.reference};Abhören von Mails;G 0.14;1;1`,
        `${low!.reference};Stromausfall;G 0.8;1;1`,
      ].join('\n'),
      { dryRun: 'false' },
      'risks.csv',
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(json(second)).toMatchObject({ mappingSource: 'saved', summary: { created: 0, updated: 1, unchanged: 1 } });
    const updated = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/risks/${stored.id}`, headers: manager.headers }));
    expect(updated).toMatchObject({ version: 2, current: { likelihood: 1, impact: 1 } });
    expect(updated.assets).toHaveLength(1);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('matches the BSI threats by their official German titles and German words, in a dry run and a real one', async () => {
    const before = await counts();
    const file = await xlsx([
      ['Titel', 'Gefährdung', 'Verantwortlich', 'Vertraulichkeit', 'Integrität', 'Verfügbarkeit', 'Wahrscheinlichkeit', 'Auswirkung'],
      ['Lauschangriff im Besprechungsraum', 'Abhören', 'Rita Owner', 'ja', 'nein', 'nein', 'Selten', 2],
      ['Brand im Archiv', 'feuer', '', 'nein', 'nein', 'ja', 1, 1],
      ['Spionage', 'G 0.14 Ausspähen von Informationen (Spionage)', '', 'ja', 'nein', 'nein', 2, 2],
    ]);
    const dry = json(await send(file, {}, 'risiken.xlsx', manager, 'de'));
    expect(dry, JSON.stringify(dry.rows)).toMatchObject({ dryRun: true, summary: { rows: 3, created: 3, refused: 0 } });
    expect(await counts()).toEqual(before);
    // a threat no title names is refused in the reader's words
    const unknown = json(
      await send(
        await xlsx([
          ['Titel', 'Gefährdung'],
          ['Unbekannt', 'Meteoriteneinschlag'],
        ]),
        {},
        'r.xlsx',
        manager,
        'de',
      ),
    );
    expect(unknown.summary).toMatchObject({ refused: 1 });

    const csv = [
      'Titel;Gefährdung;Vertraulichkeit;Wahrscheinlichkeit;Auswirkung',
      'Lauschangriff;Abhören;ja;Selten;2',
      'Brand im Archiv;Feuer;nein;1;1',
      'Spionage;G 0.14 Ausspähen von Informationen (Spionage);ja;2;2',
    ].join('\n');
    const real = json(await send(csv, { dryRun: 'false' }, 'risiken.csv', manager, 'de'));
    expect(real, JSON.stringify(real.rows)).toMatchObject({ applied: true, summary: { created: 3, refused: 0 } });
    const codes = await t.deps.db
      .selectFrom('risk')
      .innerJoin('threat', 'threat.id', 'risk.threat_id')
      .select(['risk.title', 'threat.code'])
      .where('risk.scope_id', '=', scopeId)
      .where(
        'risk.reference',
        'in',
        real.rows.map((r: { reference: string }) => r.reference),
      )
      .orderBy('risk.reference')
      .execute();
    expect(codes.map((c) => [c.title, c.code])).toEqual([
      ['Lauschangriff', 'G 0.15'],
      ['Brand im Archiv', 'G 0.1'],
      ['Spionage', 'G 0.14'],
    ]);
  });

  it('re-imports its own CSV export unchanged, in English and in German', async () => {
    for (const lang of ['en', 'de']) {
      const csv = await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/risks.csv`,
        headers: { ...manager.headers, 'accept-language': lang },
      });
      expect(csv.statusCode).toBe(200);
      const dry = json(await send(csv.body, {}, 'risks.csv'));
      expect(dry.summary.rows, lang).toBeGreaterThan(0);
      const fields = Object.values(dry.mapping);
      for (const f of [
        'reference',
        'title',
        'threat',
        'owner',
        'assets',
        'confidentiality',
        'currentLikelihood',
        'currentImpact',
        'nextReviewOn',
      ])
        expect(fields, `${lang}: ${f}`).toContain(f);
      expect(dry.summary, lang).toMatchObject({ created: 0, updated: 0, refused: 0, unchanged: dry.summary.rows });
    }
  });
});
