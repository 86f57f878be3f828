import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { newId } from '../../shared/ids.ts';
import { columnTypes } from '../column.ts';

// Cadences (ISO 27001 9.1, 9.2, 9.3: "at planned intervals"): RFC 5545 recurrence rules on processes and on records
// with a review date, the occurrences a sweep turns into tasks (each once), and their escalations (each step once).
// The old per-process cadence labels become rules; scopes whose processes nobody edited get their profile's preset.
// Frozen in time: never edit a released migration; add a new one. The presets below are copied on purpose.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // One rule per scope, source and subject: source 'process' has one per process (subject = the process key); a record
  // source (e.g. 'risk-review') has one per scope (subject ''), which moves each record's review date on completion.
  await db.schema
    .createTable('cadence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('subject', t.text, (c) => c.notNull())
    // the RRULE value without DTSTART, e.g. FREQ=YEARLY;INTERVAL=1;BYMONTH=3; null: no cadence
    .addColumn('rule', t.text)
    // DTSTART as a calendar date: the first occurrence of a fixed schedule
    .addColumn('starts_on', t.date)
    // fixed | after_completion
    .addColumn('mode', t.text, (c) => c.notNull())
    .addColumn('lead_days', t.integer, (c) => c.notNull())
    .addColumn('escalation_days', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('cadence_scope_source_subject_uq', ['scope_id', 'source', 'subject'])
    .execute();

  // An occurrence: one task for one record on one date. The unique key makes the sweep create each at most once,
  // whatever instance runs it; escalation_level (0, 1 process owner, 2 managers) is claimed the same way.
  await db.schema
    .createTable('cadence_occurrence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('cadence_id', t.id, (c) => c.references('cadence.id').onDelete('set null'))
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('record_ref', t.text)
    .addColumn('process_key', t.text, (c) => c.notNull())
    .addColumn('occurs_on', t.date, (c) => c.notNull())
    .addColumn('task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addColumn('assignee_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    // open | done | cancelled
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('completed_at', t.timestamp)
    .addColumn('escalation_level', t.integer, (c) => c.notNull())
    // when the next escalation step is due; null once done or fully escalated
    .addColumn('escalate_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('cadence_occurrence_uq', ['source', 'record_id', 'occurs_on'])
    .execute();
  await db.schema
    .createIndex('cadence_occurrence_scope_idx')
    .on('cadence_occurrence')
    .columns(['scope_id', 'state', 'occurs_on'])
    .execute();
  await db.schema.createIndex('cadence_occurrence_escalate_idx').on('cadence_occurrence').columns(['state', 'escalate_on']).execute();
  await db.schema.createIndex('cadence_occurrence_task_idx').on('cadence_occurrence').column('task_id').execute();
  await db.schema.createIndex('cadence_occurrence_cadence_idx').on('cadence_occurrence').column('cadence_id').execute();
  await db.schema.createIndex('cadence_occurrence_assignee_idx').on('cadence_occurrence').column('assignee_id').execute();

  // The tasks an escalation step created (one per person told), closed with the occurrence.
  await db.schema
    .createTable('cadence_escalation')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('occurrence_id', t.id, (c) => c.notNull().references('cadence_occurrence.id').onDelete('cascade'))
    .addColumn('level', t.integer, (c) => c.notNull())
    .addColumn('assignee_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('cadence_escalation_uq', ['occurrence_id', 'level', 'assignee_id'])
    .execute();
  await db.schema.createIndex('cadence_escalation_task_idx').on('cadence_escalation').column('task_id').execute();
  await db.schema.createIndex('cadence_escalation_assignee_idx').on('cadence_escalation').column('assignee_id').execute();

  // the sweep finds records by their next review date across scopes
  await db.schema.createIndex('scope_process_next_review_idx').on('scope_process').column('next_review_on').execute();
  await db.schema.createIndex('risk_next_review_idx').on('risk').column('next_review_on').execute();

  await migrateCadences(db);
}

// -- data: old cadence labels → rules; presets for scopes whose processes were never edited

const legacyRules: Record<string, string | null> = {
  none: null,
  monthly: 'FREQ=MONTHLY;INTERVAL=1',
  quarterly: 'FREQ=MONTHLY;INTERVAL=3',
  half_yearly: 'FREQ=MONTHLY;INTERVAL=6',
  yearly: 'FREQ=YEARLY;INTERVAL=1',
};
const legacyMonths: Record<string, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };
const leadDays: Record<string, number> = { none: 14, monthly: 3, quarterly: 7, half_yearly: 10, yearly: 14 };

/** small: one yearly management review (BSI 200-1); large: the formal calendar (the model's cadences, reviews half-yearly). */
function presetCadence(profile: string, processKey: string, modelDefault: string): string {
  if (profile === 'small') return processKey === 'management-review' ? 'yearly' : 'none';
  if (processKey === 'management-review') return 'half_yearly';
  return modelDefault;
}

// the model's cadences when this migration was written
const modelDefaults: Record<string, string> = {
  'governance-interface': 'yearly',
  'management-review': 'yearly',
  'policy-management': 'yearly',
  'requirements-management': 'yearly',
  'risk-assessment': 'yearly',
  'risk-treatment': 'yearly',
  'control-implementation': 'quarterly',
  'supplier-control': 'yearly',
  'competence-awareness': 'yearly',
  'incident-management': 'none',
  'change-management': 'none',
  'internal-audit': 'yearly',
  'performance-evaluation': 'quarterly',
  improvement: 'quarterly',
  'records-control': 'yearly',
  'resource-management': 'yearly',
  communication: 'quarterly',
  'customer-relationship': 'yearly',
};

function plusMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The data part, exported for its test: old labels → rules, presets, one risk-review cadence per scope. */
export async function migrateCadences(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  const rows: {
    id: string;
    scope_id: string;
    process_key: string;
    cadence: string;
    next_review_on: string | null;
    version: number;
    profile: string;
  }[] = await db
    .selectFrom('scope_process')
    .innerJoin('scope', 'scope.id', 'scope_process.scope_id')
    .select([
      'scope_process.id',
      'scope_process.scope_id',
      'scope_process.process_key',
      'scope_process.cadence',
      'scope_process.next_review_on',
      'scope_process.version',
      'scope.profile',
    ])
    .execute();
  const scopes = new Set<string>();
  for (const r of rows) {
    scopes.add(r.scope_id);
    // a process someone edited keeps its cadence; an untouched one takes its profile's preset
    const label = r.version > 1 ? r.cadence : presetCadence(r.profile, r.process_key, modelDefaults[r.process_key] ?? r.cadence);
    const rule = legacyRules[label] ?? null;
    const months = legacyMonths[label];
    const nextReviewOn = r.next_review_on ?? (months ? plusMonths(today, months) : null);
    await db
      .insertInto('cadence')
      .values({
        id: newId(),
        scope_id: r.scope_id,
        source: 'process',
        subject: r.process_key,
        rule,
        starts_on: rule ? nextReviewOn : null,
        mode: 'fixed',
        lead_days: leadDays[label] ?? 14,
        escalation_days: 7,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    if (label !== r.cadence || nextReviewOn !== r.next_review_on) {
      await db
        .updateTable('scope_process')
        .set({ cadence: label, next_review_on: nextReviewOn, updated_at: now })
        .where('id', '=', r.id)
        .execute();
    }
  }
  // risks: a re-assessment a year after the last one, counted from its completion
  for (const scopeId of scopes) {
    await db
      .insertInto('cadence')
      .values({
        id: newId(),
        scope_id: scopeId,
        source: 'risk-review',
        subject: '',
        rule: 'FREQ=YEARLY;INTERVAL=1',
        starts_on: null,
        mode: 'after_completion',
        lead_days: 14,
        escalation_days: 7,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
  }
}
