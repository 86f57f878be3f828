/**
 * The domain events risk treatment (with the Statement of Applicability) emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /**
     * a risk treatment was decided (ISO 27001 6.1.3, 8.3), or a decided plan gained actions: what is to be handed off —
     * selected controls to implement, plan actions, requests for change of ISMS documents or processes
     */
    'treatment.decided': {
      scopeId: string;
      treatmentId: string;
      treatmentRef: string;
      riskId: string;
      riskRef: string;
      riskTitle: string;
      riskOwnerId: string | null;
      objectives: string[];
      /** controls without an implementation task yet (positions: where the treatment lists them) */
      controls: {
        controlId: string;
        controlRef: string;
        title: string;
        ownerId: string | null;
        dueOn: string | null;
        positions: number[];
      }[];
      /** plan actions without a task yet */
      actions: { actionId: string; title: string; ownerId: string | null; dueOn: string | null }[];
      /** requests for change, each with the documents and controls it changes */
      changeRequests: {
        title: string;
        description: string;
        targets: { recordType: 'document' | 'control'; recordId: string; label: string }[];
      }[];
    };
    /** a Statement of Applicability version was approved (ISO 27001 6.1.3 d): its entries are frozen as version `number` */
    'soa.approved': { scopeId: string; soaId: string; soaRef: string; number: number; catalogTitle: string };
  }
}

export {};
