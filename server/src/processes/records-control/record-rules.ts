/**
 * Records control rules (ISO 27001 7.5.3 c, d: storage and preservation, retention and disposition; A.5.33 protection
 * of records). Pure functions: the disposal queue is computed at read time from these.
 */

/** 'YYYY-MM-DD' plus whole months; a day that does not exist in the target month becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const firstOfTarget = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(d, lastDay));
  return firstOfTarget.toISOString().slice(0, 10);
}

/** The day the retention period ends: start + retention. From that day on the record may be disposed of. */
export function retentionEndsOn(retentionStartOn: string, retentionMonths: number): string {
  return addMonths(retentionStartOn, retentionMonths);
}

export interface RetentionState {
  status: string;
  retentionStartOn: string;
  retentionMonths: number;
  legalHold: boolean;
}

/** Why a record may not be disposed of today, or null when it may. */
export function disposalBlocker(r: RetentionState, today: string): { key: string; params: { endsOn?: string } } | null {
  if (r.status === 'disposed') return { key: 'record.alreadyDisposed', params: {} };
  if (r.legalHold) return { key: 'record.underHold', params: {} };
  const ends = retentionEndsOn(r.retentionStartOn, r.retentionMonths);
  if (ends > today) return { key: 'record.retained', params: { endsOn: ends } };
  return null;
}

export const isDisposable = (r: RetentionState, today: string): boolean => disposalBlocker(r, today) === null;

/** What the person disposing of a record must type: the disposal is irreversible. */
export const disposalConfirmation = (reference: string): string => `DISPOSE ${reference}`;
