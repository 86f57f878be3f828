import { errorText, invalid } from './errors.ts';

/** The calendar day (UTC) of an ISO timestamp or date. */
export const dayOf = (iso: string): string => iso.slice(0, 10);

/**
 * A due date may not lie before the day its record was created (for a record being created: today). 400 naming the
 * field. Checked only for a due date that is given (a new one or a change), so that an overdue record can still be edited.
 */
export function checkDueNotBeforeCreation(field: string, dueOn: string | null | undefined, createdAt: string): void {
  const createdOn = dayOf(createdAt);
  if (dueOn && dueOn < createdOn) throw invalid(field, errorText('dates.dueBeforeCreation', { createdOn }));
}

/** A day on which something was done or happened may not lie after today. 400 naming the field. */
export function checkNotInFuture(field: string, day: string | null | undefined, today: string): void {
  if (day && day > dayOf(today)) throw invalid(field, errorText('dates.inFuture', { today: dayOf(today) }));
}

/** The end of a period may not lie before its start (both given). 400 naming the end's field. */
export function checkEndNotBeforeStart(field: string, start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && end < start) throw invalid(field, errorText('dates.endBeforeStart', { start }));
}
