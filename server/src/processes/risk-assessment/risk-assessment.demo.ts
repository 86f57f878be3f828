import type { DemoStep } from '../../engine/module.ts';
import type { Actor } from '../../auth/actor.ts';
import { getRiskMethod } from './risk-method.service.ts';
import type { CreateRiskInput } from './risk.schemas.ts';
import { createRisk } from './risk.service.ts';
import { listThreats } from './threat.service.ts';
import type { Deps } from '../../shared/context.ts';
import { type DemoLanguage, demoWords } from '../../demo/demo-context.ts';
import { de } from './risk-assessment.demo.de.ts';

/** What the demo's risks say; German in risk-assessment.demo.de.ts. */
const en = {
  ransomware: {
    title: 'Ransomware encrypts the ERP system and its backups',
    vulnerability: 'Backups are written to a share the ERP servers can reach; no offline copy.',
    description: 'Malware arrives by email or a compromised remote access and spreads to the servers in the data centre.',
  },
  phishing: {
    title: 'Phishing gives attackers the credentials of staff',
    vulnerability: 'Single-factor sign-in for email from the internet.',
    description: 'Credential phishing against the sales and finance teams; the accounts open email, files and the ERP.',
  },
  webshop: {
    title: 'Vulnerability in the customer web shop is exploited',
    vulnerability: 'Third-party libraries are updated irregularly; no dependency scanning.',
    description: 'An attacker uses a known vulnerability to read customer records or place manipulated orders.',
  },
  laptop: {
    title: 'Stolen laptop exposes customer data',
    vulnerability: 'Sales staff keep exports of the customer list on their laptops.',
    description: 'Laptops are encrypted, but exports are also copied to USB sticks.',
  },
  power: {
    title: 'Power outage at the colocation data centre',
    vulnerability: 'A single power feed for the rack.',
    description: 'The provider runs a generator; the rack has no second feed.',
  },
  payroll: {
    title: 'Payroll provider outage delays salary payments',
    vulnerability: 'No agreed fallback for a missed payroll run.',
    description: 'The provider has been reliable; a missed run would need manual payments.',
  },
  legacy: {
    title: 'Legacy file server runs without security updates',
    vulnerability: 'The operating system is out of support.',
    description: 'Identified during the migration to the document management system; not yet analysed.',
  },
};
export type RiskDemoWords = typeof en;
type RiskKey = keyof RiskDemoWords;

type Score = [likelihood: number, impact: number] | null;
interface DemoRisk {
  /** how the later demo steps (treatment, acceptance) find the risk */
  key: RiskKey;
  /** a BSI elementary threat (its title comes from the threat catalog, in the reader's language) */
  threat: string;
  assets: string[];
  cia: 'C' | 'I' | 'A' | 'CI' | 'CA' | 'IA' | 'CIA';
  owner: string;
  /** on a five-level scale; placed on the scope's own scales when seeded */
  inherent: Score;
  current: Score;
  target: Score;
}

const risks: DemoRisk[] = [
  {
    key: 'ransomware',
    threat: 'G 0.39',
    assets: ['erp-sys', 'backup', 'customer-data'],
    cia: 'CIA',
    owner: 'it',
    inherent: [4, 5],
    current: [3, 5],
    target: [2, 3],
  },
  {
    key: 'phishing',
    threat: 'G 0.42',
    assets: ['mail', 'ad'],
    cia: 'CI',
    owner: 'it',
    inherent: [5, 4],
    current: [4, 4],
    target: [2, 3],
  },
  {
    key: 'webshop',
    threat: 'G 0.28',
    assets: ['webshop', 'customer-data'],
    cia: 'CI',
    owner: 'dev',
    inherent: [3, 4],
    current: [3, 4],
    target: [1, 4],
  },
  {
    key: 'laptop',
    threat: 'G 0.16',
    assets: ['laptops', 'customer-data'],
    cia: 'C',
    owner: 'it',
    inherent: [3, 4],
    current: [2, 3],
    target: null,
  },
  {
    key: 'power',
    threat: 'G 0.8',
    assets: ['dc', 'colo'],
    cia: 'A',
    owner: 'it',
    inherent: [2, 4],
    current: [2, 3],
    target: null,
  },
  {
    key: 'payroll',
    threat: 'G 0.11',
    assets: ['payroll-provider', 'payroll'],
    cia: 'A',
    owner: 'hr',
    inherent: [2, 3],
    current: [2, 2],
    target: null,
  },
  {
    key: 'legacy',
    threat: 'G 0.28',
    assets: ['old-fileserver'],
    cia: 'CIA',
    owner: 'it',
    inherent: null,
    current: null,
    target: null,
  },
];

/** A value on a five-level scale placed on a scale of n levels. */
const place = (v: number, n: number) => Math.max(1, Math.min(n, Math.ceil((v * n) / 5)));

/**
 * Risks of the demo organisation: scored by the scope's own method, linked to its assets and BSI threats.
 * Returns the risk ids by key.
 */
export async function seedDemoRisks(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  userOf: Map<string, string>,
  assetIds: Map<string, string>,
  lang: DemoLanguage = 'en',
): Promise<Map<string, string>> {
  const w = demoWords({ lang }, { en, de });
  const riskIds = new Map<string, string>();
  const method = await getRiskMethod(deps, actor, scopeId);
  const threats = new Map((await listThreats(deps, actor, scopeId)).items.map((t) => [t.code, t.id]));
  const scored = (s: Score) => (s ? [place(s[0], method.likelihood.length), place(s[1], method.impact.length)] : [null, null]);
  for (const r of risks) {
    const [inherentLikelihood, inherentImpact] = scored(r.inherent);
    const [currentLikelihood, currentImpact] = scored(r.current);
    const [targetLikelihood, targetImpact] = scored(r.target);
    const input: CreateRiskInput = {
      title: w[r.key].title,
      description: w[r.key].description,
      threatId: threats.get(r.threat) ?? null,
      vulnerability: w[r.key].vulnerability,
      consequences: { confidentiality: r.cia.includes('C'), integrity: r.cia.includes('I'), availability: r.cia.includes('A') },
      ownerId: userOf.get(r.owner) ?? actor.userId,
      // the status follows the process: assessed once the current level is scored
      status: 'identified',
      assetIds: r.assets.map((k) => assetIds.get(k)).filter((id): id is string => !!id),
      inherentLikelihood,
      inherentImpact,
      currentLikelihood,
      currentImpact,
      targetLikelihood,
      targetImpact,
      nextReviewOn: null,
    };
    riskIds.set(r.key, (await createRisk(deps, actor, scopeId, input)).id);
  }
  return riskIds;
}

/** The risk register of the demo organisation (after the incidents, before their treatment). */
export const riskAssessmentDemo: DemoStep = {
  order: 20,
  run: async (ctx) => {
    const userOf = new Map([...ctx.people.values()].map((p) => [p.key, p.userId]));
    ctx.facts.riskIds = await seedDemoRisks(ctx.deps, ctx.actor, ctx.scopeId, userOf, ctx.assetIds, ctx.lang);
  },
};
