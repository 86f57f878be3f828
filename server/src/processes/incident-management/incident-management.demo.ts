import type { Actor } from '../../auth/actor.ts';
import type { DemoStep } from '../../engine/module.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { type DemoLanguage, demoWords } from '../../demo/demo-context.ts';
import { createChange } from '../change-management/index.ts';
import { addCorrectiveAction, createNonconformity, createOpportunity } from '../improvement/index.ts';
import { addIncidentEvent, reportIncident, transitionIncident, triageIncident } from './incident.service.ts';
import { de } from './incident-management.demo.de.ts';

/** What the demo's incidents, change request and improvement items say; German in incident-management.demo.de.ts. */
const en = {
  phishTitle: 'Suspicious email asking to confirm a payment',
  phishDescription: 'An email from a supplier address asked to change bank details.',
  phishAffected: 'Accounts payable mailbox',
  breachTitle: 'Customer list sent to the wrong recipient',
  breachDescription: 'A spreadsheet with 240 customer contacts was emailed to an external address by mistake.',
  breachAffected: 'Customer master data',
  outageTitle: 'Web shop unavailable after storage failure',
  outageDescription: 'Orders could not be placed for 50 minutes.',
  outageAffected: 'Customer web shop',
  failoverStarted: 'Failover started',
  switchedOver: 'Switched the database to the standby node',
  shopBack: 'Shop available again',
  changeTitle: 'Introduce multi-factor authentication for remote access',
  changeDescription: 'All VPN and administrator logins use a second factor.',
  changeReason: 'Risk treatment for credential theft',
  changeTarget: 'AST-0006 Corporate network',
  ncTitle: 'Quarterly access reviews were not carried out',
  ncDescription: 'No evidence of access reviews for the ERP system in the last two quarters.',
  ncRequirement: 'ISO/IEC 27001 Annex A 5.18',
  actionTitle: 'Schedule quarterly access reviews with reminders',
  opportunityTitle: 'Single sign-on for all business applications',
  opportunityBenefit: 'Fewer passwords, faster leaver process',
};
export type IncidentDemoWords = typeof en;

/** A few incidents in different states, a change request, a finding with a corrective action and an opportunity. */
async function seedIncidentsAndImprovement(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  userOf: Map<string, string>,
  assetIds: Map<string, string>,
  lang: DemoLanguage,
): Promise<{ breachIncidentId: string }> {
  const w = demoWords({ lang }, { en, de });
  const staff = { ...actor, userId: userOf.get('staff') ?? actor.userId };
  const now = deps.clock.now();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const silent = { error: () => undefined };

  await reportIncident(
    deps,
    staff,
    scopeId,
    {
      title: w.phishTitle,
      description: w.phishDescription,
      kind: 'incident',
      noticedAt: hoursAgo(2),
      affected: w.phishAffected,
    },
    silent,
  );

  const breach = await reportIncident(
    deps,
    staff,
    scopeId,
    {
      title: w.breachTitle,
      description: w.breachDescription,
      kind: 'incident',
      noticedAt: hoursAgo(30),
      affected: w.breachAffected,
    },
    silent,
  );
  await triageIncident(deps, actor, scopeId, breach.id, {
    version: 1,
    category: 'data_leak',
    severity: 'high',
    impactConfidentiality: true,
    impactIntegrity: false,
    impactAvailability: false,
    personalData: true,
    nis2Significant: false,
    awareAt: hoursAgo(28),
    handlerId: userOf.get('it') ?? null,
    assetIds: [assetIds.get('customer-data')!].filter(Boolean),
  });

  const outage = await reportIncident(
    deps,
    staff,
    scopeId,
    {
      title: w.outageTitle,
      description: w.outageDescription,
      kind: 'incident',
      noticedAt: hoursAgo(200),
      affected: w.outageAffected,
    },
    silent,
  );
  let o = await triageIncident(deps, actor, scopeId, outage.id, {
    version: 1,
    category: 'availability',
    severity: 'medium',
    impactConfidentiality: false,
    impactIntegrity: false,
    impactAvailability: true,
    personalData: false,
    nis2Significant: false,
    handlerId: userOf.get('it') ?? null,
    assetIds: [assetIds.get('webshop')!, assetIds.get('erp-sys')!].filter(Boolean),
  });
  o = await transitionIncident(deps, actor, scopeId, outage.id, {
    version: o.version,
    status: 'responding',
    note: w.failoverStarted,
    followUps: [],
  });
  o = await addIncidentEvent(deps, actor, scopeId, outage.id, {
    kind: 'measure',
    measure: 'fail_over',
    text: w.switchedOver,
  });
  o = await transitionIncident(deps, actor, scopeId, outage.id, {
    version: o.version,
    status: 'resolved',
    note: w.shopBack,
    followUps: [],
  });

  await createChange(deps, actor, scopeId, {
    title: w.changeTitle,
    description: w.changeDescription,
    reason: w.changeReason,
    plannedOn: null,
    targets: [{ recordType: 'asset', recordId: assetIds.get('net')!, label: w.changeTarget }],
    ownerId: null,
  });
  const nc = await createNonconformity(deps, actor, scopeId, {
    kind: 'nonconformity',
    title: w.ncTitle,
    description: w.ncDescription,
    source: 'internal_audit',
    requirement: w.ncRequirement,
    severity: 'minor',
    ownerId: userOf.get('it') ?? null,
  });
  await addCorrectiveAction(deps, actor, scopeId, nc.id, {
    title: w.actionTitle,
    ownerId: userOf.get('it') ?? null,
    dueOn: utcDatePlusDays(now, 21),
  });
  await createOpportunity(deps, actor, scopeId, {
    title: w.opportunityTitle,
    description: '',
    source: 'management_review',
    benefit: w.opportunityBenefit,
    ownerId: null,
  });
  return { breachIncidentId: breach.id };
}

/** Incidents in different states, a change request, a finding with a corrective action and an opportunity. */
export const incidentManagementDemo: DemoStep = {
  order: 10,
  run: async (ctx) => {
    const userOf = new Map([...ctx.people.values()].map((p) => [p.key, p.userId]));
    ctx.facts.breachIncidentId = (
      await seedIncidentsAndImprovement(ctx.deps, ctx.actor, ctx.scopeId, userOf, ctx.assetIds, ctx.lang)
    ).breachIncidentId;
  },
};
