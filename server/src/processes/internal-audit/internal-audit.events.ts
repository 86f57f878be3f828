/**
 * The domain events internal audit emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /**
     * an audit recorded a nonconformity or an opportunity for improvement on a checklist row (ISO 27001 9.2.2, 10.2):
     * improvement records it, with the row linked, in the same transaction
     */
    'audit.finding-recorded': {
      scopeId: string;
      auditId: string;
      auditRef: string;
      itemId: string;
      /** the row as people name it, e.g. "IA-0002 #3" */
      itemRef: string;
      source: 'internal_audit' | 'external_audit' | 'supplier_audit';
      result: 'major_nonconformity' | 'minor_nonconformity' | 'opportunity';
      title: string;
      description: string;
      /** the clause or requirement audited, e.g. "ISO/IEC 27001 9.2 Internal audit" */
      requirement: string;
    };
  }
}

export {};
