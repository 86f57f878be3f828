import type { DemoStep } from '../../engine/module.ts';
import { can } from '../../auth/actor.ts';
import { ANNEX_A_KEY, listCatalogs, listRequirements } from '../../catalogs/catalog.service.ts';
import type { CreateControlInput } from '../control-implementation/index.ts';
import { createControl } from '../control-implementation/index.ts';
import { createLinkEvidence } from '../control-implementation/index.ts';
import { getAcceptance, signAcceptance } from './risk-acceptance.service.ts';
import type { SaveTreatmentInput } from './risk-treatment.schemas.ts';
import { decideTreatment, saveTreatment } from './risk-treatment.service.ts';
import { createSoa, listSoaEntries, updateSoaEntry } from './soa.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import { type DemoContext, demoWords, memberActor, userIdOf } from '../../demo/demo-context.ts';
import { de } from './risk-treatment.demo.de.ts';

/** What the demo's controls, evidence, treatments, acceptance and SoA say; German in risk-treatment.demo.de.ts. */
const en = {
  controls: {
    backup: {
      title: 'Offline backup copy with quarterly restore tests',
      description: 'Nightly backups of servers and databases; a weekly copy is kept offline. A restore is tested every quarter.',
    },
    mfa: {
      title: 'Multi-factor authentication for email and remote access',
      description: 'A second factor (authenticator app) for email from the internet, the VPN and every administrator login.',
    },
    awareness: {
      title: 'Security awareness training for all staff',
      description: 'A yearly online course with a short quiz for everyone; phishing examples in the staff newsletter.',
    },
    patching: {
      title: 'Dependency scanning and patching of the web shop',
      description: 'Third-party libraries of the web shop are scanned on every build; known vulnerabilities are fixed within 14 days.',
    },
    physical: {
      title: 'Physical access control to the server room',
      description: 'Badge reader with personal badges for the IT team only; visitors are accompanied and signed in.',
    },
    policy: {
      title: 'Information security policy approved and communicated',
      description: 'The information security policy is approved, published to all staff and acknowledged by them.',
    },
  },
  restoreReportTitle: 'Restore test report, last quarter',
  restoreReportDescription: 'The ERP database was restored from the offline copy to the test system in 3 hours 40 minutes.',
  badgeReviewTitle: 'Server room badge list and access log review',
  badgeReviewDescription: 'Yearly review of who holds a badge for the server room; the access log of the last quarter was checked.',
  ransomwareRationale: 'The ERP system cannot be rebuilt without its data; an offline copy and malware protection bring the risk down.',
  ransomwareObjectives: ['Restore the ERP system within one working day', 'No backup reachable from the production network'],
  ransomwareAction: 'Rotate the offline backup disks weekly',
  phishingRationale: 'Stolen passwords alone must no longer open email or the VPN; staff learn to recognise phishing.',
  phishingObjectives: ['Every login from the internet uses a second factor'],
  phishingAction: 'Enrol all staff in the authenticator app',
  powerRationale:
    'The provider runs a generator and a second power feed costs more than a short outage; the level is within the acceptance criteria.',
  webshopRationale: 'Known vulnerabilities in libraries are the most likely way in; scanning on every build finds them early.',
  webshopObjectives: ['No known critical vulnerability in production for more than 14 days'],
  acceptanceJustification:
    'The provider’s generator bridges an outage of a few hours; a second power feed costs more than the expected damage.',
  managementAgreed: 'Agreed for one year.',
  notOutsourced: 'All software is developed in house; no development is outsourced.',
  soaTitle: 'Statement of Applicability: ISO/IEC 27001:2022 Annex A',
};
export type TreatmentDemoWords = typeof en;
type ControlKey = keyof TreatmentDemoWords['controls'];

interface DemoControl {
  key: ControlKey;
  /** Annex A identifiers of ISO/IEC 27001:2022 */
  requirements: string[];
  owner: string;
  status: NonNullable<CreateControlInput['status']>;
  effectiveness: NonNullable<CreateControlInput['effectiveness']>;
  /** days from today; implemented controls get the day they were implemented, open ones a due date */
  days: number;
  costEstimate: number | null;
}

