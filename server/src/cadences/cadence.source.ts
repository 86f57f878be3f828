import type { Executor, Tx } from '../db/database.ts';
import type { Text } from '../i18n/i18n.ts';
import type { ProcessKey } from '../isms/process-model.ts';
import type { CadenceMode } from './cadence.rules.ts';

/** A record whose next review date falls due, as a cadence source lists it. */
export interface DueRecord {
  scopeId: string;
  recordId: string;
  /** the human reference (RSK-0004) or the process key */
  recordRef: string | null;
  recordTitle: string;
  /** the record's own owner; the sweep falls back to the process owner */
  ownerId: string | null;
  /** the date of the next occurrence (the record's next review date) */
  nextOn: string;
  /** the process the work belongs to */
  processKey: ProcessKey;
  /** which cadence of the scope applies: the process key for per-process cadences, '' for one rule per scope */
  subject: string;
}

/**
 * Where cadences come from: a kind of record with a next review date (each process of a scope, risks, and the
 * registers that later modules add). A module declares one of these in `cadences` of its declaration (`index.ts`); the
 * `cadences` sweep does the rest — the task ahead of the date for the owner (its `listDue` and `moveNextOn`),
 * escalation, and moving the date on completion — each once. A scope may keep a rule per source in the `cadence`
 * table (subject ''); without one, `defaults` applies.
 */
export interface CadenceSource {
  /** stable key, stored with every occurrence and cadence (e.g. 'risk-review') */
  key: string;
  /** the task's origin record type (e.g. 'risk') */
  recordType: string;
  /** the process a record source's work belongs to (the per-process source has none: each record is a process) */
  processKey?: ProcessKey;
  /** the rule a scope without its own cadence row for this source follows */
  defaults: { rule: string | null; mode: CadenceMode };
  /**
   * Records with a next date on or before `by` that have no occurrence for that date yet, in one index-backed query,
   * ordered by (nextOn, recordId) and after `after` (keyset paging).
   */
  listDue(db: Executor, by: string, after: { nextOn: string; recordId: string } | null, limit: number): Promise<DueRecord[]>;
  /** The scope's records with a next date on or before `until` (overdue ones included), in one query. */
  listUpcoming(db: Executor, scopeId: string, until: string): Promise<DueRecord[]>;
  /**
   * The current next date of some records (absent: the record is gone, closed, or has no date any more), in one query:
   * an open occurrence whose record moved on ends by itself (done when the date moved later, else cancelled).
   */
  currentNextOn(db: Executor, recordIds: readonly string[]): Promise<Map<string, string>>;
  /** Moves a record's next date from `from` to `to` if it is still `from` (someone may have set another); true if moved. */
  moveNextOn(tx: Tx, recordId: string, from: string, to: string | null, now: string): Promise<boolean>;
  /** The occurrence's task, in the words of the process ("Re-assess RSK-0004 …"): the title as an i18n key with parameters. */
  task(r: DueRecord): { title: Text; description: Text };
}
