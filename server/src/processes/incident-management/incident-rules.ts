/**
 * Incident lifecycle and regulatory clocks (ISO 27001 Annex A 5.24–5.28; GDPR Art. 33; NIS2 Art. 23).
 * Pure functions: no database, no clock of their own. All instants are UTC; a deadline is an instant, so daylight-saving
 * changes in any time zone cannot move it (72 hours are 72 elapsed hours). "One month" is a calendar month in UTC.
 */
export const incidentStatuses = ['reported', 'triaged', 'responding', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

const transitions: Record<IncidentStatus, IncidentStatus[]> = {
  reported: ['triaged'],
  triaged: ['responding', 'resolved'],
  responding: ['resolved'],
  resolved: ['closed', 'responding'],
  closed: [],
};

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return transitions[from].includes(to);
}

export function nextStatuses(from: IncidentStatus): IncidentStatus[] {
  return transitions[from];
}

export const notificationRegimes = ['gdpr_art33', 'nis2_early_warning', 'nis2_notification', 'nis2_final_report'] as const;
export type NotificationRegime = (typeof notificationRegimes)[number];

export const regimeLabels: Record<NotificationRegime, string> = {
  gdpr_art33: 'GDPR Art. 33 notification to the supervisory authority (72 hours)',
  nis2_early_warning: 'NIS2 Art. 23 early warning (24 hours)',
  nis2_notification: 'NIS2 Art. 23 incident notification (72 hours)',
  nis2_final_report: 'NIS2 Art. 23 final report (one month after the notification)',
};

const HOUR = 3_600_000;

/** Adds calendar months in UTC, clamping to the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addUtcMonths(from: Date, months: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

export interface ClockInput {
  awareAt: Date;
  personalData: boolean;
  nis2Significant: boolean;
  /** when the NIS2 incident notification was sent; the final report is due one month after it */
  nis2NotificationSentAt?: Date | null;
}

/** The notifications an incident owes and their deadlines. */
export function regulatoryDeadlines(input: ClockInput): { regime: NotificationRegime; dueAt: Date | null }[] {
  const out: { regime: NotificationRegime; dueAt: Date | null }[] = [];
  const t = input.awareAt.getTime();
  if (input.personalData) out.push({ regime: 'gdpr_art33', dueAt: new Date(t + 72 * HOUR) });
  if (input.nis2Significant) {
    out.push({ regime: 'nis2_early_warning', dueAt: new Date(t + 24 * HOUR) });
    out.push({ regime: 'nis2_notification', dueAt: new Date(t + 72 * HOUR) });
    // unknown until the notification has been sent
    out.push({ regime: 'nis2_final_report', dueAt: input.nis2NotificationSentAt ? addUtcMonths(input.nis2NotificationSentAt, 1) : null });
  }
  return out;
}

/** A notification sent after its deadline needs the reasons for the delay (GDPR Art. 33(1)). */
export function isLate(dueAt: Date | null, sentAt: Date): boolean {
  return dueAt !== null && sentAt.getTime() > dueAt.getTime();
}

/** Milliseconds left (negative when overdue), for countdowns. */
export function remainingMs(dueAt: Date | null, now: Date): number | null {
  return dueAt === null ? null : dueAt.getTime() - now.getTime();
}
