import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  requester,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { internalAuditReadinessChecks } from './internal-audit.readiness.ts';
import { auditSummary } from './index.ts';

const plan = (over: Record<string, unknown> = {}) => ({
  title: 'Access control',
  scope: 'Head office',
  criteria: { clauses: ['10.2', '9.2'], requirementIds: [], processes: [] },
  plannedStart: '2026-03-01',
  plannedEnd: '2026-03-03',
  ...over,
});

describe.each(dialects)('internal audit on %s', (dialect) => {
  let t: TestContext;
  const { call, ok } = requester(() => t);
  let requirement: { id: string; identifier: string };
  let requirement2: { id: string; identifier: string };
  beforeAll(async () => {
    t = await createTestContext(dialect);
    const rows = await t.deps.db
      .selectFrom('catalog_requirement')
      .select(['id', 'identifier'])
      .where('identifier', 'in', ['A.5.18', 'A.8.13'])
      .orderBy('identifier')
      .execute();
    [requirement, requirement2] = [rows.find((r) => r.identifier === 'A.5.18')!, rows.find((r) => r.identifier === 'A.8.13')!];
  });
  afterAll(() => t.close());

  async function setup(profile: 'small' | 'large' = 'small') {
    const { scope, manager } = await buildScope(t.deps, { profile });
    const auditor = await buildUser(t.deps, { name: 'Ada Auditor', memberships: [[scope.id, 'auditor']] });
    const other = await buildUser(t.deps, { name: 'Otto Auditor', memberships: [[scope.id, 'auditor']] });
    const owner = await buildUser(t.deps, { name: 'Carla Owner', memberships: [[scope.id, 'contributor']] });
    const viewer = await buildUser(t.deps, { memberships: [[scope.id, 'viewer']] });
    return { scopeId: scope.id, manager, auditor, other, owner, viewer, base: `/api/scopes/${scope.id}/audits` };
  }

  async function control(scopeId: string, by: TestUser, ownerId: string, requirementId: string) {
    const c = await ok(
      'POST',
      `/api/scopes/${scopeId}/controls`,
      by,
      { title: 'Access reviews', ownerId, requirementIds: [requirementId] },
      201,
    );
    const e = await ok(
      'POST',
      `/api/scopes/${scopeId}/evidence/links`,
      by,
      { title: 'Access review Q1', url: 'https://wiki.example/review-q1', evidenceDate: '2026-02-01', controlIds: [c.id] },
      201,
    );
    return { control: c, evidence: e };
  }

  async function move(base: string, by: TestUser, audit: { id: string; version: number }, ...to: string[]) {
    let a = audit;
    for (const s of to) a = await ok('POST', `${base}/${a.id}/transition`, by, { version: a.version, to: s });
    return a as any;
  }

  it('plans an audit with its checklist, runs it planned → closed with version checks and audit-trail entries, and lists it', async () => {
    const s = await setup();
    const { evidence } = await control(s.scopeId, s.manager, s.owner.id, requirement.id);
    const bad = await call('POST', s.base, s.manager, plan({ plannedEnd: '2026-02-01' }));
    expect([bad.statusCode, json(bad).error.field]).toEqual([400, 'body.plannedEnd']);
    expect(json(await call('POST', s.base, s.manager, plan({ criteria: { clauses: ['11.1'] } }))).error.field).toBe(
      'body.criteria.clauses.0',
    );
    expect(json(await call('POST', s.base, s.manager, plan({ title: 'a\u0000b' }))).error.field).toBe('body.title');
    expect(json(await call('POST', s.base, s.manager, plan({ leadAuditorId: newId() }))).error.field).toBe('body.leadAuditorId');

    let audit = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ leadAuditorId: s.auditor.id, criteria: { clauses: ['10.2', '9.2'], requirementIds: [requirement.id], processes: [] } }),
      201,
    );
    expect(audit).toMatchObject({
      reference: 'IA-0001',
      status: 'planned',
      source: 'internal',
      leadAuditor: { id: s.auditor.id },
      cycleNumber: 1,
    });
    // the checklist: clauses in their order, then the requirement with the live evidence of its control to sample
    expect(audit.checklist.map((i: { title: string }) => i.title)).toEqual([
      '9.2 Internal audit',
      '10.2 Nonconformity and corrective action',
      `A.5.18 ${audit.criteria.requirements[0].title}`,
    ]);
    expect(audit.checklist[2].toSample).toEqual([expect.objectContaining({ id: evidence.id, reference: evidence.reference })]);
    expect(audit.checklist[0].toSample).toEqual([]);

    // stale version → 409 with the current record
    const stale = await call('POST', `${s.base}/${audit.id}/transition`, s.manager, { version: audit.version + 1, to: 'prepared' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current.version).toBe(audit.version);
    // one step at a time
    expect(
      (await call('POST', `${s.base}/${audit.id}/transition`, s.manager, { version: audit.version, to: 'fieldwork' })).statusCode,
    ).toBe(409);
    // criteria changed before fieldwork regenerate the checklist
    audit = await ok('PATCH', `${s.base}/${audit.id}`, s.manager, {
      version: audit.version,
      criteria: { clauses: ['9.2'], requirementIds: [requirement.id] },
    });
    expect(audit.checklist.map((i: { kind: string; clause: string | null }) => [i.kind, i.clause])).toEqual([
      ['clause', '9.2'],
      ['requirement', null],
    ]);
    audit = await move(s.base, s.manager, audit, 'prepared', 'fieldwork');
    expect(
      json(await call('PATCH', `${s.base}/${audit.id}`, s.manager, { version: audit.version, criteria: { clauses: ['4.1'] } })).error.field,
    ).toBe('body.criteria');
    // reporting needs every row recorded
    expect(
      (await call('POST', `${s.base}/${audit.id}/transition`, s.manager, { version: audit.version, to: 'reporting' })).statusCode,
    ).toBe(422);
    for (const item of audit.checklist)
      audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${item.id}`, s.auditor, {
        version: item.version,
        result: 'conforming',
        sampledEvidenceIds: item.toSample.map((e: { id: string }) => e.id),
      });
    expect(audit.checklist[1].sampledEvidence).toEqual([expect.objectContaining({ id: evidence.id })]);
    expect(audit.checklist[0].recordedBy).toBe('Ada Auditor');
    // the lead auditor moves the audit on; another auditor may not
    expect((await call('POST', `${s.base}/${audit.id}/transition`, s.other, { version: audit.version, to: 'reporting' })).statusCode).toBe(
      403,
    );
    audit = await move(s.base, s.auditor, audit, 'reporting', 'closed');
    expect(audit).toMatchObject({ status: 'closed', canRecord: false });
    expect(audit.closedAt).toBeTruthy();
    expect((await call('PATCH', `${s.base}/${audit.id}`, s.manager, { version: audit.version, title: 'x' })).statusCode).toBe(409);

    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'record_ref'])
      .where('record_type', '=', 'internal_audit')
      .where('record_id', '=', audit.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => e.action)).toEqual([
      'create',
      'update',
      'transition',
      'transition',
      'record-result',
      'record-result',
      'transition',
      'transition',
    ]);

    // lists: paging, filters, search, CSV
    await ok('POST', s.base, s.manager, plan({ title: 'Backups', plannedStart: '2026-06-01', plannedEnd: '2026-06-02' }), 201);
    const page = await ok('GET', `${s.base}?pageSize=1`, s.viewer);
    expect([page.total, page.items.length, page.items[0].title]).toEqual([2, 1, 'Backups']);
    expect((await ok('GET', `${s.base}?status=closed`, s.viewer)).items.map((a: { reference: string }) => a.reference)).toEqual([
      'IA-0001',
    ]);
    expect((await ok('GET', `${s.base}?q=backup`, s.viewer)).items.map((a: { reference: string }) => a.reference)).toEqual(['IA-0002']);
    const csv = await call('GET', `/api/scopes/${s.scopeId}/audits.csv?status=active`, s.viewer);
    expect(csv.body.split('\n').filter(Boolean)).toEqual([
      expect.stringContaining('Reference,Title'),
      expect.stringContaining('IA-0002,Backups,Internal,,Planned'),
    ]);
  });

  it('keeps auditors independent: the large profile refuses, the small one records the justification', async () => {
    const large = await setup('large');
    await control(large.scopeId, large.manager, large.owner.id, requirement.id);
    const refused = await call(
      'POST',
      large.base,
      large.manager,
      plan({ leadAuditorId: large.auditor.id, teamIds: [large.owner.id], criteria: { requirementIds: [requirement.id] } }),
    );
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.message).toContain('Carla Owner owns control');
    // a process owner may not audit their process either
    await t.deps.db
      .updateTable('scope_process')
      .set({ owner_id: large.auditor.id })
      .where('scope_id', '=', large.scopeId)
      .where('process_key', '=', 'risk-assessment')
      .execute();
    const process = await call(
      'POST',
      large.base,
      large.manager,
      plan({ leadAuditorId: large.auditor.id, criteria: { processes: ['risk-assessment'] } }),
    );
    expect(process.statusCode).toBe(409);
    expect(json(process).error.message).toContain('Ada Auditor owns the process Risk assessment');
    expect(await t.deps.db.selectFrom('internal_audit').select('id').where('scope_id', '=', large.scopeId).execute()).toEqual([]);
    // adding the owner to the team later is refused as well
    const fine = await ok(
      'POST',
      large.base,
      large.manager,
      plan({ leadAuditorId: large.other.id, criteria: { requirementIds: [requirement.id] } }),
      201,
    );
    expect(
      (await call('PATCH', `${large.base}/${fine.id}`, large.manager, { version: fine.version, teamIds: [large.owner.id] })).statusCode,
    ).toBe(409);

    const small = await setup('small');
    await control(small.scopeId, small.manager, small.owner.id, requirement.id);
    const body = plan({ leadAuditorId: small.owner.id, criteria: { requirementIds: [requirement.id] } });
    const asked = await call('POST', small.base, small.manager, body);
    expect([asked.statusCode, json(asked).error.field]).toEqual([400, 'body.independenceJustification']);
    expect(json(asked).error.message).toContain('Carla Owner owns control');
    const justified = await ok(
      'POST',
      small.base,
      small.manager,
      { ...body, independenceJustification: 'Two people work here; the MD reviews her results.' },
      201,
    );
    expect(justified.independence).toEqual([
      expect.objectContaining({
        user: 'Carla Owner',
        conflict: expect.stringContaining('owns control'),
        justification: 'Two people work here; the MD reviews her results.',
      }),
    ]);
  });

  it('hands a nonconformity to improvement in the same transaction, through corrective action and effectiveness to a follow-up row', async () => {
    const s = await setup();
    let audit = await ok('POST', s.base, s.manager, plan({ leadAuditorId: s.auditor.id, teamIds: [s.owner.id] }), 201);
    audit = await move(s.base, s.manager, audit, 'prepared', 'fieldwork');
    const [row] = audit.checklist;
    // only the team (and managers) record; the auditor role otherwise reads
    expect(
      (await call('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.other, { version: row.version, result: 'conforming' })).statusCode,
    ).toBe(403);
    expect(
      (await call('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.viewer, { version: row.version, result: 'conforming' })).statusCode,
    ).toBe(403);
    expect(
      json(await call('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.auditor, { version: row.version, result: 'broken' })).error
        .field,
    ).toBe('body.result');
    expect(
      json(
        await call('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.auditor, {
          version: row.version,
          result: 'conforming',
          sampledEvidenceIds: [newId()],
        }),
      ).error.field,
    ).toBe('body.sampledEvidenceIds');

    audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.owner, {
      version: row.version,
      result: 'minor_nonconformity',
      notes: 'No audit programme for this year\nOnly last year’s plan exists.',
    });
    const finding = audit.checklist[0].finding;
    expect(finding).toMatchObject({ type: 'nonconformity', reference: 'NC-0001', status: 'open' });
    const nc = await ok('GET', `/api/scopes/${s.scopeId}/nonconformities/${finding.id}`, s.manager);
    expect(nc).toMatchObject({
      source: 'internal_audit',
      severity: 'minor',
      title: 'No audit programme for this year',
      requirement: 'ISO/IEC 27001 9.2 Internal audit',
      sourceRecord: { type: 'internal_audit_item', id: row.id, ref: 'IA-0001 #1' },
    });
    const ledger = await t.deps.db
      .selectFrom('handoff')
      .selectAll()
      .where('scope_id', '=', s.scopeId)
      .where('edge', '=', 'internal-audit>improvement')
      .execute();
    expect(ledger).toMatchObject([{ work_record_type: 'nonconformity', work_record_id: nc.id, source_record_id: audit.id, done_at: null }]);
    // the result stays once a finding was raised from it
    const again = await call('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.auditor, {
      version: audit.checklist[0].version,
      result: 'conforming',
    });
    expect([again.statusCode, json(again).error.message]).toEqual([409, expect.stringContaining('NC-0001')]);
    // notes may still change, without a second nonconformity
    audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${row.id}`, s.auditor, {
      version: audit.checklist[0].version,
      result: 'minor_nonconformity',
      notes: 'More detail',
    });
    audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${audit.checklist[1].id}`, s.manager, {
      version: audit.checklist[1].version,
      result: 'opportunity',
      notes: 'Automate the reminders',
    });
    expect(audit.checklist[1].finding).toMatchObject({ type: 'improvement_opportunity', reference: 'OFI-0001' });
    expect(await t.deps.db.selectFrom('nonconformity').select('id').where('scope_id', '=', s.scopeId).execute()).toHaveLength(1);

    // improvement takes over: corrective action (the ledger row is done), effectiveness check
    let after = await ok('POST', `/api/scopes/${s.scopeId}/nonconformities/${nc.id}/corrective-actions`, s.manager, {
      title: 'Plan the audits of the year',
      dueOn: '2099-04-01',
    });
    const settled = await t.deps.db
      .selectFrom('handoff')
      .select(['outcome', 'done_at'])
      .where('work_record_id', '=', nc.id)
      .executeTakeFirstOrThrow();
    expect(settled.outcome).toBe('done');
    await t.deps.db.updateTable('task').set({ status: 'done' }).where('id', '=', after.correctiveActions[0].taskId).execute();
    after = await ok('POST', `/api/scopes/${s.scopeId}/nonconformities/${nc.id}/effectiveness-check`, s.manager, {
      version: after.version,
      effectivenessDueOn: '2026-09-01',
    });
    expect(after.status).toBe('effectiveness_check');

    // the next audit, when prepared, verifies it in a follow-up row
    let next = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ title: 'Follow-up', leadAuditorId: s.auditor.id, criteria: { clauses: ['7.5'] } }),
      201,
    );
    next = await move(s.base, s.manager, next, 'prepared');
    expect(next.checklist.map((i: { kind: string; title: string }) => [i.kind, i.title])).toEqual([
      ['clause', '7.5 Documented information'],
      ['follow_up', 'Follow-up of NC-0001: No audit programme for this year'],
    ]);
    expect(next.checklist[1].followUpOf).toEqual({ id: nc.id, reference: 'NC-0001' });

    // the management review's read model
    const summary = await auditSummary(t.deps.db, s.scopeId, { from: '2000-01-01', to: '2100-01-01' });
    expect(summary).toMatchObject({
      auditsHeld: 0,
      openNonconformities: 1,
      findings: { minor_nonconformity: 1, opportunity: 1, conforming: 0 },
    });
  });

  it('takes over external audit reports: their findings enter the same flow', async () => {
    const s = await setup();
    expect(json(await call('POST', s.base, s.manager, plan({ source: 'external' }))).error.field).toBe('body.externalParty');
    let cb = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ source: 'external', externalParty: 'certification_body', externalOrganisation: 'CertCo', criteria: {} }),
      201,
    );
    expect(cb).toMatchObject({ reference: 'EA-0001', source: 'external', checklist: [] });
    cb = await ok(
      'POST',
      `${s.base}/${cb.id}/findings`,
      s.manager,
      { title: 'Risk owners not named', clause: '6.1', result: 'major_nonconformity', notes: 'Stage 2 finding 1' },
      201,
    );
    const nc = await ok('GET', `/api/scopes/${s.scopeId}/nonconformities/${cb.checklist[0].finding.id}`, s.manager);
    expect(nc).toMatchObject({ source: 'external_audit', severity: 'major', sourceRecord: { ref: 'EA-0001 #1' } });
    const supplier = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ source: 'external', externalParty: 'supplier', externalOrganisation: 'Hosting Ltd' }),
      201,
    );
    const after = await ok(
      'POST',
      `${s.base}/${supplier.id}/findings`,
      s.manager,
      { title: 'Backups untested', requirementId: requirement2.id, result: 'minor_nonconformity' },
      201,
    );
    const nc2 = await ok('GET', `/api/scopes/${s.scopeId}/nonconformities/${after.checklist.at(-1).finding.id}`, s.manager);
    expect(nc2).toMatchObject({ source: 'supplier_audit', requirement: expect.stringContaining('A.8.13') });
  });

  it('shows the programme of the cycle: coverage of clauses and applicable controls, gaps, and frequencies from risks and findings', async () => {
    const s = await setup();
    const programme0 = await ok('GET', `/api/scopes/${s.scopeId}/audit-programme`, s.viewer);
    expect(programme0).toMatchObject({ soa: null, controls: [], audits: [] });
    expect(programme0.uncovered.clauses).toHaveLength(23);
    // an approved SoA with two applicable controls and one excluded
    const catalog = await t.deps.db
      .selectFrom('catalog_requirement')
      .select('catalog_id')
      .where('id', '=', requirement.id)
      .executeTakeFirstOrThrow();
    const soaId = newId();
    const now = new Date().toISOString();
    await t.deps.db
      .insertInto('soa')
      .values({
        id: soaId,
        scope_id: s.scopeId,
        catalog_id: catalog.catalog_id,
        reference: 'SOA-0001',
        title: 'SoA',
        status: 'approved',
        draft_number: 1,
        approved_number: 1,
        submitted_by: null,
        submitted_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const entry = (r: { id: string; identifier: string }, applicable: boolean) => ({
      requirement: {
        id: r.id,
        identifier: r.identifier,
        label: r.identifier,
        title: r.identifier,
        parentIdentifier: r.identifier.slice(0, 3),
        depth: 1,
        withdrawn: false,
      },
      group: { identifier: r.identifier.slice(0, 3), label: r.identifier.slice(0, 3), title: 'Controls' },
      applicable,
    });
    const excluded = { id: newId(), identifier: 'A.7.1' };
    await t.deps.db
      .insertInto('soa_version')
      .values({
        id: newId(),
        soa_id: soaId,
        number: 1,
        submitted_by: null,
        submitted_at: null,
        approved_by: null,
        approved_at: now,
        entry_count: 3,
        applicable_count: 2,
        excluded_count: 1,
        entries: JSON.stringify([entry(requirement, true), entry(requirement2, true), entry(excluded, false)]),
      })
      .execute();
    // an earlier audit found a minor nonconformity on A.8.13
    let past = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ leadAuditorId: s.auditor.id, criteria: { requirementIds: [requirement2.id] } }),
      201,
    );
    past = await move(s.base, s.manager, past, 'prepared', 'fieldwork');
    await ok('PUT', `${s.base}/${past.id}/checklist/${past.checklist[0].id}`, s.auditor, { version: 1, result: 'minor_nonconformity' });
    // this cycle's audit covers clause 9.2 and A.5.18
    await ok('POST', s.base, s.manager, plan({ title: 'Second', criteria: { clauses: ['9.2'], requirementIds: [requirement.id] } }), 201);

    // an audit planned in an earlier cycle belongs to that cycle's programme
    const earlier = newId();
    await t.deps.db
      .insertInto('isms_cycle')
      .values({
        id: earlier,
        scope_id: s.scopeId,
        number: 0,
        starts_on: '2020-01-01',
        ends_on: '2020-12-31',
        closed_at: now,
        created_by: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const old = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ title: 'Old', plannedStart: '2020-05-01', plannedEnd: '2020-05-02', criteria: { clauses: ['4.1'] } }),
      201,
    );
    expect(old.cycleNumber).toBe(0);
    expect(
      (await ok('GET', `/api/scopes/${s.scopeId}/audit-programme?cycleId=${earlier}`, s.auditor)).audits.map(
        (a: { title: string }) => a.title,
      ),
    ).toEqual(['Old']);

    const programme = await ok('GET', `/api/scopes/${s.scopeId}/audit-programme`, s.auditor);
    expect(programme.soa).toMatchObject({ reference: 'SOA-0001', versionNumber: 1 });
    expect(programme.controls.map((c: { identifier: string; audits: string[] }) => [c.identifier, c.audits])).toEqual([
      ['A.5.18', ['IA-0002']],
      ['A.8.13', ['IA-0001']],
    ]);
    expect(programme.clauses.find((c: { clause: string }) => c.clause === '9.2').audits).toEqual(['IA-0002']);
    expect(programme.uncovered.clauses).toHaveLength(22);
    expect(programme.uncovered.clauses).not.toContain('9.2');
    expect(programme.uncovered.controls).toEqual([]);
    expect(programme.areas.find((a: { area: string }) => a.area === 'A.8')).toMatchObject({
      frequency: 'yearly',
      reasons: [{ code: 'minorFindings', count: 1 }],
    });
    expect(programme.areas.find((a: { area: string }) => a.area === '4')).toMatchObject({ frequency: 'once_per_certification_cycle' });
    expect((await call('GET', `/api/scopes/${s.scopeId}/audit-programme?cycleId=${newId()}`, s.auditor)).statusCode).toBe(404);
  });

  it('exports the audit report as PDF and DOCX with scope, criteria, team, results and findings', async () => {
    const s = await setup();
    let audit = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ title: 'Report test', scope: 'Data centre Nord', leadAuditorId: s.auditor.id, teamIds: [s.other.id] }),
      201,
    );
    audit = await move(s.base, s.manager, audit, 'prepared', 'fieldwork');
    audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${audit.checklist[0].id}`, s.auditor, {
      version: 1,
      result: 'minor_nonconformity',
      notes: 'Programme missing',
    });
    const pdf = await call('GET', `${s.base}/${audit.id}/report.pdf`, s.viewer);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const docx = await call('GET', `${s.base}/${audit.id}/report.docx`, s.viewer);
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ' ');
    for (const text of [
      'IA-0001 Report test',
      'Data centre Nord',
      'ISO/IEC 27001 9.2 Internal audit',
      'Ada Auditor',
      'Otto Auditor',
      '2026-03-01',
      'Minor nonconformity',
      'NC-0001',
      'Programme missing',
    ])
      expect(xml).toContain(text);
  });

  it('is ready for the Check phase once an internal audit is closed in the cycle (partial while one runs)', async () => {
    const s = await setup();
    const [check] = internalAuditReadinessChecks;
    const ctx = { scopeId: s.scopeId, cycle: { startsOn: '2000-01-01', endsOn: '2100-01-01' }, today: '2026-03-01' };
    expect((await check!.evaluate(t.deps.db, ctx)).state).toBe('open');
    let audit = await ok('POST', s.base, s.manager, plan({ leadAuditorId: s.auditor.id, criteria: { clauses: ['9.2'] } }), 201);
    audit = await move(s.base, s.manager, audit, 'prepared', 'fieldwork');
    expect((await check!.evaluate(t.deps.db, ctx)).state).toBe('partial');
    audit = await ok('PUT', `${s.base}/${audit.id}/checklist/${audit.checklist[0].id}`, s.auditor, { version: 1, result: 'conforming' });
    await move(s.base, s.manager, audit, 'reporting', 'closed');
    expect(await check!.evaluate(t.deps.db, ctx)).toMatchObject({ state: 'done', link: `/s/${s.scopeId}/audits` });
    expect((await auditSummary(t.deps.db, s.scopeId, { from: '2000-01-01', to: '2100-01-01' })).auditsHeld).toBe(1);
  });

  it('lists audits and shows an audit with a fixed number of statements, whatever the page size or checklist length', async () => {
    const s = await setup();
    const counter = t.db.database.queryCounter;
    const count = async (url: string) => {
      const before = counter.count;
      await ok('GET', url, s.viewer);
      return counter.count - before;
    };
    const short = await ok('POST', s.base, s.manager, plan({ criteria: { clauses: ['9.2'], requirementIds: [requirement.id] } }), 201);
    const long = await ok(
      'POST',
      s.base,
      s.manager,
      plan({ criteria: { clauses: ['4.1', '5.1', '6.1', '7.5', '9.2', '10.2'], requirementIds: [requirement.id, requirement2.id] } }),
      201,
    );
    await count(s.base); // the reader's first request also records the use of the token
    expect(await count(`${s.base}?pageSize=1`)).toBe(await count(`${s.base}?pageSize=100`));
    expect(await count(`${s.base}/${short.id}`)).toBe(await count(`${s.base}/${long.id}`));
  });

  it('records nothing when the hand-off to improvement fails: the result and the nonconformity share one transaction', async () => {
    const s = await setup();
    let audit = await ok('POST', s.base, s.manager, plan({ leadAuditorId: s.auditor.id, criteria: { clauses: ['9.2'] } }), 201);
    audit = await move(s.base, s.manager, audit, 'prepared', 'fieldwork');
    let fail = true;
    t.deps.events.on('audit.finding-recorded', async (_tx, _actor, e) => {
      if (fail && e.scopeId === s.scopeId) throw new Error('improvement is down');
    });
    const res = await call('PUT', `${s.base}/${audit.id}/checklist/${audit.checklist[0].id}`, s.auditor, {
      version: 1,
      result: 'major_nonconformity',
      notes: 'x',
    });
    expect(res.statusCode).toBe(500);
    fail = false;
    const after = await ok('GET', `${s.base}/${audit.id}`, s.auditor);
    expect(after.checklist[0]).toMatchObject({ result: null, version: 1, finding: null });
    expect(await t.deps.db.selectFrom('nonconformity').select('id').where('scope_id', '=', s.scopeId).execute()).toEqual([]);
    expect(await t.deps.db.selectFrom('handoff').select('id').where('scope_id', '=', s.scopeId).execute()).toEqual([]);
  });

  it('checks role and scope on every route', async () => {
    const s = await setup();
    const outsider = (await buildScope(t.deps)).manager;
    const audit = await ok('POST', s.base, s.manager, plan(), 201);
    expect((await call('GET', `${s.base}/${audit.id}`, outsider)).statusCode).toBe(404);
    expect((await call('GET', `${s.base}/${newId()}`, s.manager)).statusCode).toBe(404);
    expect((await call('POST', s.base, s.viewer, plan())).statusCode).toBe(403);
    expect((await call('POST', s.base, s.auditor, plan())).statusCode).toBe(403);
    expect((await call('POST', `${s.base}/${audit.id}/transition`, s.owner, { version: 1, to: 'prepared' })).statusCode).toBe(403);
    expect((await ok('GET', `${s.base}/${audit.id}`, s.auditor)).canRecord).toBe(false);
    const led = await move(
      s.base,
      s.manager,
      await ok('POST', s.base, s.manager, plan({ leadAuditorId: s.auditor.id }), 201),
      'prepared',
      'fieldwork',
    );
    const row = `${s.base}/${led.id}/checklist/${led.checklist[0].id}`;
    expect(
      (await call('PUT', `${s.base}/${led.id}/checklist/${newId()}`, s.auditor, { version: 1, result: 'conforming' })).statusCode,
    ).toBe(404);
    expect((await call('PUT', row, outsider, { version: 1, result: 'conforming' })).statusCode).toBe(404);
    expect((await call('GET', `${s.base}/${led.id}/report.pdf`, outsider)).statusCode).toBe(404);
    expect((await call('GET', `/api/scopes/${s.scopeId}/audit-programme`, (await buildScope(t.deps)).manager)).statusCode).toBe(404);
  });
});
