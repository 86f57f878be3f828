import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { EventBus } from './events/event-bus.ts';
import { registerChangeManagementHandoffs } from './processes/change-management/change-management.handoffs.ts';
import { registerImprovementHandoffs } from './processes/improvement/improvement.handoffs.ts';
import { registerPolicyManagementHandoffs } from './processes/policy-management/policy-management.handoffs.ts';
import { registerIncidentManagementHandoffs } from './processes/incident-management/incident-management.handoffs.ts';
import { registerRiskAssessmentHandoffs } from './processes/risk-assessment/risk-assessment.handoffs.ts';
import { registerRiskTreatmentHandoffs } from './processes/risk-treatment/risk-treatment.handoffs.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import type { Deps } from './shared/context.ts';

/** Wires the services' dependencies and the hand-off subscribers of every process. */
export function createDeps(config: Config, database: Database, clock: Clock = systemClock): Deps {
  const events = new EventBus();
  const deps: Deps = { db: database.db, dialect: database.dialect, clock, events, config };
  registerRiskAssessmentHandoffs(events, deps);
  registerRiskTreatmentHandoffs(events, deps);
  registerIncidentManagementHandoffs(events, deps);
  registerImprovementHandoffs(events, deps);
  registerChangeManagementHandoffs(events, deps);
  registerPolicyManagementHandoffs(events, deps);
  return deps;
}
