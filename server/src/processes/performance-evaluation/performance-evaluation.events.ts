/**
 * The domain events performance evaluation emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** the analysis of a measurement in breach raised a nonconformity or an opportunity for improvement (ISO 27001 9.1, 10) */
    'measure.finding-raised': {
      scopeId: string;
      measureId: string;
      measureRef: string;
      measurementId: string;
      kind: 'nonconformity' | 'opportunity';
      title: string;
      description: string;
      ownerId: string | null;
    };
  }
}

export {};
