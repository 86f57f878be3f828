// The cadences' public entry point: what the app, the sweep runner and process modules use.
export type { CadenceSource, DueRecord } from './cadence.source.ts';
export { allCadenceSources, cadenceSources } from './cadence.sources.ts';
export { recordDateSource } from './record-date.source.ts';
export { sweepCadences } from './cadence.sweep.ts';
export { cadenceRoutes } from './cadence.routes.ts';