const controls: DemoControl[] = [
  {
    key: 'backup',
    requirements: ['A.8.13'],
    owner: 'it',
    status: 'implemented',
    effectiveness: 'partially_effective',
    days: -90,
    costEstimate: 4500,
  },
  {
    key: 'mfa',
    requirements: ['A.8.5'],
    owner: 'it',
    status: 'in_progress',
    effectiveness: 'not_assessed',
    days: 30,
    costEstimate: 2400,
  },
  {
    key: 'awareness',
    requirements: ['A.6.3'],
    owner: 'hr',
    status: 'implemented',
    effectiveness: 'not_assessed',
    days: -30,
    costEstimate: null,
  },
  {
    key: 'patching',
    requirements: ['A.8.8', 'A.8.28'],
    owner: 'dev',
    status: 'planned',
    effectiveness: 'not_assessed',
    days: 60,
    costEstimate: 1200,
  },
  {
    key: 'physical',
    requirements: ['A.7.2'],
    owner: 'it',
    status: 'verified',
    effectiveness: 'effective',
    days: -400,
    costEstimate: null,
  },
  {
    key: 'policy',
    requirements: ['A.5.1'],
    owner: 'it',
    status: 'implemented',
    effectiveness: 'effective',
    days: -7,
    costEstimate: null,
  },
];

/** The requirement ids of the built-in Annex A catalog, by identifier (A.5.1 … A.8.34). */
async function annexARequirements(ctx: DemoContext): Promise<Map<string, string>> {
  const { deps, actor, scopeId } = ctx;
  const catalog = (await listCatalogs(deps, actor, scopeId)).find((c) => c.key === ANNEX_A_KEY);
  if (!catalog) return new Map();
  const page = await listRequirements(deps, actor, scopeId, catalog.id, { page: 1, pageSize: 500, kind: 'control' });
  return new Map(page.items.map((r: { identifier: string; id: string }) => [r.identifier, r.id]));
}

/**
 * Controls of the library linked to Annex A, treatment decisions for three risks (and one draft), a residual-risk
 * acceptance signed by the risk owner (and management where the scope requires it), evidence links and a draft
 * Statement of Applicability pre-filled from the treatments (ISO 27001 6.1.3, 8.3).
 */
