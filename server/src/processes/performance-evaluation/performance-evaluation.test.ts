import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskTable } from '../../db/schema.ts';
import type { ControlTable } from '../control-implementation/control-implementation.tables.ts';
import { readinessChecks } from '../../isms/cycle/readiness-checks.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  documentRow,
  documentVersionRow,
  json,
  requester,
  TestClock,
  type TestContext,
} from '../../test/harness.ts';
import { measurementSummary } from './index.ts';
import { type LiveContext, liveComputations } from './measure.live.ts';
import { listMeasures, recordMeasurement, sweepMeasuresDue } from './measure.service.ts';

const DAY = 24 * 3600 * 1000;

describe.each(dialects)('performance evaluation on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const { call, ok } = requester(() => t);
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const manual = (over: Record<string, unknown> = {}) => ({
    name: 'Phishing click rate',
    informationNeed: 'Do staff recognise phishing?',
    formula: 'clicks / emails × 100',
    unit: '%',
    direction: 'lower',
    target: 8,
    breachAt: 12,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    sourceKind: 'manual',
    ...over,
  });

  async function scopeWith() {
    const { scope, manager } = await buildScope(t.deps);
    const contributor = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const auditor = await buildUser(t.deps, { memberships: [[scope.id, 'auditor']] });
    return { scopeId: scope.id, manager, contributor, auditor, base: `/api/scopes/${scope.id}/measures` };
  }

  it('defines a measure, refuses bad input naming the field, and starts a definition version when target or formula change', async () => {
    const { scopeId, manager, contributor, auditor, base } = await scopeWith();
    const bad = await call('POST', base, manager, manual({ direction: 'sideways' }));
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.direction');
    const wrongSide = await call('POST', base, manager, manual({ breachAt: 5 }));
    expect(json(wrongSide).error.field).toBe('body.breachAt');
    expect(json(await call('POST', base, manager, manual({ name: 'a\u0000b' }))).error.field).toBe('body.name');
    expect((await call('POST', base, contributor, manual())).statusCode).toBe(403);
    const count = await t.deps.db
      .selectFrom('measure')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('scope_id', '=', scopeId)
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(0);

    let m = await ok(
      'POST',
      base,
      manager,
      manual({ measuredById: contributor.id, links: [{ type: 'process', key: 'improvement' }] }),
      201,
    );
    expect(m).toMatchObject({
      reference: 'MSR-0001',
      definitionVersion: 1,
      measuredBy: { id: contributor.id },
      links: [{ type: 'process', key: 'improvement' }],
    });
    m = await ok('PATCH', `${base}/${m.id}`, manager, { version: m.version, name: 'Phishing simulation click rate' });
    expect(m.definitionVersion).toBe(1);
    const before = m;
    m = await ok('PATCH', `${base}/${m.id}`, manager, { version: m.version, target: 6 });
    expect(m).toMatchObject({ definitionVersion: 2, target: 6 });
    expect(m.versions.map((v: { target: number }) => v.target)).toEqual([8, 6]);
    const stale = await call('PATCH', `${base}/${m.id}`, manager, { version: before.version, target: 5 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current.target).toBe(6);
    expect((await call('GET', `${base}/${m.id}`, auditor)).statusCode).toBe(200);
    const other = await buildScope(t.deps);
    expect((await call('GET', `${base}/${m.id}`, other.manager)).statusCode).toBe(404);
    const trail = await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', m.id).execute();
    expect(trail.map((e) => e.action)).toEqual(['create', 'update', 'update']);

    // a linked control reads by its reference in the trail, not by its id
    const control = await ok('POST', `/api/scopes/${scopeId}/controls`, manager, { title: 'Awareness training' }, 201);
    m = await ok('PATCH', `${base}/${m.id}`, manager, {
      version: m.version,
      links: [
        { type: 'process', key: 'improvement' },
        { type: 'control', key: control.id },
      ],
    });
    expect(m.links).toContainEqual(expect.objectContaining({ type: 'control', key: control.id }));
    const linked = await t.deps.db
      .selectFrom('audit_entry')
      .select('changes')
      .where('record_id', '=', m.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const links = JSON.parse(linked.changes).links;
    expect(links.from).toEqual(['process:improvement']);
    expect([...links.to].sort()).toEqual([`control:${control.reference}`, 'process:improvement']);
  });

  it('takes manual values from the owner and API values with a token, stamped and evaluated by their definition version; no route changes one', async () => {
    const { scopeId, manager, contributor, auditor, base } = await scopeWith();
    const other = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    let m = await ok('POST', base, manager, manual({ measuredById: contributor.id, sourceKind: 'api' }), 201);
    // signed in (a session actor): a manual value
    const first = await recordMeasurement(t.deps, contributor.actor, scopeId, m.id, {
      value: 7,
      comment: 'January campaign',
      evidenceUrl: 'https://example.org/report',
    });
    expect(first).toMatchObject({
      source: 'manual',
      status: 'on_target',
      definitionVersion: 1,
      comment: 'January campaign',
      recordedBy: { id: contributor.id },
    });
    m = await ok('PATCH', `${base}/${m.id}`, manager, { version: m.version, target: 5, breachAt: 9 });
    // pushed by a script with an API token: the same endpoint
    const pushed = await ok('POST', `${base}/${m.id}/measurements`, contributor, { value: 7 }, 201);
    expect(pushed).toMatchObject({ source: 'api', status: 'warning', definitionVersion: 2 });
    expect((await call('POST', `${base}/${m.id}/measurements`, other, { value: 1 })).statusCode).toBe(403);
    expect((await call('POST', `${base}/${m.id}/measurements`, auditor, { value: 1 })).statusCode).toBe(403);
    expect(json(await call('POST', `${base}/${m.id}/measurements`, contributor, { value: 'high' })).error.field).toBe('body.value');
    expect((await call('POST', `${base}/${m.id}/measurements`, manager, { value: 3 })).statusCode).toBe(201);
    const list = await ok('GET', `${base}/${m.id}/measurements`, auditor);
    expect(list.items.map((x: { value: number }) => x.value)).toEqual([3, 7, 7]);
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await call(method, `${base}/${m.id}/measurements/${pushed.id}`, manager, {})).statusCode).toBe(404);
    }
    const stored = await t.deps.db
      .selectFrom('measurement')
      .select(['value', 'status'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect({ value: Number(stored.value), status: stored.status }).toEqual({ value: 7, status: 'on_target' });
    const live = await ok('POST', `${base}/recommended`, manager, { keys: ['risks-past-review'] });
    expect(live.created).toBe(1);
    const [liveMeasure] = (await ok('GET', `${base}?sourceKind=live`, manager)).items;
    expect((await call('POST', `${base}/${liveMeasure.id}/measurements`, manager, { value: 1 })).statusCode).toBe(409);
  });

  it('hands a breach to its analysis owner, and the analysis raises a nonconformity in improvement with its ledger row', async () => {
    const { scopeId, manager, contributor, base } = await scopeWith();
    const m = await ok('POST', base, manager, manual({ measuredById: contributor.id, analysedById: contributor.id }), 201);
    const breach = await ok('POST', `${base}/${m.id}/measurements`, contributor, { value: 15 }, 201);
    expect(breach.status).toBe('breach');
    const task = await t.deps.db.selectFrom('task').selectAll().where('purpose', '=', `analyse:${breach.id}`).executeTakeFirstOrThrow();
    expect(task).toMatchObject({
      status: 'open',
      assignee_id: contributor.id,
      origin_record_id: m.id,
      process_key: 'performance-evaluation',
    });
    expect(task.title).toBe('Analyse MSR-0001 Phishing click rate: 15 % is in breach');
    expect(breach.analysisTask).toEqual({ id: task.id, reference: task.reference });
    // a second breach is a second task; a value on target is none
    const second = await ok('POST', `${base}/${m.id}/measurements`, contributor, { value: 13 }, 201);
    await ok('POST', `${base}/${m.id}/measurements`, contributor, { value: 4 }, 201);
    const tasks = await t.deps.db.selectFrom('task').select('purpose').where('origin_record_id', '=', m.id).execute();
    expect(tasks.map((x) => x.purpose).sort()).toEqual([`analyse:${breach.id}`, `analyse:${second.id}`].sort());

    const url = `${base}/${m.id}/measurements/${breach.id}/analysis`;
    expect(json(await call('POST', url, contributor, { outcome: 'nonconformity', note: '' })).error.field).toBe('body.note');
    const analysed = await ok('POST', url, contributor, { outcome: 'nonconformity', note: 'The new campaign was not covered by training' });
    expect(analysed.analysis).toMatchObject({ outcome: 'nonconformity', finding: { type: 'nonconformity' } });
    // the trail names the measurement by when it was taken and its value, not by its id
    const analysedEntry = await t.deps.db
      .selectFrom('audit_entry')
      .select('changes')
      .where('record_id', '=', m.id)
      .where('action', '=', 'analyse')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(analysedEntry.changes).analysis.to).toEqual({
      measuredAt: breach.measuredAt,
      value: 15,
      outcome: 'nonconformity',
      note: 'The new campaign was not covered by training',
    });
    const nc = await t.deps.db
      .selectFrom('nonconformity')
      .selectAll()
      .where('id', '=', analysed.analysis.finding.id)
      .executeTakeFirstOrThrow();
    expect(nc).toMatchObject({
      scope_id: scopeId,
      source: 'performance_evaluation',
      source_record_id: breach.id,
      owner_id: contributor.id,
    });
    const ledger = await t.deps.db.selectFrom('handoff').selectAll().where('work_record_id', '=', nc.id).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ edge: 'performance-evaluation>improvement', source_record_id: breach.id, done_at: null });
    const settled = await t.deps.db.selectFrom('task').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
    expect(settled.status).toBe('done');
    expect(settled.completion_note).toContain('nonconformity');
    expect((await call('POST', url, contributor, { outcome: 'no_action', note: 'again' })).statusCode).toBe(409);

    // no action closes the analysis with its note; an opportunity goes to improvement as well
    const other = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    expect(
      (await call('POST', `${base}/${m.id}/measurements/${second.id}/analysis`, other, { outcome: 'no_action', note: 'x' })).statusCode,
    ).toBe(403);
    const none = await ok('POST', `${base}/${m.id}/measurements/${second.id}/analysis`, contributor, {
      outcome: 'no_action',
      note: 'A one-off',
    });
    expect(none.analysis).toMatchObject({ outcome: 'no_action', finding: null });
    const secondTask = await t.deps.db
      .selectFrom('task')
      .select('status')
      .where('purpose', '=', `analyse:${second.id}`)
      .executeTakeFirstOrThrow();
    expect(secondTask.status).toBe('done');
    const third = await ok('POST', `${base}/${m.id}/measurements`, contributor, { value: 20 }, 201);
    const opp = await ok('POST', `${base}/${m.id}/measurements/${third.id}/analysis`, manager, {
      outcome: 'opportunity',
      note: 'Automate the simulation',
    });
    expect(opp.analysis.finding.type).toBe('improvement_opportunity');
  });

  it('computes each live measure from the records of the scope', async () => {
    const { scopeId, manager } = await scopeWith();
    const now = clock.now().toISOString();
    const today = now.slice(0, 10);
    const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
    const ctx = (param: string | null = null): LiveContext => ({
      db: t.deps.db,
      dialect,
      scopeId,
      today,
      since: ago(31),
      now,
      param,
    });
    const compute = async () =>
      Object.fromEntries(await Promise.all(Object.entries(liveComputations).map(async ([k, f]) => [k, await f(ctx())] as const)));
    const empty = await compute();
    expect(empty['evidence-freshness']).toBeNull();
    expect(empty['overdue-corrective-actions']).toBe(0);

    // controls: 4 applicable (2 implemented or verified), 1 not applicable; evidence valid for 1, expired for another
    const statuses: ControlTable['status'][] = ['implemented', 'verified', 'planned', 'in_progress', 'not_applicable'];
    const controls = statuses.map((status, i) => ({
      id: newId(),
      scope_id: scopeId,
      reference: `CTL-${i}`,
      title: `Control ${i}`,
      description: '',
      owner_id: null,
      status,
      effectiveness: 'not_assessed' as const,
      cost_estimate: null,
      due_on: null,
      implemented_on: null,
      next_verification_on: null,
      last_verified_on: null,
      created_at: now,
      updated_at: now,
      version: 1,
    }));
    await t.deps.db.insertInto('control').values(controls).execute();
    const evidence = [null, '2026-01-01'].map((validUntil, i) => ({
      id: newId(),
      scope_id: scopeId,
      reference: `EVD-${i}`,
      title: `Evidence ${i}`,
      description: '',
      kind: 'link' as const,
      sha256: null,
      file_name: null,
      media_type: null,
      size: null,
      url: 'https://example.org',
      evidence_date: '2026-01-01',
      valid_until: validUntil,
      created_by: null,
      created_at: now,
      updated_at: now,
      version: 1,
    }));
    await t.deps.db.insertInto('evidence').values(evidence).execute();
    await t.deps.db
      .insertInto('evidence_control')
      .values([
        { evidence_id: evidence[0]!.id, control_id: controls[0]!.id },
        { evidence_id: evidence[1]!.id, control_id: controls[1]!.id },
      ])
      .execute();

    // corrective actions: one overdue, one due later
    const ncs = `/api/scopes/${scopeId}/nonconformities`;
    const nc = await ok('POST', ncs, manager, { title: 'Gap', source: 'manual', severity: 'minor' }, 201);
    // planned a month ago, so that its due date is not before the day it was created
    clock.advance(-30 * DAY);
    await ok('POST', `${ncs}/${nc.id}/corrective-actions`, manager, { title: 'Late', dueOn: '2026-02-01' });
    clock.advance(30 * DAY);
    await ok('POST', `${ncs}/${nc.id}/corrective-actions`, manager, { title: 'Later', dueOn: '2026-12-01' });

    // incidents: closed after 10 h, 20 h and 60 h (median 20); one closed before the period
    const incident = (hoursOpen: number, closedDaysAgo: number) => {
      const closed = new Date(clock.now().getTime() - closedDaysAgo * DAY);
      const reported = new Date(closed.getTime() - hoursOpen * 3600 * 1000).toISOString();
      return {
        id: newId(),
        scope_id: scopeId,
        reference: `INC-${newId().slice(-4)}`,
        title: 'Incident',
        description: '',
        kind: 'incident' as const,
        affected: '',
        reported_by: null,
        reported_at: reported,
        noticed_at: reported,
        status: 'closed' as const,
        category: null,
        severity: null,
        impact_confidentiality: false,
        impact_integrity: false,
        impact_availability: false,
        personal_data: false,
        nis2_significant: false,
        aware_at: reported,
        handler_id: null,
        resolved_at: closed.toISOString(),
        closed_at: closed.toISOString(),
        lessons_learned: '',
        created_at: reported,
        updated_at: reported,
        version: 1,
      };
    };
    const incidents = [incident(10, 2), incident(20, 3), incident(60, 4), incident(5, 60)];
    await t.deps.db.insertInto('incident').values(incidents).execute();
    // notifications: 3 in time, 1 late (75 %)
    await t.deps.db
      .insertInto('incident_notification')
      .values(
        [null, null, null, 'The processor told us late'].map((late, i) => ({
          id: newId(),
          incident_id: incidents[i]!.id,
          regime: 'gdpr_art33',
          sent_at: ago(1),
          recipient: 'Authority',
          external_reference: '',
          late_reason: late,
          recorded_by: null,
          created_at: ago(1),
        })),
      )
      .execute();
    // triage tasks done after 2 h and 6 h (median 4)
    const task = (purpose: string, openedHoursAgo: number, doneHoursAgo: number): TaskTable => ({
      id: newId(),
      scope_id: scopeId,
      reference: `TSK-T${newId().slice(-4)}`,
      title: 'Triage',
      description: '',
      process_key: 'incident-management',
      origin_process_key: 'incident-management',
      origin_record_type: 'incident',
      origin_record_id: newId(),
      origin_record_ref: null,
      assignee_id: null,
      due_on: null,
      status: 'done',
      created_by: null,
      created_at: ago(openedHoursAgo / 24),
      updated_at: now,
      completed_at: ago(doneHoursAgo / 24),
      version: 1,
      purpose,
      completion_note: null,
      title_key: null,
      title_params: null,
      description_key: null,
      description_params: null,
    });
    await t.deps.db
      .insertInto('task')
      .values([task('triage', 10, 8), task('triage', 30, 24)])
      .execute();

    // trainings: 4 due (3 completed), 1 not yet due
    const courseId = newId();
    await t.deps.db
      .insertInto('training_course')
      .values({
        id: courseId,
        scope_id: scopeId,
        reference: 'TRN-0001',
        title: 'Awareness',
        description: '',
        material_document_id: null,
        material_url: null,
        quiz: null,
        pass_mark: null,
        due_days: 30,
        recurrence_months: null,
        grants_competence_id: null,
        status: 'active',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const users = await Promise.all([0, 1, 2, 3, 4].map(() => buildUser(t.deps, { memberships: [[scopeId, 'employee']] })));
    await t.deps.db
      .insertInto('training_assignment')
      .values(
        users.map((u, i) => ({
          id: newId(),
          scope_id: scopeId,
          course_id: courseId,
          user_id: u.id,
          round: 1,
          assigned_at: ago(40),
          due_on: i === 4 ? '2026-04-01' : '2026-02-01',
          completed_at: i < 3 ? ago(35) : null,
          score: null,
          passed: null,
          attempts: 0,
          version: 1,
        })),
      )
      .execute();
    // acknowledgements: 2 due, 1 given (50 %)
    const doc = documentRow({ scope_id: scopeId, reference: 'POL-0001', title: 'Policy', status: 'published', created_at: now });
    await t.deps.db.insertInto('document').values(doc).execute();
    const version = documentVersionRow({ scope_id: scopeId, document_id: doc.id, version_no: 1, content_md: '# Policy', created_at: now });
    await t.deps.db.insertInto('document_version').values(version).execute();
    await t.deps.db
      .insertInto('document_acknowledgement')
      .values(
        users.slice(0, 2).map((u, i) => ({
          id: newId(),
          scope_id: scopeId,
          document_id: doc.id,
          document_version_id: version.id,
          user_id: u.id,
          assigned_at: ago(20),
          due_on: '2026-02-20',
          acknowledged_at: i === 0 ? ago(10) : null,
          carried_over_from: null,
          reminded_at: null,
          reminder_task_id: null,
        })),
      )
      .execute();

    // risks: two at the highest level, one of them with a decided treatment; one past its review date
    const risks = `/api/scopes/${scopeId}/risks`;
    const high = await ok('POST', risks, manager, { title: 'High A', currentLikelihood: 3, currentImpact: 3 }, 201);
    await ok('POST', risks, manager, { title: 'High B', currentLikelihood: 3, currentImpact: 3 }, 201);
    await ok('POST', risks, manager, { title: 'Stale', nextReviewOn: '2026-01-15' }, 201);
    await t.deps.db
      .insertInto('risk_treatment')
      .values({
        id: newId(),
        scope_id: scopeId,
        risk_id: high.id,
        reference: 'RTP-X',
        option: 'modify',
        rationale: '',
        objectives: '[]',
        status: 'decided',
        decided_at: now,
        decided_by: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();

    // hand-offs: waited 1 h and 3 h (settled), one open for 8 h; only the open one goes to improvement
    const handoff = (hoursWaited: number, settled: boolean, to: string) => {
      const created = new Date(clock.now().getTime() - (hoursWaited + (settled ? 24 : 0)) * 3600 * 1000);
      return {
        id: newId(),
        scope_id: scopeId,
        edge: `incident-management>${to}`,
        from_process: 'incident-management',
        to_process: to,
        event: 'incident.lesson',
        source_record_type: 'incident',
        source_record_id: newId(),
        source_record_ref: null,
        work_record_type: 'task',
        work_record_id: newId(),
        work_record_ref: null,
        title: 'Lesson',
        assignee_id: null,
        due_on: null,
        created_at: created.toISOString(),
        done_at: settled ? new Date(created.getTime() + hoursWaited * 3600 * 1000).toISOString() : null,
        outcome: settled ? ('done' as const) : null,
        note: null,
      };
    };
    await t.deps.db
      .insertInto('handoff')
      .values([handoff(1, true, 'risk-assessment'), handoff(3, true, 'risk-assessment'), handoff(8, false, 'improvement')])
      .execute();

    const figures = await compute();
    expect(figures['evidence-freshness']).toBe(25);
    expect(figures['controls-implemented']).toBe(50);
    expect(figures['overdue-corrective-actions']).toBe(1);
    expect(figures['incident-close-hours']).toBe(20);
    expect(figures['incident-triage-hours']).toBe(4);
    expect(figures['notifications-in-time']).toBe(75);
    expect(figures['training-completion']).toBe(75);
    expect(figures['policy-acknowledgement']).toBe(50);
    expect(figures['risks-above-criteria-untreated']).toBe(1);
    expect(figures['risks-past-review']).toBe(1);
    // every edge (the risks above the criteria also handed treatment work to risk treatment just now), then per process
    expect(figures['handoff-wait-hours']).toBeGreaterThan(0);
    expect(await liveComputations['handoff-wait-hours'](ctx('risk-assessment'))).toBe(2);
    expect(await liveComputations['handoff-wait-hours'](ctx('improvement'))).toBe(8);
  });

  it('computes a due live measure once per period however often and wherever the sweep runs', async () => {
    const { scopeId, manager, base } = await scopeWith();
    const wait = { sourceKind: 'live', liveKey: 'handoff-wait-hours', name: 'Waiting for improvement', target: 24, breachAt: 72 };
    expect(await ok('POST', base, manager, manual({ ...wait, liveParam: 'improvement' }), 201)).toMatchObject({ liveParam: 'improvement' });
    expect(json(await call('POST', base, manager, manual({ ...wait, liveParam: 'nowhere' }))).error.field).toBe('body.liveParam');
    expect(json(await call('POST', base, manager, manual({ liveParam: 'improvement' }))).error.field).toBe('body.liveParam');
    expect(json(await call('POST', base, manager, manual({ sourceKind: 'live' }))).error.field).toBe('body.liveKey');
    await ok(
      'POST',
      base,
      manager,
      manual({ sourceKind: 'live', liveKey: 'risks-past-review', name: 'Stale risks', direction: 'lower', target: 0, breachAt: 2 }),
      201,
    );
    await ok('POST', `/api/scopes/${scopeId}/risks`, manager, { title: 'Stale', nextReviewOn: '2026-01-15' }, 201);
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('measurement')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('scope_id', '=', scopeId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await Promise.all([sweepMeasuresDue(t.deps), sweepMeasuresDue(t.deps)]);
    await sweepMeasuresDue(t.deps);
    expect(await count()).toBe(1);
    const [row] = await t.deps.db.selectFrom('measurement').selectAll().where('scope_id', '=', scopeId).execute();
    expect({ value: Number(row!.value), status: row!.status, source: row!.source }).toEqual({
      value: 1,
      status: 'warning',
      source: 'live',
    });
    clock.advance(10 * DAY);
    await sweepMeasuresDue(t.deps);
    expect(await count()).toBe(1);
    clock.advance(25 * DAY);
    await sweepMeasuresDue(t.deps);
    await sweepMeasuresDue(t.deps);
    expect(await count()).toBe(2);
    clock.current = new Date('2026-03-02T09:00:00.000Z');
  });

  it('lists the dashboard in two statements whatever the number of measures, with latest value, status and trend; CSV export', async () => {
    const { scopeId, manager, contributor, auditor, base } = await scopeWith();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await ok(
        'POST',
        base,
        manager,
        manual({ name: `Measure ${String(i).padStart(2, '0')}`, measuredById: contributor.id }),
        201,
      );
      ids.push(m.id);
      for (const [k, value] of [9, 10, 5 + i].entries()) {
        await recordMeasurement(t.deps, contributor.actor, scopeId, m.id, {
          value,
          measuredAt: new Date(Date.UTC(2026, 0, 1 + k)).toISOString(),
          comment: '',
          evidenceUrl: null,
        });
      }
    }
    const counter = t.db.database.queryCounter;
    const statements = async (pageSize: number) => {
      const before = counter.count;
      const page = await listMeasures(t.deps, auditor.actor, scopeId, { page: 1, pageSize });
      return { n: counter.count - before, page };
    };
    const small = await statements(2);
    const large = await statements(50);
    expect(small.n).toBe(2);
    expect(large.n).toBe(2);
    expect(large.page.total).toBe(12);
    const first = large.page.items[0]!;
    expect(first).toMatchObject({ name: 'Measure 00', latest: { value: 5, status: 'on_target' }, trend: 'down' });
    expect(large.page.items[11]).toMatchObject({ latest: { value: 16, status: 'breach' }, trend: 'up' });
    const breaches = await ok('GET', `${base}?latest=breach&q=measure`, auditor);
    expect(breaches.items.map((x: { name: string }) => x.name)).toEqual([
      'Measure 07',
      'Measure 08',
      'Measure 09',
      'Measure 10',
      'Measure 11',
    ]);
    const csv = await call('GET', `/api/scopes/${scopeId}/measures.csv?latest=breach`, auditor);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\n')).toHaveLength(6);
    expect(csv.body).toContain('Breach');

    // the read model for management review, and the readiness check of the cycle
    const summary = await measurementSummary(t.deps.db, scopeId, { from: '2026-01-01', to: '2026-01-02' });
    expect(summary).toHaveLength(12);
    expect(summary[0]).toMatchObject({ name: 'Measure 00', latest: { value: 10, status: 'warning' }, breaches: 0, trend: 'up' });
    const all = await measurementSummary(t.deps.db, scopeId, { from: '2026-01-01', to: '2026-01-31' });
    expect(all.reduce((a, s) => a + s.breaches, 0)).toBe(5);
    await ok('POST', base, manager, manual({ name: 'Never measured' }), 201);
    const check = readinessChecks().find((c) => c.key === 'measurements-taken')!;
    const result = await check.evaluate(t.deps.db, {
      scopeId,
      cycle: { startsOn: '2025-12-01', endsOn: '2026-11-30' },
      today: '2026-03-02',
    });
    expect(result).toMatchObject({ state: 'partial', figures: { done: 12, total: 13 } });

    // a name a spreadsheet would run as a formula is neutralised like in every CSV export
    await ok('POST', base, manager, manual({ name: '=HYPERLINK("https://example.com")' }), 201);
    const guarded = await call('GET', `/api/scopes/${scopeId}/measures.csv`, auditor);
    expect(guarded.body).toContain(`"'=HYPERLINK(""https://example.com"")"`);
  });

  it('draws the trend per ISMS cycle of the scope, with the target band', async () => {
    const { scopeId, manager, auditor, base } = await scopeWith();
    const m = await ok('POST', base, manager, manual(), 201);
    // one value before the scope's first cycle began (today), two in it
    await recordMeasurement(t.deps, manager.actor, scopeId, m.id, {
      value: 9,
      measuredAt: '2026-01-15T10:00:00.000Z',
      comment: '',
      evidenceUrl: null,
    });
    await recordMeasurement(t.deps, manager.actor, scopeId, m.id, { value: 7, comment: '', evidenceUrl: null });
    clock.advance(DAY);
    await recordMeasurement(t.deps, manager.actor, scopeId, m.id, { value: 13, comment: '', evidenceUrl: null });
    clock.current = new Date('2026-03-02T09:00:00.000Z');
    const all = await ok('GET', `${base}/${m.id}/trend`, auditor);
    expect(all).toMatchObject({ target: 8, breachAt: 12, direction: 'lower' });
    expect(all.points.map((p: { value: number; status: string }) => [p.value, p.status])).toEqual([
      [9, 'warning'],
      [7, 'on_target'],
      [13, 'breach'],
    ]);
    expect(all.cycles).toHaveLength(1);
    const cycle = await ok('GET', `${base}/${m.id}/trend?cycleId=${all.cycles[0].id}`, auditor);
    expect(cycle.points.map((p: { value: number }) => p.value)).toEqual([7, 13]);
    const other = await buildScope(t.deps);
    const foreign = await t.deps.db.selectFrom('isms_cycle').select('id').where('scope_id', '=', other.scope.id).executeTakeFirstOrThrow();
    expect(json(await call('GET', `${base}/${m.id}/trend?cycleId=${foreign.id}`, auditor)).error.field).toBe('querystring.cycleId');
  });

  it('loads the demo step: recommended live measures and a manual measure with a year of values, the latest in breach', async () => {
    const { scopeId, manager } = await scopeWith();
    expect((await call('POST', `/api/scopes/${scopeId}/demo`, manager)).statusCode).toBe(201);
    const listed = await listMeasures(t.deps, manager.actor, scopeId, { page: 1, pageSize: 50 });
    expect(listed.items.filter((m) => m.sourceKind === 'live').length).toBeGreaterThanOrEqual(10);
    expect(listed.items.filter((m) => m.latest?.status && m.sourceKind === 'live').length).toBeGreaterThan(0);
    const click = listed.items.find((m) => m.name === 'Phishing simulation click rate')!;
    expect(click.latest?.status).toBe('breach');
    const values = await t.deps.db.selectFrom('measurement').select('id').where('measure_id', '=', click.id).execute();
    expect(values).toHaveLength(12);
    const tasks = await t.deps.db.selectFrom('task').select(['purpose', 'status']).where('origin_record_id', '=', click.id).execute();
    expect(tasks.filter((x) => x.status === 'open')).toHaveLength(1);
  });
});
