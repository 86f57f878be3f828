import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../db/database.ts';
import {
  createNonconformity,
  addCorrectiveAction,
  recordEffectiveness,
  requestEffectivenessCheck,
  updateNonconformity,
} from '../processes/improvement/improvement.service.ts';
import { createChange, decideChange, submitChange } from '../processes/change-management/change.service.ts';
import { createRecord, disposeRecord, getRecord, setLegalHold, sweepDisposalTasks } from '../processes/records-control/record.service.ts';
import {
  getIncident,
  recordNotification,
  reportIncident,
  transitionIncident,
  triageIncident,
} from '../processes/incident-management/incident.service.ts';
import { buildScope, buildUser, dialects, json, TestClock, type TestContext, type TestUser, createTestContext } from '../test/harness.ts';
import { updateTask } from './task.service.ts';
import { openWorkTx, settleWorkTx, type OpenWork } from './work.ts';

/**
 * Work follows its records: a task made for a record in a state closes when the record leaves the state (with a note
 * saying what completed it) and is cancelled when the record is withdrawn; a second trigger updates the open task.
 */
describe.each(dialects)('work follows its records on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, user: TestUser, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload !== undefined && { payload }) });
  const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return JSON.parse(r.body);
  };
  /** the tasks a record was given, oldest first */
  const tasksOf = (recordId: string) =>
    t.deps.db.selectFrom('task').selectAll().where('origin_record_id', '=', recordId).orderBy('created_at').orderBy('reference').execute();
  const ledgerOf = (workId: string) => t.deps.db.selectFrom('handoff').selectAll().where('work_record_id', '=', workId).execute();
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => t.deps.db.transaction().execute(fn);

  describe('the work API', () => {
    const work = (scopeId: string, recordId: string, over: Partial<OpenWork> = {}): OpenWork => ({
      scopeId,
      processKey: 'improvement',
      purpose: 'check',
      title: { key: 'tasks:title.checkEffectiveness', params: { ncRef: 'NC-0099' } },
      description: 'Check it',
      assigneeId: null,
      dueOn: '2026-03-20',
      origin: { processKey: 'improvement', recordType: 'nonconformity', recordId, recordRef: 'NC-0099' },
      handoff: {
        from: 'incident-management',
        to: 'improvement',
        event: 'incident.lesson',
        source: { type: 'incident', id: 'inc-1', ref: 'INC-0099' },
      },
      ...over,
    });

    it('opens one task per record and purpose, updates it on a second trigger, writes one ledger row and settles both', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const recordId = `nc-${scope.id}`;
      const first = await tx((x) => openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId, { assigneeId: manager.id })));
      expect(first.created).toBe(true);
      const second = await tx((x) =>
        openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId, { dueOn: '2026-03-10', description: 'Check it again' })),
      );
      expect(second).toMatchObject({ created: false, task: { id: first.task.id } });
      // a later due date does not move an earlier one
      await tx((x) =>
        openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId, { dueOn: '2026-04-30', description: 'Check it again' })),
      );
      const [task, ...twins] = await tasksOf(recordId);
      expect(twins).toEqual([]);
      expect(task).toMatchObject({
        status: 'open',
        purpose: 'check',
        assignee_id: manager.id,
        due_on: '2026-03-10',
        description: 'Check it again',
        title: 'Check the effectiveness of the corrective actions for NC-0099',
        title_key: 'tasks:title.checkEffectiveness',
      });
      expect(JSON.parse(task!.title_params!)).toEqual({ ncRef: 'NC-0099' });
      let ledger = await ledgerOf(task!.id);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        edge: 'incident-management>improvement',
        source_record_ref: 'INC-0099',
        work_record_type: 'task',
        work_record_ref: task!.reference,
        due_on: '2026-03-10',
        done_at: null,
      });

      // another purpose of the same record is another task; tasks people made are left alone
      await tx((x) => openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId, { purpose: 'other', handoff: undefined })));
      await t.deps.db
        .insertInto('task')
        .values({ ...task!, id: `${task!.id.slice(0, -4)}beef`, reference: 'TSK-9999', purpose: null, title_key: null, title_params: null })
        .execute();
      const settled = await tx((x) =>
        settleWorkTx(x, t.deps, manager.actor, {
          scopeId: scope.id,
          recordType: 'nonconformity',
          recordId,
          purposes: ['check'],
          outcome: 'done',
          note: { key: 'tasks:note.effective', params: { ncRef: 'NC-0099', name: 'Ann' } },
        }),
      );
      expect(settled.map((s) => s.id)).toEqual([task!.id]);
      const after = await tasksOf(recordId);
      expect(after.map((a) => [a.purpose, a.status])).toEqual([
        ['check', 'done'],
        ['other', 'open'],
        [null, 'open'],
      ]);
      expect(after[0]).toMatchObject({
        completion_note: 'The corrective actions for NC-0099 were found effective by Ann',
        completed_at: clock.now().toISOString(),
        version: task!.version + 1,
      });
      ledger = await ledgerOf(task!.id);
      expect(ledger[0]).toMatchObject({ outcome: 'done', note: after[0]!.completion_note });
      expect(ledger[0]!.done_at).toBeTruthy();
      const trail = await t.deps.db
        .selectFrom('audit_entry')
        .select(['action', 'changes'])
        .where('record_id', '=', task!.id)
        .orderBy('seq')
        .execute();
      expect(trail.map((e) => e.action)).toEqual(['create', 'update', 'update']);
      expect(JSON.parse(trail[2]!.changes)).toMatchObject({ status: { from: 'open', to: 'done' } });

      // once settled, a new trigger opens a new task
      const again = await tx((x) => openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId)));
      expect(again.created).toBe(true);
    });

    it('a task finished or cancelled by hand settles its ledger row, which waits again when the task is reopened', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const { task } = await tx((x) => openWorkTx(x, t.deps, manager.actor, work(scope.id, `nc-${scope.id}`)));
      const res = await call('PATCH', `/api/scopes/${scope.id}/tasks/${task.id}`, manager, { version: 1, status: 'cancelled' });
      expect(json(res)).toMatchObject({
        status: 'cancelled',
        purpose: 'check',
        completionNote: `Cancelled by ${manager.name}`,
        title: 'Check the effectiveness of the corrective actions for NC-0099',
      });
      expect((await ledgerOf(task.id))[0]).toMatchObject({ outcome: 'cancelled', note: `Cancelled by ${manager.name}` });
      const reopened = await updateTask(t.deps, manager.actor, scope.id, task.id, { version: 2, status: 'open' });
      expect(reopened).toMatchObject({ status: 'open', completionNote: null, completedAt: null });
      expect((await ledgerOf(task.id))[0]).toMatchObject({ outcome: null, done_at: null, note: null });
    });

    it('two triggers at once give one task', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const recordId = `nc-${scope.id}`;
      const results = await Promise.all(
        ['2026-03-25', '2026-03-15', '2026-03-20'].map((dueOn) =>
          tx((x) => openWorkTx(x, t.deps, manager.actor, work(scope.id, recordId, { dueOn }))),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const tasks = await tasksOf(recordId);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.due_on).toBe('2026-03-15');
      expect(await ledgerOf(tasks[0]!.id)).toHaveLength(1);
    });
  });

  describe('incident management', () => {
    const triage = async (scopeId: string, actor: TestUser, id: string, over: { personalData: boolean; nis2Significant: boolean }) => {
      const before = await getIncident(t.deps, actor.actor, scopeId, id);
      return triageIncident(t.deps, actor.actor, scopeId, id, {
        version: before.version,
        category: 'data_leak',
        severity: 'high',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: false,
        handlerId: null,
        assetIds: [],
        ...over,
      });
    };

    it('triage closes the triage task; the regulatory tasks follow the owed notifications and close when recorded', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const reporter = await buildUser(t.deps, { memberships: [[scope.id, 'employee']] });
      const inc = await reportIncident(t.deps, reporter.actor, scope.id, {
        title: 'Customer list mailed to the wrong address',
        description: '',
        kind: 'incident',
        affected: 'CRM export',
      });
      let tasks = await tasksOf(inc.id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        purpose: 'triage',
        status: 'open',
        assignee_id: manager.id,
        due_on: '2026-03-03',
        title: `Triage ${inc.reference}: Customer list mailed to the wrong address`,
      });
      expect((await ledgerOf(tasks[0]!.id))[0]).toMatchObject({ edge: 'incident-management>incident-management', done_at: null });

      await triage(scope.id, manager, inc.id, { personalData: true, nis2Significant: true });
      tasks = await tasksOf(inc.id);
      expect(tasks[0]).toMatchObject({ status: 'done', completion_note: `${inc.reference} was triaged by ${manager.name}` });
      expect((await ledgerOf(tasks[0]!.id))[0]).toMatchObject({ outcome: 'done' });
      const notify = tasks.slice(1);
      expect(notify.map((x) => [x.purpose, x.status, x.assignee_id, x.due_on])).toEqual([
        ['notify:gdpr_art33', 'open', manager.id, '2026-03-05'],
        ['notify:nis2_early_warning', 'open', manager.id, '2026-03-03'],
        ['notify:nis2_notification', 'open', manager.id, '2026-03-05'],
      ]);
      expect(notify[0]!.title).toBe(
        `${inc.reference}: GDPR Art. 33 notification to the supervisory authority (72 hours) due Mar 5, 2026, 09:00 UTC`,
      );

      // a second triage adds no twin
      await triage(scope.id, manager, inc.id, { personalData: true, nis2Significant: true });
      expect(await tasksOf(inc.id)).toHaveLength(4);

      for (const regime of ['gdpr_art33', 'nis2_early_warning'] as const)
        await recordNotification(t.deps, manager.actor, scope.id, inc.id, {
          regime,
          sentAt: clock.now().toISOString(),
          recipient: 'Authority',
          externalReference: 'A-1',
        });
      tasks = await tasksOf(inc.id);
      expect(tasks.slice(1).map((x) => [x.purpose, x.status])).toEqual([
        ['notify:gdpr_art33', 'done'],
        ['notify:nis2_early_warning', 'done'],
        ['notify:nis2_notification', 'open'],
      ]);
      expect(tasks[1]!.completion_note).toBe(
        `${inc.reference}: GDPR Art. 33 notification to the supervisory authority (72 hours) recorded as sent to Authority by ${manager.name}`,
      );
      // the NIS2 notification starts the final report's clock: its task follows
      await recordNotification(t.deps, manager.actor, scope.id, inc.id, {
        regime: 'nis2_notification',
        sentAt: clock.now().toISOString(),
        recipient: 'CSIRT',
        externalReference: 'C-1',
      });
      tasks = await tasksOf(inc.id);
      expect(tasks.slice(3).map((x) => [x.purpose, x.status, x.due_on])).toEqual([
        ['notify:nis2_notification', 'done', '2026-03-05'],
        ['notify:nis2_final_report', 'open', '2026-04-02'],
      ]);
      // a re-triage neither reopens what was recorded nor doubles the final report
      await triage(scope.id, manager, inc.id, { personalData: true, nis2Significant: true });
      expect((await tasksOf(inc.id)).filter((x) => x.status === 'open').map((x) => x.purpose)).toEqual(['notify:nis2_final_report']);
    });

    it('a notification no longer owed after a re-triage has its task cancelled', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const inc = await reportIncident(t.deps, manager.actor, scope.id, {
        title: 'Lost USB stick',
        description: '',
        kind: 'incident',
        affected: '',
      });
      await triage(scope.id, manager, inc.id, { personalData: true, nis2Significant: false });
      await triage(scope.id, manager, inc.id, { personalData: false, nis2Significant: false });
      const tasks = await tasksOf(inc.id);
      expect(tasks.map((x) => [x.purpose, x.status])).toEqual([
        ['triage', 'done'],
        ['notify:gdpr_art33', 'cancelled'],
      ]);
      expect(tasks[1]!.completion_note).toBe(`${inc.reference} no longer owes this notification after its triage`);
    });
  });

  describe('policy management', () => {
    async function world() {
      const { scope, manager } = await buildScope(t.deps);
      const approverA = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']], name: 'Approver A' });
      const approverB = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']], name: 'Approver B' });
      const base = `/api/scopes/${scope.id}/documents`;
      const doc = await ok(
        call('POST', base, manager, {
          type: 'policy',
          title: 'Access policy',
          classification: 'internal',
          approverIds: [approverA.id, approverB.id],
          contentMd: '# Access\n',
        }),
        201,
      );
      const url = `${base}/${doc.id}/versions/${doc.versions[0].id}`;
      const step = async (user: TestUser, action: string, body: object = {}) => {
        const v = await ok(call('GET', url, manager));
        return ok(call('POST', `${url}/${action}`, user, { version: v.version, ...body }));
      };
      return { scope, manager, approverA, approverB, doc, url, step, versionId: doc.versions[0].id as string };
    }

    it('approval tasks of a submitted version close with the decision and are cancelled when it goes back to draft or is withdrawn', async () => {
      const w = await world();
      await w.step(w.manager, 'submit');
      let tasks = await tasksOf(w.versionId);
      expect(tasks.map((x) => [x.purpose, x.assignee_id, x.status])).toEqual([
        [`approve:${w.approverA.id}`, w.approverA.id, 'open'],
        [`approve:${w.approverB.id}`, w.approverB.id, 'open'],
      ]);
      expect(tasks[0]!.title).toBe(`Approve ${w.doc.reference} v1: Access policy`);
      await w.step(w.approverA, 'reject', { comment: 'Name the admins' });
      tasks = await tasksOf(w.versionId);
      expect(tasks.map((x) => [x.status, x.completion_note])).toEqual([
        ['done', `${w.doc.reference} v1 was rejected by Approver A`],
        ['cancelled', `${w.doc.reference} v1 went back to draft: rejected by Approver A`],
      ]);
      // submitted again: new tasks; approved by one of them (the small profile needs one approval): both done
      await w.step(w.manager, 'submit');
      await w.step(w.approverB, 'approve', { comment: '' });
      tasks = (await tasksOf(w.versionId)).slice(2);
      expect(tasks.map((x) => [x.assignee_id, x.status, x.completion_note])).toEqual([
        [w.approverA.id, 'done', `${w.doc.reference} v1 has every approval it needs`],
        [w.approverB.id, 'done', `${w.doc.reference} v1 was approved by Approver B`],
      ]);

      // a version withdrawn while in review cancels its approvals
      const other = await world();
      await other.step(other.manager, 'submit');
      await other.step(other.manager, 'withdraw');
      expect((await tasksOf(other.versionId)).map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    });
  });

  describe('improvement', () => {
    it('the effectiveness check of a nonconformity closes when the check is recorded', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const nc = await createNonconformity(t.deps, manager.actor, scope.id, {
        kind: 'nonconformity',
        title: 'Backups not tested',
        description: '',
        source: 'manual',
        requirement: 'A.8.13',
        severity: 'minor',
        ownerId: null,
      });
      let current = await addCorrectiveAction(t.deps, manager.actor, scope.id, nc.id, {
        title: 'Test a restore',
        ownerId: null,
        dueOn: null,
      });
      const action = (await tasksOf(nc.id))[0]!;
      await updateTask(t.deps, manager.actor, scope.id, action.id, { version: action.version, status: 'done' });
      current = await requestEffectivenessCheck(t.deps, manager.actor, scope.id, nc.id, {
        version: current.version,
        effectivenessDueOn: '2026-06-01',
      });
      const check = (await tasksOf(nc.id))[1]!;
      expect(check).toMatchObject({
        purpose: 'effectiveness',
        status: 'open',
        assignee_id: manager.id,
        due_on: '2026-06-01',
        title: `Check the effectiveness of the corrective actions for ${nc.reference}`,
      });
      // ISO 27001 10.2 b): the root cause is recorded before the nonconformity closes
      current = await updateNonconformity(t.deps, manager.actor, scope.id, nc.id, {
        version: current.version,
        rootCause: ['Restores never tested'],
      });
      await recordEffectiveness(t.deps, manager.actor, scope.id, nc.id, {
        version: current.version,
        effective: true,
        note: 'Restore worked',
      });
      expect((await tasksOf(nc.id))[1]).toMatchObject({
        status: 'done',
        completion_note: `The corrective actions for ${nc.reference} were found effective by ${manager.name}`,
      });
    });
  });

  describe('change management', () => {
    it("each approver's decision task closes with their decision; a rejection cancels the others'", async () => {
      const { scope, manager } = await buildScope(t.deps, { profile: 'large' });
      const a = await buildUser(t.deps, { memberships: [[scope.id, 'manager']], name: 'Board A' });
      const b = await buildUser(t.deps, { memberships: [[scope.id, 'manager']], name: 'Board B' });
      const change = await createChange(t.deps, manager.actor, scope.id, {
        title: 'New VPN',
        description: '',
        reason: 'Old one is end of life',
        plannedOn: null,
        targets: [],
        ownerId: null,
      });
      const submitted = await submitChange(t.deps, manager.actor, scope.id, change.id, {
        version: change.version,
        changeRisk: 'medium',
        consequences: 'Short outage',
        approverIds: [a.id, b.id],
      });
      let tasks = await tasksOf(change.id);
      expect(tasks.map((x) => [x.purpose, x.assignee_id, x.status])).toEqual([
        [`decide:${a.id}`, a.id, 'open'],
        [`decide:${b.id}`, b.id, 'open'],
      ]);
      expect(tasks[0]!.title).toBe(`Decide on change ${change.reference}: New VPN`);
      await decideChange(t.deps, a.actor, scope.id, change.id, {
        version: submitted.version,
        decision: 'reject',
        comment: 'Too risky now',
      });
      tasks = await tasksOf(change.id);
      expect(tasks.map((x) => [x.status, x.completion_note])).toEqual([
        ['done', `${change.reference} was rejected by Board A`],
        ['cancelled', `${change.reference} was rejected by Board A`],
      ]);
    });
  });

  describe('records control', () => {
    it('the disposal task is created once, cancelled by a legal hold, given again after it, and done by the disposal', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const rec = await createRecord(t.deps, manager.actor, scope.id, {
        title: 'Visitor log 2020',
        description: '',
        ownerId: null,
        processKey: 'records-control',
        classification: 'internal',
        storage: 'external',
        linkedRecord: null,
        location: 'Archive room',
        retentionMonths: 12,
        retentionStartOn: '2020-01-01',
      });
      await sweepDisposalTasks(t.deps);
      await sweepDisposalTasks(t.deps);
      let tasks = await tasksOf(rec.id);
      expect(tasks.map((x) => [x.purpose, x.status, x.assignee_id])).toEqual([['dispose', 'open', manager.id]]);
      expect(tasks[0]!.title).toBe(`Dispose of ${rec.reference} Visitor log 2020`);
      let r = await setLegalHold(t.deps, manager.actor, scope.id, rec.id, { version: rec.version, hold: true, reason: 'Court case' });
      tasks = await tasksOf(rec.id);
      expect(tasks[0]).toMatchObject({
        status: 'cancelled',
        completion_note: `${rec.reference} was put on legal hold by ${manager.name}: Court case`,
      });
      await sweepDisposalTasks(t.deps);
      expect(await tasksOf(rec.id)).toHaveLength(1);
      r = await setLegalHold(t.deps, manager.actor, scope.id, rec.id, { version: r.version, hold: false, reason: '' });
      await sweepDisposalTasks(t.deps);
      tasks = await tasksOf(rec.id);
      expect(tasks.map((x) => x.status)).toEqual(['cancelled', 'open']);
      r = await getRecord(t.deps, manager.actor, scope.id, rec.id);
      await disposeRecord(t.deps, manager.actor, scope.id, rec.id, { version: r.version, confirm: `DISPOSE ${rec.reference}` });
      expect((await tasksOf(rec.id))[1]).toMatchObject({
        status: 'done',
        completion_note: `${rec.reference} was disposed of by ${manager.name}`,
      });
    });
  });

  describe('risks and assets', () => {
    async function riskWorld() {
      const { scope, manager } = await buildScope(t.deps);
      const owner = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']], name: 'Risk owner' });
      const risks = `/api/scopes/${scope.id}/risks`;
      return { scope, manager, owner, risks };
    }

    it('the treatment task of a risk above the criteria is done when the treatment is decided, cancelled when it falls back within them or is closed', async () => {
      const w = await riskWorld();
      let risk = await ok(
        call('POST', w.risks, w.manager, { title: 'Phishing', ownerId: w.owner.id, currentLikelihood: 3, currentImpact: 3 }),
        201,
      );
      let tasks = await tasksOf(risk.id);
      expect(tasks.map((x) => [x.purpose, x.status, x.assignee_id, x.due_on])).toEqual([['treat', 'open', w.owner.id, '2026-04-01']]);
      // back within the criteria: cancelled
      risk = await ok(call('PATCH', `${w.risks}/${risk.id}`, w.manager, { version: risk.version, currentLikelihood: 1, currentImpact: 1 }));
      tasks = await tasksOf(risk.id);
      expect(tasks[0]).toMatchObject({ status: 'cancelled' });
      expect(tasks[0]!.completion_note).toMatch(new RegExp(`^${risk.reference} was re-evaluated as .+, within the acceptance criteria$`));
      // above again: a new task; deciding the treatment completes it
      risk = await ok(call('PATCH', `${w.risks}/${risk.id}`, w.manager, { version: risk.version, currentLikelihood: 3, currentImpact: 3 }));
      expect((await tasksOf(risk.id)).map((x) => x.status)).toEqual(['cancelled', 'open']);
      const treatment = await ok(
        call('PUT', `${w.risks}/${risk.id}/treatment`, w.owner, { version: 0, option: 'avoid', rationale: 'Stop the mail service' }),
      );
      await ok(call('POST', `${w.risks}/${risk.id}/treatment/decide`, w.owner, { version: treatment.version }));
      tasks = await tasksOf(risk.id);
      expect(tasks[1]).toMatchObject({ status: 'done' });
      expect(tasks[1]!.completion_note).toMatch(/^TRT-\d{4} was decided by Risk owner: avoid the risk$/);

      // closing a risk cancels its open work
      let other = await ok(
        call('POST', w.risks, w.manager, { title: 'Fire', ownerId: w.owner.id, currentLikelihood: 3, currentImpact: 3 }),
        201,
      );
      other = await ok(call('PATCH', `${w.risks}/${other.id}`, w.manager, { version: other.version, status: 'closed' }));
      expect(await tasksOf(other.id)).toEqual([
        expect.objectContaining({
          purpose: 'treat',
          status: 'cancelled',
          completion_note: `${other.reference} was closed by ${w.manager.name}`,
        }),
      ]);
    });

    it('raising C and then I of one asset gives one re-assessment task, done when its risks are assessed; lowering cancels it', async () => {
      const w = await riskWorld();
      const assets = `/api/scopes/${w.scope.id}/assets`;
      let asset = await ok(call('POST', assets, w.manager, { name: 'CRM', type: 'information', confidentiality: 'high' }), 201);
      const risk = await ok(call('POST', w.risks, w.manager, { title: 'CRM leak', assetIds: [asset.id] }), 201);
      asset = await ok(call('PATCH', `${assets}/${asset.id}`, w.manager, { version: asset.version, confidentiality: 'very_high' }));
      clock.advance(60_000);
      asset = await ok(call('PATCH', `${assets}/${asset.id}`, w.manager, { version: asset.version, integrity: 'very_high' }));
      let tasks = await tasksOf(asset.id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ purpose: 'reassess', status: 'open', title: `Re-assess risks of ${asset.reference} CRM` });
      expect(tasks[0]!.description).toContain('integrity');
      await ok(call('PATCH', `${w.risks}/${risk.id}`, w.manager, { version: risk.version, currentLikelihood: 2, currentImpact: 2 }));
      tasks = await tasksOf(asset.id);
      expect(tasks[0]).toMatchObject({ status: 'done', completion_note: `Every risk of ${asset.reference} was re-assessed` });

      let second = await ok(call('POST', assets, w.manager, { name: 'HR files', type: 'information', availability: 'very_high' }), 201);
      expect(await tasksOf(second.id)).toHaveLength(1);
      second = await ok(call('PATCH', `${assets}/${second.id}`, w.manager, { version: second.version, availability: 'high' }));
      expect((await tasksOf(second.id))[0]).toMatchObject({ status: 'cancelled' });
    });
  });
  describe('hand-offs whose work is a record', () => {
    it('lessons of an incident: each delivery waits in the ledger until its work passes intake', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const inc = await reportIncident(t.deps, manager.actor, scope.id, {
        title: 'Ransomware',
        description: '',
        kind: 'incident',
        affected: '',
      });
      let current = await getIncident(t.deps, manager.actor, scope.id, inc.id);
      current = await triageIncident(t.deps, manager.actor, scope.id, inc.id, {
        version: current.version,
        category: 'malware',
        severity: 'high',
        impactConfidentiality: false,
        impactIntegrity: true,
        impactAvailability: true,
        personalData: false,
        nis2Significant: false,
        handlerId: null,
        assetIds: [],
      });
      await transitionIncident(t.deps, manager.actor, scope.id, inc.id, {
        version: current.version,
        status: 'resolved',
        note: '',
        lessonsLearned: 'Backups saved us',
        followUps: [
          { kind: 'risk', title: 'Ransomware on file servers', description: '' },
          { kind: 'nonconformity', title: 'No restore test', description: '' },
          {
            kind: 'nonconformity',
            title: 'No offline copy',
            description: '',
            correctiveAction: { title: 'Buy tapes', ownerId: null, dueOn: '2026-04-01' },
          },
          { kind: 'improvement', title: 'Immutable storage', description: '' },
          { kind: 'change', title: 'Segment the network', description: '' },
        ],
      });
      const rows = await t.deps.db
        .selectFrom('handoff')
        .selectAll()
        .where('source_record_id', '=', inc.id)
        .where('event', '=', 'incident.lesson')
        .orderBy('edge')
        .orderBy('work_record_type')
        .execute();
      expect(rows.map((r) => [r.edge, r.work_record_type, r.done_at])).toEqual([
        ['incident-management>change-management', 'change_request', null],
        ['incident-management>improvement', 'improvement_opportunity', null],
        ['incident-management>improvement', 'nonconformity', null],
        ['incident-management>improvement', 'task', null],
        ['incident-management>risk-assessment', 'task', null],
      ]);
      const [change, opportunity, nc, action, assess] = rows as [
        (typeof rows)[0],
        (typeof rows)[0],
        (typeof rows)[0],
        (typeof rows)[0],
        (typeof rows)[0],
      ];
      const settled = async (id: string) =>
        (await t.deps.db.selectFrom('handoff').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).outcome;

      // risk assessment: the assessment task of the new risk is done once the risk is evaluated
      const assessTask = await t.deps.db.selectFrom('task').selectAll().where('id', '=', assess.work_record_id).executeTakeFirstOrThrow();
      expect(assessTask).toMatchObject({ purpose: 'assess', title: `Assess risk from ${inc.reference}: Ransomware on file servers` });
      const risk = await ok(call('GET', `/api/scopes/${scope.id}/risks/${assessTask.origin_record_id}`, manager));
      await ok(
        call('PATCH', `/api/scopes/${scope.id}/risks/${risk.id}`, manager, {
          version: risk.version,
          currentLikelihood: 1,
          currentImpact: 1,
        }),
      );
      expect(await settled(assess.id)).toBe('done');
      expect((await tasksOf(risk.id))[0]).toMatchObject({
        status: 'done',
        completion_note: `${risk.reference} was assessed by ${manager.name}`,
      });

      // improvement: a finding waits until a corrective action is planned; the named action's task until it is done
      await addCorrectiveAction(t.deps, manager.actor, scope.id, nc.work_record_id, { title: 'Test restores', ownerId: null, dueOn: null });
      expect(await settled(nc.id)).toBe('done');
      expect(await settled(action.id)).toBe(null);
      await updateTask(t.deps, manager.actor, scope.id, action.work_record_id, { version: 1, status: 'done' });
      expect(await settled(action.id)).toBe('done');
      const opp = await ok(call('GET', `/api/scopes/${scope.id}/opportunities`, manager));
      const o = opp.items.find((x: { id: string }) => x.id === opportunity.work_record_id);
      await ok(call('PATCH', `/api/scopes/${scope.id}/opportunities/${o.id}`, manager, { version: o.version, status: 'planned' }));
      expect(await settled(opportunity.id)).toBe('done');

      // change management: the request waits until it goes to its approvers
      const c = await ok(call('GET', `/api/scopes/${scope.id}/changes/${change.work_record_id}`, manager));
      await submitChange(t.deps, manager.actor, scope.id, c.id, {
        version: c.version,
        changeRisk: 'low',
        consequences: '',
        approverIds: [],
      });
      expect(await settled(change.id)).toBe('done');
    });
  });

  describe('risk treatment hand-offs', () => {
    it('a selected control gets one implementation task, done when the control is implemented; a plan action taken out of the plan is cancelled', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const base = `/api/scopes/${scope.id}`;
      const control = await ok(call('POST', `${base}/controls`, manager, { title: 'Multi-factor login' }), 201);
      const risk = await ok(
        call('POST', `${base}/risks`, manager, { title: 'Account takeover', currentLikelihood: 3, currentImpact: 3 }),
        201,
      );
      let treatment = await ok(
        call('PUT', `${base}/risks/${risk.id}/treatment`, manager, {
          version: 0,
          option: 'modify',
          rationale: 'Passwords leak',
          controls: [{ controlId: control.id }],
          actions: [{ title: 'Roll out the app', ownerId: null, dueOn: '2026-05-01' }],
          targetLikelihood: 1,
          targetImpact: 1,
        }),
      );
      treatment = await ok(call('POST', `${base}/risks/${risk.id}/treatment/decide`, manager, { version: treatment.version }));
      const tasks = await tasksOf(treatment.id);
      expect(tasks.map((x) => [x.purpose, x.title, x.status])).toEqual([
        [`implement:${control.id}`, `Implement ${control.reference} Multi-factor login`, 'open'],
        [`action:${treatment.actions[0].id}`, 'Roll out the app', 'open'],
      ]);
      const implement = tasks[0]!;
      expect((await ledgerOf(implement.id))[0]).toMatchObject({ edge: 'risk-treatment>control-implementation', done_at: null });

      // the action is taken out of the plan: its task is cancelled
      treatment = await ok(
        call('PUT', `${base}/risks/${risk.id}/treatment`, manager, {
          version: treatment.version,
          option: 'modify',
          rationale: 'Passwords leak',
          controls: [{ controlId: control.id }],
          actions: [],
          targetLikelihood: 1,
          targetImpact: 1,
        }),
      );
      expect((await tasksOf(treatment.id))[1]).toMatchObject({
        status: 'cancelled',
        completion_note: `Taken out of the treatment plan by ${manager.name}`,
      });

      const c = await ok(call('GET', `${base}/controls/${control.id}`, manager));
      await ok(call('PATCH', `${base}/controls/${control.id}`, manager, { version: c.version, status: 'implemented' }));
      expect((await tasksOf(treatment.id))[0]).toMatchObject({
        status: 'done',
        completion_note: `${control.reference} was implemented (${manager.name})`,
      });
      expect((await ledgerOf(implement.id))[0]).toMatchObject({ outcome: 'done' });
    });
  });

  describe('approved changes and published policies', () => {
    it('an approved change gives one revision task per document, done when the revision goes for approval; a material publication one awareness task', async () => {
      const { scope, manager } = await buildScope(t.deps);
      const approver = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']], name: 'Approver' });
      const base = `/api/scopes/${scope.id}`;
      const doc = await ok(
        call('POST', `${base}/documents`, manager, {
          type: 'policy',
          title: 'Remote work',
          classification: 'internal',
          approverIds: [approver.id],
          contentMd: '# Remote\n',
        }),
        201,
      );
      const vurl = (vid: string) => `${base}/documents/${doc.id}/versions/${vid}`;
      const step = async (user: TestUser, vid: string, action: string) => {
        const v = await ok(call('GET', vurl(vid), manager));
        return ok(call('POST', `${vurl(vid)}/${action}`, user, { version: v.version }));
      };
      await step(manager, doc.versions[0].id, 'submit');
      await step(approver, doc.versions[0].id, 'approve');
      await step(manager, doc.versions[0].id, 'publish');
      // the first version is a material change: the awareness owner brings the programme up to date
      let awareness = (await tasksOf(doc.id)).filter((x) => x.purpose === 'awareness');
      expect(awareness.map((x) => [x.status, x.title])).toEqual([
        ['open', `Bring awareness up to date with ${doc.reference} Remote work (version 1)`],
      ]);
      expect((await ledgerOf(awareness[0]!.id))[0]).toMatchObject({ edge: 'policy-management>competence-awareness' });

      const approve = async (title: string) => {
        let c = await ok(
          call('POST', `${base}/changes`, manager, {
            title,
            reason: 'New model',
            targets: [{ recordType: 'document', recordId: doc.id, label: doc.reference }],
          }),
          201,
        );
        c = await ok(
          call('POST', `${base}/changes/${c.id}/submit`, manager, { version: c.version, changeRisk: 'low', consequences: 'Policy text' }),
        );
        await ok(call('POST', `${base}/changes/${c.id}/decision`, manager, { version: c.version, decision: 'approve' }));
        return c;
      };
      const first = await approve('Allow remote work');
      await approve('Allow work abroad');
      let revise = (await tasksOf(doc.id)).filter((x) => x.purpose === 'revise');
      expect(revise).toHaveLength(1);
      expect(revise[0]).toMatchObject({ status: 'open', assignee_id: manager.id });
      expect(revise[0]!.title).toMatch(new RegExp(`^Revise ${doc.reference} Remote work \\(CHG-\\d{4}\\)$`));
      expect((await ledgerOf(revise[0]!.id))[0]).toMatchObject({ edge: 'change-management>policy-management', source_record_id: first.id });

      const d = await ok(call('GET', `${base}/documents/${doc.id}`, manager));
      await step(manager, d.workingVersion.id, 'submit');
      revise = (await tasksOf(doc.id)).filter((x) => x.purpose === 'revise');
      expect(revise[0]).toMatchObject({ status: 'done', completion_note: `${doc.reference} v2 was sent for approval by ${manager.name}` });
      expect((await ledgerOf(revise[0]!.id))[0]).toMatchObject({ outcome: 'done' });

      // the second (material) version updates the open awareness task instead of adding a twin
      await step(approver, d.workingVersion.id, 'approve');
      await step(manager, d.workingVersion.id, 'publish');
      awareness = (await tasksOf(doc.id)).filter((x) => x.purpose === 'awareness');
      expect(awareness.map((x) => [x.status, x.title])).toEqual([
        ['open', `Bring awareness up to date with ${doc.reference} Remote work (version 2)`],
      ]);
    });
  });
});
