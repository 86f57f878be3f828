import { inActorLanguage } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';
import { findAssets, findIncident } from '../incident-management/index.ts';
import { createRiskTx } from './risk.service.ts';

/** Days the risk-assessment process has to re-assess an asset whose protection need became very high. */
export const REASSESSMENT_DAYS = 14;

/** What the risk-assessment process receives from other processes. */
export const riskAssessmentHandoffs = (deps: Deps): HandoffReceiver[] => [
  // the asset register is part of risk assessment: a protection need raised to "very high" asks for a re-assessment
  receive('risk-assessment', 'asset.protection-raised', async (tx, actor, e) => {
    const owner = (await findProcessOwner(tx, e.scopeId, 'risk-assessment')) ?? e.ownerId;
    // one re-assessment per asset: raising a second criterion updates the open task instead of adding a twin
    await openWorkTx(tx, deps, actor, {
      scopeId: e.scopeId,
      purpose: 'reassess',
      title: { key: 'tasks:title.reassessAsset', params: { assetRef: e.assetRef, assetName: e.assetName } },
      // the criteria as codes (`confidentiality,integrity`), worded in the reader's language
      description: {
        key: 'tasks:description.reassessAsset',
        params: { assetRef: e.assetRef, criteria: e.raised.map((r) => r.criterion).join(',') },
      },
      processKey: 'risk-assessment',
      assigneeId: owner,
      dueOn: utcDatePlusDays(deps.clock.now(), REASSESSMENT_DAYS),
      origin: { processKey: null, recordType: 'asset', recordId: e.assetId, recordRef: e.assetRef },
      handoff: {
        from: 'risk-assessment',
        to: 'risk-assessment',
        event: 'asset.protection-raised',
        source: { type: 'asset', id: e.assetId, ref: e.assetRef },
      },
    });
  }),

  // incident management → risk assessment ("lessons learned"): a lesson that points at a risk enters the register as an
  // identified risk, linked to the incident's affected assets, and the risk-assessment owner gets the task to assess it
  // (ISO 27001 A.5.27, 6.1.2, 8.2)
  receive('incident-management', 'incident.lesson', async (tx, actor, e) => {
    if (e.kind !== 'risk') return;
    const owner = await findProcessOwner(tx, e.scopeId, 'risk-assessment');
    const incident = await findIncident(tx, e.scopeId, e.incidentId);
    const assets = await findAssets(tx, e.incidentId);
    const origin = inActorLanguage(actor, { key: 'written:risk.origin.lesson', params: { incident: e.incidentRef } });
    const risk = await createRiskTx(tx, deps, actor, e.scopeId, {
      title: e.title,
      description: (e.description ? `${e.description}\n\n${origin}` : origin).slice(0, 20000),
      threatId: null,
      vulnerability: '',
      // the criteria the incident harmed, as triaged
      consequences: {
        confidentiality: incident ? toBool(incident.impact_confidentiality) : false,
        integrity: incident ? toBool(incident.impact_integrity) : false,
        availability: incident ? toBool(incident.impact_availability) : false,
      },
      ownerId: owner,
      status: 'identified',
      assetIds: assets.map((a) => a.id),
      inherentLikelihood: null,
      inherentImpact: null,
      currentLikelihood: null,
      currentImpact: null,
      targetLikelihood: null,
      targetImpact: null,
      nextReviewOn: null,
    });
    await openWorkTx(tx, deps, actor, {
      scopeId: e.scopeId,
      purpose: 'assess',
      title: { key: 'tasks:title.assessRiskFromIncident', params: { incidentRef: e.incidentRef, title: e.title } },
      description: e.description
        ? {
            key: 'tasks:description.assessRiskFromIncidentWithDetails',
            params: { incidentRef: e.incidentRef, riskRef: risk.reference, details: e.description },
          }
        : { key: 'tasks:description.assessRiskFromIncident', params: { incidentRef: e.incidentRef, riskRef: risk.reference } },
      processKey: 'risk-assessment',
      assigneeId: owner,
      dueOn: utcDatePlusDays(deps.clock.now(), REASSESSMENT_DAYS),
      origin: { processKey: 'incident-management', recordType: 'risk', recordId: risk.id, recordRef: risk.reference },
      handoff: {
        from: 'incident-management',
        to: 'risk-assessment',
        event: 'incident.lesson',
        source: { type: 'incident', id: e.incidentId, ref: e.incidentRef },
      },
    });
  }),
];
