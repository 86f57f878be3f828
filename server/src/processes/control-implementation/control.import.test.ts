import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { multipartBody } from '../../files/multipart-body.ts';
import { IMPORT_MAX_BYTES } from '../../shared/import/import.schemas.ts';
import { buildScope, buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';

type Value = string | number | Date | { formula: string; result?: unknown } | null;

async function xlsx(rows: Value[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Controls');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(dialects)('control spreadsheet import on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let risk: { id: string; reference: string };
  const today = () => t.deps.clock.now().toISOString().slice(0, 10);
  const daysFromToday = (n: number) => new Date(t.deps.clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    owner = await buildUser(t.deps, { name: 'Carl Owner', memberships: [[scopeId, 'contributor']] });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    outsider = (await buildScope(t.deps)).manager;
    risk = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/risks`,
        headers: manager.headers,
        payload: { title: 'Data leak' },
      }),
    );
  });
  afterAll(() => t.close());

  const send = (content: Buffer | string, fields: Record<string, string> = {}, name = 'controls.xlsx', user = manager, lang = 'en') => {
    const body = multipartBody({ name, content }, fields);
    return t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/imports/controls`,
      headers: { ...user.headers, ...body.headers, 'accept-language': lang },
      payload: body.payload,
    });
  };
  const counts = async () => {
    const [c, e] = await Promise.all([
      t.deps.db
        .selectFrom('control')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('scope_id', '=', scopeId)
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('audit_entry')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { controls: Number(c.n), audit: Number(e.n) };
  };
  const header = ['Reference', 'Title', 'Owner', 'Status', 'Annex A', 'Risks', 'Due', 'Implemented on'];

  it('a dry run reports row by row what would be created and writes nothing', async () => {
    const before = await counts();
    const file = await xlsx([
      header,
      ['', 'Access reviews', owner.email, 'geplant', 'A.5.18', risk.reference, daysFromToday(30), ''],
      ['', 'Backups', 'Carl Owner', 'implemented', 'A.8.13; a.5.30', 'Data leak', '', today()],
    ]);
    const res = await send(file);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report).toMatchObject({ dryRun: true, applied: false, mappingSource: 'guessed', summary: { rows: 2, created: 2, refused: 0 } });
    expect(report.mapping).toMatchObject({ 'Annex A': 'requirements', Due: 'dueOn', 'Implemented on': 'implementedOn' });
    expect(report.rows.map((r: { outcome: string; reference: string | null }) => [r.outcome, r.reference])).toEqual([
      ['created', null],
      ['created', null],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses rows with reasons in words, also the service date rules, and the real run then writes nothing (422)', async () => {
    const before = await counts();
    const file = await xlsx([
      header,
      ['C-1', 'Good one', owner.email, 'planned', 'A.5.1', '', '', ''],
      ['C-2', 'Bad email', 'carl@@example', '', '', '', '', ''],
      ['C-3', 'Unknown requirement and status', '', 'half done', 'A.9.99', '', '', ''],
      ['C-4', 'Due before today', '', '', '', '', daysFromToday(-10), ''],
      ['C-1', 'Duplicate reference', '', '', '', '', '', ''],
      ['C-6', { formula: 'UPPER("x")', result: 'X' }, '', '', '', '', '', ''],
      ['C-7', 'Implemented tomorrow', '', 'implemented', '', 'RSK-9999', '', daysFromToday(1)],
    ]);
    const dry = json(await send(file));
    expect(dry.summary).toMatchObject({ rows: 7, created: 1, refused: 6 });
    const keys = dry.rows.map((r: { problems: { key: string }[] }) => r.problems.map((p) => p.key));
    expect(keys).toEqual([
      [],
      ['errors:import.badEmail'],
      ['errors:import.unknownWord', 'errors:controlImport.unknownRequirement'],
      ['errors:dates.dueBeforeCreation'],
      ['errors:import.duplicateReference'],
      ['errors:import.formula'],
      ['errors:controlImport.unknownRisk'],
    ]);
    // a refusal of the control service names the column of its field
    expect(dry.rows[3].problems[0]).toMatchObject({ field: 'dueOn', column: 'Due' });
    expect(dry.rows[2].problems[0].message).toBe(
      '"half done" in column "Status" is not one of: planned, in progress, implemented, verified, not applicable',
    );
    const german = json(await send(file, {}, 'controls.xlsx', manager, 'de'));
    expect(german.rows[2].problems[0].message).toBe(
      '„half done“ in Spalte „Status“ ist keiner von: Geplant, In Umsetzung, Umgesetzt, Verifiziert, Nicht anwendbar',
    );
    expect(german.rows[2].problems[1].message).toContain('Keine Anforderung');

    const real = await send(file, { dryRun: 'false' });
    expect(real.statusCode).toBe(422);
    expect(json(real).error.details.report.summary.refused).toBe(6);
    expect(await counts()).toEqual(before);

    // the date rule of the service is checked when every other reason is gone, too
    const onlyDates = await xlsx([header, ['', 'Implemented tomorrow', '', 'implemented', '', '', '', daysFromToday(1)]]);
    const dates = json(await send(onlyDates, { dryRun: 'false' }));
    expect(dates.error.details.report.rows[0].problems.map((p: { key: string }) => p.key)).toEqual(['errors:dates.inFuture']);
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty sheet and a file over the limit; another scope gets 404, a viewer 403', async () => {
    const before = await counts();
    const empty = await send(await xlsx([['Title']]));
    expect(json(empty).error).toMatchObject({ field: 'file', key: 'errors:controlImport.emptySheet' });
    expect((await send(Buffer.alloc(IMPORT_MAX_BYTES + 1, 0x61), {}, 'big.csv')).statusCode).toBe(413);
    // the control schema's own limits (a title of at most 300 characters) name the column
    const long = json(await send(`Title,Cost\n${'x'.repeat(301)},-5\n`, {}, 'controls.csv'));
    expect(long.rows[0].problems.map((p: { key: string; column: string }) => [p.key, p.column])).toEqual([
      ['errors:controlImport.badCost', 'Cost'],
    ]);
    const tooLong = json(await send(`Title,Cost\n${'x'.repeat(301)},5\n`, {}, 'controls.csv'));
    expect(tooLong.rows[0].problems.map((p: { key: string; column: string }) => [p.key, p.column])).toEqual([
      ['errors:import.invalidValue', 'Title'],
    ]);
    const file = await xlsx([header, ['', 'Not for them', '', '', '', '', '', '']]);
    expect((await send(file, { dryRun: 'false' }, 'controls.xlsx', outsider)).statusCode).toBe(404);
    expect((await send(file, { dryRun: 'false' }, 'controls.xlsx', viewer)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('imports through the control service: links, days of implementation, trail; then updates by reference', async () => {
    const first = await send(
      [
        'Maßnahme;Verantwortlich;Umsetzungsstatus;Anforderungen;Risiken;Fällig',
        `Zugriffsrechte prüfen;Carl Owner;in Umsetzung;A.5.18;${risk.reference};${daysFromToday(20).split('-').reverse().join('.')}`,
        'Datensicherung;;umgesetzt;A.8.13, A.5.30;;',
      ].join('\n'),
      { dryRun: 'false' },
      'controls.csv',
    );
    expect(first.statusCode, first.body).toBe(200);
    const report = json(first);
    expect(report).toMatchObject({ applied: true, summary: { created: 2 } });
    const [reviews, backup] = report.rows as { reference: string }[];
    expect(reviews!.reference).toMatch(/^CTL-\d{4}$/);
    const list = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/controls?q=Datensicherung`, headers: manager.headers }),
    );
    const detail = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/controls/${list.items[0].id}`, headers: manager.headers }),
    );
    expect(detail).toMatchObject({ reference: backup!.reference, status: 'implemented', implementedOn: today() });
    expect(detail.nextVerificationOn).not.toBeNull();
    expect(detail.requirements.map((r: { label: string }) => r.label)).toEqual(['A.5.30', 'A.8.13']);
    const trail = await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', detail.id).execute();
    expect(trail.map((e) => e.action)).toEqual(['create']);

    const second = await send(
      [
        `Referenz;Maßnahme;Umsetzungsstatus`,
        `${reviews!.reference};Zugriffsrechte prüfen;umgesetzt`,
        `${backup!.reference};Datensicherung;umgesetzt`,
      ].join('\n'),
      { dryRun: 'false' },
      'controls.csv',
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(json(second)).toMatchObject({ mappingSource: 'saved', summary: { created: 0, updated: 1, unchanged: 1 } });
    const updated = await t.deps.db
      .selectFrom('control')
      .selectAll()
      .where('reference', '=', reviews!.reference)
      .where('scope_id', '=', scopeId)
      .executeTakeFirstOrThrow();
    expect(updated).toMatchObject({ status: 'implemented', version: 2 });
    expect(String(updated.implemented_on).slice(0, 10)).toBe(today());
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('re-imports its own CSV export unchanged, in English and in German, requirements and risks included', async () => {
    const inject = (method: 'GET' | 'POST', url: string, payload?: object, lang = 'en') =>
      t.app.inject({ method, url: `/api/scopes/${scopeId}${url}`, headers: { ...manager.headers, 'accept-language': lang }, payload });
    const second = json(await inject('POST', '/risks', { title: 'Ransomware' }));
    const annexA = (label: string) =>
      t.deps.db
        .selectFrom('catalog_requirement')
        .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
        .select(['catalog_requirement.id', 'catalog.key'])
        .where('catalog_requirement.label', '=', label)
        .where('catalog.scope_id', 'is', null)
        .executeTakeFirstOrThrow();
    // a catalog of the scope whose requirement has Annex A's label: that label alone names two requirements
    const now = t.deps.clock.now().toISOString();
    const local = { catalog: crypto.randomUUID(), requirement: crypto.randomUUID() };
    await t.deps.db
      .insertInto('catalog')
      .values({
        id: local.catalog,
        scope_id: scopeId,
        key: 'house-rules',
        title: 'House rules',
        version: '1',
        source: 'oscal',
        oscal_uuid: null,
        published: null,
        requirement_count: 1,
        withdrawn_count: 0,
        imported_by: null,
        created_at: now,
      })
      .execute();
    await t.deps.db
      .insertInto('catalog_requirement')
      .values({
        id: local.requirement,
        catalog_id: local.catalog,
        identifier: 'hr-15',
        parent_identifier: null,
        kind: 'control',
        label: 'A.5.15',
        title: 'Access rules of the house',
        statement: 'Rules',
        guidance: null,
        withdrawn: dialect === 'postgres' ? false : 0,
        depth: 0,
        sort_order: 0,
        params: null,
      })
      .execute();
    const [a515, a824] = [await annexA('A.5.15'), await annexA('A.8.24')];
    const created = json(
      await inject('POST', '/controls', {
        title: 'Round trip',
        ownerId: owner.id,
        status: 'in_progress',
        costEstimate: 250.5,
        dueOn: daysFromToday(40),
        requirementIds: [a515.id, a824.id, local.requirement],
        riskIds: [risk.id, second.id],
      }),
    );
    expect(created.reference, JSON.stringify(created)).toMatch(/^CTL-/);

    for (const lang of ['en', 'de']) {
      const csv = await inject('GET', '/controls.csv', undefined, lang);
      expect(csv.statusCode).toBe(200);
      const line = csv.body.split('\n').find((l) => l.startsWith(`${created.reference},`))!;
      // the linked requirements by label (qualified by their catalog's key where the label is not unique) and the risks
      expect(line).toContain(`,house-rules A.5.15; ${a515.key} A.5.15; A.8.24,${[risk.reference, second.reference].sort().join('; ')},`);
      const dry = json(await send(csv.body, {}, 'controls.csv', manager, lang));
      expect(dry.summary.rows, lang).toBeGreaterThan(1);
      const fields = Object.values(dry.mapping);
      for (const f of [
        'reference',
        'title',
        'owner',
        'status',
        'effectiveness',
        'requirements',
        'risks',
        'dueOn',
        'costEstimate',
        'nextVerificationOn',
      ])
        expect(fields, `${lang}: ${f}`).toContain(f);
      expect(dry.summary, `${lang}: ${JSON.stringify(dry.rows.filter((r: { problems?: unknown[] }) => r.problems?.length))}`).toMatchObject(
        {
          created: 0,
          updated: 0,
          refused: 0,
          unchanged: dry.summary.rows,
        },
      );
    }
  });
});
