import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditWords, recordRefWords, showAuditValue, withRecords } from '../../../web/src/features/audit/audit-words.ts';
import { createScopeContext, dialects, requester, type TestContext, type TestUser } from '../test/harness.ts';
import { newId } from '../shared/ids.ts';
import { exportTrail } from './audit-export.ts';
import type { NamedRecord } from './audit-records.ts';
import { auditWordsIn } from './audit-words.ts';
import { appendAudit } from './audit.service.ts';
import type { Changes } from './audit-hash.ts';

/*
 * What Praxis composes for the audit trail is written as codes and structured values that the history views word in
 * the reader's language: a treatment's actions, a management review's commentary and decisions, a nonconformity's
 * effectiveness result, the level an acceptance accepts, an ISMS cycle's number, the records a field names by
 * reference, and a task's completion note (its key and parameters). Entries written before, as English sentences,
 * keep reading (by their pattern where they have one, else as written). Each is written through the API and read back
 * as a German reader sees it: the audit list's entry worded by the web's audit-words.ts, and `praxis audit export`'s
 * trail.de.txt.
 */

interface Entry {
  action: string;
  recordType: string;
  recordRef: string | null;
  changes: Changes;
  records: NamedRecord[];
}

describe.each(dialects)('values the audit trail words for the reader on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let dir: string;
  const { ok } = requester(() => t);
  const api = (tail: string) => `/api/scopes/${scopeId}${tail}`;

  /** the newest entry of a record type (with a field, if given), as the audit list gives it */
  const entryOf = async (recordType: string, field?: string): Promise<Entry> => {
    const page = await ok('GET', api(`/audit?recordType=${recordType}&pageSize=100`), manager);
    const entry = (page.items as Entry[]).find((e) => !field || field in e.changes);
    expect(entry, `${recordType} ${field ?? ''}`).toBeDefined();
    return entry!;
  };
  /** German words with the scope's people and risk levels, and the records the entry names */
  const german = (e: Entry): AuditWords => {
    const w = withRecords(auditWordsIn('de', [[manager.id, manager.name]]), e.records);
    return { ...w, levels: new Map([['medium', 'Mittel']]) };
  };
  const shown = (e: Entry, field: string, side: 'from' | 'to' = 'to') =>
    showAuditValue(german(e), e.recordType, field, e.changes[field]?.[side]);
  /** an entry as an older release wrote it */
  const oldEntry = (recordType: string, recordRef: string, changes: Changes) =>
    t.deps.db.transaction().execute((tx) =>
      appendAudit(tx, t.deps, manager.actor, {
        scopeId,
        action: recordType === 'risk_acceptance' ? 'end' : 'update',
        recordType,
        recordId: newId(),
        recordRef,
        changes,
      }),
    );
  let trail = '';
  const trailDe = async () => {
    if (trail) return trail;
    const out = path.join(dir, 'de');
    await exportTrail(t.deps, out, 'de');
    trail = fs.readFileSync(path.join(out, 'trail.de.txt'), 'utf8');
    return trail;
  };

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-audit-values-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes a treatment's actions as their fields and a completion note as its key, both worded in German", async () => {
    const risk = await ok(
      'POST',
      api('/risks'),
      manager,
      { title: 'Account takeover', ownerId: manager.id, currentLikelihood: 3, currentImpact: 3 },
      201,
    );
    await ok('PUT', api(`/risks/${risk.id}/treatment`), manager, {
      version: 0,
      option: 'avoid',
      rationale: 'Stop the service',
      objectives: [],
      controls: [],
      actions: [{ title: 'Switch the portal off', ownerId: manager.id, dueOn: '2026-12-28' }],
      targetLikelihood: 1,
      targetImpact: 1,
    });
    const created = await entryOf('risk_treatment', 'actions');
    expect(created.changes.actions!.to).toEqual([
      { title: 'Switch the portal off', status: 'open', ownerId: manager.id, dueOn: '2026-12-28' },
    ]);
    expect(shown(created, 'actions').text).toBe(
      `Titel: Switch the portal off · Status: Offen · Verantwortlich: ${manager.name} · Fälligkeitsdatum: 28. Dez. 2026`,
    );

    // deciding it settles the owner's treatment task with a note that names the option by its code
    await ok('POST', api(`/risks/${risk.id}/treatment/decide`), manager, { version: 1 });
    const settled = (await ok('GET', api('/audit?recordType=task&pageSize=100'), manager)).items.find(
      (e: Entry) => e.changes.completionNote,
    ) as Entry;
    expect(settled.changes.completionNote!.to).toEqual({
      key: 'tasks:note.treatmentDecided',
      params: { treatmentRef: 'TRT-0001', option: 'avoid', name: manager.name },
    });
    expect(shown(settled, 'completionNote').text).toBe(`Über TRT-0001 wurde von ${manager.name} entschieden: Risiko vermeiden`);
    expect(await trailDe()).toContain(`Abschlussvermerk: — → Über TRT-0001 wurde von ${manager.name} entschieden: Risiko vermeiden`);
  });

  it('still reads actions and notes entries wrote before as English sentences', async () => {
    await oldEntry('risk_treatment', 'TRT-0009', {
      actions: { from: [], to: ['Encrypt disks [in_progress] Erika Mustermann due 2026-12-28', 'Buy a safe [done]', 'Odd text'] },
    });
    await oldEntry('task', 'TSK-0099', { completionNote: { from: null, to: 'TRT-0009 was decided by Erika Mustermann: share the risk' } });
    const actions = await entryOf('risk_treatment', 'actions');
    expect(shown(actions, 'actions').text).toBe(
      'Encrypt disks (In Bearbeitung, Erika Mustermann, fällig am 28. Dez. 2026), Buy a safe (Erledigt), Odd text',
    );
    const note = await entryOf('task', 'completionNote');
    expect(shown(note, 'completionNote').text).toBe('Über TRT-0009 wurde von Erika Mustermann entschieden: Risiko teilen');
  });

  it('words a nested text of a note (why an acceptance ended) and a day a note names', async () => {
    const w = auditWordsIn('de', []);
    const note = (value: unknown) => showAuditValue(w, 'task', 'completionNote', value).text;
    expect(
      note({
        key: 'tasks:note.acceptanceEnded',
        params: {
          acceptanceRef: 'ACC-0001',
          riskRef: 'RSK-0001',
          reason: { key: 'tasks:acceptanceEnd.expired', params: { expiresOn: '2026-05-01' } },
        },
      }),
    ).toBe('ACC-0001 von RSK-0001 ist beendet: abgelaufen am 1. Mai 2026');
    expect(note({ key: 'cadences:note.reviewMoved', params: { dueOn: '2026-09-01' } })).toBe(
      'Der Überprüfungstermin wurde auf den 1. Sept. 2026 verschoben',
    );
    expect(
      note({
        key: 'tasks:note.notificationRecorded',
        params: { incidentRef: 'INC-0003', regime: 'nis2_early_warning', recipient: 'BSI', name: 'Max' },
      }),
    ).toBe('INC-0003: Frühwarnung nach Art. 23 NIS2 (24 Stunden) von Max als an BSI gesendet erfasst');
  });

  it("writes a management review's commentary and decisions as structured values, worded and linked in German", async () => {
    const chair = manager;
    let r = await ok(
      'POST',
      api('/reviews'),
      manager,
      {
        title: 'Management review 2026',
        chairId: chair.id,
        plannedOn: '2026-03-02',
        periodFrom: '2026-01-01',
        attendeeIds: [],
      },
      201,
    );
    r = await ok('PATCH', api(`/reviews/${r.id}`), manager, { version: r.version, commentary: { issues: 'New supplier for hosting' } });
    const commented = await entryOf('management_review', 'commentary');
    expect(commented.changes.commentary!.to).toEqual({ issues: 'New supplier for hosting' });
    expect(shown(commented, 'commentary').text).toBe('b) Veränderungen bei externen und internen Themen: New supplier for hosting');

    r = await ok('POST', api(`/reviews/${r.id}/transition`), manager, { version: r.version, to: 'compiled' });
    r = await ok('PATCH', api(`/reviews/${r.id}`), manager, {
      version: r.version,
      attendees: r.attendees.map((a: { id: string }) => ({ userId: a.id, present: true })),
    });
    r = await ok('POST', api(`/reviews/${r.id}/transition`), manager, { version: r.version, to: 'held' });
    await ok(
      'POST',
      api(`/reviews/${r.id}/decisions`),
      manager,
      {
        version: r.version,
        kind: 'corrective_action',
        title: 'Remove leavers on their last day',
        ownerId: manager.id,
        dueOn: '2026-06-30',
      },
      201,
    );
    const decided = await entryOf('management_review', 'decisions');
    const decision = shown(decided, 'decisions');
    expect(decided.changes.decisions!.to).toEqual([
      { kind: 'corrective_action', title: 'Remove leavers on their last day', record: 'nonconformity:NC-0001' },
    ]);
    expect(decision.text).toBe(
      'Art: Korrekturmaßnahme · Titel: Remove leavers on their last day · Datensatz: Nichtkonformität NC-0001 Remove leavers on their last day',
    );
    // the record the decision created is linked
    expect(decision.parts?.[0]?.record).toMatchObject({ type: 'nonconformity', reference: 'NC-0001' });

    // entries written before: the commentary as a JSON text reads by its sections, the decisions as written
    await oldEntry('management_review', 'MR-0009', {
      commentary: { from: '{}', to: '{"issues":"Old words"}' },
      decisions: { to: 'Corrective action: Old decision → NC-0001' },
    });
    const old = await entryOf('management_review', 'commentary');
    expect(shown(old, 'commentary').text).toBe('b) Veränderungen bei externen und internen Themen: Old words');
    expect(shown(old, 'commentary', 'from').text).toBe('—');
    expect(shown(old, 'decisions').text).toBe('Corrective action: Old decision → NC-0001');
  });

  it("writes a nonconformity's effectiveness result as its outcome and note; an older sentence reads by its pattern", async () => {
    let nc = await ok('POST', api('/nonconformities'), manager, { title: 'Backups not tested', source: 'manual', severity: 'minor' }, 201);
    nc = await ok('POST', api(`/nonconformities/${nc.id}/corrective-actions`), manager, { title: 'Test a restore' });
    const task = (await ok('GET', api(`/tasks?q=${encodeURIComponent('Test a restore')}`), manager)).items[0];
    await ok('PATCH', api(`/tasks/${task.id}`), manager, { version: task.version, status: 'done' });
    nc = await ok('GET', api(`/nonconformities/${nc.id}`), manager);
    nc = await ok('POST', api(`/nonconformities/${nc.id}/effectiveness-check`), manager, {
      version: nc.version,
      effectivenessDueOn: '2026-09-01',
    });
    await ok('POST', api(`/nonconformities/${nc.id}/effectiveness`), manager, {
      version: nc.version,
      effective: false,
      note: 'Two restores failed',
    });
    const checked = await entryOf('nonconformity', 'effectivenessResult');
    expect(checked.changes.effectivenessResult!.to).toEqual({ outcome: 'not_effective', note: 'Two restores failed' });
    expect(shown(checked, 'effectivenessResult').text).toBe('Ergebnis: Nicht wirksam · Notiz: Two restores failed');

    await oldEntry('nonconformity', 'NC-0009', {
      effectivenessResult: { from: 'Effective: Restore worked', to: 'Not effective: Restore failed' },
    });
    const old = await entryOf('nonconformity', 'effectivenessResult');
    expect(shown(old, 'effectivenessResult', 'from').text).toBe('Wirksam: Restore worked');
    expect(shown(old, 'effectivenessResult').text).toBe('Nicht wirksam: Restore failed');
  });

  it('writes the level an acceptance accepts by its key, worded as the scope names it; an older label reads in German', async () => {
    const risk = await ok(
      'POST',
      api('/risks'),
      manager,
      { title: 'Printer jam', ownerId: manager.id, currentLikelihood: 2, currentImpact: 2 },
      201,
    );
    await ok('POST', api(`/risks/${risk.id}/acceptance`), manager, { justification: 'Low cost of a failure' }, 201);
    const accepted = await entryOf('risk_acceptance', 'levelKey');
    expect(accepted.changes.levelKey!.to).toBe('medium');
    expect(shown(accepted, 'levelKey').text).toBe('Mittel');
    expect(await trailDe()).toContain('Stufe: Mittel');

    await oldEntry('risk_acceptance', 'ACC-0009 (RSK-0009)', { level: { to: 'High' } });
    expect(shown(await entryOf('risk_acceptance', 'level'), 'level').text).toBe('Hoch');
  });

  it("names an ISMS cycle by its number in the reader's language, entries written before too", async () => {
    const cycle = await ok('POST', api('/cycles'), manager, {}, 201);
    const created = (await ok('GET', api('/audit?recordType=isms_cycle'), manager)).items.find(
      (e: Entry) => e.action === 'create',
    ) as Entry;
    expect(created.recordRef).toBe(String(cycle.number));
    expect(recordRefWords(german(created), 'isms_cycle', created.recordRef)).toBe(`Nr. ${cycle.number}`);
    expect(recordRefWords(auditWordsIn('en', []), 'isms_cycle', 'cycle 2')).toBe('no. 2');
    expect(recordRefWords(german(created), 'isms_cycle', 'cycle 2')).toBe('Nr. 2');
    trail = '';
    expect(await trailDe()).toContain(` · ISMS-Zyklus Nr. ${cycle.number}: Angelegt\n`);
  });

  it('resolves the records a field names by reference (change request, material document, competence) to reference, title and link', async () => {
    const competence = await ok('POST', api('/competences'), manager, { name: 'Security awareness', validityMonths: 12 }, 201);
    const material = await ok(
      'POST',
      api('/documents'),
      manager,
      {
        type: 'policy',
        title: 'Acceptable use',
        classification: 'internal',
        approverIds: [manager.id],
        contentMd: '# Use\n',
      },
      201,
    );
    await ok(
      'POST',
      api('/courses'),
      manager,
      { title: 'Awareness refresher', grantsCompetenceId: competence.id, materialDocumentId: material.id },
      201,
    );
    const course = await entryOf('training_course', 'materialDocument');
    expect(shown(course, 'materialDocument')).toMatchObject({
      text: `${material.reference} Acceptable use`,
      record: { type: 'document', id: material.id },
    });
    expect(shown(course, 'grantsCompetence')).toMatchObject({
      text: 'Security awareness',
      record: { type: 'competence', id: competence.id },
    });

    const change = await ok('POST', api('/changes'), manager, { title: 'Allow remote work', reason: 'New working model' }, 201);
    await oldEntry('document_version', `${material.reference} v2`, { changeRequest: { to: change.reference } });
    const version = await entryOf('document_version', 'changeRequest');
    expect(shown(version, 'changeRequest')).toMatchObject({
      text: `${change.reference} Allow remote work`,
      record: { type: 'change_request', id: change.id },
    });
    trail = '';
    const words = await trailDe();
    expect(words).toContain(`Schulungsmaterial: ${material.reference} Acceptable use`);
    expect(words).toContain(`Änderungsantrag: ${change.reference} Allow remote work`);
    // a reference no record of the scope has reads as written
    await oldEntry('document_version', 'POL-0099 v1', { changeRequest: { to: 'CHG-0999' } });
    expect(shown(await entryOf('document_version', 'changeRequest'), 'changeRequest')).toEqual({ text: 'CHG-0999', empty: false });
  });
});
