/**
 * The domain events change management emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** emitted by change management when a change request is approved; its targets may be documents to revise */
    'change.approved': {
      scopeId: string;
      changeId: string;
      changeRef: string;
      title: string;
      targets: { recordType: string; recordId: string; label: string }[];
    };
  }
}

export {};
