import { z } from 'zod';
import { dateSchema, idSchema, pageOf, pageQuery, userRef, versionSchema } from '../shared/schemas.ts';
import { cadenceModes, frequencies, MAX_LEAD_DAYS, weekdays } from './cadence.rules.ts';

/** A rule in the editor's words: frequency, interval, and a weekday (weekly), a day of the month, a month (yearly). */
export const friendlyRule = z.strictObject({
  frequency: z.enum(frequencies, { error: `frequency must be one of ${frequencies.join(', ')}` }),
  interval: z.number({ error: 'interval must be a whole number from 1 to 99' }).int().min(1).max(99).default(1),
  weekday: z
    .enum(weekdays, { error: `weekday must be one of ${weekdays.join(', ')}` })
    .nullable()
    .optional(),
  monthDay: z
    .number({ error: 'monthDay must be a day from 1 to 31, or -1 for the last day' })
    .int()
    .refine((d) => d === -1 || (d >= 1 && d <= 31), 'validation:monthDay')
    .nullable()
    .optional(),
  month: z.number({ error: 'month must be from 1 to 12' }).int().min(1).max(12).nullable().optional(),
});
export type FriendlyRuleInput = z.infer<typeof friendlyRule>;

export const processCadenceParams = z.object({ scopeId: idSchema, key: z.string().max(60) });

export const updateCadenceBody = z.strictObject({
  version: versionSchema,
  /** the friendly form, or an RFC 5545 RRULE value ("FREQ=MONTHLY;INTERVAL=3"); null: no cadence */
  rule: z.union([friendlyRule, z.string().max(500)], { error: 'rule must be a rule object, an RRULE text or null' }).nullable(),
  mode: z.enum(cadenceModes, { error: `mode must be one of ${cadenceModes.join(', ')}` }).default('fixed'),
  /** the first occurrence (fixed) or the next one (after completion); default: one period from today */
  startsOn: dateSchema.nullable().optional(),
  leadDays: z
    .number({ error: `leadDays must be a whole number from 0 to ${MAX_LEAD_DAYS}` })
    .int()
    .min(0)
    .max(MAX_LEAD_DAYS)
    .optional(),
  escalationDays: z.number({ error: 'escalationDays must be a whole number from 1 to 90' }).int().min(1).max(90).optional(),
});
export type UpdateCadenceInput = z.infer<typeof updateCadenceBody>;

export const cadenceResponse = z.object({
  processKey: z.string(),
  processName: z.string(),
  /** the friendly form, null when there is no cadence or the rule says more than the editor shows */
  rule: z
    .object({
      frequency: z.enum(frequencies),
      interval: z.number().int(),
      weekday: z.enum(weekdays).nullable(),
      monthDay: z.number().int().nullable(),
      month: z.number().int().nullable(),
    })
    .nullable(),
  rrule: z.string().nullable(),
  mode: z.enum(cadenceModes),
  startsOn: z.string().nullable(),
  leadDays: z.number().int(),
  escalationDays: z.number().int(),
  nextReviewOn: z.string().nullable(),
  /** the next three dates (for counted rules: if each is done on its day) */
  nextDates: z.array(z.string()),
  lastCompletedOn: z.string().nullable(),
  /** the review now under way: its task and how far it has escalated */
  current: z
    .object({ occursOn: z.string(), taskReference: z.string().nullable(), escalationLevel: z.number().int(), overdue: z.boolean() })
    .nullable(),
  version: z.number().int(),
});
export type CadenceResponse = z.infer<typeof cadenceResponse>;

/** Every process's cadence in short, for the process map's table. */
export const cadenceSummary = cadenceResponse.pick({
  processKey: true,
  rule: true,
  rrule: true,
  mode: true,
  leadDays: true,
  escalationDays: true,
  nextReviewOn: true,
  version: true,
});

/** The rule of a kind of record with a review date (e.g. risks): it moves each record's date when its review is done. */
export const sourceCadenceParams = z.object({ scopeId: idSchema, source: z.string().max(60) });
export const sourceCadenceResponse = cadenceResponse
  .pick({ rule: true, rrule: true, mode: true, leadDays: true, escalationDays: true, version: true })
  .extend({
    source: z.string(),
    processKey: z.string(),
    processName: z.string(),
  });
export type SourceCadenceResponse = z.infer<typeof sourceCadenceResponse>;
/** Every process's cadence in short, and the rules of the kinds of record with a review date. */
export const cadenceListResponse = z.object({ items: z.array(cadenceSummary), sources: z.array(sourceCadenceResponse) });
export const updateSourceCadenceBody = updateCadenceBody.omit({ startsOn: true });
export type UpdateSourceCadenceInput = z.infer<typeof updateSourceCadenceBody>;
export type CadenceSummary = z.infer<typeof cadenceSummary>;

export const upcomingQuery = z.strictObject({
  ...pageQuery,
  days: z.coerce.number({ error: 'days must be a whole number from 1 to 366' }).int().min(1).max(366).default(90),
});

export const upcomingItem = z.object({
  date: z.string(),
  overdue: z.boolean(),
  /** no task yet: the sweep creates it ahead of the date */
  planned: z.boolean(),
  processKey: z.string(),
  processName: z.string(),
  title: z.string(),
  record: z.object({ type: z.string(), id: z.string(), reference: z.string().nullable() }),
  assignee: userRef,
  task: z.object({ id: z.string(), reference: z.string(), status: z.string() }).nullable(),
  escalationLevel: z.number().int(),
});
export type UpcomingItem = z.infer<typeof upcomingItem>;
export const upcomingResponse = pageOf(upcomingItem);
