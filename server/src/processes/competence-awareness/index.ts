import { defineModule } from '../../engine/module.ts';
import { permissions } from './competence-awareness.permissions.ts';
import { competenceAwarenessTables } from './competence-awareness.tables.ts';
import { competenceAwarenessReadinessChecks } from './competence-awareness.readiness.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { awarenessRoutes } from './awareness.routes.ts';
import { competenceAwarenessDemo } from './competence-awareness.demo.ts';
import { competenceAwarenessHandoffs } from './competence-awareness.handoffs.ts';
import { competenceRoutes } from './competence.routes.ts';
import { sweepTrainingAssignments } from './training.service.ts';
import { trainingRoutes } from './training.routes.ts';
// the audit pack: the competence and awareness status as the dashboard's workbook
export { exportXlsx as exportAwarenessXlsx } from './awareness.service.ts';

/** Competence and awareness (ISO 27001 7.2, 7.3): job roles, competences, trainings, the awareness dashboard. */
export const competenceAwarenessModule = defineModule({
  key: 'competence-awareness',
  process: 'competence-awareness',
  tables: competenceAwarenessTables,
  routes: [competenceRoutes, trainingRoutes, awarenessRoutes],
  tags: [
    { name: 'competence', description: 'Job roles, competences and gaps' },
    { name: 'training', description: 'Courses, quizzes and assignments' },
    { name: 'awareness', description: 'The awareness dashboard' },
  ],
  permissions,
  emits: [
    {
      event: 'training.completed',
      informational: 'A completed training grants its competence within this module; no other process has work for it.',
    },
  ],
  receives: competenceAwarenessHandoffs,
  sweeps: { 'training-assignments': sweepTrainingAssignments },
  demo: competenceAwarenessDemo,
  readiness: competenceAwarenessReadinessChecks,
  nav: [
    { section: 'training', permission: 'training:read' },
    { section: 'awareness', permission: 'awareness:report' },
  ],
});

/** For performance evaluation (ISO 27001 9.1, 7.2): training assignments due by `today`, and those completed. */
export async function trainingFigures(db: Executor, scopeId: string, today: string) {
  const row = await db
    .selectFrom('training_assignment')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`coalesce(sum(case when completed_at is not null then 1 else 0 end), 0)`.as('completed'),
    ])
    .where('scope_id', '=', scopeId)
    .where('due_on', '<=', today)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), completed: Number(row?.completed ?? 0) };
}
