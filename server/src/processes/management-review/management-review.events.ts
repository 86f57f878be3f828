/**
 * The domain events management review emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /**
     * a management review decided a corrective action or an opportunity for improvement (ISO 27001 9.3.3, 10): improvement
     * records the nonconformity (with its first corrective action for the owner) or the opportunity, in the same transaction
     */
    'review.decided': {
      scopeId: string;
      reviewId: string;
      reviewRef: string;
      decisionId: string;
      /** the decision as people name it, e.g. "MR-0001 #2" */
      decisionRef: string;
      kind: 'corrective_action' | 'opportunity';
      title: string;
      description: string;
      ownerId: string;
      dueOn: string;
    };
  }
}

export {};
