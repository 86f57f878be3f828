import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showAuditValue } from '../../../web/src/features/audit/audit-words.ts';
import { auditWordsIn } from '../audit/audit-words.ts';
import { english, type Text } from '../i18n/i18n.ts';
import { buildScope, createTestContext, dialects, json, TestClock, type TestContext, type TestUser } from '../test/harness.ts';
import { openWorkTx, settleWorkTx } from '../work/work.ts';
import { dayOf, up as migration0041, parseCodedNote } from './migrations/0041_coded_note_key.ts';

/**
 * Notes whose sentence words a code or a date (a treatment option, a notification regime, a review date moved) were
 * kept as English by migration 0037; migration 0041 reads them back to their key and parameters, the code and the day
 * included, where they render back to the very same text, so that each reader sees them in their language.
 */
const notes: { text: Text; de: string }[] = [
  {
    text: { key: 'tasks:note.treatmentDecided', params: { treatmentRef: 'RTR-0001', option: 'modify', name: 'Erika Mustermann' } },
    de: 'Über RTR-0001 wurde von Erika Mustermann entschieden: Risiko verändern',
  },
  {
    text: { key: 'tasks:note.opportunityDecided', params: { ref: 'OFI-0002', status: 'planned', name: 'Max Muster' } },
    de: 'OFI-0002 ist geplant (Max Muster)',
  },
  {
    text: {
      key: 'tasks:note.notificationRecorded',
      params: { incidentRef: 'INC-0003', regime: 'nis2_early_warning', recipient: 'BSI', name: 'Erika Mustermann' },
    },
    de: 'INC-0003: Frühwarnung nach Art. 23 NIS2 (24 Stunden) von Erika Mustermann als an BSI gesendet erfasst',
  },
  {
    text: { key: 'cadences:note.reviewMoved', params: { dueOn: '2026-09-01' } },
    de: 'Der Überprüfungstermin wurde auf den 01.09.2026 verschoben',
  },
  {
    text: { key: 'tasks:note.retentionExtended', params: { recordRef: 'REC-0004', endsOn: '2031-12-31', name: 'Max Muster' } },
    de: 'Die Aufbewahrung von REC-0004 endet jetzt am 31.12.2031 (Max Muster)',
  },
  {
    text: { key: 'measures:note.analysed.nonconformity', params: { measureRef: 'KPI-0005', name: 'Erika Mustermann' } },
    de: 'KPI-0005 wurde von Erika Mustermann analysiert: eine Nichtkonformität wurde erfasst',
  },
  {
    text: { key: 'measures:note.analysed.opportunity', params: { measureRef: 'KPI-0006', name: 'Erika Mustermann' } },
    de: 'KPI-0006 wurde von Erika Mustermann analysiert: ein Verbesserungspotenzial wurde erfasst',
  },
];

describe('reading back notes that word a code or a date (migration 0041)', () => {
  it('reads each note back to its key, its code and its day', () => {
    for (const { text } of notes) expect(parseCodedNote(english(text)), english(text)).toEqual(text);
  });

  it('leaves words it cannot read back exactly as they are', () => {
    expect(parseCodedNote('RTR-0001 was decided by Erika: transfer the risk')).toBeNull();
    expect(parseCodedNote('The review date moved to Feb 30, 2026')).toBeNull();
    expect(parseCodedNote('The review date moved to 2026-03-01')).toBeNull();
    // the recipient and the name cannot be told apart
    expect(parseCodedNote('INC-0003: NIS2 Art. 23 early warning (24 hours) recorded as sent to Stand by Me by Max')).toBeNull();
    expect(parseCodedNote('Done after the workshop')).toBeNull();
    expect(dayOf('Sep 30, 2026')).toBe('2026-09-30');
  });
});

