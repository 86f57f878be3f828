import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, stateOf } from '../../isms/cycle/readiness.ts';

/** Competence and awareness's part of the ISMS cycle (ISO 27001 7.2, 7.3): the trainings assigned are done. */
export const competenceAwarenessReadinessChecks: ReadinessCheck[] = [
  {
    // each current member's latest round of every active course (as the awareness dashboard counts them)
    key: 'trainings-done',
    phase: 'do',
    processKey: 'competence-awareness',
    labelKey: 'checks.trainingsDone.label',
    explanationKey: 'checks.trainingsDone.explanation',
    async evaluate(db, { scopeId }) {
      const row = await db
        .selectFrom('training_assignment as ta')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when ta.completed_at is not null then 1 else 0 end), 0)`.as('done'),
        ])
        .where('ta.scope_id', '=', scopeId)
        .where(
          'ta.course_id',
          'in',
          db.selectFrom('training_course').select('id').where('scope_id', '=', scopeId).where('status', '=', 'active'),
        )
        .where('ta.user_id', 'in', db.selectFrom('membership').select('user_id').where('scope_id', '=', scopeId))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('training_assignment as n')
                .select('n.id')
                .whereRef('n.course_id', '=', 'ta.course_id')
                .whereRef('n.user_id', '=', 'ta.user_id')
                .whereRef('n.round', '>', 'ta.round'),
            ),
          ),
        )
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      return {
        state: stateOf(f.done, f.total),
        figures: f,
        link: `/s/${scopeId}/awareness`,
        reasonKey: f.total === 0 ? 'reasons.noTraining' : null,
      };
    },
  },
];
