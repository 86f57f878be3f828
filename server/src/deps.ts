import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { EventBus } from './events/event-bus.ts';
import { processModules } from './processes/registry.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import type { Deps } from './shared/context.ts';

/** Wires the services' dependencies and subscribes every hand-off that the process modules declare they receive. */
export function createDeps(config: Config, database: Database, clock: Clock = systemClock): Deps {
  const events = new EventBus();
  const deps: Deps = { db: database.db, dialect: database.dialect, clock, events, config };
  for (const module of processModules) {
    for (const receiver of module.receives?.(deps) ?? []) events.on(receiver.event, receiver.handle);
  }
  return deps;
}
