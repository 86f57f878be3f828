/**
 * The domain events policy management emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** a document version was published and assigned to its audience for read-and-acknowledge (ISO 27001 7.3, 7.5.3) */
    'document.published': {
      scopeId: string;
      documentId: string;
      documentRef: string;
      title: string;
      versionId: string;
      versionNo: number;
      materialChange: boolean;
      assigned: number;
      dueOn: string;
    };
  }
}

export {};
