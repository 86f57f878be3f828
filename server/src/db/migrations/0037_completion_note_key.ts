import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { english, readEnglish } from '../../i18n/i18n.ts';
import { columnTypes } from '../column.ts';

// What completed or cancelled a task (`task.completion_note`) and settled its hand-off (`handoff.note`) as a text key
// with parameters, like a task's title and description: the note column keeps the English rendering (search, older
// readers), `<column>_key` and `<column>_params` let each reader see what Praxis wrote in their language.
// Rows written before are read back where their note is a sentence Praxis wrote (read with the English catalog text of
// one of the note keys below, and rendering again to the very same text); any other note keeps its key null and is
// shown as stored. Notes whose sentence words a code or a date (a treatment option, a notification regime, a new
// retention date) are not read back: their English words cannot be turned back into the code safely.
// Frozen in time: never edit a released migration; add a new one. The keys and their parameters below are copied on
// purpose (a note whose catalog text changes later is simply not read back: it must render to its stored text).
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('task').addColumn('completion_note_key', t.text).execute();
  await db.schema.alterTable('task').addColumn('completion_note_params', t.json).execute();
  await db.schema.alterTable('handoff').addColumn('note_key', t.text).execute();
  await db.schema.alterTable('handoff').addColumn('note_params', t.json).execute();
  await convertNotes(db, 'task', 'completion_note');
  await convertNotes(db, 'handoff', 'note');
}

const noteKeys: [string, string[]][] = [
  ['cadences:note.occurrenceDone', ['taskRef']],
  ['cadences:note.occurrenceCancelled', ['taskRef']],
  ['cadences:note.recordGone', ['recordRef']],
  ['measures:note.analysedNoAction', ['measureRef', 'name']],
  ['reviews:note.reviewHeld', ['reviewRef']],
  ['tasks:note.doneByHand', ['name']],
  ['tasks:note.cancelledByHand', ['name']],
  ['tasks:note.incidentTriaged', ['incidentRef', 'name']],
  ['tasks:note.incidentClosed', ['incidentRef']],
  ['tasks:note.notificationNotOwed', ['incidentRef']],
  ['tasks:note.versionSubmitted', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionApproved', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionFullyApproved', ['documentRef', 'versionNo']],
  ['tasks:note.versionRejected', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionBackToDraft', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionWithdrawn', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionPublished', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.versionSuperseded', ['documentRef', 'versionNo']],
  ['tasks:note.versionAcknowledged', ['documentRef', 'versionNo', 'name']],
  ['tasks:note.documentRetired', ['documentRef']],
  ['tasks:note.documentNotRevisable', ['documentRef']],
  ['tasks:note.reviewConfirmed', ['documentRef', 'name']],
  ['tasks:note.soaApproved', ['soaRef', 'number', 'name']],
  ['tasks:note.soaBackToDraft', ['soaRef', 'name']],
  ['tasks:note.riskWithinCriteria', ['riskRef', 'levelLabel']],
  ['tasks:note.riskClosed', ['riskRef', 'name']],
  ['tasks:note.riskDeleted', ['riskRef', 'name']],
  ['tasks:note.riskAssessed', ['riskRef', 'name']],
  ['tasks:note.risksReassessed', ['assetRef']],
  ['tasks:note.assetProtectionLowered', ['assetRef']],
  ['tasks:note.assetGone', ['assetRef']],
  ['tasks:note.acceptanceEnded', ['acceptanceRef', 'riskRef', 'reason']],
  ['tasks:note.effective', ['ncRef', 'name']],
  ['tasks:note.notEffective', ['ncRef', 'name']],
  ['tasks:note.correctiveActionPlanned', ['ncRef', 'name']],
  ['tasks:note.changeSubmitted', ['changeRef', 'name']],
  ['tasks:note.changeApproved', ['changeRef', 'name']],
  ['tasks:note.changeRejected', ['changeRef', 'name']],
  ['tasks:note.recordDisposed', ['recordRef', 'name']],
  ['tasks:note.legalHold', ['recordRef', 'name', 'reason']],
  ['tasks:note.planActionDone', ['name']],
  ['tasks:note.planActionDropped', ['name']],
  ['tasks:note.controlImplemented', ['controlRef', 'name']],
  ['tasks:note.controlDeleted', ['controlRef', 'name']],
];

/** a reference (`INC-0004`, `v3`'s number) is one word: a reading that puts spaces into one is not the sentence */
const oneWord = /^\S+$/;
const words = new Set(['taskRef', 'recordRef', 'measureRef', 'reviewRef', 'incidentRef', 'documentRef', 'versionNo', 'soaRef', 'number']);
const readers = noteKeys.map(([key, params]) => ({ key, read: readEnglish(key, params) }));

/** The key and parameters of a note Praxis wrote, only when they render back to exactly its text. */
export function parseNote(text: string): { key: string; params: Record<string, string> } | null {
  for (const { key, read } of readers) {
    const params = read(text);
    if (!params) continue;
    if (Object.entries(params).some(([name, value]) => (words.has(name) || name.endsWith('Ref')) && !oneWord.test(value))) continue;
    if (english({ key, params }) === text) return { key, params };
  }
  return null;
}

const BATCH = 500;

async function convertNotes(db: Kysely<any>, table: 'task' | 'handoff', column: 'completion_note' | 'note'): Promise<void> {
  let after = '';
  for (;;) {
    // keyset pages by id: the whole table is never held at once
    const rows: { id: string; note: string }[] = await db
      .selectFrom(table)
      .select(['id', `${column} as note`])
      .where('id', '>', after)
      .where(column, 'is not', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const parsed = parseNote(row.note);
      if (!parsed) continue;
      await db
        .updateTable(table)
        .set({ [`${column}_key`]: parsed.key, [`${column}_params`]: JSON.stringify(parsed.params) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}
