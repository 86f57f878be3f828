import type { z } from 'zod';
import type * as cycle from '../../../../server/src/isms/cycle/cycle.schemas.ts';

export type Cockpit = z.infer<typeof cycle.cockpitResponse>;
export type CockpitCycle = NonNullable<Cockpit['cycle']>;
export type Phase = CockpitCycle['phases'][number];
export type Check = z.infer<typeof cycle.checkResponse>;
export type Cycle = z.infer<typeof cycle.cycleResponse>;
export type CycleList = z.infer<typeof cycle.cycleListResponse>;
export type StartCycleInput = z.input<typeof cycle.startCycleBody>;
export type UpdateCycleInput = z.input<typeof cycle.updateCycleBody>;
