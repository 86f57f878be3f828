import type { RiskMethod } from './risk-method.ts';

/*
 * What the risk list sorts by, stored on the risk and indexed (migration 0025), so that a page of the prioritised list
 * is read from an index instead of sorting the whole scope by `case current_level when …` on every request.
 *
 * A level's severity is its order in the scope's method (the newest version that defines the key wins), 0 when unscored
 * or unknown. Orders are 1–20 and a score (likelihood × impact) is at most 5 × 5 = 25, so the ranks pack without overlap:
 *   priority_rank = current severity × 10 000 + inherent severity × 100 + current score   (the default list order)
 *   current_rank  = current severity × 100 + current score                                (sort=currentLevel)
 *   inherent_rank = inherent severity × 100 + inherent score                              (sort=inherentLevel)
 * Every write of a level goes through `riskRanks`; a method change re-ranks the scope's risks (`rerankRisks`).
 */

export interface RankInput {
  inherent_level: string | null;
  inherent_likelihood: number | null;
  inherent_impact: number | null;
  current_level: string | null;
  current_likelihood: number | null;
  current_impact: number | null;
}

export interface RiskRanks {
  priority_rank: number;
  current_rank: number;
  inherent_rank: number;
}

/** The severity of every level key: the newest version's order wins (versions in any order). */
export function severitiesOf(methods: { versionNo: number; method: Pick<RiskMethod, 'levels'> }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of [...methods].sort((a, b) => a.versionNo - b.versionNo)) for (const l of m.method.levels) out.set(l.key, l.order);
  return out;
}

const score = (l: number | null, i: number | null) => (l === null || i === null ? 0 : l * i);
const severity = (key: string | null, severities: ReadonlyMap<string, number>) => (key === null ? 0 : (severities.get(key) ?? 0));

export function riskRanks(r: RankInput, severities: ReadonlyMap<string, number>): RiskRanks {
  const current = severity(r.current_level, severities);
  const inherent = severity(r.inherent_level, severities);
  const currentScore = score(r.current_likelihood, r.current_impact);
  return {
    priority_rank: current * 10_000 + inherent * 100 + currentScore,
    current_rank: current * 100 + currentScore,
    inherent_rank: inherent * 100 + score(r.inherent_likelihood, r.inherent_impact),
  };
}
