import type { Text } from '../../i18n/i18n.ts';

/**
 * The domain events records control emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** documented information was disposed of at the end of its retention (ISO 27001 7.5.3 d); the tombstone is in the trail */
    'record.disposed': {
      scopeId: string;
      recordId: string;
      recordRef: string;
      title: string;
      linkedRecord: { recordType: string; recordId: string } | null;
      /** the retention rule in English, as stored in the record's `disposal_rule` */
      rule: string;
      /** the same rule as a text (`records:disposalRule`), for a receiver to word in its reader's language */
      ruleText: Text;
    };
  }
}
