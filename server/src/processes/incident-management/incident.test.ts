import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import {
  buildScope,
  buildUser,
  createScopeContext,
  dialects,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { docxText, pdfText } from '../../test/document-text.ts';

describe.each(dialects)('incident management on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let responder: TestUser;
  let employee: TestUser;
  const clock = new TestClock(new Date('2026-03-27T15:00:00.000Z'));
  const url = () => `/api/scopes/${scopeId}/incidents`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    responder = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
    const p = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/processes`, headers: manager.headers })).processes.find(
      (x: { key: string }) => x.key === 'incident-management',
    );
    await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scopeId}/processes/incident-management`,
      headers: manager.headers,
      payload: { version: p.version, ownerId: responder.id },
    });
  });
  afterAll(() => t.close());

  const report = (user: TestUser, payload: object) => t.app.inject({ method: 'POST', url: url(), headers: user.headers, payload });

  it('lets an employee report; the report gets a reference at once and the team a triage task', async () => {
    const res = await report(employee, {
      title: 'Laptop stolen from car',
      affected: 'My laptop with customer files',
      noticedAt: '2026-03-27T14:00:00+01:00',
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ reference: 'INC-0001', status: 'reported' });
    const tasks = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: responder.headers }));
    expect(tasks.items.find((x: { title: string }) => x.title.startsWith('Triage INC-0001'))).toMatchObject({
      processKey: 'incident-management',
      dueOn: '2026-03-28',
    });
    // the employee sees their own report, not other people's
    await report(manager, { title: 'Phishing mail clicked' });
    const mine = json(await t.app.inject({ method: 'GET', url: url(), headers: employee.headers }));
    expect(mine.items.map((x: { reference: string }) => x.reference)).toEqual(['INC-0001']);
    const all = json(await t.app.inject({ method: 'GET', url: url(), headers: responder.headers }));
    expect(all.total).toBe(2);
    const other = all.items.find((x: { reference: string }) => x.reference === 'INC-0002');
    expect((await t.app.inject({ method: 'GET', url: `${url()}/${other.id}`, headers: employee.headers })).statusCode).toBe(404);
  });

  it('keeps the report when the hand-off fails afterwards', async () => {
    const failing = async () => {
      throw new Error('mail server down');
    };
    t.deps.events.on('incident.reported', failing);
    const errors: unknown[] = [];
    const { reportIncident } = await import('./incident.service.ts');
    const r = await reportIncident(
      t.deps,
      employee.actor,
      scopeId,
      { title: 'USB stick found', description: '', kind: 'weakness', affected: '' },
      { error: (o) => errors.push(o) },
    );
    expect(r.reference).toMatch(/^INC-/);
    expect(errors).toHaveLength(1);
    const stored = json(await t.app.inject({ method: 'GET', url: `${url()}/${r.id}`, headers: manager.headers }));
    expect(stored).toMatchObject({ title: 'USB stick found', kind: 'weakness', status: 'reported' });
    // the failed hand-off left no half-made triage task behind
    const triage = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/tasks?q=${r.reference}`, headers: manager.headers }),
    );
    expect(triage.total).toBe(0);
  });

  it('validates reports and triage, naming the field', async () => {
    expect(json(await report(employee, { title: '' })).error.field).toBe('body.title');
    expect(json(await report(employee, { title: 'x', noticedAt: 'yesterday' })).error.field).toBe('body.noticedAt');
    expect(json(await report(employee, { title: 'x', noticedAt: '2027-01-01T00:00:00Z' })).error.field).toBe('body.noticedAt');
    const id = json(await report(employee, { title: 'to triage' })).id;
    const bad = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/triage`,
      headers: responder.headers,
      payload: { version: 1, category: 'aliens', severity: 'high' },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.category');
    const noFlag = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/triage`,
      headers: responder.headers,
      payload: {
        version: 1,
        category: 'malware',
        severity: 'high',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: false,
        nis2Significant: false,
      },
    });
    expect(json(noFlag).error.field).toBe('body.personalData');
    expect(
      (await t.app.inject({ method: 'POST', url: `${url()}/${id}/triage`, headers: employee.headers, payload: { version: 1 } })).statusCode,
    ).toBe(400);
  });

  it('triages a personal-data breach: the 72-hour clock runs from awareness and reminds the handler', async () => {
    const { id } = json(await report(employee, { title: 'Customer list sent to wrong address' }));
    const triaged = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/triage`,
      headers: responder.headers,
      payload: {
        version: 1,
        category: 'data_leak',
        severity: 'high',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: false,
        personalData: true,
        nis2Significant: true,
        awareAt: '2026-03-27T16:00:00+01:00',
      },
    });
    expect(triaged.statusCode).toBe(200);
    const i = json(triaged);
    expect(i.status).toBe('triaged');
    expect(i.awareAt).toBe('2026-03-27T15:00:00.000Z');
    expect(i.notifications.map((n: { regime: string; dueAt: string | null }) => [n.regime, n.dueAt])).toEqual([
      ['gdpr_art33', '2026-03-30T15:00:00.000Z'],
      ['nis2_early_warning', '2026-03-28T15:00:00.000Z'],
      ['nis2_notification', '2026-03-30T15:00:00.000Z'],
      ['nis2_final_report', null],
    ]);
    expect(i.nextDeadline).toEqual({ regime: 'nis2_early_warning', dueAt: '2026-03-28T15:00:00.000Z' });
    const reminders = json(
      await t.app.inject({ method: 'GET', url: `/api/me/tasks?pageSize=50`, headers: responder.headers }),
    ).items.filter((x: { origin: { recordId: string } | null }) => x.origin?.recordId === id);
    expect(reminders.map((r: { dueOn: string }) => r.dueOn).sort()).toEqual(['2026-03-28', '2026-03-30', '2026-03-30']);

    // early warning sent in time, notification sent late without reasons → refused, with reasons → recorded as late
    const future = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/notifications`,
      headers: responder.headers,
      payload: { regime: 'nis2_early_warning', sentAt: '2026-03-28T09:00:00Z', recipient: 'National CSIRT' },
    });
    expect(json(future).error.field).toBe('body.sentAt');
    clock.current = new Date('2026-03-28T10:00:00.000Z');
    const ok = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/notifications`,
      headers: responder.headers,
      payload: { regime: 'nis2_early_warning', sentAt: '2026-03-28T09:00:00Z', recipient: 'National CSIRT' },
    });
    expect(ok.statusCode).toBe(200);
    clock.current = new Date('2026-04-01T10:00:00.000Z');
    const late = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/notifications`,
      headers: responder.headers,
      payload: { regime: 'gdpr_art33', sentAt: '2026-03-31T08:00:00Z', recipient: 'Supervisory authority' },
    });
    expect(late.statusCode).toBe(400);
    expect(json(late).error.field).toBe('body.lateReason');
    const withReason = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/notifications`,
        headers: responder.headers,
        payload: {
          regime: 'gdpr_art33',
          sentAt: '2026-03-31T08:00:00Z',
          recipient: 'Supervisory authority',
          externalReference: 'SA-2026-17',
          lateReason: 'Scope of the breach was unclear until the log analysis',
        },
      }),
    );
    expect(withReason.notifications.find((n: { regime: string }) => n.regime === 'gdpr_art33')).toMatchObject({
      late: true,
      recipient: 'Supervisory authority',
    });
    const twice = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/notifications`,
      headers: responder.headers,
      payload: { regime: 'gdpr_art33', sentAt: '2026-03-31T08:00:00Z', recipient: 'x', lateReason: 'x' },
    });
    expect(twice.statusCode).toBe(409);
    const notified = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/notifications`,
        headers: responder.headers,
        payload: { regime: 'nis2_notification', sentAt: '2026-03-30T12:00:00Z', recipient: 'National CSIRT' },
      }),
    );
    expect(notified.notifications.find((n: { regime: string }) => n.regime === 'nis2_final_report').dueAt).toBe('2026-04-30T12:00:00.000Z');
  });

  it('runs the lifecycle with a timeline and corrective measures, and closes only with lessons learned', async () => {
    clock.current = new Date('2026-04-02T08:00:00.000Z');
    const { id } = json(await report(employee, { title: 'File server encrypted' }));
    let i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/triage`,
        headers: responder.headers,
        payload: {
          version: 1,
          category: 'malware',
          severity: 'critical',
          impactConfidentiality: false,
          impactIntegrity: true,
          impactAvailability: true,
          personalData: false,
          nis2Significant: false,
        },
      }),
    );
    expect(i.notifications).toEqual([]);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${url()}/${id}/status`,
          headers: responder.headers,
          payload: { version: i.version, status: 'closed' },
        })
      ).statusCode,
    ).toBe(409);
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/status`,
        headers: responder.headers,
        payload: { version: i.version, status: 'responding', note: 'Isolated the server' },
      }),
    );
    const noMeasure = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/events`,
      headers: responder.headers,
      payload: { kind: 'measure', text: 'Restored' },
    });
    expect(json(noMeasure).error.field).toBe('body.measure');
    // the same body from someone who may not handle incidents is refused for access first
    const notHandler = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/events`,
      headers: employee.headers,
      payload: { kind: 'measure', text: 'Restored' },
    });
    expect(notHandler.statusCode).toBe(403);
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/events`,
        headers: responder.headers,
        payload: { kind: 'measure', measure: 'restore_from_backup', text: 'Restored the share from the nightly backup' },
      }),
    );
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/tasks`,
        headers: responder.headers,
        payload: { title: 'Check other servers for the same malware', assigneeId: manager.id, dueOn: '2026-04-03' },
      }),
    );
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/status`,
        headers: responder.headers,
        payload: { version: i.version, status: 'resolved' },
      }),
    );
    const stale = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/status`,
      headers: responder.headers,
      payload: { version: 1, status: 'closed', lessonsLearned: 'x' },
    });
    expect(stale.statusCode).toBe(409);
    const noLessons = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/status`,
      headers: responder.headers,
      payload: { version: i.version, status: 'closed' },
    });
    expect(json(noLessons).error.field).toBe('body.lessonsLearned');
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/status`,
        headers: responder.headers,
        payload: {
          version: i.version,
          status: 'closed',
          lessonsLearned: 'Backups worked; detection was slow.',
          followUps: [
            { kind: 'risk', title: 'Ransomware on file servers', description: 'Re-assess with the new threat picture' },
            {
              kind: 'nonconformity',
              title: 'Endpoint detection not deployed on servers',
              correctiveAction: { title: 'Deploy endpoint detection on all servers', ownerId: responder.id, dueOn: '2026-05-01' },
            },
            { kind: 'improvement', title: 'Faster alerting' },
            { kind: 'change', title: 'Update the backup policy to hourly snapshots' },
          ],
        },
      }),
    );
    expect(i.status).toBe('closed');
    expect(i.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['status', 'measure', 'task', 'note']));
    expect(i.timeline.find((e: { kind: string }) => e.kind === 'measure')).toMatchObject({ measure: 'restore_from_backup' });

    // the hand-offs: a risk task, a nonconformity with its corrective action, an opportunity, a change request
    const ref = i.reference;
    const riskTasks = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/tasks?processKey=risk-assessment`, headers: manager.headers }),
    );
    expect(riskTasks.items.some((x: { title: string }) => x.title === `Assess risk from ${ref}: Ransomware on file servers`)).toBe(true);
    const ncs = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/nonconformities`, headers: manager.headers }));
    const nc = ncs.items.find((x: { sourceRecord: { ref: string } | null }) => x.sourceRecord?.ref === ref);
    expect(nc).toMatchObject({ source: 'incident', status: 'in_progress' });
    const ncDetail = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/nonconformities/${nc.id}`, headers: manager.headers }),
    );
    expect(ncDetail.correctiveActions).toMatchObject([
      { title: 'Deploy endpoint detection on all servers', dueOn: '2026-05-01', assignee: { id: responder.id } },
    ]);
    const ofi = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/opportunities`, headers: manager.headers }));
    expect(ofi.items.some((x: { title: string }) => x.title === 'Faster alerting')).toBe(true);
    const chg = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/changes`, headers: manager.headers }));
    expect(chg.items.find((x: { title: string }) => x.title === 'Update the backup policy to hourly snapshots')).toMatchObject({
      source: 'incident',
      status: 'requested',
    });

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${url()}/${id}/events`,
          headers: responder.headers,
          payload: { kind: 'note', text: 'late note' },
        })
      ).statusCode,
    ).toBe(409);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('hands on a lesson when resolving, even while notifications keep the incident open', async () => {
    clock.current = new Date('2026-04-10T08:00:00.000Z');
    const { id, reference } = json(await report(employee, { title: 'HR file on a public share' }));
    let i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/triage`,
        headers: responder.headers,
        payload: {
          version: 1,
          category: 'data_leak',
          severity: 'medium',
          impactConfidentiality: true,
          impactIntegrity: false,
          impactAvailability: false,
          personalData: true,
          nis2Significant: false,
        },
      }),
    );
    const tooEarly = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/status`,
      headers: responder.headers,
      payload: { version: i.version, status: 'responding', lessonsLearned: 'x', followUps: [{ kind: 'risk', title: 'x' }] },
    });
    expect(json(tooEarly).error.field).toBe('body.followUps');
    const noLesson = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/status`,
      headers: responder.headers,
      payload: { version: i.version, status: 'resolved', followUps: [{ kind: 'risk', title: 'x' }] },
    });
    expect(json(noLesson).error.field).toBe('body.lessonsLearned');
    i = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/status`,
        headers: responder.headers,
        payload: {
          version: i.version,
          status: 'resolved',
          lessonsLearned: 'Share permissions are not reviewed',
          followUps: [
            {
              kind: 'nonconformity',
              title: 'Share permissions not reviewed',
              correctiveAction: { title: 'Review all share permissions', ownerId: manager.id, dueOn: '2026-04-30' },
            },
          ],
        },
      }),
    );
    expect(i).toMatchObject({ status: 'resolved', lessonsLearned: 'Share permissions are not reviewed' });
    // the GDPR notification is still owed, so the incident cannot be closed yet
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${url()}/${id}/status`,
          headers: responder.headers,
          payload: { version: i.version, status: 'closed' },
        })
      ).statusCode,
    ).toBe(409);
    const action = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: manager.headers })).items.find(
      (x: { title: string }) => x.title === 'Review all share permissions',
    );
    expect(action).toMatchObject({ processKey: 'improvement', dueOn: '2026-04-30' });
    const nc = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/nonconformities?q=Share permissions`, headers: manager.headers }),
    ).items[0];
    expect(nc.sourceRecord).toMatchObject({ type: 'incident', ref: reference });
  });

  it('exports the incident report as a PDF with the timeline and notifications', async () => {
    const list = json(await t.app.inject({ method: 'GET', url: `${url()}?q=Customer list`, headers: manager.headers }));
    const res = await t.app.inject({ method: 'GET', url: `${url()}/${list.items[0].id}/report.pdf`, headers: manager.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Customer list sent to wrong address');
    expect(text).toContain('Supervisory authority');
    // the reporter follows their report, but the full report is for the incident team and auditors
    expect((await t.app.inject({ method: 'GET', url: `${url()}/${list.items[0].id}`, headers: employee.headers })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: `${url()}/${list.items[0].id}/report.pdf`, headers: employee.headers })).statusCode,
    ).toBe(403);
  });

  it('exports a report whose title is Chinese and whose timeline has arrows, as PDF and DOCX, readable back', async () => {
    const { id } = json(await report(manager, { title: '数据泄露 客户名单', description: 'Δεδομένα · Данные · Café' }));
    const triaged = json(
      await t.app.inject({
        method: 'POST',
        url: `${url()}/${id}/triage`,
        headers: responder.headers,
        payload: {
          version: 1,
          category: 'malware',
          severity: 'low',
          impactConfidentiality: true,
          impactIntegrity: false,
          impactAvailability: false,
          personalData: false,
          nis2Significant: false,
        },
      }),
    );
    const moved = await t.app.inject({
      method: 'POST',
      url: `${url()}/${id}/status`,
      headers: responder.headers,
      payload: { version: triaged.version, status: 'responding', note: '隔离 → done' },
    });
    expect(moved.statusCode).toBe(200);
    const pdf = await t.app.inject({ method: 'GET', url: `${url()}/${id}/report.pdf`, headers: manager.headers });
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('数据泄露 客户名单');
    expect(text).toContain('Δεδομένα · Данные · Café');
    expect(text).toMatch(/triaged → responding: 隔离 → done/);
    expect(text).not.toContain('!’');
    const docx = await t.app.inject({ method: 'GET', url: `${url()}/${id}/report.docx`, headers: manager.headers });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toMatch(/INC-\d{4}\.docx/);
    const words = await docxText(docx.rawPayload);
    for (const s of [
      '数据泄露 客户名单',
      'Incident report',
      'Reference',
      'Severity',
      'Timeline',
      '隔离 → done',
      'Δεδομένα · Данные · Café',
    ])
      expect(words).toContain(s);
    expect((await t.app.inject({ method: 'GET', url: `${url()}/${id}/report.docx`, headers: employee.headers })).statusCode).toBe(403);
  });

  it('lists with a fixed number of statements whatever the page size, and keeps scopes apart', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (pageSize: number) => {
      const before = counter.count;
      expect((await t.app.inject({ method: 'GET', url: `${url()}?pageSize=${pageSize}`, headers: manager.headers })).statusCode).toBe(200);
      return counter.count - before;
    };
    expect(await count(100)).toBe(await count(1));
    const other = await buildScope(t.deps);
    const id = json(await report(employee, { title: 'mine' })).id;
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/incidents/${id}`, headers: other.manager.headers })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/scopes/${scopeId}/incidents`,
          headers: other.manager.headers,
          payload: { title: 'x' },
        })
      ).statusCode,
    ).toBe(404);
    const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${url()}/${id}/triage`,
          headers: viewer.headers,
          payload: {
            version: 1,
            category: 'malware',
            severity: 'low',
            impactConfidentiality: false,
            impactIntegrity: false,
            impactAvailability: false,
            personalData: false,
            nis2Significant: false,
          },
        })
      ).statusCode,
    ).toBe(403);
  });
});
