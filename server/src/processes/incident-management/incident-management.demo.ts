import type { Actor } from '../../auth/actor.ts';
import type { DemoStep } from '../../engine/module.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { createChange } from '../change-management/index.ts';
import { addCorrectiveAction, createNonconformity, createOpportunity } from '../improvement/index.ts';
import { addIncidentEvent, reportIncident, transitionIncident, triageIncident } from './incident.service.ts';

/** A few incidents in different states, a change request, a finding with a corrective action and an opportunity. */
async function seedIncidentsAndImprovement(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  userOf: Map<string, string>,
  assetIds: Map<string, string>,
): Promise<{ breachIncidentId: string }> {
  const staff = { ...actor, userId: userOf.get('staff') ?? actor.userId };
  const now = deps.clock.now();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const silent = { error: () => undefined };

  await reportIncident(
    deps,
    staff,
    scopeId,
    {
      title: 'Suspicious email asking to confirm a payment',
      description: 'An email from a supplier address asked to change bank details.',
      kind: 'incident',
      noticedAt: hoursAgo(2),
      affected: 'Accounts payable mailbox',
    },
    silent,
  );

  const breach = await reportIncident(
    deps,
    staff,
    scopeId,
    {
      title: 'Customer list sent to the wrong recipient',
      description: 'A spreadsheet with 240 customer contacts was emailed to an external address by mistake.',
      kind: 'incident',
      noticedAt: hoursAgo(30),
      affected: 'Customer master data',
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
      title: 'Web shop unavailable after storage failure',
      description: 'Orders could not be placed for 50 minutes.',
      kind: 'incident',
      noticedAt: hoursAgo(200),
      affected: 'Customer web shop',
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
    note: 'Failover started',
    followUps: [],
  });
  o = await addIncidentEvent(deps, actor, scopeId, outage.id, {
    kind: 'measure',
    measure: 'fail_over',
    text: 'Switched the database to the standby node',
  });
  o = await transitionIncident(deps, actor, scopeId, outage.id, {
    version: o.version,
    status: 'resolved',
    note: 'Shop available again',
    followUps: [],
  });

  await createChange(deps, actor, scopeId, {
    title: 'Introduce multi-factor authentication for remote access',
    description: 'All VPN and administrator logins use a second factor.',
    reason: 'Risk treatment for credential theft',
    plannedOn: null,
    targets: [{ recordType: 'asset', recordId: assetIds.get('net')!, label: 'AST-0006 Corporate network' }],
    ownerId: null,
  });
  const nc = await createNonconformity(deps, actor, scopeId, {
    kind: 'nonconformity',
    title: 'Quarterly access reviews were not carried out',
    description: 'No evidence of access reviews for the ERP system in the last two quarters.',
    source: 'internal_audit',
    requirement: 'ISO/IEC 27001 Annex A 5.18',
    severity: 'minor',
    ownerId: userOf.get('it') ?? null,
  });
  await addCorrectiveAction(deps, actor, scopeId, nc.id, {
    title: 'Schedule quarterly access reviews with reminders',
    ownerId: userOf.get('it') ?? null,
    dueOn: utcDatePlusDays(now, 21),
  });
  await createOpportunity(deps, actor, scopeId, {
    title: 'Single sign-on for all business applications',
    description: '',
    source: 'management_review',
    benefit: 'Fewer passwords, faster leaver process',
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
      await seedIncidentsAndImprovement(ctx.deps, ctx.actor, ctx.scopeId, userOf, ctx.assetIds)
    ).breachIncidentId;
  },
};
