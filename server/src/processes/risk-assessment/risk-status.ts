import type { Text } from '../../i18n/i18n.ts';
import { errorText } from '../../shared/errors.ts';
import type { RiskStatus } from './risk.schemas.ts';

/**
 * A risk's status follows its process rather than a hand-picked value (pure rules):
 *   identified → assessed   the current (residual) level is scored (ISO 27001 6.1.2 d, e; 8.2)
 *   → treatment             a treatment that modifies, avoids or shares the risk is decided (6.1.3 a–e; 8.3)
 *   → accepted              an acceptance of the residual risk takes effect with every signature (6.1.3 f)
 *   accepted → back         the acceptance expires, is revoked or ends on a higher re-evaluation: treatment, else assessed
 * `closed` is the one status set by hand (the asset was retired, the scenario no longer exists); reopening gives back
 * the status the process says.
 */
export interface RiskProcessState {
  /** the current level is scored */
  evaluated: boolean;
  /** option of the risk's treatment once decided (null while there is none, or it is a draft) */
  decidedOption: string | null;
  /** an acceptance of the risk is in force */
  accepted: boolean;
}

export type OpenRiskStatus = Exclude<RiskStatus, 'closed'>;

/** The status a risk that is not closed has by its process. */
export function processStatus(s: RiskProcessState): OpenRiskStatus {
  if (s.accepted) return 'accepted';
  if (s.decidedOption !== null && s.decidedOption !== 'retain') return 'treatment';
  return s.evaluated ? 'assessed' : 'identified';
}

/** Where the process moves a risk's status now; a closed risk stays closed until it is reopened by hand. */
export function followProcess(current: RiskStatus, s: RiskProcessState): RiskStatus {
  return current === 'closed' ? 'closed' : processStatus(s);
}

/**
 * A status asked for by hand (create or edit): `closed`, the status the risk already has, or the one its process gives
 * (which is how a closed risk is reopened). A new risk asking for `identified` (the default) gets its process status.
 * Returns the status to store, or why it is refused.
 */
export function requestedStatus(
  requested: RiskStatus,
  current: RiskStatus | null,
  s: RiskProcessState,
): { ok: true; status: RiskStatus } | { ok: false; text: Text } {
  const due = processStatus(s);
  if (requested === 'closed' || requested === current || requested === due) return { ok: true, status: requested };
  if (current === null && requested === 'identified') return { ok: true, status: due };
  // how each status is reached: errors:risk.howToReach
  return {
    ok: false,
    text: errorText(current === 'closed' ? 'risk.statusByHandReopened' : 'risk.statusByHandProcess', { requested, due }),
  };
}
