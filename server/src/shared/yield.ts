import { setImmediate } from 'node:timers/promises';

/**
 * Gives the event loop a turn: pending I/O (other requests) runs before the caller goes on. Long reads call it between
 * chunks, since SQLite's driver is synchronous and a loop of awaited statements alone would never let others in.
 */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