export async function seedDemoControls(ctx: DemoContext, riskIds: Map<string, string>) {
  const { deps, actor, scopeId } = ctx;
  const w = demoWords(ctx, { en, de });
  const today = deps.clock.now();
  const requirementIds = await annexARequirements(ctx);
  const req = (identifier: string) => requirementIds.get(identifier);

  const controlIds = new Map<string, string>();
  for (const c of controls) {
    const done = c.status === 'implemented' || c.status === 'verified';
    const created = await createControl(deps, actor, scopeId, {
      ...w.controls[c.key],
      ownerId: userIdOf(ctx, c.owner),
      status: c.status,
      effectiveness: c.effectiveness,
      costEstimate: c.costEstimate,
      dueOn: done ? null : utcDatePlusDays(today, c.days),
      implementedOn: done ? utcDatePlusDays(today, c.days) : null,
      requirementIds: c.requirements.map(req).filter((id): id is string => !!id),
    });
    controlIds.set(c.key, created.id);
  }
  const control = (key: string) => ({ controlId: controlIds.get(key)! });

  // evidence as links to where the records are kept (no files)
  await createLinkEvidence(deps, actor, scopeId, {
    title: w.restoreReportTitle,
    description: w.restoreReportDescription,
    evidenceDate: utcDatePlusDays(today, -20),
    validUntil: utcDatePlusDays(today, 70),
    controlIds: [controlIds.get('backup')!],
    url: 'https://intranet.demo.praxis.example/it/backup/restore-tests',
  });
  await createLinkEvidence(deps, actor, scopeId, {
    title: w.badgeReviewTitle,
    description: w.badgeReviewDescription,
    evidenceDate: utcDatePlusDays(today, -45),
    validUntil: utcDatePlusDays(today, 320),
    controlIds: [controlIds.get('physical')!],
    url: 'https://intranet.demo.praxis.example/it/physical-security/badge-review',
  });

  // ISO 27001 6.1.3 a–e: treatment options, controls and the plan, decided by the risk owner's team
  const treatments: { risk: string; input: SaveTreatmentInput; decide: boolean }[] = [
    {
      risk: 'ransomware',
      decide: true,
      input: {
        version: 0,
        option: 'modify',
        rationale: w.ransomwareRationale,
        objectives: w.ransomwareObjectives,
        controls: [control('backup'), ...(req('A.8.7') ? [{ requirementId: req('A.8.7')!, ownerId: userIdOf(ctx, 'it') }] : [])],
        actions: [
          {
            title: w.ransomwareAction,
            ownerId: userIdOf(ctx, 'it'),
            dueOn: utcDatePlusDays(today, 21),
            costEstimate: 800,
            status: 'in_progress',
          },
        ],
      },
    },
    {
      risk: 'phishing',
      decide: true,
      input: {
        version: 0,
        option: 'modify',
        rationale: w.phishingRationale,
        objectives: w.phishingObjectives,
        controls: [control('mfa'), control('awareness')],
        actions: [
          {
            title: w.phishingAction,
            ownerId: userIdOf(ctx, 'it'),
            dueOn: utcDatePlusDays(today, 30),
            costEstimate: null,
            status: 'open',
          },
        ],
      },
    },
    {
      risk: 'power',
      decide: true,
      input: {
        version: 0,
        option: 'retain',
        rationale: w.powerRationale,
        objectives: [],
        controls: [],
        actions: [],
      },
    },
    {
      risk: 'webshop',
      decide: false,
      input: {
        version: 0,
        option: 'modify',
        rationale: w.webshopRationale,
        objectives: w.webshopObjectives,
        controls: [control('patching')],
        actions: [],
      },
    },
  ];
  for (const t of treatments) {
    const riskId = riskIds.get(t.risk);
    if (!riskId) continue;
    const saved = await saveTreatment(deps, actor, scopeId, riskId, t.input);
    if (t.decide) await decideTreatment(deps, actor, scopeId, riskId, { version: saved.version, changeRequests: [] });
  }

  // ISO 27001 6.1.3 f: the risk owner accepts the retained residual risk; management co-signs where the scope requires it
  const powerId = riskIds.get('power');
  if (powerId) {
    const overview = await getAcceptance(deps, actor, scopeId, powerId);
    const owner = memberActor(ctx, 'it');
    if (overview.eligibility.current.acceptableBy && can(owner, scopeId, 'treatment:write')) {
      const justification = w.acceptanceJustification;
      const first = await signAcceptance(deps, owner, scopeId, powerId, { basis: 'current', justification });
      if (first.status === 'pending' && first.requiredRoles.includes('management')) {
        await signAcceptance(deps, actor, scopeId, powerId, { basis: 'current', justification: w.managementAgreed });
      }
    }
  }

  // ISO 27001 6.1.3 d: the Statement of Applicability, pre-filled from the treatments and left as a draft
  const soa = await createSoa(deps, actor, scopeId, { catalogKey: ANNEX_A_KEY, title: w.soaTitle });
  const outsourced = await listSoaEntries(deps, actor, scopeId, soa.id, {
    page: 1,
    pageSize: 1,
    // A.8.30 Outsourced development, found by its identifier whatever language the catalog's titles are in
    q: 'A.8.30',
    sort: 'order',
    order: 'asc',
  });
  const entry = outsourced.items[0];
  if (entry) {
    await updateSoaEntry(deps, actor, scopeId, soa.id, entry.id, {
      version: entry.version,
      applicable: false,
      justification: w.notOutsourced,
    });
  }
  return { controlIds, soaId: soa.id };
}

/** Controls, treatments, a signed acceptance and a draft SoA for the demo risks. */
export const riskTreatmentDemo: DemoStep = {
  order: 30,
  run: async (ctx) => {
    await seedDemoControls(ctx, ctx.facts.riskIds ?? new Map());
  },
};
