import type { Config, DialectName } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Clock } from './clock.ts';

/** What every service function receives: the database, its dialect, the clock, and the in-transaction event bus. */
export interface Deps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  events: EventBus;
  config: Config;
}
