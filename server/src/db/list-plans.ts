import { type CompiledQuery, CompiledQuery as Compiled } from 'kysely';
import type { Db } from './database.ts';

/**
 * The plans of every list's page and count (list-plans.test.ts asserts them on both databases; `npm run bench` prints a
 * verdict per list at dataset L). A list's page is index-backed when its plan has
 * - on SQLite (`explain query plan`): no `SCAN <table>` without an index and no `USE TEMP B-TREE` (a sort);
 * - on PostgreSQL (`explain` with sequential scans, bitmap scans and sorts switched off): no `Seq Scan` and no `Sort`:
 *   switched off, they remain in a plan only where no index can serve the filter or the order.
 */

export interface ListCase {
  /** what the test names */
  label: string;
  /** the path below /api/scopes/:scopeId, with its query */
  path: string;
  /** the list's main table, as the page statement names it after `from` */
  table: string;
}

export const listCases: ListCase[] = [
  { label: 'assets (by name)', path: 'assets', table: 'asset' },
  { label: 'assets of a type, newest first', path: 'assets?type=system&sort=updatedAt&order=desc', table: 'asset' },
  { label: 'assets by reference', path: 'assets?sort=reference', table: 'asset' },
  { label: 'assets of a lifecycle status', path: 'assets?lifecycleStatus=in_operation', table: 'asset' },
  { label: 'risks (prioritised)', path: 'risks', table: 'risk' },
  { label: 'risks of a level', path: 'risks?level=high', table: 'risk' },
  { label: 'risks of a status, newest first', path: 'risks?status=assessed&sort=updatedAt', table: 'risk' },
  { label: 'risks, a later page', path: 'risks?page=40', table: 'risk' },
  { label: 'controls (by reference)', path: 'controls', table: 'control' },
  { label: 'controls of a status', path: 'controls?status=implemented', table: 'control' },
  { label: 'controls by last change', path: 'controls?sort=updatedAt&order=desc', table: 'control' },
  { label: 'evidence (newest evidence date first)', path: 'evidence', table: 'evidence' },
  { label: 'evidence of a kind', path: 'evidence?kind=file', table: 'evidence' },
  { label: 'tasks (active, by due date)', path: 'tasks', table: 'task' },
  { label: 'tasks of a process', path: 'tasks?processKey=risk-assessment', table: 'task' },
  { label: 'done tasks', path: 'tasks?status=done', table: 'task' },
  { label: 'audit log (newest first)', path: 'audit', table: 'audit_entry' },
  { label: 'audit log of a record type', path: 'audit?recordType=asset', table: 'audit_entry' },
  { label: 'policies (by reference)', path: 'documents', table: 'document' },
  { label: 'policies of a status', path: 'documents?status=published', table: 'document' },
  { label: 'policies by review date', path: 'documents?sort=nextReviewOn', table: 'document' },
  { label: 'incidents (newest first)', path: 'incidents', table: 'incident' },
  { label: 'open incidents', path: 'incidents?status=open', table: 'incident' },
  { label: 'changes (newest first)', path: 'changes', table: 'change_request' },
  { label: 'open changes', path: 'changes?status=open', table: 'change_request' },
  { label: 'nonconformities (newest first)', path: 'nonconformities', table: 'nonconformity' },
  { label: 'active nonconformities', path: 'nonconformities?status=active', table: 'nonconformity' },
  { label: 'opportunities (newest first)', path: 'opportunities', table: 'improvement_opportunity' },
  { label: 'measures (by name)', path: 'measures', table: 'measure' },
  { label: 'measures of a status', path: 'measures?status=active', table: 'measure' },
  { label: 'audits (latest planned first)', path: 'audits', table: 'internal_audit' },
  { label: 'active audits', path: 'audits?status=active', table: 'internal_audit' },
  { label: 'management reviews (latest planned first)', path: 'reviews', table: 'management_review' },
  { label: 'records (by reference)', path: 'records', table: 'controlled_record' },
  { label: 'records of a status', path: 'records?status=active', table: 'controlled_record' },
  { label: 'records by last change', path: 'records?sort=updatedAt&dir=desc', table: 'controlled_record' },
  { label: 'training courses (by reference)', path: 'courses', table: 'training_course' },
  { label: 'training assignments (by due date)', path: 'training-assignments', table: 'training_assignment' },
  { label: 'open training assignments', path: 'training-assignments?status=open', table: 'training_assignment' },
  { label: 'risk treatments (by reference)', path: 'treatments', table: 'risk_treatment' },
  { label: 'statements of applicability', path: 'soa', table: 'soa' },
  { label: 'threat warnings', path: 'threat-warnings', table: 'threat_warning' },
];

