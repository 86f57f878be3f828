import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeRole } from '../../auth/roles.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import fs from 'node:fs';
import { blobPath, removeUnreferencedBlobs } from '../../files/file-store.ts';
import { multipartBody } from '../../files/multipart-body.ts';
import { newId } from '../../shared/ids.ts';
import { docxText, pdfText } from '../../test/document-text.ts';
import { disposeDocumentTx } from './document.service.ts';
import { auditWordsIn } from '../../audit/audit-words.ts';
import { showAuditValue } from '../../../../web/src/features/audit/audit-words.ts';
import { acknowledgementReminderSweep, documentReviewSweep } from './policy-management.sweeps.ts';

const DAY = 86_400_000;

describe.each(dialects)('security policy management on %s', (dialect) => {
  let t: TestContext;
  let clock: TestClock;
  beforeAll(async () => {
    clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, user: TestUser, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload !== undefined && { payload }) });

  /** a scope with a manager, two approving contributors, two employees and a viewer */
  async function world(profile: 'small' | 'large' = 'small') {
    const { scope, manager } = await buildScope(t.deps, { profile });
    const as = (role: ScopeRole, name: string) => buildUser(t.deps, { memberships: [[scope.id, role]], name });
    const approverA = await as('contributor', 'Approver A');
    const approverB = await as('contributor', 'Approver B');
    const employee1 = await as('employee', 'Employee one');
    const employee2 = await as('employee', 'Employee two');
    const viewer = await as('viewer', 'Viewer');
    const base = `/api/scopes/${scope.id}/documents`;
    return { scope, manager, approverA, approverB, employee1, employee2, viewer, base };
  }

  type World = Awaited<ReturnType<typeof world>>;

  async function createDoc(w: World, body: object = {}) {
    const res = await call('POST', w.base, w.manager, {
      type: 'policy',
      title: 'Information security policy',
      classification: 'internal',
      approverIds: [w.approverA.id, w.approverB.id],
      contentMd: '# Purpose\n\nProtect information.\n\n## Scope\n\nAll staff.\n',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  }

  /** submit (as the manager), approve by the given approvers, publish; returns the published version */
  async function publish(w: World, docId: string, versionId: string, approvers: TestUser[]) {
    const url = `${w.base}/${docId}/versions/${versionId}`;
    let v = json(await call('GET', url, w.manager));
    let res = await call('POST', `${url}/submit`, w.manager, { version: v.version });
    expect(res.statusCode, res.body).toBe(200);
    v = json(res);
    for (const a of approvers) {
      res = await call('POST', `${url}/approve`, a, { version: v.version, comment: 'Fine' });
      expect(res.statusCode, res.body).toBe(200);
      v = json(res);
    }
    res = await call('POST', `${url}/publish`, w.manager, { version: v.version });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  }

  it('creates a document with its first draft version and validates the input', async () => {
    const w = await world();
    const doc = await createDoc(w);
    expect(doc).toMatchObject({
      reference: 'POL-0001',
      type: 'policy',
      status: 'draft',
      classification: 'internal',
      audience: { kind: 'everyone', roles: [], people: [] },
      reviewCadenceMonths: 12,
      retention: { value: 3, unit: 'years' },
      requiredApprovals: null,
      effectiveRequiredApprovals: 1,
      currentVersion: null,
      workingVersion: { versionNo: 1, status: 'draft' },
      owner: { id: w.manager.id },
    });
    expect(doc.approvers.map((a: { name: string }) => a.name)).toEqual(['Approver A', 'Approver B']);
    expect(doc.versions).toHaveLength(1);

    const bad = await call('POST', w.base, w.manager, { type: 'policy', title: 'X', classification: 'secret' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.classification');
    const employeeApprover = await call('POST', w.base, w.manager, { type: 'policy', title: 'X', approverIds: [w.employee1.id] });
    expect(employeeApprover.statusCode).toBe(400);
    expect(json(employeeApprover).error.field).toBe('body.approverIds');
    const extra = await call('POST', w.base, w.manager, { type: 'policy', title: 'X', colour: 'red' });
    expect(extra.statusCode).toBe(400);

    // metadata edits need the current version
    const stale = await call('PATCH', `${w.base}/${doc.id}`, w.manager, { version: doc.version + 1, title: 'Y' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    const edited = await call('PATCH', `${w.base}/${doc.id}`, w.manager, {
      version: doc.version,
      title: 'Information security policy 2026',
      audience: { kind: 'roles', roles: ['employee'] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited)).toMatchObject({
      title: 'Information security policy 2026',
      audience: { kind: 'roles', roles: ['employee'] },
      version: doc.version + 1,
    });
  });

  it('lets only designated approvers other than the author approve, and keeps rejection comments', async () => {
    const w = await world('small');
    const outsiderApprover = await buildUser(t.deps, { memberships: [[w.scope.id, 'contributor']], name: 'Not designated' });
    const doc = await createDoc(w, { approverIds: [w.approverA.id, w.manager.id] });
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    let v = json(await call('GET', url, w.manager));

    // not yet in review
    expect((await call('POST', `${url}/approve`, w.approverA, { version: v.version })).statusCode).toBe(409);
    v = json(await call('POST', `${url}/submit`, w.manager, { version: v.version }));
    expect(v).toMatchObject({ status: 'in_review', author: { id: w.manager.id }, reviewRound: 1, requiredApprovals: 1 });

    // the approver's task
    const tasks = await t.deps.db.selectFrom('task').select(['assignee_id', 'status']).where('origin_record_id', '=', v.id).execute();
    expect(tasks).toEqual([{ assignee_id: w.approverA.id, status: 'open' }]);

    const byAuthor = await call('POST', `${url}/approve`, w.manager, { version: v.version });
    expect(byAuthor.statusCode).toBe(403);
    expect(json(byAuthor).error.message).toMatch(/author/);
    expect((await call('POST', `${url}/approve`, outsiderApprover, { version: v.version })).statusCode).toBe(403);
    expect((await call('POST', `${url}/approve`, w.employee1, { version: v.version })).statusCode).toBe(403);
    expect((await call('POST', `${url}/approve`, w.approverA, { version: v.version + 5 })).statusCode).toBe(409);

    const noComment = await call('POST', `${url}/reject`, w.approverA, { version: v.version, comment: ' ' });
    expect(noComment.statusCode).toBe(400);
    expect(json(noComment).error.field).toBe('body.comment');
    const rejected = await call('POST', `${url}/reject`, w.approverA, { version: v.version, comment: 'Add a section on remote work' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    v = json(rejected);
    expect(v.status).toBe('draft');
    expect(v.approvals).toMatchObject([
      { approver: { id: w.approverA.id }, decision: 'rejected', comment: 'Add a section on remote work', round: 1 },
    ]);

    v = json(await call('PATCH', url, w.manager, { version: v.version, contentMd: `${v.contentMd}\n## Remote work\n\nUse the VPN.\n` }));
    v = json(await call('POST', `${url}/submit`, w.manager, { version: v.version }));
    expect(v.reviewRound).toBe(2);
    const approved = await call('POST', `${url}/approve`, w.approverA, { version: v.version, comment: 'Good now' });
    expect(approved.statusCode, approved.body).toBe(200);
    v = json(approved);
    expect(v.status).toBe('approved');
    expect(v.approvals.map((a: { decision: string; round: number }) => `${a.decision}:${a.round}`)).toEqual(['rejected:1', 'approved:2']);
    // every step is in the audit trail, in order, with the rejection comment
    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'changes'])
      .where('record_type', '=', 'document_version')
      .where('record_id', '=', v.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => e.action)).toEqual(['submit', 'reject', 'update', 'submit', 'approve']);
    expect(JSON.parse(trail[1]!.changes)).toMatchObject({
      status: { from: 'in_review', to: 'draft' },
      comment: { to: 'Add a section on remote work' },
    });
    expect(JSON.parse(trail[2]!.changes).content.to).toMatch(/^\d+ characters$/);
    const done = await t.deps.db.selectFrom('task').select(['status']).where('origin_record_id', '=', v.id).execute();
    expect(done.every((x) => x.status === 'done')).toBe(true);

    // a draft cannot be submitted without enough approvers other than its author
    const lonely = await createDoc(w, { title: 'Lonely', approverIds: [w.manager.id] });
    const lv = lonely.versions[0];
    const refused = await call('POST', `${w.base}/${lonely.id}/versions/${lv.id}/submit`, w.manager, { version: lv.version });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.message).toMatch(/1 approval is required and only 0/);
  });

  it('needs two approvals in the large profile', async () => {
    const w = await world('large');
    const doc = await createDoc(w);
    expect(doc.effectiveRequiredApprovals).toBe(2);
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    let v = json(await call('POST', `${url}/submit`, w.manager, { version: 1 }));
    v = json(await call('POST', `${url}/approve`, w.approverA, { version: v.version }));
    expect(v.status).toBe('in_review');
    const twice = await call('POST', `${url}/approve`, w.approverA, { version: v.version });
    expect(twice.statusCode).toBe(409);
    expect((await call('POST', `${url}/publish`, w.manager, { version: v.version })).statusCode).toBe(409);
    v = json(await call('POST', `${url}/approve`, w.approverB, { version: v.version }));
    expect(v.status).toBe('approved');
    expect(v.approvals.filter((a: { decision: string }) => a.decision === 'approved')).toHaveLength(2);
  });

  it('keeps segregation of duties in the large profile: the minimum cannot be lowered, only a manager raises it', async () => {
    const w = await world('large');
    const approverC = await buildUser(t.deps, { memberships: [[w.scope.id, 'contributor']], name: 'Approver C' });
    const asContributor = (body: object) =>
      call('POST', w.base, w.approverA, {
        type: 'policy',
        title: 'Acceptable use',
        classification: 'internal',
        approverIds: [w.approverB.id, approverC.id],
        contentMd: 'Use it well.',
        ...body,
      });
    // a contributor cannot ask for one approval where the profile needs two
    const lowered = await asContributor({ requiredApprovals: 1 });
    expect(lowered.statusCode).toBe(400);
    expect(json(lowered).error).toMatchObject({ code: 'validation_failed', field: 'body.requiredApprovals', params: { minimum: 2 } });
    expect(json(lowered).error.message).toBe("Approvals needed cannot be fewer than this scope's minimum of 2");
    // nor raise it: that is a manager's decision
    const raised = await asContributor({ requiredApprovals: 3 });
    expect(raised.statusCode, raised.body).toBe(403);
    expect(json(raised).error.field).toBe('body.requiredApprovals');
    expect((await call('GET', `${w.base}?q=Acceptable`, w.manager)).json().total).toBe(0); // nothing was written
    const created = await asContributor({ requiredApprovals: 2 });
    expect(created.statusCode, created.body).toBe(201);
    let doc = json(created);
    expect(doc.effectiveRequiredApprovals).toBe(2);
    const lowerLater = await call('PATCH', `${w.base}/${doc.id}`, w.manager, { version: doc.version, requiredApprovals: 1 });
    expect(lowerLater.statusCode).toBe(400);

    // a setting stored below the minimum (e.g. before the scope moved to the large profile) still needs two approvals
    await t.deps.db.updateTable('document').set({ required_approvals: 1 }).where('id', '=', doc.id).execute();
    doc = json(await call('GET', `${w.base}/${doc.id}`, w.approverA));
    expect(doc).toMatchObject({ requiredApprovals: 1, effectiveRequiredApprovals: 2 });
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    let v = json(await call('POST', `${url}/submit`, w.approverA, { version: doc.versions[0].version }));
    expect(v.requiredApprovals).toBe(2);
    v = json(await call('POST', `${url}/approve`, w.approverB, { version: v.version, comment: 'Fine' }));
    expect(v.status).toBe('in_review'); // one approval does not publish
    expect((await call('POST', `${url}/publish`, w.approverA, { version: v.version })).statusCode).toBe(409);
    v = json(await call('POST', `${url}/approve`, approverC, { version: v.version, comment: 'Fine too' }));
    expect(v.status).toBe('approved');

    // the manager raises it; a contributor can neither change a raised setting nor reset it
    doc = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    const up = await call('PATCH', `${w.base}/${doc.id}`, w.manager, { version: doc.version, requiredApprovals: 3 });
    expect(up.statusCode, up.body).toBe(200);
    doc = json(up);
    expect(doc).toMatchObject({ requiredApprovals: 3, effectiveRequiredApprovals: 3 });
    for (const requiredApprovals of [2, null, 4]) {
      const r = await call('PATCH', `${w.base}/${doc.id}`, w.approverA, { version: doc.version, requiredApprovals });
      expect(r.statusCode, String(requiredApprovals)).toBe(403);
      expect(json(r).error.field).toBe('body.requiredApprovals');
    }
    // sending the setting unchanged (a form saving other fields) is fine
    const same = await call('PATCH', `${w.base}/${doc.id}`, w.approverA, {
      version: doc.version,
      requiredApprovals: 3,
      title: 'Acceptable use 2027',
    });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('publishes to everyone, to roles or to named people, one assignment per person', async () => {
    const w = await world();
    const everyone = await createDoc(w);
    const published = await publish(w, everyone.id, everyone.versions[0].id, [w.approverA]);
    expect(published).toMatchObject({ status: 'published', publishedBy: { id: w.manager.id } });
    // manager, two approvers, two employees, viewer
    expect(published.acknowledgements).toEqual({ assigned: 6, acknowledged: 0, overdue: 0 });
    const detail = json(await call('GET', `${w.base}/${everyone.id}`, w.manager));
    expect(detail).toMatchObject({
      status: 'published',
      currentVersion: { versionNo: 1, status: 'published' },
      nextReviewOn: '2027-03-02',
      workingVersion: null,
    });

    const roles = await createDoc(w, { title: 'Acceptable use', audience: { kind: 'roles', roles: ['employee', 'viewer'] } });
    expect((await publish(w, roles.id, roles.versions[0].id, [w.approverA])).acknowledgements.assigned).toBe(3);
    const people = await createDoc(w, { title: 'Admin guide', audience: { kind: 'people', userIds: [w.employee2.id] } });
    const pv = await publish(w, people.id, people.versions[0].id, [w.approverB]);
    expect(pv.acknowledgements.assigned).toBe(1);
    const list = json(await call('GET', `${w.base}/${people.id}/versions/${pv.id}/acknowledgements`, w.viewer));
    expect(list).toMatchObject({ total: 1, summary: { assigned: 1, acknowledged: 0, open: 1, overdue: 0 } });
    expect(list.items[0]).toMatchObject({ user: { id: w.employee2.id }, dueOn: '2026-03-16', acknowledgedAt: null, overdue: false });

    // the employee's own page lists the open ones across scopes
    const mine = json(await call('GET', '/api/me/acknowledgements', w.employee2));
    expect(mine.items.map((i: { reference: string }) => i.reference).sort()).toEqual(
      [everyone.reference, roles.reference, people.reference].sort(),
    );
    expect(json(await call('GET', '/api/me/acknowledgements', w.employee1)).total).toBe(2);
  });

  it('records acknowledgements; a minor revision carries them over, a material change requires acknowledging again', async () => {
    const w = await world();
    const doc = await createDoc(w, { audience: { kind: 'roles', roles: ['employee'] } });
    const v1 = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const read = (u: TestUser, vid: string) => call('GET', `${w.base}/${doc.id}/versions/${vid}/read`, u);
    const ack = (u: TestUser, vid: string) => call('POST', `${w.base}/${doc.id}/versions/${vid}/acknowledge`, u);

    const r = await read(w.employee1, v1.id);
    expect(r.statusCode, r.body).toBe(200);
    expect(json(r)).toMatchObject({
      reference: doc.reference,
      versionNo: 1,
      contentMd: expect.stringContaining('# Purpose'),
      acknowledgement: { acknowledgedAt: null },
    });
    const a = await ack(w.employee1, v1.id);
    expect(a.statusCode, a.body).toBe(200);
    expect(json(a).acknowledgement.acknowledgedAt).toBe('2026-03-02T09:00:00.000Z');
    expect((await ack(w.employee1, v1.id)).statusCode).toBe(409);
    expect(json(await call('GET', '/api/me/acknowledgements', w.employee1)).total).toBe(0);

    // minor revision: employee1's acknowledgement carries over, employee2 still has to acknowledge
    let d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    const minor = await call('POST', `${w.base}/${doc.id}/revise`, w.manager, {
      version: d.version,
      changeSummary: 'Typos',
      materialChange: false,
    });
    expect(minor.statusCode, minor.body).toBe(200);
    d = json(minor);
    expect(d).toMatchObject({ status: 'published', currentVersion: { versionNo: 1 }, workingVersion: { versionNo: 2, status: 'draft' } });
    // only one revision at a time; it can be abandoned, and another one opened
    const second = await call('POST', `${w.base}/${doc.id}/revise`, w.manager, { version: d.version, changeSummary: 'More' });
    expect(second.statusCode).toBe(409);
    expect(json(second).error.message).toMatch(/already being worked on/);
    const draftV2 = json(await call('GET', `${w.base}/${doc.id}/versions/${d.workingVersion.id}`, w.manager));
    const withdrawn = await call('POST', `${w.base}/${doc.id}/versions/${draftV2.id}/withdraw`, w.manager, { version: draftV2.version });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(json(withdrawn).status).toBe('withdrawn');
    d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    expect(d.workingVersion).toBeNull();
    d = json(
      await call('POST', `${w.base}/${doc.id}/revise`, w.manager, { version: d.version, changeSummary: 'Typos', materialChange: false }),
    );
    expect(d.workingVersion).toMatchObject({ versionNo: 3, status: 'draft' });
    const v2 = await publish(w, doc.id, d.workingVersion.id, [w.approverA]);
    expect(v2.acknowledgements).toEqual({ assigned: 2, acknowledged: 1, overdue: 0 });
    const acks = json(await call('GET', `${w.base}/${doc.id}/versions/${v2.id}/acknowledgements?state=acknowledged`, w.manager));
    expect(acks.items).toMatchObject([{ user: { id: w.employee1.id }, carriedOver: true }]);
    // the superseded version is no longer readable through the reading view
    expect((await read(w.employee2, v1.id)).statusCode).toBe(404);
    expect(json(await call('GET', `${w.base}/${doc.id}/versions/${v1.id}`, w.manager)).status).toBe('superseded');

    // material change: everyone acknowledges again
    d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    d = json(
      await call('POST', `${w.base}/${doc.id}/revise`, w.manager, {
        version: d.version,
        changeSummary: 'New remote work rules',
        materialChange: true,
      }),
    );
    const v3 = await publish(w, doc.id, d.workingVersion.id, [w.approverB]);
    expect(v3.acknowledgements).toEqual({ assigned: 2, acknowledged: 0, overdue: 0 });
    expect(json(await call('GET', '/api/me/acknowledgements', w.employee1)).items).toMatchObject([{ versionId: v3.id, versionNo: 4 }]);
    // employee2's open assignment of the superseded version was withdrawn with it
    expect(json(await call('GET', '/api/me/acknowledgements', w.employee2)).items.map((i: { versionNo: number }) => i.versionNo)).toEqual([
      4,
    ]);
  });

  it('shows an employee only published versions addressed to them', async () => {
    const w = await world();
    const outsider = (await buildScope(t.deps)).manager;
    const doc = await createDoc(w, { audience: { kind: 'people', userIds: [w.employee1.id] } });
    const draftUrl = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    expect((await call('GET', `${draftUrl}/read`, w.employee1)).statusCode).toBe(404);
    expect((await call('GET', draftUrl, w.employee1)).statusCode).toBe(403);
    expect((await call('GET', w.base, w.employee1)).statusCode).toBe(403);
    const v = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const url = `${w.base}/${doc.id}/versions/${v.id}`;
    expect((await call('GET', `${url}/read`, w.employee1)).statusCode).toBe(200);
    expect((await call('GET', `${url}/read`, w.employee2)).statusCode).toBe(403);
    expect((await call('POST', `${url}/acknowledge`, w.employee2)).statusCode).toBe(403);
    expect((await call('GET', `${url}/read`, outsider)).statusCode).toBe(404);
    // a registered reader may read it without being addressed, but has nothing to acknowledge
    const viewerRead = await call('GET', `${url}/read`, w.viewer);
    expect(viewerRead.statusCode).toBe(200);
    expect(json(viewerRead).acknowledgement).toBeNull();
    // the PDF follows the same rule
    expect((await call('GET', `${url}/pdf`, w.employee1)).statusCode).toBe(200);
    expect((await call('GET', `${url}/pdf`, w.employee2)).statusCode).toBe(403);
  });

  it('diffs two versions line by line and exports a version as PDF', async () => {
    const w = await world();
    const doc = await createDoc(w, {
      contentMd: '# Passwords\n\nUse at least 8 characters.\n\n| Role | Rule |\n| --- | --- |\n| Admin | MFA |\n',
    });
    const v1 = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    let d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    d = json(await call('POST', `${w.base}/${doc.id}/revise`, w.manager, { version: d.version, changeSummary: 'Longer passwords' }));
    const draft = json(await call('GET', `${w.base}/${doc.id}/versions/${d.workingVersion.id}`, w.manager));
    expect(draft.contentMd).toBe(v1.contentMd);
    const edited = await call('PATCH', `${w.base}/${doc.id}/versions/${draft.id}`, w.manager, {
      version: draft.version,
      contentMd: '# Passwords\n\nUse at least 12 characters.\n\n| Role | Rule |\n| --- | --- |\n| Admin | MFA |\n| Everyone | Manager |\n',
    });
    expect(edited.statusCode, edited.body).toBe(200);

    const diff = json(await call('GET', `${w.base}/${doc.id}/diff?from=${v1.id}&to=${draft.id}`, w.viewer));
    expect(diff).toMatchObject({ from: { versionNo: 1 }, to: { versionNo: 2 }, added: 2, removed: 1 });
    expect(diff.hunks).toHaveLength(1);
    const changed = diff.hunks[0].lines.filter((l: { kind: string }) => l.kind !== 'context');
    expect(changed).toEqual([
      { kind: 'remove', text: 'Use at least 8 characters.' },
      { kind: 'add', text: 'Use at least 12 characters.' },
      { kind: 'add', text: '| Everyone | Manager |' },
    ]);
    expect((await call('GET', `${w.base}/${doc.id}/diff?from=${v1.id}&to=not-a-uuid`, w.viewer)).statusCode).toBe(400);

    const pdf = await call('GET', `${w.base}/${doc.id}/versions/${v1.id}/pdf`, w.viewer);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`${doc.reference}-v1.pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1500);
    const pdfWords = await pdfText(pdf.rawPayload);
    expect(pdfWords).toContain(`${doc.reference} ${doc.title}`);
    expect(pdfWords).toContain('Use at least 8 characters.');

    const docx = await call('GET', `${w.base}/${doc.id}/versions/${v1.id}/docx`, w.viewer);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toContain(`${doc.reference}-v1.docx`);
    const words = await docxText(docx.rawPayload);
    for (const text of [
      `${doc.reference} ${doc.title}`,
      'Reference',
      'Version',
      '1 (published)',
      'Approved by',
      'Owner',
      'Next review',
      'Passwords',
      'Use at least 8 characters.',
      'Admin',
      'MFA',
    ])
      expect(words).toContain(text);
    // the heading is a Word heading and the table a Word table
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>(?:(?!<\/w:p>).)*Passwords/s);
    expect(xml.match(/<w:tbl>/g)?.length).toBe(2);
  });

  it('opens a revision when an approved change request targets a document', async () => {
    const w = await world();
    const doc = await createDoc(w);
    await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const scopeUrl = `/api/scopes/${w.scope.id}`;
    let c = json(
      await call('POST', `${scopeUrl}/changes`, w.manager, {
        title: 'Allow remote work',
        reason: 'New working model',
        targets: [{ recordType: 'document', recordId: doc.id, label: `${doc.reference} ${doc.title}` }],
      }),
    );
    c = json(
      await call('POST', `${scopeUrl}/changes/${c.id}/submit`, w.manager, {
        version: c.version,
        changeRisk: 'low',
        consequences: 'Policy text',
      }),
    );
    const decided = await call('POST', `${scopeUrl}/changes/${c.id}/decision`, w.manager, { version: c.version, decision: 'approve' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(json(decided).status).toBe('approved');

    const d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    expect(d.workingVersion).toMatchObject({ versionNo: 2, status: 'draft' });
    expect(d.versions[0]).toMatchObject({
      versionNo: 2,
      changeRequestId: c.id,
      materialChange: true,
      changeSummary: `${c.reference}: Allow remote work`,
    });
    // the trail names the change request by its reference, not its id
    const revised = await t.deps.db
      .selectFrom('audit_entry')
      .select(['changes'])
      .where('record_type', '=', 'document_version')
      .where('record_id', '=', d.versions[0].id)
      .where('action', '=', 'revise')
      .executeTakeFirstOrThrow();
    const revisedChanges = JSON.parse(revised.changes);
    expect(revisedChanges.changeRequest).toEqual({ to: c.reference });
    expect(revisedChanges).not.toHaveProperty('changeRequestId');
    const tasks = await t.deps.db
      .selectFrom('task')
      .select(['title', 'assignee_id', 'process_key'])
      .where('origin_record_type', '=', 'document')
      .where('origin_record_id', '=', doc.id)
      // the publication's awareness task for competence & awareness is not the revision's business
      .where('process_key', '=', 'policy-management')
      .execute();
    expect(tasks).toEqual([
      { title: `Revise ${doc.reference} ${doc.title} (${c.reference})`, assignee_id: w.manager.id, process_key: 'policy-management' },
    ]);
  });

  it('creates a review task once per document and review date, and reminds overdue readers once', async () => {
    const w = await world();
    const doc = await createDoc(w, { reviewCadenceMonths: 6, audience: { kind: 'roles', roles: ['employee'] } });
    const v = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const reviewTasks = () =>
      t.deps.db
        .selectFrom('task')
        .select(['title', 'due_on', 'assignee_id'])
        .where('origin_record_id', '=', doc.id)
        .where('title', 'like', 'Review %')
        .execute();

    // acknowledgements are due in 14 days; after that, one reminder per open assignment
    await call('POST', `${w.base}/${doc.id}/versions/${v.id}/acknowledge`, w.employee1);
    clock.advance(15 * DAY);
    expect(await acknowledgementReminderSweep(t.deps)).toBeGreaterThanOrEqual(1);
    const reminders = await t.deps.db
      .selectFrom('task')
      .select(['assignee_id'])
      .where('origin_record_id', '=', v.id)
      .where('title', 'like', 'Read and acknowledge%')
      .execute();
    expect(reminders).toEqual([{ assignee_id: w.employee2.id }]);
    const overdue = json(await call('GET', `${w.base}/${doc.id}/versions/${v.id}/acknowledgements?state=overdue`, w.manager));
    expect(overdue.items).toMatchObject([{ user: { id: w.employee2.id }, overdue: true, remindedAt: expect.any(String) }]);
    await acknowledgementReminderSweep(t.deps);
    expect(
      await t.deps.db
        .selectFrom('task')
        .select('id')
        .where('origin_record_id', '=', v.id)
        .where('title', 'like', 'Read and acknowledge%')
        .execute(),
    ).toHaveLength(1);

    // next review on 2026-09-02: not yet within 30 days
    await documentReviewSweep(t.deps);
    expect(await reviewTasks()).toEqual([]);
    clock.advance(150 * DAY); // 2026-08-14
    await documentReviewSweep(t.deps);
    await documentReviewSweep(t.deps);
    expect(await reviewTasks()).toEqual([
      { title: `Review ${doc.reference} ${doc.title} by Sep 2, 2026`, due_on: '2026-09-02', assignee_id: w.manager.id },
    ]);
    const due = json(await call('GET', `${w.base}?reviewDue=true`, w.manager));
    expect(due.items.map((i: { id: string }) => i.id)).toContain(doc.id);
    expect(due.items.find((i: { id: string }) => i.id === doc.id).reviewDue).toBe(true);
    clock.current = new Date('2026-03-02T09:00:00.000Z');
  });

  it('attaches a PDF or DOCX to a draft version and serves it to readers and addressees', async () => {
    const w = await world();
    const doc = await createDoc(w, { contentMd: '', audience: { kind: 'people', userIds: [w.employee1.id] } });
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    const upload = (user: TestUser, file: { name: string; content: Buffer | string } | null, version: string) => {
      const body = multipartBody(file, { version });
      return t.app.inject({ method: 'POST', url: `${url}/file`, headers: { ...user.headers, ...body.headers }, payload: body.payload });
    };
    const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    expect((await upload(w.employee1, { name: 'policy.pdf', content: pdfBytes }, '1')).statusCode).toBe(403);
    const text = await upload(w.manager, { name: 'policy.pdf', content: 'just some text' }, '1');
    expect(text.statusCode).toBe(400);
    expect(json(text).error.field).toBe('file');
    expect((await upload(w.manager, { name: 'policy.pdf', content: pdfBytes }, '7')).statusCode).toBe(409);
    const ok = await upload(w.manager, { name: 'Security policy.pdf', content: pdfBytes }, '1');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({
      hasFile: true,
      file: { name: 'Security policy.pdf', mediaType: 'application/pdf', size: pdfBytes.length },
      version: 2,
    });

    // a file alone is content enough to submit
    const v = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const viewerGet = await call('GET', `${url}/file`, w.viewer);
    expect(viewerGet.statusCode).toBe(200);
    expect(viewerGet.headers['content-type']).toBe('application/pdf');
    expect(viewerGet.rawPayload.equals(pdfBytes)).toBe(true);
    expect((await call('GET', `${url}/file`, w.employee1)).statusCode).toBe(200);
    expect((await call('GET', `${url}/file`, w.employee2)).statusCode).toBe(403);
    expect(json(await call('GET', `${url}/read`, w.employee1)).hasFile).toBe(true);
    // a published version's file cannot be replaced
    expect((await upload(w.manager, { name: 'policy.pdf', content: pdfBytes }, String(v.version))).statusCode).toBe(409);
  });

  it('lists with filters and search in a fixed number of statements', async () => {
    const w = await world();
    for (let i = 1; i <= 6; i++)
      await createDoc(w, { title: `Procedure ${i}`, type: i % 2 ? 'procedure' : 'standard', ownerId: i === 1 ? w.approverA.id : null });
    const counter = t.db.database.queryCounter;
    const count = async (qs: string) => {
      const before = counter.count;
      const res = await call('GET', `${w.base}?${qs}`, w.manager);
      expect(res.statusCode, res.body).toBe(200);
      return { n: counter.count - before, body: json(res) };
    };
    const small = await count('pageSize=1');
    const large = await count('pageSize=100');
    expect(large.n).toBe(small.n);
    expect(small.n).toBeLessThanOrEqual(4); // actor (2), page, count
    expect(small.body).toMatchObject({ total: 6, page: 1, pageSize: 1 });
    const procedures = await count('type=procedure&sort=title&dir=desc');
    expect(procedures.n).toBe(small.n);
    expect(procedures.body.items.map((i: { title: string }) => i.title)).toEqual(['Procedure 5', 'Procedure 3', 'Procedure 1']);
    expect((await count('q=procedure 4')).body.items.map((i: { title: string }) => i.title)).toEqual(['Procedure 4']);
    expect((await count(`ownerId=${w.approverA.id}`)).body.total).toBe(1);
    expect((await count('status=published')).body.total).toBe(0);
    expect((await call('GET', `${w.base}?type=memo`, w.manager)).statusCode).toBe(400);
  });

  it('assigns a large audience in one insert per chunk and pages acknowledgements in a fixed number of statements', async () => {
    const w = await world();
    const small = await createDoc(w, { title: 'Small audience' });
    const large = await createDoc(w, { title: 'Large audience' });
    // the large document goes to 1,100 extra employees, added in bulk
    const now = clock.now().toISOString();
    const users = Array.from({ length: 1100 }, (_, i) => ({ id: newId(), email: `bulk-${newId().slice(-12)}-${i}@test.example` }));
    for (let i = 0; i < users.length; i += 200) {
      const chunk = users.slice(i, i + 200);
      await t.deps.db
        .insertInto('app_user')
        .values(
          chunk.map((u) => ({
            id: u.id,
            email: u.email,
            name: `Bulk ${u.email}`,
            password_hash: null,
            is_admin: false,
            status: 'active' as const,
            created_at: now,
            updated_at: now,
            version: 1,
          })),
        )
        .execute();
      await t.deps.db
        .insertInto('membership')
        .values(
          chunk.map((u) => ({
            id: newId(),
            scope_id: w.scope.id,
            user_id: u.id,
            role: 'employee',
            created_at: now,
            updated_at: now,
            version: 1,
          })),
        )
        .execute();
    }
    await call('PATCH', `${w.base}/${small.id}`, w.manager, {
      version: small.version,
      audience: { kind: 'people', userIds: [w.employee1.id] },
    });
    const counter = t.db.database.queryCounter;
    const publishCounting = async (docId: string, versionId: string) => {
      const url = `${w.base}/${docId}/versions/${versionId}`;
      let v = json(await call('POST', `${url}/submit`, w.manager, { version: 1 }));
      v = json(await call('POST', `${url}/approve`, w.approverA, { version: v.version }));
      const before = counter.count;
      const res = await call('POST', `${url}/publish`, w.manager, { version: v.version });
      expect(res.statusCode, res.body).toBe(200);
      return { n: counter.count - before, v: json(res) };
    };
    const one = await publishCounting(small.id, small.versions[0].id);
    const many = await publishCounting(large.id, large.versions[0].id);
    expect(one.v.acknowledgements.assigned).toBe(1);
    expect(many.v.acknowledgements.assigned).toBe(1106);
    // 1,106 rows in three chunks of at most 500: two statements more than a single row
    expect(many.n - one.n).toBe(2);

    const ackUrl = `${w.base}/${large.id}/versions/${many.v.id}/acknowledgements`;
    const count = async (url: string) => {
      const before = counter.count;
      const res = await call('GET', url, w.manager);
      expect(res.statusCode, res.body).toBe(200);
      return { n: counter.count - before, body: json(res) };
    };
    const p1 = await count(`${ackUrl}?pageSize=1`);
    const p200 = await count(`${ackUrl}?pageSize=200&state=open&q=bulk`);
    expect(p200.n).toBe(p1.n);
    expect(p1.n).toBeLessThanOrEqual(7); // actor (2), document, version, page, count, summary
    // 1,100 open rows: the count stops at its cap (db/paging.ts) and says so; the summary counts them all
    expect(p200.body).toMatchObject({ total: 1000, totalCapped: true, summary: { assigned: 1106, acknowledged: 0, open: 1106 } });
    expect(p200.body.items).toHaveLength(200);
  });

  it('publishes a version once when two people publish it at the same time, and revises it once', async () => {
    const w = await world();
    const doc = await createDoc(w);
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    let v = json(await call('POST', `${url}/submit`, w.manager, { version: 1 }));
    v = json(await call('POST', `${url}/approve`, w.approverA, { version: v.version }));
    const results = await Promise.all([
      call('POST', `${url}/publish`, w.manager, { version: v.version }),
      call('POST', `${url}/publish`, w.approverB, { version: v.version }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await t.deps.db.selectFrom('document_acknowledgement').select('user_id').where('document_version_id', '=', v.id).execute();
    expect(rows).toHaveLength(6);
    const audit = await t.deps.db
      .selectFrom('audit_entry')
      .select('id')
      .where('record_id', '=', v.id)
      .where('action', '=', 'publish')
      .execute();
    expect(audit).toHaveLength(1);

    const d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    const revisions = await Promise.all([
      call('POST', `${w.base}/${doc.id}/revise`, w.manager, { version: d.version, changeSummary: 'One' }),
      call('POST', `${w.base}/${doc.id}/revise`, w.approverA, { version: d.version, changeSummary: 'Two' }),
    ]);
    expect(revisions.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(json(await call('GET', `${w.base}/${doc.id}/versions`, w.manager)).items).toHaveLength(2);
  });

  it('answers malformed requests to every write route with a 4xx, never a 5xx', async () => {
    const w = await world();
    const doc = await createDoc(w);
    const ver = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    const routes: [string, string][] = [
      ['POST', w.base],
      ['PATCH', `${w.base}/${doc.id}`],
      ['PATCH', ver],
      ['POST', `${ver}/submit`],
      ['POST', `${ver}/approve`],
      ['POST', `${ver}/reject`],
      ['POST', `${ver}/publish`],
      ['POST', `${ver}/file`],
      ['POST', `${ver}/acknowledge`],
      ['POST', `${w.base}/${doc.id}/revise`],
      ['POST', `${w.base}/${doc.id}/retire`],
      ['POST', `${w.base}/${doc.id}/review`],
    ];
    const bodies: (string | object)[] = [
      '{"broken": ',
      '[]',
      '"text"',
      'null',
      { version: 'one', title: 42, audience: { kind: 'team' }, unexpected: true },
      { version: 1, contentMd: 'x'.repeat(600_000) },
      { version: -1 },
      { version: 1, approverIds: ['not-a-uuid'], retention: { value: 1, unit: 'decades' } },
    ];
    for (const [method, url] of routes) {
      for (const body of bodies) {
        const res = await t.app.inject({
          method: method as 'POST' | 'PATCH',
          url,
          headers: { ...w.manager.headers, 'content-type': 'application/json' },
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 40)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(json(res).error.message).toBeTruthy();
      }
    }
    for (const url of [
      `${w.base}?page=0`,
      `${w.base}?sort=colour`,
      `${w.base}?reviewDue=maybe`,
      `${w.base}/${doc.id}/diff?from=${doc.versions[0].id}`,
      `${w.base}/${doc.id}/versions/not-a-uuid`,
      `${ver}/acknowledgements?state=late`,
    ]) {
      expect((await call('GET', url, w.manager)).statusCode, url).toBe(400);
    }
    // nothing was written by any of them
    const after = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    expect(after).toMatchObject({ version: doc.version, title: doc.title, versions: [{ status: 'draft', version: 1 }] });
  });

  it('retires a document and disposes of its content only after the retention period', async () => {
    const w = await world();
    const doc = await createDoc(w, { retention: { value: 6, unit: 'months' } });
    const bytes = Buffer.from(`%PDF-1.4\n% disposal ${doc.id}\n%%EOF\n`);
    const body = multipartBody({ name: 'old.pdf', content: bytes }, { version: '1' });
    const attached = await t.app.inject({
      method: 'POST',
      url: `${w.base}/${doc.id}/versions/${doc.versions[0].id}/file`,
      headers: { ...w.manager.headers, ...body.headers },
      payload: body.payload,
    });
    expect(attached.statusCode, attached.body).toBe(200);
    const sha = (
      await t.deps.db.selectFrom('document_version').select('file_id').where('document_id', '=', doc.id).executeTakeFirstOrThrow()
    ).file_id!;
    expect(fs.existsSync(blobPath(t.deps, sha))).toBe(true);
    const v = await publish(w, doc.id, doc.versions[0].id, [w.approverA]);
    const dispose = () =>
      t.deps.db
        .transaction()
        .execute((tx) => disposeDocumentTx(tx, t.deps, w.manager.actor, doc.id, { id: null, label: 'Retention rule for policies' }));
    await expect(dispose()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/only a retired document/) });

    let d = json(await call('GET', `${w.base}/${doc.id}`, w.manager));
    const retired = await call('POST', `${w.base}/${doc.id}/retire`, w.manager, {
      version: d.version,
      reason: 'Replaced by the new framework',
    });
    expect(retired.statusCode, retired.body).toBe(200);
    d = json(retired);
    expect(d).toMatchObject({ status: 'retired', retentionEndsOn: '2026-09-02', nextReviewOn: null });
    expect(d.versions[0].status).toBe('retired');
    expect(json(await call('GET', '/api/me/acknowledgements', w.employee1)).total).toBe(0);
    await expect(dispose()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/retained until Sep 2, 2026/) });

    clock.advance(184 * DAY);
    // a legal hold on a register entry that stands for the document suspends the disposal
    const rec = json(
      await call('POST', `/api/scopes/${w.scope.id}/records`, w.manager, {
        title: 'Retired policy',
        processKey: 'policy-management',
        storage: 'praxis',
        linkedRecord: { recordType: 'document', recordId: doc.id },
        retentionMonths: 6,
        retentionStartOn: '2026-03-02',
      }),
    );
    const held = await call('POST', `/api/scopes/${w.scope.id}/records/${rec.id}/legal-hold`, w.manager, {
      version: rec.version,
      hold: true,
      reason: 'Dispute',
    });
    expect(held.statusCode, held.body).toBe(200);
    await expect(dispose()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/legal hold/) });
    const lifted = await call('POST', `/api/scopes/${w.scope.id}/records/${rec.id}/legal-hold`, w.manager, {
      version: json(held).version,
      hold: false,
    });
    expect(lifted.statusCode, lifted.body).toBe(200);
    // disposal through the records register (typed confirmation): the document's content and its stored file go
    const disposed = await call('POST', `/api/scopes/${w.scope.id}/records/${rec.id}/dispose`, w.manager, {
      version: json(lifted).version,
      confirm: `DISPOSE ${rec.reference}`,
    });
    expect(disposed.statusCode, disposed.body).toBe(200);
    expect(json(disposed).status).toBe('disposed');
    expect(fs.existsSync(blobPath(t.deps, sha))).toBe(false);
    expect(await t.deps.db.selectFrom('file_blob').select('sha256').where('sha256', '=', sha).execute()).toEqual([]);
    expect(await removeUnreferencedBlobs(t.deps, [sha])).toBe(0); // safe to run again
    expect((await call('GET', `${w.base}/${doc.id}/versions/${v.id}/file`, w.manager)).statusCode).toBe(404);
    const after = json(await call('GET', `${w.base}/${doc.id}/versions/${v.id}`, w.manager));
    expect(after).toMatchObject({ contentMd: null, contentDisposed: true, status: 'retired', hasFile: false, file: null });
    expect(after.approvals).toHaveLength(1);
    expect(json(await call('GET', `${w.base}/${doc.id}`, w.manager)).status).toBe('disposed');
    const tomb = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'changes'])
      .where('record_id', '=', doc.id)
      .where('action', '=', 'dispose')
      .execute();
    expect(tomb).toHaveLength(1);
    expect(JSON.parse(tomb[0]!.changes)).toMatchObject({
      tombstone: { to: `${doc.reference} ${doc.title}` },
      rule: { to: expect.stringMatching(new RegExp(`^records-control:${rec.reference}:retention:6:2026-03-02:\\d{4}-\\d{2}-\\d{2}$`)) },
    });
    // the rule in the reader's language in the document's history
    const rule = JSON.parse(tomb[0]!.changes).rule.to;
    expect(showAuditValue(auditWordsIn('de', []), 'document', 'rule', rule).text).toMatch(
      new RegExp(`^Lenkung von Aufzeichnungen, ${rec.reference}: Aufbewahrung 6 Monate ab 2\\. März 2026, endete am `),
    );
    await expect(dispose()).rejects.toMatchObject({ code: 'invalid_state' });
    clock.current = new Date('2026-03-02T09:00:00.000Z');
  });
});
