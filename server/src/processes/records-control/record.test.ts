import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { auditWordsIn } from '../../audit/audit-words.ts';
import { showAuditValue } from '../../../../web/src/features/audit/audit-words.ts';
import { render } from '../../i18n/i18n.ts';
import { sweeps } from '../../jobs/sweeps.ts';
import { sweepDisposalTasks } from './record.service.ts';
import type { DocumentTable } from '../policy-management/policy-management.tables.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  createScopeContext,
  dialects,
  documentRow,
  json,
  requester,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';

describe.each(dialects)('records control on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let contributor: TestUser;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    contributor = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
  });
  afterAll(() => t.close());

  const { call } = requester(() => t);
  const url = (scope = scopeId) => `/api/scopes/${scope}/records`;
  const external = (over: Record<string, unknown> = {}) => ({
    title: 'Visitor log 2019',
    description: 'Paper visitor log of the head office',
    processKey: 'records-control',
    storage: 'external',
    location: 'Archive room, box 12',
    retentionMonths: 72,
    retentionStartOn: '2020-01-15',
    ...over,
  });
  const create = async (body: Record<string, unknown>, user = manager, scope = scopeId) => {
    const res = await call('POST', url(scope), user, body);
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  const audit = async (recordId: string, scope = scopeId, user = manager) =>
    json(await call('GET', `/api/scopes/${scope}/audit?recordId=${recordId}`, user)).items as {
      action: string;
      recordRef: string;
      changes: Record<string, { from?: unknown; to?: unknown }>;
    }[];

  it('registers documented information with a reference, computed retention end and an audit entry', async () => {
    const r = await create(external(), contributor);
    expect(r).toMatchObject({
      reference: expect.stringMatching(/^REC-\d{4}$/),
      status: 'active',
      storage: 'external',
      location: 'Archive room, box 12',
      retentionEndsOn: '2026-01-15',
      disposable: true,
      legalHold: false,
      linkedRecord: null,
      version: 1,
    });
    const entries = await audit(r.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'create', recordRef: r.reference });
    expect(entries[0]!.changes.location).toEqual({ to: 'Archive room, box 12' });
  });

  it('links a Praxis record of the scope, and refuses bad storage details naming the field', async () => {
    const incident = json(await call('POST', `/api/scopes/${scopeId}/incidents`, manager, { title: 'Lost laptop' }));
    const r = await create(
      external({
        storage: 'praxis',
        location: '',
        linkedRecord: { recordType: 'incident', recordId: incident.id },
        processKey: 'incident-management',
      }),
    );
    expect(r).toMatchObject({ storage: 'praxis', linkedRecord: { recordType: 'incident', recordId: incident.id }, location: '' });
    // the history names the linked record by its reference, not its id
    const [created] = await audit(r.id);
    expect(created!.changes.linkedRecord).toEqual({ to: `incident:${incident.reference}` });

    const missingLocation = await call('POST', url(), manager, external({ location: ' ' }));
    expect(missingLocation.statusCode).toBe(400);
    expect(json(missingLocation).error.field).toBe('body.location');
    const unknown = await call(
      'POST',
      url(),
      manager,
      external({ storage: 'praxis', linkedRecord: { recordType: 'incident', recordId: newId() } }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.field).toBe('body.linkedRecord.recordId');
    // another scope's incident does not exist here
    const other = await buildScope(t.deps);
    const foreign = json(await call('POST', `/api/scopes/${other.scope.id}/incidents`, other.manager, { title: 'Elsewhere' }));
    expect(
      (await call('POST', url(), manager, external({ storage: 'praxis', linkedRecord: { recordType: 'incident', recordId: foreign.id } })))
        .statusCode,
    ).toBe(400);
    const badProcess = await call('POST', url(), manager, external({ processKey: 'astrology' }));
    expect(json(badProcess).error.field).toBe('body.processKey');
    expect(json(await call('POST', url(), manager, external({ extra: 1 }))).error.code).toBe('validation_failed');
  });

  it('edits with a version check: a stale version gets 409 with the current record', async () => {
    const r = await create(external({ title: 'Training attendance lists' }));
    const ok = await call('PATCH', `${url()}/${r.id}`, contributor, { version: 1, retentionMonths: 120 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ version: 2, retentionMonths: 120, retentionEndsOn: '2030-01-15', disposable: false });
    const stale = await call('PATCH', `${url()}/${r.id}`, manager, { version: 1, title: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error).toMatchObject({ code: 'version_conflict', details: { current: { version: 2 } } });
    const entries = await audit(r.id);
    expect(entries[0]).toMatchObject({ action: 'update', changes: { retentionMonths: { from: 72, to: 120 } } });
  });

  it('computes the disposal queue at read time: past retention, active, not on legal hold', async () => {
    const s = await buildScope(t.deps);
    const u = (p = '') => `/api/scopes/${s.scope.id}/records${p}`;
    const mk = (title: string, start: string, months: number) =>
      create(external({ title, retentionStartOn: start, retentionMonths: months }), s.manager, s.scope.id);
    const old = await mk('Old contracts', '2018-03-01', 60); // ended 2023-03-01
    const today = await mk('Ends today', '2025-03-02', 12); // ends 2026-03-02
    const tomorrow = await mk('Ends tomorrow', '2025-03-03', 12);
    const held = await mk('Litigation files', '2015-01-01', 12);
    const hold = await call('POST', u(`/${held.id}/legal-hold`), s.manager, { version: 1, hold: true, reason: 'Pending lawsuit' });
    expect(hold.statusCode, hold.body).toBe(200);
    expect(json(hold)).toMatchObject({ legalHold: true, legalHoldReason: 'Pending lawsuit', disposable: false, version: 2 });

    const queue = json(await call('GET', u('/disposal-queue'), s.manager));
    expect(queue.items.map((r: { title: string }) => r.title)).toEqual(['Old contracts', 'Ends today']);
    expect(queue.total).toBe(2);
    expect(queue.items[0]).toMatchObject({ id: old.id, disposable: true, retentionEndsOn: '2023-03-01' });

    clock.advance(24 * 3600_000);
    try {
      const next = json(await call('GET', u('/disposal-queue?pageSize=1&page=3'), s.manager));
      expect(next.total).toBe(3);
      expect(next.items[0].id).toBe(tomorrow.id);
    } finally {
      clock.advance(-24 * 3600_000);
    }
    // lifting the hold puts it in the queue; lifting twice is refused
    const lift = await call('POST', u(`/${held.id}/legal-hold`), s.manager, { version: 2, hold: false });
    expect(json(lift)).toMatchObject({ legalHold: false, legalHoldReason: null, disposable: true });
    expect((await call('POST', u(`/${held.id}/legal-hold`), s.manager, { version: 3, hold: false })).statusCode).toBe(409);
    expect(json(await call('GET', u('/disposal-queue'), s.manager)).total).toBe(3);
    const needsReason = await call('POST', u(`/${held.id}/legal-hold`), s.manager, { version: 3, hold: true });
    expect(json(needsReason).error.field).toBe('body.reason');
    const entries = await audit(held.id, s.scope.id, s.manager);
    expect(entries.map((e) => e.action)).toEqual(['update', 'update', 'create']);
    expect(entries[1]!.changes.legalHold).toEqual({ from: false, to: true });
    expect(today.retentionEndsOn).toBe('2026-03-02');
    // contributors may not set a hold
    expect(
      (await call('POST', `${url()}/${(await create(external())).id}/legal-hold`, contributor, { version: 1, hold: true, reason: 'x' }))
        .statusCode,
    ).toBe(403);
  });

  it('disposes only with the typed confirmation, never under legal hold or before retention ends', async () => {
    const r = await create(external({ title: 'CCTV export 2019' }));
    const dispose = (body: Record<string, unknown>, user = manager) => call('POST', `${url()}/${r.id}/dispose`, user, body);
    const wrong = await dispose({ version: 1, confirm: 'DISPOSE' });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error).toMatchObject({ field: 'body.confirm', message: expect.stringContaining(`DISPOSE ${r.reference}`) });
    expect((await dispose({ version: 1, confirm: `DISPOSE ${r.reference}` }, contributor)).statusCode).toBe(403);

    await call('POST', `${url()}/${r.id}/legal-hold`, manager, { version: 1, hold: true, reason: 'Police investigation' });
    const blocked = await dispose({ version: 2, confirm: `DISPOSE ${r.reference}` });
    expect(blocked.statusCode).toBe(409);
    expect(json(blocked).error.message).toBe(`${r.reference} cannot be disposed of: it is under legal hold; lift the hold first`);
    expect(json(await call('GET', `${url()}/${r.id}`, manager))).toMatchObject({
      status: 'active',
      description: 'Paper visitor log of the head office',
    });

    const young = await create(external({ retentionStartOn: '2025-06-01', retentionMonths: 12 }));
    const early = await call('POST', `${url()}/${young.id}/dispose`, manager, { version: 1, confirm: `DISPOSE ${young.reference}` });
    expect(early.statusCode).toBe(409);
    expect(json(early).error.message).toMatch(/retention period runs until Jun 1, 2026/);
    expect((await dispose({ version: 1, confirm: `DISPOSE ${r.reference}` })).statusCode).toBe(409); // stale version
  });

  it('disposal clears the content, keeps the entry as disposed and leaves a tombstone in the audit trail', async () => {
    const events: { recordRef: string; rule: string; ruleInGerman: string }[] = [];
    t.deps.events.on('record.disposed', async (_tx, _actor, e) => {
      events.push({ recordRef: e.recordRef, rule: e.rule, ruleInGerman: render('de', e.ruleText) });
    });
    const r = await create(
      external({ title: 'Applicant files 2018', description: 'CVs of rejected applicants', location: 'HR share /applicants/2018' }),
    );
    const res = await call('POST', `${url()}/${r.id}/dispose`, manager, { version: 1, confirm: `DISPOSE ${r.reference}` });
    expect(res.statusCode, res.body).toBe(200);
    const d = json(res);
    expect(d).toMatchObject({
      status: 'disposed',
      description: '',
      location: '',
      title: 'Applicant files 2018',
      disposedAt: '2026-03-02T09:00:00.000Z',
      disposedBy: { id: manager.id },
      disposalRule: 'retention 72 months from Jan 15, 2020, ended Jan 15, 2026',
      disposable: false,
      version: 2,
    });
    const [tomb] = await audit(r.id);
    expect(tomb).toMatchObject({ action: 'dispose', recordRef: r.reference });
    expect(tomb!.changes).toMatchObject({
      title: { to: 'Applicant files 2018' },
      status: { from: 'active', to: 'disposed' },
      disposedBy: { to: expect.stringContaining(manager.email) },
      rule: { to: 'retention:72:2020-01-15:2026-01-15' },
    });
    // the rule in the reader's language: on the record and in its history
    const german = { ...manager, headers: { ...manager.headers, 'accept-language': 'de' } };
    expect(json(await call('GET', `${url()}/${r.id}`, german)).disposalRule).toBe(
      'Aufbewahrung 72 Monate ab 15.01.2020, endete am 15.01.2026',
    );
    expect(showAuditValue(auditWordsIn('de', []), 'controlled_record', 'rule', tomb!.changes.rule!.to).text).toBe(
      'Aufbewahrung 72 Monate ab 15. Jan. 2020, endete am 15. Jan. 2026',
    );
    // the tombstone itself does not repeat the disposed content
    expect(JSON.stringify(tomb)).not.toContain('CVs of rejected applicants');
    expect(JSON.stringify(tomb)).not.toContain('/applicants/2018');
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    // the event names the rule in English (as stored) and as a text its receivers word for their reader
    expect(events).toEqual([
      {
        recordRef: r.reference,
        rule: 'retention 72 months from 2020-01-15, ended 2026-01-15',
        ruleInGerman: 'Aufbewahrung 72 Monate ab 15.01.2020, endete am 15.01.2026',
      },
    ]);
    // gone for good: no second disposal, no edits, out of the queue, filterable as disposed
    expect((await call('POST', `${url()}/${r.id}/dispose`, manager, { version: 2, confirm: `DISPOSE ${r.reference}` })).statusCode).toBe(
      409,
    );
    expect((await call('PATCH', `${url()}/${r.id}`, manager, { version: 2, description: 'back' })).statusCode).toBe(409);
    const queue = json(await call('GET', `${url()}/disposal-queue?pageSize=200`, manager));
    expect(queue.items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    const disposed = json(await call('GET', `${url()}?status=disposed`, manager));
    expect(disposed.items.map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it('disposes of a linked policy document through policy management, or rolls back when it refuses', async () => {
    const now = '2026-03-02T09:00:00.000Z';
    const doc = (status: DocumentTable['status'], retiredAt: string | null) =>
      documentRow({
        scope_id: scopeId,
        reference: `DOC-${Math.random().toString().slice(2, 8)}`,
        title: 'Old remote work policy',
        status,
        retired_at: retiredAt,
        created_at: now,
      });
    const retired = doc('retired', '2024-01-10T00:00:00.000Z');
    const published = doc('published', null);
    await t.deps.db.insertInto('document').values([retired, published]).execute();
    const linked = (id: string) =>
      create(
        external({
          storage: 'praxis',
          location: '',
          linkedRecord: { recordType: 'document', recordId: id },
          processKey: 'policy-management',
        }),
      );

    const live = await linked(published.id);
    const refused = await call('POST', `${url()}/${live.id}/dispose`, manager, { version: 1, confirm: `DISPOSE ${live.reference}` });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.message).toMatch(/only a retired document can be disposed of/);
    expect(json(await call('GET', `${url()}/${live.id}`, manager)).status).toBe('active');

    const gone = await linked(retired.id);
    const ok = await call('POST', `${url()}/${gone.id}/dispose`, manager, { version: 1, confirm: `DISPOSE ${gone.reference}` });
    expect(ok.statusCode, ok.body).toBe(200);
    const row = await t.deps.db
      .selectFrom('document')
      .select(['status', 'disposed_at'])
      .where('id', '=', retired.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'disposed', disposed_at: now });
    const [tomb] = await audit(gone.id);
    expect(tomb!.changes.linkedContent!.to).toBe(`document-disposed:${retired.reference}:0`);
    expect(showAuditValue(auditWordsIn('de', []), 'controlled_record', 'linkedContent', tomb!.changes.linkedContent!.to).text).toBe(
      `Dokument ${retired.reference}: Inhalt von 0 Versionen vernichtet`,
    );
    expect(tomb!.changes.linkedRecord).toEqual({ to: `document:${retired.reference}` });
    const docTrail = json(await call('GET', `/api/scopes/${scopeId}/audit?recordId=${retired.id}`, manager)).items;
    expect(docTrail[0]).toMatchObject({ action: 'dispose', recordType: 'document' });
  });

  it('gives the owner one disposal task once retention ends, from an idempotent sweep, done on disposal', async () => {
    const s = await buildScope(t.deps);
    const owner = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
    const mk = (title: string, start: string, ownerId: string | null = null) =>
      create(external({ title, retentionStartOn: start, retentionMonths: 12, ownerId }), s.manager, s.scope.id);
    const due = await mk('Expired log', '2024-01-01', owner.id);
    const unowned = await mk('Expired unowned log', '2024-06-01');
    const held = await mk('Held log', '2024-01-01');
    await call('POST', `/api/scopes/${s.scope.id}/records/${held.id}/legal-hold`, s.manager, { version: 1, hold: true, reason: 'Audit' });
    await mk('Young log', '2026-01-01');
    const tasks = () =>
      t.deps.db
        .selectFrom('task')
        .select(['origin_record_id', 'assignee_id', 'status', 'title', 'due_on', 'process_key'])
        .where('scope_id', '=', s.scope.id)
        .where('origin_record_type', '=', 'controlled_record')
        .orderBy('title')
        .execute();

    const [a, b] = await Promise.all([sweeps['records-disposal-due']!(t.deps), sweepDisposalTasks(t.deps)]);
    expect(a + b).toBeGreaterThanOrEqual(2); // other scopes of this file have expired records too
    expect(await sweepDisposalTasks(t.deps)).toBe(0);
    const created = await tasks();
    expect(created).toEqual([
      {
        origin_record_id: due.id,
        assignee_id: owner.id,
        status: 'open',
        title: `Dispose of ${due.reference} Expired log`,
        due_on: '2026-04-01',
        process_key: 'records-control',
      },
      {
        origin_record_id: unowned.id,
        assignee_id: s.manager.id,
        status: 'open',
        title: `Dispose of ${unowned.reference} Expired unowned log`,
        due_on: '2026-04-01',
        process_key: 'records-control',
      },
    ]);
    const detail = json(await call('GET', `/api/scopes/${s.scope.id}/records/${due.id}`, s.manager));
    expect(detail.disposalTaskId).toEqual(expect.any(String));

    const res = await call('POST', `/api/scopes/${s.scope.id}/records/${due.id}/dispose`, s.manager, {
      version: 1,
      confirm: `DISPOSE ${due.reference}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await tasks()).map((x) => [x.origin_record_id, x.status])).toEqual([
      [due.id, 'done'],
      [unowned.id, 'open'],
    ]);
  });

  it('ends retention on the last day of a shorter month in the database as in the rules', async () => {
    const s = await buildScope(t.deps);
    const mk = (title: string, start: string, months: number) =>
      create(external({ title, retentionStartOn: start, retentionMonths: months }), s.manager, s.scope.id);
    const clamped = await mk('Ends 28 February', '2026-01-31', 1);
    expect(clamped).toMatchObject({ retentionEndsOn: '2026-02-28', disposable: true });
    const { retentionStartOn: _, ...withoutStart } = external({ retentionMonths: 24 });
    expect(await create(withoutStart, s.manager, s.scope.id)).toMatchObject({
      retentionStartOn: '2026-03-02',
      retentionEndsOn: '2028-03-02',
    });
    await mk('Ends 2 April', '2026-03-02', 1);
    const queue = json(await call('GET', `/api/scopes/${s.scope.id}/records/disposal-queue`, s.manager));
    expect(queue.items.map((r: { title: string }) => r.title)).toEqual(['Ends 28 February']);
    const sorted = json(await call('GET', `/api/scopes/${s.scope.id}/records?sort=retentionEndsOn&dir=desc`, s.manager));
    expect(sorted.items.map((r: { retentionEndsOn: string }) => r.retentionEndsOn)).toEqual(['2028-03-02', '2026-04-02', '2026-02-28']);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    for (const path of [
      '/api/scopes/{scopeId}/records',
      '/api/scopes/{scopeId}/records/{id}/dispose',
      '/api/scopes/{scopeId}/courses',
      '/api/me/trainings/{assignmentId}/quiz',
      '/api/scopes/{scopeId}/competence-gaps',
      '/api/scopes/{scopeId}/awareness/dashboard',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });

  it('lists with pagination, filters, sorting and search in a fixed number of statements', async () => {
    const s = await buildScope(t.deps);
    const u = (qs: string) => `/api/scopes/${s.scope.id}/records?${qs}`;
    const owner = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
    for (let i = 1; i <= 7; i++)
      await create(
        external({
          title: `Record ${i}`,
          processKey: i % 2 ? 'incident-management' : 'risk-assessment',
          ownerId: i <= 2 ? owner.id : null,
          location: `Shelf ${i}`,
        }),
        s.manager,
        s.scope.id,
      );
    const page = json(await call('GET', u('pageSize=3&page=2'), s.manager));
    expect(page).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(page.items.map((r: { title: string }) => r.title)).toEqual(['Record 4', 'Record 5', 'Record 6']);
    expect(json(await call('GET', u('processKey=risk-assessment'), s.manager)).total).toBe(3);
    expect(json(await call('GET', u(`ownerId=${owner.id}`), s.manager)).items[0].owner).toMatchObject({ id: owner.id, name: owner.name });
    expect(json(await call('GET', u('q=shelf%205'), s.manager)).items.map((r: { title: string }) => r.title)).toEqual(['Record 5']);
    expect(json(await call('GET', u('sort=title&dir=desc&pageSize=1'), s.manager)).items[0].title).toBe('Record 7');
    expect(json(await call('GET', u('legalHold=true'), s.manager)).total).toBe(0);
    expect(json(await call('GET', u('sort=colour'), s.manager)).error.field).toBe('querystring.sort');

    const counter = t.db.database.queryCounter;
    const count = async (qs: string) => {
      const before = counter.count;
      expect((await call('GET', u(qs), s.manager)).statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count('pageSize=1');
    expect(await count('pageSize=100')).toBe(small);
    expect(await count('pageSize=100&sort=retentionEndsOn&q=record')).toBe(small);
    expect(small).toBeLessThanOrEqual(4); // actor (2), page, count
    const q1 = counter.count;
    await call('GET', `/api/scopes/${s.scope.id}/records/disposal-queue?pageSize=100`, s.manager);
    expect(counter.count - q1).toBe(small);

    // outsiders see nothing, employees are refused
    const employee = await buildUser(t.deps, { memberships: [[s.scope.id, 'employee']] });
    expect((await call('GET', u(''), employee)).statusCode).toBe(403);
    expect((await call('GET', u(''), manager)).statusCode).toBe(404);
  });
});
