/**
 * The domain events incident management emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** a new incident or weakness report, after it has been stored */
    'incident.reported': { scopeId: string; incidentId: string; incidentRef: string; title: string };
    /** a lesson learned from an incident that asks another process to act */
    'incident.lesson': {
      scopeId: string;
      incidentId: string;
      incidentRef: string;
      kind: 'risk' | 'nonconformity' | 'improvement' | 'change';
      title: string;
      description: string;
      correctiveAction?: { title: string; ownerId: string | null; dueOn: string | null } | undefined;
    };
  }
}

export {};
