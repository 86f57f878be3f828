import { sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { countRisksPastReview } from '../risk-assessment/index.ts';
import { countRisksAboveCriteriaUntreated } from '../risk-treatment/index.ts';
import { controlFigures } from '../control-implementation/index.ts';
import { countOverdueCorrectiveActions } from '../improvement/index.ts';
import { medianHoursToClose, notificationFigures } from '../incident-management/index.ts';
import { trainingFigures } from '../competence-awareness/index.ts';
import { acknowledgementFigures } from '../policy-management/index.ts';
import { hasText, translate } from '../../i18n/i18n.ts';
import type { CreateMeasureInput, LiveKey } from './measure.schemas.ts';

/**
 * Live measures: computed by Praxis from its own records when due, each by one or two aggregate statements through the
 * read functions other modules export from their index.ts (or the platform's task and hand-off tables). A computation
 * answers null when there is nothing to measure (no controls, no incident closed in the period…): no value is recorded.
 */
export interface LiveContext {
  db: Executor;
  dialect: DialectName;
  scopeId: string;
  /** YYYY-MM-DD: the due date the value is taken on */
  today: string;
  /** ISO instant: the start of the period the value covers (one collection period before today) */
  since: string;
  /** ISO instant: now */
  now: string;
  /** the measure's parameter (a process key for hand-off waiting time) */
  param: string | null;
}

const share = (done: number, total: number) => (total === 0 ? null : Math.round((done / total) * 1000) / 10);

function hours(dialect: DialectName, to: ReturnType<typeof sql>, from: ReturnType<typeof sql>) {
  return dialect === 'postgres'
    ? sql<number>`extract(epoch from (${to} - ${from})) / 3600.0`
    : sql<number>`(julianday(${to}) - julianday(${from})) * 24.0`;
}

/** The median of the middle rows a window function picks (both dialects). */
const median = (rows: { h: unknown }[]) =>
  rows.length ? Math.round((rows.reduce((a, r) => a + Number(r.h), 0) / rows.length) * 10) / 10 : null;

async function medianTriageHours(c: LiveContext): Promise<number | null> {
  const h = hours(c.dialect, sql.ref('completed_at'), sql.ref('created_at'));
  const rows = await c.db
    .selectFrom(
      c.db
        .selectFrom('task')
        .select([h.as('h'), sql<number>`row_number() over (order by ${h})`.as('rn'), sql<number>`count(*) over ()`.as('n')])
        .where('scope_id', '=', c.scopeId)
        .where('status', '=', 'done')
        .where('process_key', '=', 'incident-management')
        .where('purpose', '=', 'triage')
        .where('completed_at', '>=', c.since)
        .as('triaged'),
    )
    .select('h')
    .where(sql<boolean>`rn in ((n + 1) / 2, (n + 2) / 2)`)
    .execute();
  return median(rows);
}

async function medianHandoffWaitHours(c: LiveContext): Promise<number | null> {
  const now = c.dialect === 'postgres' ? sql`cast(${c.now} as timestamptz)` : sql`${c.now}`;
  const h = hours(c.dialect, sql`coalesce(done_at, ${now})`, sql.ref('created_at'));
  let inner = c.db
    .selectFrom('handoff')
    .select([h.as('h'), sql<number>`row_number() over (order by ${h})`.as('rn'), sql<number>`count(*) over ()`.as('n')])
    .where('scope_id', '=', c.scopeId)
    .where((eb) => eb.or([eb('done_at', 'is', null), eb('done_at', '>=', c.since)]));
  if (c.param) inner = inner.where('to_process', '=', c.param);
  const rows = await c.db.selectFrom(inner.as('waits')).select('h').where(sql<boolean>`rn in ((n + 1) / 2, (n + 2) / 2)`).execute();
  return median(rows);
}

export const liveComputations: Record<LiveKey, (c: LiveContext) => Promise<number | null>> = {
  'evidence-freshness': async (c) => {
    const f = await controlFigures(c.db, c.scopeId, c.today);
    return share(f.withValidEvidence, f.total);
  },
  'controls-implemented': async (c) => {
    const f = await controlFigures(c.db, c.scopeId, c.today);
    return share(f.implemented, f.total);
  },
  'overdue-corrective-actions': (c) => countOverdueCorrectiveActions(c.db, c.scopeId, c.today),
  'incident-triage-hours': medianTriageHours,
  'incident-close-hours': async (c) => {
    const h = await medianHoursToClose(c.db, c.dialect, c.scopeId, c.since);
    return h === null ? null : Math.round(h * 10) / 10;
  },
  'notifications-in-time': async (c) => {
    const f = await notificationFigures(c.db, c.scopeId, c.since);
    return share(f.inTime, f.total);
  },
  'training-completion': async (c) => {
    const f = await trainingFigures(c.db, c.scopeId, c.today);
    return share(f.completed, f.total);
  },
  'policy-acknowledgement': async (c) => {
    const f = await acknowledgementFigures(c.db, c.scopeId, c.today);
    return share(f.acknowledged, f.total);
  },
  'risks-above-criteria-untreated': (c) => countRisksAboveCriteriaUntreated(c.db, c.scopeId),
  'risks-past-review': (c) => countRisksPastReview(c.db, c.scopeId, c.today),
  'handoff-wait-hours': medianHandoffWaitHours,
};

type Definition = Omit<CreateMeasureInput, 'measuredById' | 'analysedById' | 'reportedById' | 'firstDueOn' | 'liveParam'>;
/** The fields of a recommended measure that are words: `measures:recommended.<live key>.<field>` in the server's catalogs. */
const wordedFields = ['name', 'informationNeed', 'object', 'attribute', 'baseMeasures', 'derivedMeasure', 'formula'] as const;
type Worded = (typeof wordedFields)[number];
type Figures = Omit<Definition, 'sourceKind' | 'liveKey' | Worded>;
const live = (key: LiveKey, d: Figures): Figures & { liveKey: LiveKey } => ({ ...d, liveKey: key });

/**
 * The recommended live measures with sensible default targets, added to a scope with one click, worded in `lang` (the
 * server's `measures` catalog; a field it leaves out is empty). Once added, a measure is the scope's own record.
 */
export function recommendedMeasuresIn(lang: string): Definition[] {
  return recommended.map((d) => {
    const words = Object.fromEntries(
      wordedFields.map((f) => {
        const key = `measures:recommended.${d.liveKey}.${f}`;
        return [f, hasText(key) ? translate(lang, key) : ''];
      }),
    ) as Record<Worded, string>;
    return { ...d, ...words, sourceKind: 'live' };
  });
}

const recommended = [
  live('evidence-freshness', {
    unit: '%',
    direction: 'higher',
    target: 90,
    breachAt: 70,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'control-implementation' }],
  }),
  live('controls-implemented', {
    unit: '%',
    direction: 'higher',
    target: 90,
    breachAt: 60,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'control-implementation' }],
  }),
  live('overdue-corrective-actions', {
    unit: '',
    direction: 'lower',
    target: 0,
    breachAt: 3,
    collectionFrequency: 'monthly',
    analysisFrequency: 'monthly',
    links: [{ type: 'process', key: 'improvement' }],
  }),
  live('incident-triage-hours', {
    unit: 'h',
    direction: 'lower',
    target: 24,
    breachAt: 72,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'incident-management' }],
  }),
  live('incident-close-hours', {
    unit: 'h',
    direction: 'lower',
    target: 240,
    breachAt: 720,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'incident-management' }],
  }),
  live('notifications-in-time', {
    unit: '%',
    direction: 'higher',
    target: 100,
    breachAt: 90,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'incident-management' }],
  }),
  live('training-completion', {
    unit: '%',
    direction: 'higher',
    target: 95,
    breachAt: 80,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'competence-awareness' }],
  }),
  live('policy-acknowledgement', {
    unit: '%',
    direction: 'higher',
    target: 95,
    breachAt: 80,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'policy-management' }],
  }),
  live('risks-above-criteria-untreated', {
    unit: '',
    direction: 'lower',
    target: 0,
    breachAt: 2,
    collectionFrequency: 'monthly',
    analysisFrequency: 'monthly',
    links: [{ type: 'process', key: 'risk-treatment' }],
  }),
  live('risks-past-review', {
    unit: '',
    direction: 'lower',
    target: 0,
    breachAt: 5,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [{ type: 'process', key: 'risk-assessment' }],
  }),
  live('handoff-wait-hours', {
    unit: 'h',
    direction: 'lower',
    target: 72,
    breachAt: 240,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    links: [],
  }),
];
