import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNote, up as migration0037 } from '../db/migrations/0037_completion_note_key.ts';
import {
  buildScope,
  dialects,
  type HttpMethod,
  json,
  TestClock,
  type TestContext,
  type TestUser,
  createTestContext,
} from '../test/harness.ts';
import { openWorkTx, settleWorkTx } from './work.ts';

/**
 * What completed or cancelled a task (its completion note) and settled its hand-off (the ledger's note) is a catalog text
 * with parameters, stored beside its English rendering and worded for each reader. Notes written before are read back by
 * migration 0037 where their sentence is one Praxis wrote, and shown as stored where it is not.
 */
describe.each(dialects)('completion and hand-off notes in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  let scopeId: string;
  let manager: TestUser;

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
  });
  afterAll(async () => t?.close());

  const ok = async (method: HttpMethod, url: string, language: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...manager.headers, 'accept-language': language },
      ...(payload && { payload }),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return json(res);
  };
  type Task = { id: string; reference: string; completionNote: string | null; version: number };
  const doneTasks = async (language: string): Promise<Task[]> =>
    (await ok('GET', `/api/scopes/${scopeId}/tasks?status=done&pageSize=100`, language)).items;
  type Handoff = { work: { recordId: string }; note: string | null };
  const doneHandoffs = async (language: string): Promise<Handoff[]> =>
    (await ok('GET', `/api/scopes/${scopeId}/handoffs?state=done&pageSize=100`, language)).items;

  /** a task for a record, delivered along an edge, settled by Praxis with a note */
  async function settled(recordId: string, note: Parameters<typeof settleWorkTx>[3]['note']) {
    return t.deps.db.transaction().execute(async (tx) => {
      const { task } = await openWorkTx(tx, t.deps, null, {
        scopeId,
        processKey: 'risk-assessment',
        purpose: 'assess',
        title: { key: 'tasks:title.triage', params: { ref: recordId } },
        description: 'Assess it',
        assigneeId: null,
        dueOn: null,
        origin: { processKey: 'incident-management', recordType: 'incident', recordId, recordRef: recordId },
        handoff: {
          from: 'incident-management',
          to: 'risk-assessment',
          event: 'lesson',
          source: { type: 'incident', id: recordId, ref: recordId },
        },
      });
      await settleWorkTx(tx, t.deps, null, { scopeId, recordType: 'incident', recordId, outcome: 'done', note });
      return task;
    });
  }

  it('a note Praxis wrote reads in German for a German reader, in English for an English one, on the task and its hand-off', async () => {
    const task = await settled('INC-0042', {
      key: 'tasks:note.incidentTriaged',
      params: { incidentRef: 'INC-0042', name: 'Erika Mustermann' },
    });
    expect((await doneTasks('de')).find((x) => x.id === task.id)!.completionNote).toBe('INC-0042 wurde von Erika Mustermann gesichtet');
    expect((await doneTasks('en')).find((x) => x.id === task.id)!.completionNote).toBe('INC-0042 was triaged by Erika Mustermann');
    expect((await doneHandoffs('de')).find((h) => h.work.recordId === task.id)!.note).toBe('INC-0042 wurde von Erika Mustermann gesichtet');
    expect((await doneHandoffs('en')).find((h) => h.work.recordId === task.id)!.note).toBe('INC-0042 was triaged by Erika Mustermann');
    const row = await t.deps.db
      .selectFrom('task')
      .select(['completion_note', 'completion_note_key', 'completion_note_params'])
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      completion_note: 'INC-0042 was triaged by Erika Mustermann',
      completion_note_key: 'tasks:note.incidentTriaged',
      completion_note_params: JSON.stringify({ incidentRef: 'INC-0042', name: 'Erika Mustermann' }),
    });
  });

  it('a note whose parameter is a text of its own reads wholly in German', async () => {
    const task = await settled('INC-0043', {
      key: 'tasks:note.acceptanceEnded',
      params: {
        acceptanceRef: 'ACC-0001',
        riskRef: 'RSK-0001',
        reason: { key: 'tasks:note.riskAssessed', params: { riskRef: 'RSK-0001', name: 'Erika' } },
      },
    });
    const note = (await doneTasks('de')).find((x) => x.id === task.id)!.completionNote;
    expect(note).toBe('ACC-0001 von RSK-0001 ist beendet: RSK-0001 wurde von Erika beurteilt');
    expect((await doneTasks('en')).find((x) => x.id === task.id)!.completionNote).toBe(
      'ACC-0001 of RSK-0001 ended: RSK-0001 was assessed by Erika',
    );
  });

  it('a task marked done by hand: the note names who did it, in the reader’s language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/tasks`,
      headers: manager.headers,
      payload: { title: 'Check the firewall', processKey: 'control-implementation' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const task = json(res);
    await ok('PATCH', `/api/scopes/${scopeId}/tasks/${task.id}`, 'en', { version: task.version, status: 'done' });
    expect((await doneTasks('de')).find((x) => x.id === task.id)!.completionNote).toBe(`Von ${manager.name} als erledigt markiert`);
    expect((await doneTasks('en')).find((x) => x.id === task.id)!.completionNote).toBe(`Marked done by ${manager.name}`);
  });

  it('migration 0037 reads back the notes Praxis wrote, and leaves any other note as stored', async () => {
    const read = await settled('INC-0044', { key: 'tasks:note.incidentClosed', params: { incidentRef: 'INC-0044' } });
    const typed = await settled('INC-0045', { key: 'tasks:note.incidentClosed', params: { incidentRef: 'INC-0045' } });
    // the database as before 0037: no key columns, the notes as the services wrote them then
    await sql`alter table task drop column completion_note_key`.execute(t.deps.db);
    await sql`alter table task drop column completion_note_params`.execute(t.deps.db);
    await sql`alter table handoff drop column note_key`.execute(t.deps.db);
    await sql`alter table handoff drop column note_params`.execute(t.deps.db);
    await sql`update task set completion_note = ${'INC-0044 was triaged by Erika Mustermann'} where id = ${read.id}`.execute(t.deps.db);
    await sql`update handoff set note = ${'INC-0044 was triaged by Erika Mustermann'} where work_record_id = ${read.id}`.execute(t.deps.db);
    await sql`update task set completion_note = ${'Closed after the call with the supplier'} where id = ${typed.id}`.execute(t.deps.db);

    await migration0037(t.deps.db, dialect);

    const de = await doneTasks('de');
    expect(de.find((x) => x.id === read.id)!.completionNote).toBe('INC-0044 wurde von Erika Mustermann gesichtet');
    expect((await doneHandoffs('de')).find((h) => h.work.recordId === read.id)!.note).toBe('INC-0044 wurde von Erika Mustermann gesichtet');
    expect(de.find((x) => x.id === typed.id)!.completionNote).toBe('Closed after the call with the supplier');
    const keys = await t.deps.db
      .selectFrom('task')
      .select(['id', 'completion_note_key', 'completion_note_params'])
      .where('id', 'in', [read.id, typed.id])
      .execute();
    expect(keys.find((k) => k.id === read.id)).toMatchObject({
      completion_note_key: 'tasks:note.incidentTriaged',
      completion_note_params: JSON.stringify({ incidentRef: 'INC-0044', name: 'Erika Mustermann' }),
    });
    expect(keys.find((k) => k.id === typed.id)).toMatchObject({ completion_note_key: null, completion_note_params: null });
    // the rows written with their keys are read back too
    expect(de.find((x) => x.completionNote === 'INC-0042 wurde von Erika Mustermann gesichtet')).toBeDefined();
  });
});

describe('reading back old notes (migration 0037)', () => {
  it('reads the sentences Praxis wrote with their parameters', () => {
    expect(parseNote('INC-0004 was triaged by Erika Mustermann')).toEqual({
      key: 'tasks:note.incidentTriaged',
      params: { incidentRef: 'INC-0004', name: 'Erika Mustermann' },
    });
    expect(parseNote('POL-0002 v3 was approved by Max')).toEqual({
      key: 'tasks:note.versionApproved',
      params: { documentRef: 'POL-0002', versionNo: '3', name: 'Max' },
    });
    expect(parseNote('TSK-0007 was completed')).toEqual({ key: 'cadences:note.occurrenceDone', params: { taskRef: 'TSK-0007' } });
  });

  it('leaves texts it cannot read back as they are', () => {
    expect(parseNote('Done after the workshop')).toBeNull();
    // a reference is one word
    expect(parseNote('the old firewall was deleted')).toBeNull();
  });
});