describe.each(dialects)('notes that word a code or a date, read back by migration 0041, on %s', (dialect) => {
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

  type Task = { id: string; completionNote: string | null };
  const doneTasks = async (language: string): Promise<Task[]> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/tasks?status=done&pageSize=100`,
      headers: { ...manager.headers, 'accept-language': language },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return json(res).items;
  };
  type Handoff = { work: { recordId: string }; note: string | null };
  const doneHandoffs = async (language: string): Promise<Handoff[]> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/handoffs?state=done&pageSize=100`,
      headers: { ...manager.headers, 'accept-language': language },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return json(res).items;
  };

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

  it('a note written since reads in German for a German reader', async () => {
    const task = await settled('INC-0101', notes[0]!.text);
    expect((await doneTasks('de')).find((x) => x.id === task.id)!.completionNote).toBe(notes[0]!.de);
  });

  it('the audit trail keeps the note as its key and parameters, and a German history view words it, the code, the day and a built-in level included', async () => {
    const history = async (taskId: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit?recordId=${taskId}`, headers: manager.headers });
      expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
      const entry = (json(res).items as { changes: Record<string, { to?: unknown }> }[]).find((e) => e.changes.completionNote);
      return showAuditValue(auditWordsIn('de', []), 'task', 'completionNote', entry!.changes.completionNote!.to).text;
    };
    const moved = await settled('INC-0102', { key: 'cadences:note.reviewMoved', params: { dueOn: '2026-09-01' } });
    // the day in the history view's format for days
    expect(await history(moved.id)).toBe('Der Überprüfungstermin wurde auf den 1. Sept. 2026 verschoben');
    const raised = await settled('INC-0103', {
      key: 'tasks:note.acceptanceEnded',
      params: {
        acceptanceRef: 'ACC-0001',
        riskRef: 'RSK-0001',
        reason: { key: 'tasks:acceptanceEnd.raised', params: { riskRef: 'RSK-0001', level: 'high', levelLabel: 'High' } },
      },
    });
    expect(await history(raised.id)).toBe('ACC-0001 von RSK-0001 ist beendet: RSK-0001 wurde auf einer höheren Stufe neu bewertet (Hoch)');
  });

  it('gives old English notes their key, code and day, and leaves a note it cannot read back as written', async () => {
    const tasks: { id: string }[] = [];
    for (const [i, n] of notes.entries()) tasks.push(await settled(`INC-02${String(i).padStart(2, '0')}`, n.text));
    const typed = await settled('INC-0299', notes[0]!.text);
    const unread = await settled('INC-0298', notes[0]!.text);
    // the database as 0037 left it: these notes as English without their key
    const ids = [...tasks.map((x) => x.id), typed.id, unread.id];
    await sql`update task set completion_note_key = null, completion_note_params = null where id in (${sql.join(ids)})`.execute(t.deps.db);
    await sql`update handoff set note_key = null, note_params = null where work_record_id in (${sql.join(ids)})`.execute(t.deps.db);
    await sql`update task set completion_note = ${'Decided in the workshop'} where id = ${typed.id}`.execute(t.deps.db);
    // an option the catalog never had: not read back
    await sql`update task set completion_note = ${'RTR-0001 was decided by Erika: transfer the risk'} where id = ${unread.id}`.execute(
      t.deps.db,
    );

    await migration0041(t.deps.db, dialect);

    const de = await doneTasks('de');
    const handoffs = await doneHandoffs('de');
    for (const [i, n] of notes.entries()) {
      expect(de.find((x) => x.id === tasks[i]!.id)!.completionNote).toBe(n.de);
      expect(handoffs.find((h) => h.work.recordId === tasks[i]!.id)!.note).toBe(n.de);
    }
    expect(de.find((x) => x.id === typed.id)!.completionNote).toBe('Decided in the workshop');
    expect(de.find((x) => x.id === unread.id)!.completionNote).toBe('RTR-0001 was decided by Erika: transfer the risk');
    const rows = await t.deps.db
      .selectFrom('task')
      .select(['id', 'completion_note_key', 'completion_note_params'])
      .where('id', 'in', [tasks[3]!.id, typed.id, unread.id])
      .execute();
    expect(rows.find((r) => r.id === tasks[3]!.id)).toMatchObject({
      completion_note_key: 'cadences:note.reviewMoved',
      completion_note_params: JSON.stringify({ dueOn: '2026-09-01' }),
    });
    expect(rows.find((r) => r.id === typed.id)).toMatchObject({ completion_note_key: null, completion_note_params: null });
    expect(rows.find((r) => r.id === unread.id)).toMatchObject({ completion_note_key: null, completion_note_params: null });
  });
});
