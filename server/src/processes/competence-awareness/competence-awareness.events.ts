/**
 * The domain events competence and awareness emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** a person completed a training (ISO 27001 7.3, A.6.3): without a quiz, or by passing it */
    'training.completed': {
      scopeId: string;
      assignmentId: string;
      courseId: string;
      courseRef: string;
      userId: string;
      round: number;
      score: number | null;
    };
  }
}

export {};
