import type { Actor } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';

/**
 * Domain events that cross process boundaries (the hand-offs of the process model). They are delivered
 * synchronously inside the emitting transaction: the follow-up work exists if and only if the change does.
 * Each process module adds its events and their payloads in its own `<module>.events.ts` (a declaration merged into
 * this interface), so the bus itself never changes when a module is added.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules' declaration merging
export interface DomainEvents {}
export type EventName = keyof DomainEvents;

type Handler<E extends EventName> = (tx: Tx, actor: Actor | null, payload: DomainEvents[E]) => Promise<void>;

export class EventBus {
  readonly #handlers = new Map<EventName, Handler<EventName>[]>();

  on<E extends EventName>(event: E, handler: Handler<E>): void {
    const list = this.#handlers.get(event) ?? [];
    list.push(handler as unknown as Handler<EventName>);
    this.#handlers.set(event, list);
  }

  async emit<E extends EventName>(tx: Tx, actor: Actor | null, event: E, payload: DomainEvents[E]): Promise<void> {
    for (const handler of this.#handlers.get(event) ?? []) await handler(tx, actor, payload);
  }
}