/** The statements that `fn` runs through `db` (not in a transaction), caught at the Kysely executor. */
export async function recordStatements(db: Db, fn: () => Promise<unknown>): Promise<CompiledQuery[]> {
  const executor = db.getExecutor() as unknown as { executeQuery: (q: CompiledQuery, ...rest: unknown[]) => Promise<unknown> };
  const original = executor.executeQuery;
  const out: CompiledQuery[] = [];
  executor.executeQuery = function (this: unknown, q: CompiledQuery, ...rest: unknown[]) {
    out.push(q);
    return original.call(this, q, ...rest);
  };
  try {
    await fn();
  } finally {
    executor.executeQuery = original;
  }
  return out;
}

const mentions = (q: CompiledQuery, table: string) => new RegExp(`from "${table}"`).test(q.sql);

/** The page statement (ordered and limited) and the count of a list request, among the statements it ran. */
export function pageAndCount(statements: CompiledQuery[], table: string) {
  const page = statements.find(
    (q) => mentions(q, table) && /\border by\b/i.test(q.sql) && /\blimit\b/i.test(q.sql) && !/count\(/i.test(q.sql.slice(0, 40)),
  );
  const count = statements.find((q) => q.sql.includes(`"${table}"`) && /count\(\*\)/i.test(q.sql));
  return { page, count };
}

/** The plan of a statement: SQLite's query plan, or PostgreSQL's with scans that need no index and sorts switched off. */
export async function planOf(db: Db, dialect: string, q: CompiledQuery): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(Compiled.raw(`explain query plan ${q.sql}`, [...q.parameters]));
    return r.rows.map((row) => row.detail).join('\n');
  }
  return db.connection().execute(async (c) => {
    for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort', 'enable_incremental_sort'])
      await c.executeQuery(Compiled.raw(`set ${setting} = off`));
    try {
      const r = await c.executeQuery<{ 'QUERY PLAN': string }>(Compiled.raw(`explain ${q.sql}`, [...q.parameters]));
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await c.executeQuery(Compiled.raw('reset all'));
    }
  });
}

/** What is wrong with a plan: full scans of a table and sorts (empty when the plan is index-backed). */
export function planFaults(plan: string, dialect: string, tables: ReadonlySet<string>): string[] {
  const faults: string[] = [];
  for (const line of plan.split('\n')) {
    if (dialect === 'sqlite') {
      const scan = /^\s*SCAN (\S+)(.*)$/.exec(line);
      if (scan && !/USING/.test(scan[2]!) && (tables.has(scan[1]!) || !/^\(|^matching$|^CONSTANT$/.test(scan[1]!)))
        faults.push(`full scan: ${line.trim()}`);
      if (/USE TEMP B-TREE/.test(line)) faults.push(`sort: ${line.trim()}`);
    } else {
      if (/Seq Scan on/.test(line)) faults.push(`full scan: ${line.trim()}`);
      if (/\bSort\b(?! Key)/.test(line) && !/Sort Key/.test(line)) faults.push(`sort: ${line.trim()}`);
    }
  }
  return faults;
}
