import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildScope,
  buildUser,
  createScopeContext,
  dialects,
  json,
  requester,
  TEST_PASSWORD,
  type TestContext,
  type TestUser,
} from '../test/harness.ts';
import { newId } from './ids.ts';

/**
 * Every 409 about one record carries `details.current`: also when a writer loses the race between its version check
 * and its write. The race is provoked here at the write itself: an armed write first lets "someone else" save (the
 * version moves on, in the same transaction) and then writes with the version it read, or a conditional transition
 * finds the record moved on. Either way the write fails as in a real race, and the answer must carry the record as
 * its GET shows it.
 */
const armed = vi.hoisted(() => new Set<string>());

vi.mock('../db/versioned.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../db/versioned.ts')>();
  const updateVersioned: typeof actual.updateVersioned = async (db, table, id, version, patch) => {
    if (armed.delete(table)) {
      // someone else saved in between
      await db
        .updateTable(table as 'asset')
        .set({ version: version + 1 })
        .where('id', '=', id)
        .execute();
    }
    return actual.updateVersioned(db, table, id, version, patch);
  };
  return { ...actual, updateVersioned };
});
vi.mock('../processes/risk-treatment/risk-treatment.repository.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../processes/risk-treatment/risk-treatment.repository.ts')>();
  const transitionAcceptance: typeof actual.transitionAcceptance = async (...args) =>
    armed.delete('transitionAcceptance') ? false : actual.transitionAcceptance(...args);
  return { ...actual, transitionAcceptance };
});
vi.mock('../processes/policy-management/document.repository.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../processes/policy-management/document.repository.ts')>();
  const claimVersionRow: typeof actual.claimVersionRow = async (...args) =>
    armed.delete('claimVersionRow') ? false : actual.claimVersionRow(...args);
  return { ...actual, claimVersionRow };
});
vi.mock('../processes/competence-awareness/competence.repository.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../processes/competence-awareness/competence.repository.ts')>();
  const updateProfile: typeof actual.updateProfile = async (...args) =>
    armed.delete('updateProfile') ? false : actual.updateProfile(...args);
  return { ...actual, updateProfile };
});
vi.mock('../isms/cycle/cycle.repository.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../isms/cycle/cycle.repository.ts')>();
  const closeCycle: typeof actual.closeCycle = async (...args) => (armed.delete('closeCycle') ? 0 : actual.closeCycle(...args));
  return { ...actual, closeCycle };
});

