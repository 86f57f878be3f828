import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// The entries Praxis writes into an incident's timeline (reported, triaged, status changes, notifications sent, tasks
// assigned, lessons handed on) as text keys with parameters, like a task's title: `text` keeps the English rendering
// (search, older readers), `text_key` and `text_params` let each reader see the entry in their language. Notes and
// measures that people type have no key and are shown as typed.
// Entries written before are read back where their English sentence is one the service wrote (and renders again to the
// very same text); any other entry keeps its key null and is shown as stored.
// Frozen in time: never edit a released migration; add a new one. The sentences and codes below are copied on purpose.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('incident_event').addColumn('text_key', t.text).execute();
  await db.schema.alterTable('incident_event').addColumn('text_params', t.json).execute();
  await convertIncidentEvents(db);
}

type Params = Record<string, string>;
export interface ParsedEvent {
  key: string;
  params: Params;
}

const severities = ['low', 'medium', 'high', 'critical'];
const categories = [
  'malware',
  'phishing',
  'unauthorised_access',
  'data_leak',
  'loss_or_theft',
  'availability',
  'misconfiguration',
  'physical',
  'fraud',
  'other',
];
const statuses = ['reported', 'triaged', 'responding', 'resolved', 'closed'];
const regimeLabels: Record<string, string> = {
  gdpr_art33: 'GDPR Art. 33 notification to the supervisory authority (72 hours)',
  nis2_early_warning: 'NIS2 Art. 23 early warning (24 hours)',
  nis2_notification: 'NIS2 Art. 23 incident notification (72 hours)',
  nis2_final_report: 'NIS2 Art. 23 final report (one month after the notification)',
};
const lessonTargets: Record<string, string> = { risk: 'risk assessment', change: 'change management', improvement: 'improvement' };
const words = (code: string) => code.replace(/_/g, ' ');
const codeOf = (list: string[], word: string) => list.find((c) => words(c) === word);
const keyOf = (name: string) => `incidents:timeline.${name}`;

/** The English sentence each key with its parameters rendered when the entry was written (incident.service.ts then). */
function english(e: ParsedEvent): string {
  const p = e.params;
  switch (e.key) {
    case keyOf('reported.incident'):
      return 'Reported an incident';
    case keyOf('reported.weakness'):
      return 'Reported a suspected weakness';
    case keyOf('triaged'):
    case keyOf('triagedPersonalData'):
    case keyOf('triagedNis2'):
    case keyOf('triagedPersonalDataNis2'):
      return `Triaged: ${p.severity} ${words(p.category ?? '')}${e.key.includes('PersonalData') ? ', personal data involved' : ''}${e.key.endsWith('Nis2') ? ', possibly significant under NIS2' : ''}`;
    case keyOf('lessonHandedTo'):
      return `Lesson handed to ${lessonTargets[p.to ?? '']}: ${p.title}`;
    case keyOf('status'):
      return `Status ${p.from} → ${p.to}`;
    case keyOf('statusWithNote'):
      return `Status ${p.from} → ${p.to}: ${p.note}`;
    case keyOf('notificationSent'):
      return `${regimeLabels[p.regime ?? '']} sent to ${p.recipient}`;
    case keyOf('notificationSentLate'):
      return `${regimeLabels[p.regime ?? '']} sent to ${p.recipient} (late)`;
    case keyOf('taskAssigned'):
      return `Task ${p.taskRef} assigned: ${p.title}`;
    default:
      return '';
  }
}

/** The key and parameters of an entry the service wrote, or null for any other text. */
function read(kind: string, text: string): ParsedEvent | null {
  if (kind === 'status') {
    if (text === 'Reported an incident') return { key: keyOf('reported.incident'), params: {} };
    if (text === 'Reported a suspected weakness') return { key: keyOf('reported.weakness'), params: {} };
    const triaged = /^Triaged: (\S+) (.+?)(, personal data involved)?(, possibly significant under NIS2)?$/.exec(text);
    if (triaged) {
      const category = codeOf(categories, triaged[2]!);
      if (!severities.includes(triaged[1]!) || !category) return null;
      const name = `triaged${triaged[3] ? 'PersonalData' : ''}${triaged[4] ? 'Nis2' : ''}`;
      return { key: keyOf(name), params: { severity: triaged[1]!, category } };
    }
    const status = /^Status (\S+) → (\S+?)(?:: ([\s\S]+))?$/.exec(text);
    if (status) {
      if (!statuses.includes(status[1]!) || !statuses.includes(status[2]!)) return null;
      const params: Params = { from: status[1]!, to: status[2]! };
      return status[3] === undefined
        ? { key: keyOf('status'), params }
        : { key: keyOf('statusWithNote'), params: { ...params, note: status[3] } };
    }
    return null;
  }
  if (kind === 'note') {
    const lesson = /^Lesson handed to (risk assessment|change management|improvement): ([\s\S]+)$/.exec(text);
    if (!lesson) return null;
    const to = Object.keys(lessonTargets).find((k) => lessonTargets[k] === lesson[1]);
    return to ? { key: keyOf('lessonHandedTo'), params: { to, title: lesson[2]! } } : null;
  }
  if (kind === 'notification') {
    for (const [regime, label] of Object.entries(regimeLabels)) {
      const prefix = `${label} sent to `;
      if (!text.startsWith(prefix)) continue;
      const rest = text.slice(prefix.length);
      const late = rest.endsWith(' (late)') && rest.length > ' (late)'.length;
      const recipient = late ? rest.slice(0, -' (late)'.length) : rest;
      if (!recipient) return null;
      return { key: keyOf(late ? 'notificationSentLate' : 'notificationSent'), params: { regime, recipient } };
    }
    return null;
  }
  if (kind === 'task') {
    const task = /^Task (\S+) assigned: ([\s\S]+)$/.exec(text);
    return task ? { key: keyOf('taskAssigned'), params: { taskRef: task[1]!, title: task[2]! } } : null;
  }
  return null;
}

/** The key and parameters of an old timeline entry, only when they render back to exactly its text. */
export function parseIncidentEvent(kind: string, text: string): ParsedEvent | null {
  const parsed = read(kind, text);
  return parsed && english(parsed) === text ? parsed : null;
}

/** Reads every entry without a key and gives those the service wrote their key and parameters. */
export async function convertIncidentEvents(db: Kysely<any>): Promise<number> {
  const rows: { id: string; kind: string; text: string }[] = await db
    .selectFrom('incident_event')
    .select(['id', 'kind', 'text'])
    .where('text_key', 'is', null)
    .where('kind', 'in', ['status', 'note', 'notification', 'task'])
    .execute();
  let converted = 0;
  for (const row of rows) {
    const parsed = parseIncidentEvent(row.kind, row.text);
    if (!parsed) continue;
    await db
      .updateTable('incident_event')
      .set({ text_key: parsed.key, text_params: JSON.stringify(parsed.params) })
      .where('id', '=', row.id)
      .execute();
    converted++;
  }
  return converted;
}
