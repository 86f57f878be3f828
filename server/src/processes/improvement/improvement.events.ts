/**
 * The domain events improvement emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** a corrective action or nonconformity that needs an ISMS change */
    'improvement.change-requested': {
      scopeId: string;
      nonconformityId: string;
      nonconformityRef: string;
      title: string;
      description: string;
    };
  }
}

export {};