describe.each(dialects)('every 409 carries the current record (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let contributor: TestUser;
  let employee: TestUser;
  let S: string;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    contributor = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'A contributor' });
    employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: 'An employee' });
    S = `/api/scopes/${scopeId}`;
  });
  afterAll(async () => t?.close());

  const { call, ok } = requester(() => t);

  /** arms `what`, sends the request and expects 409 with `current` (and the armed write to have been tried) */
  async function conflict(what: string, request: () => ReturnType<typeof call>, current: Record<string, unknown>) {
    armed.clear();
    armed.add(what);
    const res = await request();
    expect(armed.has(what), `${what} was not reached`).toBe(false);
    expect(res.statusCode, res.body).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'version_conflict', details: { current } });
    return json(res).error;
  }

  it('answers a stale or lost completion of a training with the assignment as "My trainings" shows it', async () => {
    const course = await ok('POST', `${S}/courses`, manager, { title: 'Clean desk' }, 201);
    await ok('POST', `${S}/courses/${course.id}/targets`, manager, { targetType: 'person', targetValue: employee.id }, 201);
    const [mine] = (await ok('GET', '/api/me/trainings', employee)).items;
    expect(mine).toMatchObject({ version: 1, completedAt: null });
    const stale = await call('POST', `/api/me/trainings/${mine.id}/complete`, employee, { version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current).toEqual(mine);
    const error = await conflict(
      'training_assignment',
      () => call('POST', `/api/me/trainings/${mine.id}/complete`, employee, { version: 1 }),
      { id: mine.id, version: 1, completedAt: null },
    );
    expect(error.key).toBe('errors:training.changed');
  });

  it('answers a lost edit of a person profile with the person as it is now', async () => {
    await ok('PATCH', `${S}/people/${contributor.id}`, manager, { version: 0, department: 'Operations' });
    const error = await conflict(
      'updateProfile',
      () => call('PATCH', `${S}/people/${contributor.id}`, manager, { version: 1, department: 'Sales' }),
      {
        userId: contributor.id,
        department: 'Operations',
        version: 1,
      },
    );
    expect(error.key).toBe('errors:competence.profileChanged');
  });

  it('answers a cycle started meanwhile and a lost cycle edit with the cycle as it is now', async () => {
    const [cycle] = (await ok('GET', `${S}/cycles`, manager)).items;
    await conflict('closeCycle', () => call('POST', `${S}/cycles`, manager, {}), { id: cycle.id, number: 1, current: true, version: 1 });
    await conflict('isms_cycle', () => call('PATCH', `${S}/cycles/${cycle.id}`, manager, { version: 1, endsOn: '2027-02-01' }), {
      id: cycle.id,
      endsOn: cycle.endsOn,
      version: 1,
    });
  });

  it('answers a lost signature or revocation of a risk acceptance with the acceptance as it is now', async () => {
    const large = await buildScope(t.deps, { profile: 'large' });
    const owner = await buildUser(t.deps, { memberships: [[large.scope.id, 'contributor']], name: 'Risk owner' });
    const L = `/api/scopes/${large.scope.id}`;
    const risk = await ok(
      'POST',
      `${L}/risks`,
      large.manager,
      { title: 'Printer jam', ownerId: owner.id, currentLikelihood: 2, currentImpact: 2 },
      201,
    );
    const url = `${L}/risks/${risk.id}/acceptance`;
    const pending = await ok('POST', url, owner, { justification: 'Low cost of a failure' }, 201);
    expect(pending).toMatchObject({ status: 'pending', requiredRoles: ['risk_owner', 'management'] });
    const signing = await conflict('transitionAcceptance', () => call('POST', url, large.manager, { justification: 'Agreed' }), {
      id: pending.id,
      status: 'pending',
      version: pending.version,
    });
    expect(signing.details.current.signatures).toHaveLength(1);
    await conflict(
      'transitionAcceptance',
      () => call('POST', `${url}/revoke`, owner, { version: pending.version, reason: 'New supplier' }),
      {
        id: pending.id,
        status: 'pending',
        version: pending.version,
      },
    );
  });

  it('answers a lost step on a document version with the version as the page shows it, and a lost document edit with the document', async () => {
    const doc = await ok(
      'POST',
      `${S}/documents`,
      manager,
      { type: 'policy', title: 'Clean desk policy', classification: 'internal', approverIds: [contributor.id], contentMd: '# Purpose\n' },
      201,
    );
    const v = doc.versions[0];
    const versionUrl = `${S}/documents/${doc.id}/versions/${v.id}`;
    const meanwhile = await conflict('claimVersionRow', () => call('POST', `${versionUrl}/submit`, manager, { version: v.version }), {
      id: v.id,
      status: 'draft',
      version: v.version,
    });
    expect(meanwhile.key).toBe('errors:recordChangedMeanwhile');
    await conflict('document_version', () => call('POST', `${versionUrl}/submit`, manager, { version: v.version }), {
      id: v.id,
      status: 'draft',
      version: v.version,
    });
    // changeVersionedRecord (shared/versioned-record.ts)
    await conflict('document', () => call('PATCH', `${S}/documents/${doc.id}`, manager, { version: doc.version, title: 'Desk policy' }), {
      id: doc.id,
      title: 'Clean desk policy',
      version: doc.version,
    });
  });

  it('answers a lost treatment edit, SoA submission or password change with the record as it is now', async () => {
    const risk = await ok(
      'POST',
      `${S}/risks`,
      manager,
      { title: 'Theft', ownerId: contributor.id, currentLikelihood: 3, currentImpact: 3 },
      201,
    );
    const treatmentUrl = `${S}/risks/${risk.id}/treatment`;
    const body = { option: 'modify', rationale: '' };
    const none = await call('PUT', treatmentUrl, contributor, { version: 1, ...body });
    expect(none.statusCode).toBe(409);
    expect(json(none).error).toMatchObject({ field: 'body.version', details: { current: null } });
    const v1 = await ok('PUT', treatmentUrl, contributor, { version: 0, ...body });
    await conflict('risk_treatment', () => call('PUT', treatmentUrl, contributor, { version: v1.version, ...body, rationale: 'mine' }), {
      id: v1.id,
      rationale: '',
      version: v1.version,
    });

    const catalogId = newId();
    await t.deps.db
      .insertInto('catalog')
      .values({
        id: catalogId,
        scope_id: scopeId,
        key: 'conflict-catalog',
        title: 'Conflict catalog',
        version: '1',
        source: 'oscal',
        oscal_uuid: null,
        published: null,
        requirement_count: 1,
        withdrawn_count: 0,
        imported_by: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    await t.deps.db
      .insertInto('catalog_requirement')
      .values({
        id: newId(),
        catalog_id: catalogId,
        identifier: 'c1',
        parent_identifier: null,
        kind: 'control',
        label: 'C1',
        title: 'Access control policy',
        statement: '',
        guidance: null,
        withdrawn: dialect === 'postgres' ? false : 0,
        depth: 0,
        sort_order: 0,
        params: null,
      })
      .execute();
    const soa = await ok('POST', `${S}/soa`, manager, { catalogId }, 201);
    await conflict('soa', () => call('POST', `${S}/soa/${soa.id}/submit`, manager, { version: soa.version }), {
      id: soa.id,
      status: 'draft',
      version: soa.version,
    });

    await conflict(
      'app_user',
      () => call('POST', '/api/auth/password', employee, { currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase 42' }),
      { id: employee.id, version: 1 },
    );
  });

  it('answers lost decisions, quiz answers, SoA approvals, revisions and reviews with the record as it is now', async () => {
    const risk = await ok(
      'POST',
      `${S}/risks`,
      manager,
      { title: 'Laptop theft', ownerId: contributor.id, currentLikelihood: 3, currentImpact: 2 },
      201,
    );
    const treatmentUrl = `${S}/risks/${risk.id}/treatment`;
    const v1 = await ok('PUT', treatmentUrl, contributor, {
      version: 0,
      option: 'modify',
      rationale: 'Encrypt and track',
      actions: [{ title: 'Encrypt disks', ownerId: contributor.id }],
      targetLikelihood: 1,
      targetImpact: 1,
    });
    await conflict('risk_treatment', () => call('POST', `${treatmentUrl}/decide`, contributor, { version: v1.version }), {
      id: v1.id,
      status: v1.status,
      version: v1.version,
    });

    const quiz = { passMark: 100, questions: [{ text: 'Lock your screen when leaving?', options: ['Yes', 'No'], correct: [0] }] };
    const course = await ok('POST', `${S}/courses`, manager, { title: 'Screen lock quiz', quiz }, 201);
    await ok('POST', `${S}/courses/${course.id}/targets`, manager, { targetType: 'person', targetValue: employee.id }, 201);
    const mine = (await ok('GET', '/api/me/trainings', employee)).items.find((i: { course: { id: string } }) => i.course.id === course.id);
    const questionId = mine.quiz.questions[0].id;
    await conflict(
      'training_assignment',
      () =>
        call('POST', `/api/me/trainings/${mine.id}/quiz`, employee, { version: mine.version, answers: [{ questionId, selected: [0] }] }),
      { id: mine.id, attempts: 0, completedAt: null, version: mine.version },
    );

    const catalogId = newId();
    await t.deps.db
      .insertInto('catalog')
      .values({
        id: catalogId,
        scope_id: scopeId,
        key: 'approval-catalog',
        title: 'Approval catalog',
        version: '1',
        source: 'oscal',
        oscal_uuid: null,
        published: null,
        requirement_count: 1,
        withdrawn_count: 0,
        imported_by: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    await t.deps.db
      .insertInto('catalog_requirement')
      .values({
        id: newId(),
        catalog_id: catalogId,
        identifier: 'c1',
        parent_identifier: null,
        kind: 'control',
        label: 'C1',
        title: 'Backup',
        statement: '',
        guidance: null,
        withdrawn: dialect === 'postgres' ? false : 0,
        depth: 0,
        sort_order: 0,
        params: null,
      })
      .execute();
    const soa = await ok('POST', `${S}/soa`, manager, { catalogId }, 201);
    const soaUrl = `${S}/soa/${soa.id}`;
    const [entry] = (await ok('GET', `${soaUrl}/entries`, manager)).items;
    await ok('PATCH', `${soaUrl}/entries/${entry.id}`, manager, {
      version: entry.version,
      applicable: false,
      justification: 'Out of scope',
    });
    const submitted = await ok('POST', `${soaUrl}/submit`, manager, { version: (await ok('GET', soaUrl, manager)).version });
    await conflict('soa', () => call('POST', `${soaUrl}/approve`, manager, { version: submitted.version }), {
      id: soa.id,
      status: 'submitted',
      version: submitted.version,
    });

    const doc = await ok(
      'POST',
      `${S}/documents`,
      manager,
      { type: 'policy', title: 'Backup policy', classification: 'internal', approverIds: [contributor.id], contentMd: '# Purpose\n' },
      201,
    );
    const versionUrl = `${S}/documents/${doc.id}/versions/${doc.versions[0].id}`;
    let v = await ok('POST', `${versionUrl}/submit`, manager, { version: doc.versions[0].version });
    v = await ok('POST', `${versionUrl}/approve`, contributor, { version: v.version, comment: 'Fine' });
    await ok('POST', `${versionUrl}/publish`, manager, { version: v.version });
    const published = await ok('GET', `${S}/documents/${doc.id}`, manager);
    expect(published.status).toBe('published');
    const expected = { id: doc.id, status: 'published', version: published.version };
    await conflict(
      'document',
      () => call('POST', `${S}/documents/${doc.id}/revise`, manager, { version: published.version, changeSummary: 'New backup site' }),
      expected,
    );
    await conflict(
      'document',
      () => call('POST', `${S}/documents/${doc.id}/review`, manager, { version: published.version, comment: 'Still right' }),
      expected,
    );
  });

  it('answers lost edits of users, risks, assets, opportunities, tasks, records and cadences with the record as it is now', async () => {
    const admin = await buildUser(t.deps, { isAdmin: true });
    await conflict('app_user', () => call('PATCH', `/api/users/${employee.id}`, admin, { version: 1, name: 'Renamed' }), {
      id: employee.id,
      name: 'An employee',
      version: 1,
    });
    const risk = await ok('POST', `${S}/risks`, manager, { title: 'Phishing' }, 201);
    await conflict('risk', () => call('PATCH', `${S}/risks/${risk.id}`, manager, { version: risk.version, title: 'Spear phishing' }), {
      id: risk.id,
      title: 'Phishing',
      version: risk.version,
    });
    const asset = await ok('POST', `${S}/assets`, manager, { name: 'Laptop', type: 'system' }, 201);
    await conflict('asset', () => call('PATCH', `${S}/assets/${asset.id}`, manager, { version: asset.version, name: 'Notebook' }), {
      id: asset.id,
      name: 'Laptop',
      version: asset.version,
    });
    const ofi = await ok('POST', `${S}/opportunities`, manager, { title: 'Single sign-on', benefit: 'Fewer passwords' }, 201);
    await conflict(
      'improvement_opportunity',
      () => call('PATCH', `${S}/opportunities/${ofi.id}`, manager, { version: ofi.version, status: 'planned' }),
      {
        id: ofi.id,
        status: 'proposed',
        version: ofi.version,
      },
    );
    const task = await ok('POST', `${S}/tasks`, manager, { title: 'Order badges', processKey: 'risk-assessment' }, 201);
    await conflict('task', () => call('PATCH', `${S}/tasks/${task.id}`, manager, { version: task.version, title: 'Order new badges' }), {
      id: task.id,
      title: 'Order badges',
      version: task.version,
    });
    const record = await ok(
      'POST',
      `${S}/records`,
      manager,
      {
        title: 'Visitor log 2009',
        processKey: 'records-control',
        storage: 'external',
        location: 'Archive room, box 3',
        retentionMonths: 12,
        retentionStartOn: '2010-01-15',
      },
      201,
    );
    await conflict(
      'controlled_record',
      () => call('POST', `${S}/records/${record.id}/dispose`, manager, { version: record.version, confirm: `DISPOSE ${record.reference}` }),
      { id: record.id, status: 'active', location: 'Archive room, box 3', version: record.version },
    );
    const processUrl = `${S}/processes/management-review/cadence`;
    const before = await ok('GET', processUrl, manager);
    const set = await ok('PUT', processUrl, manager, {
      version: before.version,
      rule: { frequency: 'monthly', interval: 6 },
      mode: 'fixed',
    });
    await conflict(
      'cadence',
      () => call('PUT', processUrl, manager, { version: set.version, rule: { frequency: 'yearly', interval: 1 }, mode: 'fixed' }),
      {
        rrule: set.rrule,
        version: set.version,
      },
    );
    const sourceUrl = `${S}/cadences/sources/risk-review`;
    const source = await ok('GET', sourceUrl, manager);
    const setSource = await ok('PUT', sourceUrl, manager, {
      version: source.version,
      rule: { frequency: 'monthly', interval: 6 },
      mode: 'after_completion',
    });
    await conflict(
      'cadence',
      () =>
        call('PUT', sourceUrl, manager, {
          version: setSource.version,
          rule: { frequency: 'yearly', interval: 1 },
          mode: 'after_completion',
        }),
      { rrule: setSource.rrule, version: setSource.version },
    );
  });
});
