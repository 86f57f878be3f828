import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDescription, up as migration0035 } from '../db/migrations/0035_task_description_key.ts';
import { translate } from '../i18n/i18n.ts';
import { acknowledgementReminderSweep, documentReviewSweep } from '../processes/policy-management/policy-management.sweeps.ts';
import {
  buildScope,
  buildUser,
  dialects,
  type HttpMethod,
  json,
  TestClock,
  type TestContext,
  type TestUser,
  createTestContext,
} from '../test/harness.ts';

const DAY = 86_400_000;

/**
 * What a system-made task asks (its description) is a catalog text with parameters, stored beside its English rendering
 * and worded for each reader: German for a reader whose account or request says German, English otherwise. A description
 * someone edits is shown as typed. Tasks written before are read back by migration 0035 where their sentence is one
 * Praxis wrote, and are shown as stored where it is not.
 */
describe.each(dialects)('task descriptions in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  let scopeId: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;
  /** an approver who reads English */
  let approver: TestUser;

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    approver = await buildUser(t.deps, { name: 'English Approver', memberships: [[scopeId, 'contributor']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const ok = async (method: HttpMethod, url: string, user: TestUser, payload?: object, status = 200, language?: string) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
      ...(payload && { payload }),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
    return json(res);
  };
  type Task = { id: string; reference: string; title: string; description: string; purpose: string | null; version: number };
  /** the scope's tasks (every status) as one reader sees them */
  const scopeTasks = async (user: TestUser, language?: string): Promise<Task[]> => {
    const pages = await Promise.all(
      ['active', 'done'].map((status) =>
        ok('GET', `/api/scopes/${scopeId}/tasks?status=${status}&pageSize=100`, user, undefined, 200, language),
      ),
    );
    return pages.flatMap((p) => p.items);
  };
  const myWork = async (user: TestUser): Promise<Task[]> => (await ok('GET', '/api/me/tasks?pageSize=100', user)).items;
  const stored = (id: string) =>
    t.deps.db
      .selectFrom('task')
      .select(['description', 'description_key', 'description_params'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const byId = (tasks: Task[], id: string) => tasks.find((x) => x.id === id)!;

  const docs = () => `/api/scopes/${scopeId}/documents`;
  let doc: { id: string; reference: string; versions: { id: string }[] };
  let approvalTask: Task;
  let triageTask: Task;

  it('an approval task: the German approver reads it in German in My work, the English approver in English', async () => {
    doc = await ok(
      'POST',
      docs(),
      manager,
      {
        type: 'policy',
        title: 'Information security policy',
        classification: 'internal',
        reviewCadenceMonths: 6,
        approverIds: [german.id, approver.id],
        contentMd: '# Purpose\n\nProtect information.\n',
      },
      201,
    );
    const url = `${docs()}/${doc.id}/versions/${doc.versions[0]!.id}`;
    const v = await ok('GET', url, manager);
    await ok('POST', `${url}/submit`, manager, { version: v.version });

    const mine = (await myWork(german)).filter((x) => x.purpose === `approve:${german.id}`);
    expect(mine).toHaveLength(1);
    approvalTask = mine[0]!;
    expect(approvalTask.description).toBe(
      'Prüfen Sie das Dokument (Richtlinie) und geben Sie es frei oder lehnen Sie es ab (ISO 27001 7.5.2).',
    );
    const theirs = (await myWork(approver)).find((x) => x.purpose === `approve:${approver.id}`)!;
    expect(theirs.description).toBe('Review the policy and approve or reject it (ISO 27001 7.5.2).');
    // stored: the English rendering (search, older readers) beside the key and its parameters
    expect(await stored(approvalTask.id)).toEqual({
      description: 'Review the policy and approve or reject it (ISO 27001 7.5.2).',
      description_key: 'tasks:description.approveVersion',
      description_params: JSON.stringify({ docType: 'policy' }),
    });
    // the same task in the scope's list, by the request's language
    expect(byId(await scopeTasks(manager, 'de-DE,de;q=0.9'), approvalTask.id).description).toBe(approvalTask.description);
    // the account's setting wins over the header
    expect(byId(await scopeTasks(german, 'en'), approvalTask.id).description).toBe(approvalTask.description);
    expect(byId(await scopeTasks(manager), approvalTask.id).description).toBe(theirs.description);
  });

  it('a hand-off task: the triage of a reported incident, in German and in English', async () => {
    const incident = await ok('POST', `/api/scopes/${scopeId}/incidents`, manager, { title: 'Laptop lost on a train' }, 201);
    const find = (tasks: Task[]) => tasks.find((x) => x.purpose === 'triage' && x.title.includes(incident.reference))!;
    triageTask = find(await scopeTasks(german));
    expect(triageTask.description).toBe(translate('de', 'tasks:description.triage'));
    expect(triageTask.description).toMatch(/^Klassifizieren Sie die Meldung: Kategorie, Schweregrad/);
    expect(find(await scopeTasks(manager)).description).toBe(
      'Classify the report: category, severity, C/I/A impact, personal data, NIS2 significance. Regulatory clocks may be running.',
    );
    expect((await stored(triageTask.id)).description_key).toBe('tasks:description.triage');
  });

  it('sweep tasks: a reminder to acknowledge and a document review due, with their dates in the reader’s words', async () => {
    // approved (one approval is enough in a small scope), published: everyone in the scope is to acknowledge it in 14 days
    const url = `${docs()}/${doc.id}/versions/${doc.versions[0]!.id}`;
    const v = await ok('POST', `${url}/approve`, german, { version: (await ok('GET', url, german)).version, comment: 'Passt' });
    await ok('POST', `${url}/publish`, manager, { version: v.version });

    clock.advance(15 * DAY); // 2026-03-17
    expect(await acknowledgementReminderSweep(t.deps)).toBeGreaterThanOrEqual(1);
    const reminder = (await myWork(german)).find((x) => x.purpose === `acknowledge:${german.id}`)!;
    expect(reminder.description).toBe('Dieses Dokument war bis zum 16.03.2026 zu lesen und zu bestätigen.');
    const theirs = (await myWork(approver)).find((x) => x.purpose === `acknowledge:${approver.id}`)!;
    expect(theirs.description).toBe('This document was due to be read and acknowledged by Mar 16, 2026.');

    // the review is due six months after publication; the task comes 30 days ahead
    clock.advance(140 * DAY); // 2026-08-04
    expect(await documentReviewSweep(t.deps)).toBe(1);
    const find = (tasks: Task[]) => tasks.find((x) => x.purpose === 'review')!;
    const review = find(await scopeTasks(german));
    expect(review.description).toBe(
      `Die planmäßige Überprüfung von ${doc.reference} ist am 02.09.2026 fällig. Prüfen Sie das Dokument und überarbeiten Sie es ` +
        'oder bestätigen Sie, wenn sich nichts ändern muss, die Überprüfung am Dokument (ISO 27001 A.5.1).',
    );
    expect(find(await scopeTasks(manager)).description).toBe(
      `The planned review of ${doc.reference} is due on Sep 2, 2026. Review it and either revise it or, if nothing needs to ` +
        'change, confirm the review on the document (ISO 27001 A.5.1).',
    );
  });

  it('a description someone edits stays as typed, for German and English readers alike; a title edit leaves it generated', async () => {
    const base = `/api/scopes/${scopeId}/tasks/${triageTask.id}`;
    const current = byId(await scopeTasks(manager), triageTask.id);
    // a new title only: the description is still Praxis's own, worded for each reader
    const retitled = await ok('PATCH', base, german, { version: current.version, title: 'Sichtung Laptop' });
    expect(retitled.description).toBe(triageTask.description);
    expect((await stored(triageTask.id)).description_key).toBe('tasks:description.triage');

    const edited = await ok('PATCH', base, german, { version: retitled.version, description: 'Bitte bis Freitag mit der IT klären.' });
    expect(edited.description).toBe('Bitte bis Freitag mit der IT klären.');
    expect(await stored(triageTask.id)).toEqual({
      description: 'Bitte bis Freitag mit der IT klären.',
      description_key: null,
      description_params: null,
    });
    expect(byId(await scopeTasks(manager), triageTask.id).description).toBe('Bitte bis Freitag mit der IT klären.');
    expect(byId(await scopeTasks(german), triageTask.id).description).toBe('Bitte bis Freitag mit der IT klären.');

    // a task made by hand keeps its words too
    const made = await ok(
      'POST',
      `/api/scopes/${scopeId}/tasks`,
      german,
      {
        title: 'Firewall rules',
        description: 'Review the rules.',
        processKey: 'control-implementation',
      },
      201,
    );
    expect(made.description).toBe('Review the rules.');
    expect((await stored(made.id)).description_key).toBeNull();
  });

  it('migration 0035 reads back the sentences Praxis wrote, and leaves any other description as stored', async () => {
    const tasks = await scopeTasks(manager);
    const review = tasks.find((x) => x.purpose === 'review')!;
    const reminder = tasks.find((x) => x.purpose === `acknowledge:${german.id}`)!;
    const other = tasks.find((x) => x.purpose === `acknowledge:${approver.id}`)!;
    const handMade = tasks.find((x) => x.title === 'Firewall rules')!;

    // the database as before 0035: no key columns, the descriptions as the services wrote them then
    await sql`alter table task drop column description_key`.execute(t.deps.db);
    await sql`alter table task drop column description_params`.execute(t.deps.db);
    const old = async (id: string, text: string) => sql`update task set description = ${text} where id = ${id}`.execute(t.deps.db);
    const oldReview = `The planned review of ${doc.reference} is due on 2026-09-02. Review it and either revise it or, if nothing needs to change, confirm the review on the document (ISO 27001 A.5.1).`;
    await old(review.id, oldReview);
    await old(approvalTask.id, 'Review the policy and approve or reject it (ISO 27001 7.5.2).');
    await old(reminder.id, 'This document was due to be read and acknowledged by 2026-03-16.');
    // not a sentence Praxis wrote (a document type it does not know): kept as it is
    await old(other.id, 'Review the memo and approve or reject it (ISO 27001 7.5.2).');
    // a task made by hand whose words happen to read like Praxis's: a person's words, never converted
    await old(handMade.id, 'This document was due to be read and acknowledged by 2026-03-16.');

    await migration0035(t.deps.db, dialect);

    const de = await scopeTasks(german);
    const en = await scopeTasks(manager);
    expect(byId(de, review.id).description).toBe(
      `Die planmäßige Überprüfung von ${doc.reference} ist am 02.09.2026 fällig. Prüfen Sie das Dokument und überarbeiten Sie es ` +
        'oder bestätigen Sie, wenn sich nichts ändern muss, die Überprüfung am Dokument (ISO 27001 A.5.1).',
    );
    expect(byId(en, review.id).description).toBe(
      `The planned review of ${doc.reference} is due on Sep 2, 2026. Review it and either revise it or, if nothing needs to ` +
        'change, confirm the review on the document (ISO 27001 A.5.1).',
    );
    expect(await stored(review.id)).toEqual({
      description: oldReview,
      description_key: 'tasks:description.reviewDocument',
      description_params: JSON.stringify({ documentRef: doc.reference, dueOn: '2026-09-02' }),
    });
    expect(byId(de, approvalTask.id).description).toBe(
      'Prüfen Sie das Dokument (Richtlinie) und geben Sie es frei oder lehnen Sie es ab (ISO 27001 7.5.2).',
    );
    expect(byId(de, reminder.id).description).toBe('Dieses Dokument war bis zum 16.03.2026 zu lesen und zu bestätigen.');
    expect(byId(de, other.id).description).toBe('Review the memo and approve or reject it (ISO 27001 7.5.2).');
    expect(await stored(other.id)).toMatchObject({ description_key: null, description_params: null });
    expect(byId(de, handMade.id).description).toBe('This document was due to be read and acknowledged by 2026-03-16.');
    expect(await stored(handMade.id)).toMatchObject({ description_key: null });
    // the task edited by hand before keeps its words
    expect(byId(de, triageTask.id).description).toBe('Bitte bis Freitag mit der IT klären.');
  });
});

describe('reading back old task descriptions (migration 0035)', () => {
  const cases: [string, string, Record<string, string | number>][] = [
    ['Review the consequences and approve or reject CHG-0003.', 'tasks:description.decideChange', { changeRef: 'CHG-0003' }],
    [
      'Implementation of CHG-0003 Move the mail server',
      'tasks:description.implementChange',
      { changeRef: 'CHG-0003', title: 'Move the mail server' },
    ],
    [
      'Review and approve the Statement of Applicability "SoA 2026" (ISO/IEC 27001 6.1.3 d).',
      'tasks:description.approveSoa',
      { title: 'SoA 2026' },
    ],
    [
      'The acceptance ACC-0001 of the residual risk of RSK-0002 (level Medium) expires on 2026-05-01. Re-assess the risk, then accept it again, or decide its treatment (ISO 27001 6.1.3 f, 8.2).',
      'tasks:description.rereviewRisk',
      { acceptanceRef: 'ACC-0001', riskRef: 'RSK-0002', levelLabel: 'Medium', expiresOn: '2026-05-01' },
    ],
    [
      'RSK-0001 was evaluated as "High" (likelihood 3 × impact 4), above the risk acceptance criteria: only management may accept it as it is. Choose a treatment option and the controls it needs, plan the treatment, or obtain acceptance of the residual risk (ISO 27001 6.1.3, 8.3).',
      'tasks:description.treatRiskByManagement',
      { riskRef: 'RSK-0001', levelLabel: 'High', likelihood: 3, impact: 4 },
    ],
    [
      'The protection need of AST-0001 (confidentiality, availability) was raised to "very high". Re-assess the risks to this asset (ISO 27001 8.2).',
      'tasks:description.reassessAsset',
      { assetRef: 'AST-0001', criteria: 'confidentiality,availability' },
    ],
    [
      'A lesson learned from INC-0001 entered the risk register as RSK-0009. Analyse and evaluate it (ISO 27001 6.1.2, 8.2).\n\nLaptops lack encryption',
      'tasks:description.assessRiskFromIncidentWithDetails',
      { incidentRef: 'INC-0001', riskRef: 'RSK-0009', details: 'Laptops lack encryption' },
    ],
    [
      'The retention period of REC-0001 (24 months from 2023-01-01) ended on 2025-01-01. Review it and dispose of it from the disposal queue, or set a legal hold.',
      'tasks:description.disposeRecord',
      { recordRef: 'REC-0001', count: 24, startOn: '2023-01-01', endsOn: '2025-01-01' },
    ],
    [
      'RTR-0001 selected CTL-0001 to treat RSK-0001 Account takeover. Control objectives: MFA; logging. Implement the control and record its evidence (ISO 27001 6.1.3, 8.3).',
      'tasks:description.implementControlWithObjectives',
      { treatmentRef: 'RTR-0001', controlRef: 'CTL-0001', riskRef: 'RSK-0001', riskTitle: 'Account takeover', objectives: 'MFA; logging' },
    ],
    ['Corrective action for NC-0001 (ISO 27001 10.2)', 'tasks:description.correctiveAction', { ncRef: 'NC-0001' }],
    [
      'Resource decision decided by the management review MR-0001 (ISO 27001 9.3.3).',
      'tasks:description.reviewDecision',
      { kind: 'resource', reviewRef: 'MR-0001' },
    ],
    [
      'Patch latency measured 12.5 days on 2026-03-01: in breach of the threshold 10 (target 5). Analyse the cause, then raise a nonconformity or an opportunity for improvement, or close the analysis with a note (ISO 27001 9.1).',
      'tasks:description.analyseBreachWithUnit',
      { name: 'Patch latency', value: 12.5, measureUnit: 'days', measuredOn: '2026-03-01', breachAt: 10, target: 5 },
    ],
    [
      'TSK-0004 is overdue by 14 days or more and still open (assigned to nobody). It was escalated to the process owner before; as a manager, see that it gets done.',
      'cadences:description.escalation.managersUnassigned',
      { taskRef: 'TSK-0004', count: 14 },
    ],
  ];

  it.each(cases)('reads %j as its key and parameters, and words it in German', (text, key, params) => {
    expect(parseTaskDescription(text)).toEqual({ key, params });
    const german = translate('de', key, params);
    expect(german).not.toBe(translate('en', key, params));
    expect(german.length).toBeGreaterThan(10);
  });

  it('leaves texts it cannot read back exactly as they are', () => {
    for (const text of [
      'Please call the auditor',
      // a version number missing: the sentence would not render back the same
      'The approved change CHG-0001 "New VPN" affects this document. Revise version  and send it for approval (ISO 27001 7.5.3).',
      // the escalation of a task without a reference
      'The planned task is overdue by 7 days or more and still open (assigned to nobody). As the process owner, see that it gets done.',
      'Review the consequences and approve or reject CHG-0003',
      'The protection need of AST-0001 (secrecy) was raised to "very high". Re-assess the risks to this asset (ISO 27001 8.2).',
    ]) {
      expect(parseTaskDescription(text), text).toBeNull();
    }
  });
});
