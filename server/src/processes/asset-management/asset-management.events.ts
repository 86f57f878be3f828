/**
 * The domain events asset management emits, with their payloads. They merge into the event bus's `DomainEvents`, so that a
 * module's events live with the module; `index.ts` declares which of them it emits and who receives them.
 */
declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    'asset.protection-raised': {
      scopeId: string;
      assetId: string;
      assetRef: string;
      assetName: string;
      ownerId: string | null;
      raised: { criterion: 'confidentiality' | 'integrity' | 'availability'; from: string | null; to: string }[];
    };
  }
}

export {};
