/**
 * The domain events risk assessment emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /**
     * a risk was evaluated (ISO 27001 6.1.2 e, 8.2): its current level was set or changed by the scope's method.
     * `aboveCriteria`: the risk owner may not accept the level alone (management must accept it, or it must be treated).
     */
    'risk.evaluated': {
      scopeId: string;
      riskId: string;
      riskRef: string;
      title: string;
      ownerId: string | null;
      likelihood: number;
      impact: number;
      level: string;
      levelLabel: string;
      previousLevel: string | null;
      acceptableBy: 'risk_owner' | 'management' | null;
      aboveCriteria: boolean;
      wasAboveCriteria: boolean;
    };
  }
}

export {};
