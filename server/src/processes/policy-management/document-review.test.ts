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
import { createTaskTx } from '../../work/task.service.ts';
import { documentReviewSweep } from './policy-management.sweeps.ts';

// ISO 27001 5.2, 7.5.2, A.5.1: a periodic review that finds nothing to change is confirmed without a new version.
describe.each(dialects)('confirming a document review without changes on %s', (dialect) => {
  let t: TestContext;
  let clock: TestClock;
  beforeAll(async () => {
    clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const call = async (method: 'GET' | 'POST', url: string, user: TestUser, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload !== undefined && { payload }) });

  async function world() {
    clock.current = new Date('2026-03-02T09:00:00.000Z');
    const { scope, manager } = await buildScope(t.deps);
    const as = (role: ScopeRole, name: string) => buildUser(t.deps, { memberships: [[scope.id, role]], name });
    const owner = await as('contributor', 'Policy owner');
    const approver = await as('contributor', 'Approver');
    const contributor = await as('contributor', 'Another contributor');
    const viewer = await as('viewer', 'Viewer');
    const base = `/api/scopes/${scope.id}/documents`;
    return { scope, manager, owner, approver, contributor, viewer, base };
  }
  type World = Awaited<ReturnType<typeof world>>;

  /** a document owned by the contributor "Policy owner", published unless `draft` */
  async function document(w: World, draft = false) {
    let res = await call('POST', w.base, w.manager, {
      type: 'policy',
      title: 'Access control policy',
      classification: 'internal',
      ownerId: w.owner.id,
      reviewCadenceMonths: 12,
      approverIds: [w.approver.id],
      contentMd: '# Access control\n\nLeast privilege.\n',
    });
    expect(res.statusCode, res.body).toBe(201);
    const doc = json(res);
    if (draft) return doc;
    const url = `${w.base}/${doc.id}/versions/${doc.versions[0].id}`;
    res = await call('POST', `${url}/submit`, w.manager, { version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    res = await call('POST', `${url}/approve`, w.approver, { version: json(res).version });
    expect(res.statusCode, res.body).toBe(200);
    res = await call('POST', `${url}/publish`, w.manager, { version: json(res).version });
    expect(res.statusCode, res.body).toBe(200);
    return json(await call('GET', `${w.base}/${doc.id}`, w.manager));
  }

  const tasksOf = (docId: string) =>
    t.deps.db
      .selectFrom('task')
      .select(['title', 'status', 'assignee_id', 'origin_process_key'])
      .where('origin_record_type', '=', 'document')
      .where('origin_record_id', '=', docId)
      // the publication's awareness task belongs to competence & awareness
      .where('process_key', '=', 'policy-management')
      .orderBy('title')
      .execute();

  it('records the review, moves the next review date, completes the review task and appends an audit entry', async () => {
    const w = await world();
    const doc = await document(w);
    expect(doc.nextReviewOn).toBe('2027-03-02');
    expect(doc.reviews).toEqual([]);
    // a task another process handed to the owner about this document must stay open
    await t.deps.db.transaction().execute((tx) =>
      createTaskTx(tx, t.deps, null, {
        scopeId: w.scope.id,
        title: 'Revise after a change',
        description: 'x',
        processKey: 'policy-management',
        assigneeId: w.owner.id,
        dueOn: null,
        origin: { processKey: 'change-management', recordType: 'document', recordId: doc.id, recordRef: doc.reference },
      }),
    );

    clock.current = new Date('2027-02-10T09:00:00.000Z');
    expect(await documentReviewSweep(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await tasksOf(doc.id)).find((x) => x.title.startsWith('Review'))).toMatchObject({ status: 'open', assignee_id: w.owner.id });
    const due = json(await call('GET', `${w.base}/${doc.id}`, w.owner));
    expect(due.reviewDue).toBe(true);

    const res = await call('POST', `${w.base}/${doc.id}/review`, w.owner, {
      version: due.version,
      comment: '  Still accurate; no changes.  ',
    });
    expect(res.statusCode, res.body).toBe(200);
    const reviewed = json(res);
    expect(reviewed).toMatchObject({
      status: 'published',
      nextReviewOn: '2028-02-10',
      reviewDue: false,
      version: due.version + 1,
      currentVersion: { versionNo: 1 },
      reviews: [
        {
          reviewedBy: { id: w.owner.id, name: 'Policy owner' },
          reviewedAt: '2027-02-10T09:00:00.000Z',
          comment: 'Still accurate; no changes.',
          versionNo: 1,
          dueOn: '2027-03-02',
          nextReviewOn: '2028-02-10',
        },
      ],
    });
    expect(reviewed.versions).toHaveLength(1);
    expect(await tasksOf(doc.id)).toEqual([
      {
        title: `Review ${doc.reference} ${doc.title} by Mar 2, 2027`,
        status: 'done',
        assignee_id: w.owner.id,
        origin_process_key: 'policy-management',
      },
      { title: 'Revise after a change', status: 'open', assignee_id: w.owner.id, origin_process_key: 'change-management' },
    ]);
    const audit = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'actor_id', 'changes'])
      .where('record_id', '=', doc.id)
      .where('action', '=', 'review')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(w.owner.id);
    expect(JSON.parse(audit[0]!.changes)).toMatchObject({
      nextReviewOn: { from: '2027-03-02', to: '2028-02-10' },
      reviewComment: { from: null, to: 'Still accurate; no changes.' },
    });

    // a stale version is refused and writes nothing
    const stale = await call('POST', `${w.base}/${doc.id}/review`, w.manager, { version: due.version, comment: 'Again' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');

    // a manager may confirm too; reviews are listed newest first
    clock.current = new Date('2027-02-11T09:00:00.000Z');
    const again = await call('POST', `${w.base}/${doc.id}/review`, w.manager, { version: reviewed.version, comment: 'Checked again' });
    expect(again.statusCode, again.body).toBe(200);
    expect(json(again).nextReviewOn).toBe('2028-02-11');
    expect(json(again).reviews.map((r: { comment: string }) => r.comment)).toEqual(['Checked again', 'Still accurate; no changes.']);

    // the sweep creates the next review task only 30 days before the new date
    await documentReviewSweep(t.deps);
    expect((await tasksOf(doc.id)).filter((x) => x.status === 'open' && x.title.startsWith('Review'))).toEqual([]);
    clock.current = new Date('2028-01-13T09:00:00.000Z');
    await documentReviewSweep(t.deps);
    expect((await tasksOf(doc.id)).filter((x) => x.status === 'open' && x.title.startsWith('Review'))).toEqual([
      {
        title: `Review ${doc.reference} ${doc.title} by Feb 11, 2028`,
        status: 'open',
        assignee_id: w.owner.id,
        origin_process_key: 'policy-management',
      },
    ]);
  });

  it('refuses drafts, retired documents, people other than the owner or a manager, other scopes and an empty comment', async () => {
    const w = await world();
    const doc = await document(w);
    const url = `${w.base}/${doc.id}/review`;
    const body = { version: doc.version, comment: 'Fine as it is' };

    const expectError = async (user: TestUser, payload: object, status: number, code: string, target = url) => {
      const res = await call('POST', target, user, payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error.code).toBe(code);
      return json(res).error;
    };
    expect((await expectError(w.manager, { version: doc.version, comment: '   ' }, 400, 'validation_failed')).field).toBe('body.comment');
    expect((await expectError(w.manager, { version: doc.version }, 400, 'validation_failed')).field).toBe('body.comment');
    await expectError(w.manager, { ...body, extra: true }, 400, 'validation_failed');
    await expectError(w.viewer, body, 403, 'forbidden');
    const notOwner = await expectError(w.contributor, body, 403, 'forbidden');
    expect(notOwner.message).toContain('owner');
    const outsider = (await buildScope(t.deps)).manager;
    await expectError(outsider, body, 404, 'not_found');

    const draft = await document(w, true);
    const refused = await expectError(
      w.owner,
      { version: draft.version, comment: 'x' },
      409,
      'invalid_state',
      `${w.base}/${draft.id}/review`,
    );
    expect(refused.message).toContain('published');

    const retired = await call('POST', `${w.base}/${doc.id}/retire`, w.manager, { version: doc.version, reason: 'Replaced' });
    expect(retired.statusCode, retired.body).toBe(200);
    await expectError(w.owner, { version: json(retired).version, comment: 'x' }, 409, 'invalid_state');

    // none of them wrote a review
    const rows = await t.deps.db.selectFrom('document_review').select('id').where('document_id', 'in', [doc.id, draft.id]).execute();
    expect(rows).toEqual([]);
  });
});
