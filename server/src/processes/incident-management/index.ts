export { findAssets, findIncident } from './incident.repository.ts';

import { defineModule } from '../../engine/module.ts';
import { incidentManagementDemo } from './incident-management.demo.ts';
import { incidentManagementHandoffs } from './incident-management.handoffs.ts';
import { incidentRoutes } from './incident.routes.ts';

/** Incident management (Annex A 5.24–5.28): reports, triage, response, regulatory clocks, lessons learned. */
export const incidentManagementModule = defineModule({
  key: 'incident-management',
  process: 'incident-management',
  routes: [incidentRoutes],
  tags: [{ name: 'incident management', description: 'Incidents and weaknesses: report, triage, respond, learn' }],
  permissions: ['incident:report', 'incident:read', 'incident:handle'],
  emits: [{ event: 'incident.reported' }, { event: 'incident.lesson' }],
  receives: incidentManagementHandoffs,
  demo: incidentManagementDemo,
  nav: [{ section: 'incidents', permission: 'incident:report' }],
});
