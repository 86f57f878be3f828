/**
 * The ISMS cycle and the manager's cockpit (ISO 27001 4.4, 9, 10).
 *   GET   /api/scopes/:scopeId/cycles              the scope's cycles, newest first (process:read)
 *   POST  /api/scopes/:scopeId/cycles              start the next cycle (process:manage); the current one is closed
 *   PATCH /api/scopes/:scopeId/cycles/:cycleId     change a cycle's dates (process:manage)
 *   GET   /api/scopes/:scopeId/cockpit             the current cycle with its phases and checks, overdue work by process,
 *                                                  hand-offs waiting by edge, the next steps (process:read)
 */
import { z } from 'zod';
import { pdcaPhases } from '../process.schemas.ts';
import { dateSchema, idSchema, versionSchema } from '../../shared/schemas.ts';
import { readinessStates } from './readiness.ts';

export const cycleResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** the scope's current cycle (the others are history) */
  current: z.boolean(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type CycleResponse = z.infer<typeof cycleResponse>;

export const cycleListResponse = z.object({ items: z.array(cycleResponse) });

export const startCycleBody = z.strictObject({
  /** default: today (the current cycle then ends yesterday), or the day after the current cycle ended if it has */
  startsOn: dateSchema.optional(),
  /** default: one year after the start, less a day */
  endsOn: dateSchema.optional(),
});
export type StartCycleInput = z.infer<typeof startCycleBody>;

export const updateCycleBody = z.strictObject({
  version: versionSchema,
  startsOn: dateSchema.optional(),
  endsOn: dateSchema.optional(),
});
export type UpdateCycleInput = z.infer<typeof updateCycleBody>;

export const cycleParams = z.object({ scopeId: idSchema, cycleId: idSchema });

export const phaseStatuses = ['done', 'in_progress', 'not_started'] as const;
export type PhaseStatus = (typeof phaseStatuses)[number];

const processRef = z.object({ key: z.string(), name: z.string() });

export const checkResponse = z.object({
  key: z.string(),
  process: processRef,
  /** i18n keys of the web client's `cockpit` namespace */
  labelKey: z.string(),
  explanationKey: z.string(),
  reasonKey: z.string().nullable(),
  state: z.enum(readinessStates),
  figures: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  link: z.string().nullable(),
});
export type CheckResponse = z.infer<typeof checkResponse>;

export const phaseResponse = z.object({
  phase: z.enum(pdcaPhases),
  status: z.enum(phaseStatuses),
  checks: z.array(checkResponse),
});

export const cockpitResponse = z.object({
  /** today, YYYY-MM-DD (UTC) */
  asOf: z.string(),
  /** null until the scope's first cycle is started */
  cycle: cycleResponse
    .extend({
      /** the first phase not done yet; null when every phase is done */
      currentPhase: z.enum(pdcaPhases).nullable(),
      phases: z.array(phaseResponse),
    })
    .nullable(),
  overdue: z.object({
    total: z.number().int(),
    byProcess: z.array(
      z.object({
        process: processRef,
        count: z.number().int(),
        /** the task that has waited longest past its due date */
        oldest: z.object({ reference: z.string(), title: z.string(), dueOn: z.string() }),
        link: z.string(),
      }),
    ),
  }),
  handoffs: z.object({
    total: z.number().int(),
    overdue: z.number().int(),
    byEdge: z.array(
      z.object({
        edge: z.string(),
        from: processRef,
        to: processRef,
        count: z.number().int(),
        /** when the oldest waiting item was handed over */
        oldestAt: z.string(),
        /** waiting items past their due date */
        overdue: z.number().int(),
        link: z.string(),
      }),
    ),
  }),
  nextSteps: z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('task'),
        reference: z.string(),
        title: z.string(),
        dueOn: z.string(),
        process: processRef,
        link: z.string(),
      }),
      z.object({
        kind: z.literal('check'),
        key: z.string(),
        labelKey: z.string(),
        phase: z.enum(pdcaPhases),
        process: processRef,
        link: z.string().nullable(),
      }),
    ]),
  ),
});
export type CockpitResponse = z.infer<typeof cockpitResponse>;
