import type { ExpressionBuilder } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type { EvidenceTable } from './control-implementation.tables.ts';
import type { ListEvidenceQuery } from './evidence.schemas.ts';

export type EvidenceFilter = Omit<ListEvidenceQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

const sortColumns = {
  reference: 'evidence.reference',
  title: 'evidence.title',
  evidenceDate: 'evidence.evidence_date',
  validUntil: 'evidence.valid_until',
  createdAt: 'evidence.created_at',
} as const;

/** The last day of the "expiring" window: 30 days from today. */
const expiringUntil = (today: string) => utcDatePlusDays(new Date(`${today}T00:00:00Z`), 30);

function filtered(db: Executor, scopeId: string, f: EvidenceFilter & { pattern?: string }, today: string, until?: string) {
  let q = db.selectFrom('evidence').where('evidence.scope_id', '=', scopeId);
  if (f.kind) q = q.where('evidence.kind', '=', f.kind);
  if (f.validity === 'expired') q = q.where('evidence.valid_until', '<', today);
  if (f.validity === 'valid') q = q.where((eb) => eb.or([eb('evidence.valid_until', 'is', null), eb('evidence.valid_until', '>=', today)]));
  if (f.validity === 'expiring') {
    q = q.where('evidence.valid_until', '>=', today).where('evidence.valid_until', '<=', until ?? expiringUntil(today));
  }
  if (f.controlId) {
    const id = f.controlId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('evidence_control')
          .select('evidence_control.evidence_id')
          .whereRef('evidence_control.evidence_id', '=', 'evidence.id')
          .where('evidence_control.control_id', '=', id),
      ),
    );
  }
  // the list binds a search as its LIKE pattern (query-cache.ts binds values as they are)
  const pattern = f.pattern ?? (f.q ? containsPattern(f.q) : undefined);
  if (pattern !== undefined) {
    q = q.where((eb: ExpressionBuilder<DB, 'evidence'>) =>
      eb.or([
        likeInsensitive(eb.ref('evidence.title'), pattern),
        likeInsensitive(eb.ref('evidence.reference'), pattern),
        likeInsensitive(eb.ref('evidence.description'), pattern),
        likeInsensitive(eb.ref('evidence.file_name'), pattern),
      ]),
    );
  }
  return q;
}

function withDetails(db: Executor, scopeId: string, f: EvidenceFilter, today: string, until?: string) {
  return filtered(db, scopeId, f, today, until)
    .leftJoin('app_user as creator', 'creator.id', 'evidence.created_by')
    .selectAll('evidence')
    .select((eb) => [
      'creator.name as creator_name',
      'creator.email as creator_email',
      eb
        .selectFrom('evidence_control')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('evidence_control.evidence_id', '=', 'evidence.id')
        .as('control_count'),
    ]);
}

export type EvidenceRow = EvidenceTable & {
  creator_name: string | null;
  creator_email: string | null;
  control_count: number | string | null;
};

/** The list's filter with what it binds besides: today (and the window's end) only when it filters by validity. */
type EvidenceListFilter = EvidenceFilter &
  Pick<ListEvidenceQuery, 'sort' | 'order'> & { scopeId: string; today: string; until?: string; pattern?: string };

const evidencePage = cachedList(
  'evidence.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<EvidenceListFilter>(shape, values);
    // the reference is unique in a scope: no tie-breaker, so that its unique index gives the order (migration 0030)
    return withDetails(db, f.scopeId, f, f.today, f.until)
      .orderBy(sortColumns[f.sort], f.order)
      .$if(f.sort !== 'reference', (q) => q.orderBy('evidence.id', f.order));
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<EvidenceListFilter>(shape, values);
    return filtered(db, f.scopeId, f, f.today, f.until);
  },
);

/** One page and the total: two statements whatever the page size, compiled once per shape (query-cache.ts; a search binds its pattern). */
export async function listEvidence(db: Executor, scopeId: string, query: ListEvidenceQuery, today: string) {
  const { page, pageSize, q, ...filter } = query;
  const dates = filter.validity ? { today, ...(filter.validity === 'expiring' && { until: expiringUntil(today) }) } : {};
  const search = q ? { pattern: containsPattern(q) } : {};
  const { shape, values } = splitFilter({ ...filter, ...search, scopeId, ...dates }, { branches: ['sort', 'order', 'validity'] });
  const { rows, total, capped } = await evidencePage(db, shape, values, pageSize, (page - 1) * pageSize);
  return { rows: rows as EvidenceRow[], total, capped };
}

export async function findEvidence(db: Executor, scopeId: string, id: string, today: string): Promise<EvidenceRow | undefined> {
  return (await withDetails(db, scopeId, {}, today).where('evidence.id', '=', id).executeTakeFirst()) as EvidenceRow | undefined;
}

export async function findEvidenceControls(db: Executor, evidenceId: string) {
  return db
    .selectFrom('evidence_control')
    .innerJoin('control', 'control.id', 'evidence_control.control_id')
    .select(['control.id', 'control.reference', 'control.title', 'control.status'])
    .where('evidence_control.evidence_id', '=', evidenceId)
    .orderBy('control.reference')
    .execute();
}

export async function insertEvidence(db: Executor, row: EvidenceTable): Promise<void> {
  await db.insertInto('evidence').values(row).execute();
}

export async function deleteEvidence(db: Executor, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('evidence').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function addControlLinks(db: Executor, evidenceId: string, controlIds: string[]): Promise<void> {
  if (controlIds.length === 0) return;
  await db
    .insertInto('evidence_control')
    .values(controlIds.map((control_id) => ({ evidence_id: evidenceId, control_id })))
    .onConflict((oc) => oc.columns(['evidence_id', 'control_id']).doNothing())
    .execute();
}

export async function removeControlLink(db: Executor, evidenceId: string, controlId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('evidence_control')
    .where('evidence_id', '=', evidenceId)
    .where('control_id', '=', controlId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
