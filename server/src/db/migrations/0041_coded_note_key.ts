import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { english } from '../../i18n/i18n.ts';

// The notes migration 0037 could not read back: those whose sentence words a code or a date in English (a treatment
// option, an opportunity's status, a notification regime, a measure's analysis outcome, a review date moved, a new
// retention end). Their English is read back to the code or the day (`modify the risk` → `modify`, `Mar 1, 2026` →
// `2026-03-01`), and the note gets its key and parameters only where rendering them again in English gives the very
// same text; any other note keeps its key null and is shown as stored. Only notes without a key are looked at (notes
// written since 0037 have theirs).
// Frozen in time: never edit a released migration; add a new one. The sentences, labels and months below are copied on
// purpose (a note whose catalog text changes later is simply not read back: it must render to its stored text).
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await convertNotes(db, 'task', 'completion_note');
  await convertNotes(db, 'handoff', 'note');
}

type Parsed = { key: string; params: Record<string, string> };

/** the English labels of the codes the notes word, as the catalogs read then */
const options: Record<string, string> = {
  'modify the risk': 'modify',
  'retain the risk': 'retain',
  'avoid the risk': 'avoid',
  'share the risk': 'share',
};
const opportunityStatuses = ['proposed', 'planned', 'implemented', 'rejected'];
const regimes: Record<string, string> = {
  'GDPR Art. 33 notification to the supervisory authority (72 hours)': 'gdpr_art33',
  'NIS2 Art. 23 early warning (24 hours)': 'nis2_early_warning',
  'NIS2 Art. 23 incident notification (72 hours)': 'nis2_notification',
  'NIS2 Art. 23 final report (one month after the notification)': 'nis2_final_report',
};
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** a day as English words it (`Mar 1, 2026`), as a pattern */
const englishDay = `((?:${months.join('|')}) \\d{1,2}, \\d{4})`;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `Mar 1, 2026` → `2026-03-01`, or null for a day that does not exist */
export function dayOf(words: string): string | null {
  const m = /^(\w{3}) (\d{1,2}), (\d{4})$/.exec(words);
  const month = m ? months.indexOf(m[1]!) : -1;
  if (!m || month < 0) return null;
  const d = new Date(Date.UTC(Number(m[3]), month, Number(m[2])));
  if (d.getUTCDate() !== Number(m[2]) || d.getUTCMonth() !== month) return null;
  return d.toISOString().slice(0, 10);
}

const readers: ((text: string) => Parsed | null)[] = [
  (text) => {
    const m = new RegExp(`^(\\S+) was decided by ([\\s\\S]+): (${Object.keys(options).map(literal).join('|')})$`).exec(text);
    return m && { key: 'tasks:note.treatmentDecided', params: { treatmentRef: m[1]!, option: options[m[3]!]!, name: m[2]! } };
  },
  (text) => {
    const m = new RegExp(`^(\\S+) is (${opportunityStatuses.join('|')}) \\(([\\s\\S]+)\\)$`).exec(text);
    return m && { key: 'tasks:note.opportunityDecided', params: { ref: m[1]!, status: m[2]!, name: m[3]! } };
  },
  (text) => {
    const m = new RegExp(`^(\\S+): (${Object.keys(regimes).map(literal).join('|')}) recorded as sent to ([\\s\\S]+)$`).exec(text);
    if (!m) return null;
    // the recipient and the name are apart by " by ": where the words hold it more than once, who is who is unknown
    const rest = m[3]!.split(' by ');
    if (rest.length !== 2) return null;
    return {
      key: 'tasks:note.notificationRecorded',
      params: { incidentRef: m[1]!, regime: regimes[m[2]!]!, recipient: rest[0]!, name: rest[1]! },
    };
  },
  (text) => {
    const m = new RegExp(`^The review date moved to ${englishDay}$`).exec(text);
    const dueOn = m && dayOf(m[1]!);
    return dueOn ? { key: 'cadences:note.reviewMoved', params: { dueOn } } : null;
  },
  (text) => {
    const m = new RegExp(`^The retention of (\\S+) now ends on ${englishDay} \\(([\\s\\S]+)\\)$`).exec(text);
    const endsOn = m && dayOf(m[2]!);
    return endsOn ? { key: 'tasks:note.retentionExtended', params: { recordRef: m![1]!, endsOn, name: m![3]! } } : null;
  },
  (text) => {
    const m = /^(\S+) was analysed by ([\s\S]+): (a nonconformity|an opportunity for improvement) was raised$/.exec(text);
    if (!m) return null;
    const outcome = m[3] === 'a nonconformity' ? 'nonconformity' : 'opportunity';
    return { key: `measures:note.analysed.${outcome}`, params: { measureRef: m[1]!, name: m[2]! } };
  },
];

/** The key and parameters of a note Praxis wrote with a code or a date, only when they render back to exactly its text. */
export function parseCodedNote(text: string): Parsed | null {
  for (const read of readers) {
    const parsed = read(text);
    if (parsed && english(parsed) === text) return parsed;
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
      .where(`${column}_key`, 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const parsed = parseCodedNote(row.note);
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
