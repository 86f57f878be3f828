/**
 * Competence rules (ISO 27001 7.2 c: where applicable, take actions to acquire the necessary competence and evaluate
 * their effectiveness). Pure functions.
 */

/** Whether a held competence is still valid on a day: valid through its expiry day, expired the day after. */
export function competenceGap(held: { expiresOn: string | null } | null, today: string): 'missing' | 'expired' | null {
  if (!held) return 'missing';
  if (held.expiresOn !== null && held.expiresOn < today) return 'expired';
  return null;
}
