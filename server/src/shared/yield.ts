import { setImmediate } from 'node:timers/promises';

/**
 * Gives the event loop a turn: pending I/O (other requests) runs before the caller goes on. Long reads call it between
 * chunks, since SQLite's driver is synchronous and a loop of awaited statements alone would never let others in.
 */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}

/**
 * For a long synchronous loop (a PDF's rows: each is laid out and shaped on the main thread): `const turn = turns()`, then
 * `await turn()` in the loop gives the event loop a turn once `budgetMs` of work has passed since the last one, so that
 * other requests wait at most about that long, whatever a row costs; in between it costs a microtask.
 */
export function turns(budgetMs = 20): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}
