import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Actor } from '../auth/actor.ts';
import type { Permission, PermissionGrants } from '../auth/roles.ts';
import type { Tx } from '../db/database.ts';
import type { DomainEvents, EventName } from '../events/event-bus.ts';
import type { ProcessKey } from '../isms/process-model.ts';
import type { CadenceSource } from '../cadences/cadence.source.ts';
import type { ReadinessCheck } from '../isms/cycle/readiness.ts';
import type { Deps } from '../shared/context.ts';

/**
 * A process module declares itself once: its place in the process model, its routes, the permissions it owns, the
 * events it emits, the hand-offs it receives, its sweeps, its demo step and its navigation entry. App wiring, the event
 * bus, the sweep runner, the OpenAPI tags, the demo, the process map and the completeness tests read the list in
 * `processes/registry.ts`. Other code uses a module only through its `index.ts`.
 */
export interface ProcessModule {
  /** the module's folder under `server/src/processes/` */
  key: string;
  /** the process of the model the module runs */
  process: ProcessKey;
  /** Fastify plugins mounted under /api */
  routes: RoutePlugin[];
  /** the OpenAPI tags its routes use, with a description for the API docs */
  tags: { name: string; description: string }[];
  /** the permissions it owns, with the roles that hold each one besides managers (`<module>.permissions.ts`) */
  permissions: PermissionGrants;
  /** every domain event it emits; an event nobody receives says why (`informational`) */
  emits: readonly EmittedEvent[];
  /** the hand-offs it receives, each against an edge of the process model (`from` → this module's process) */
  receives?: (deps: Deps) => HandoffReceiver[];
  /** recurring sweeps by name (idempotent; see `jobs/sweeps.ts`) */
  sweeps?: Record<string, Sweep>;
  /** its step of the demo organisation */
  demo?: DemoStep;
  /** what it contributes to the ISMS cycle's Plan / Do / Check / Act status on the cockpit */
  readiness?: readonly ReadinessCheck[];
  /** its kinds of record with a next review date, scheduled by the `cadences` sweep */
  cadences?: readonly CadenceSource[];
  /** the tables it owns with every column (`<module>.tables.ts`, whose types merge into `DB`), checked by the schema drift test */
  tables?: Readonly<Record<string, readonly string[]>>;
  /** its entry in the web navigation (the web client draws `web/src/features/registry.tsx`, checked against this) */
  nav?: { section: string; permission: Permission }[];
}

export type RoutePlugin = FastifyPluginAsyncZod<{ deps: Deps }>;

export interface EmittedEvent {
  event: EventName;
  /** why no process receives this event (it is still written to the audit trail by its sender) */
  informational?: string;
}

/**
 * One hand-off a module receives. `from` is the sending process: (from, module.process) must be an edge of the process
 * model, or `from` is the module's own process for work within it (intake, e.g. triage of a new report).
 * The handler runs inside the sender's transaction, so the follow-up work exists if and only if the change does.
 */
export interface HandoffReceiver<E extends EventName = EventName> {
  from: ProcessKey;
  event: E;
  handle: (tx: Tx, actor: Actor | null, payload: DomainEvents[E]) => Promise<void>;
}

/** Declares a receiver with its payload typed by the event name. */
export function receive<E extends EventName>(
  from: ProcessKey,
  event: E,
  handle: (tx: Tx, actor: Actor | null, payload: DomainEvents[E]) => Promise<void>,
): HandoffReceiver {
  return { from, event, handle } as unknown as HandoffReceiver;
}

/**
 * A sweep: work that falls due with the calendar. Idempotent and transactional; it may run on several instances at once
 * and as often as it likes, and creates each follow-up at most once. Returns how many things it created.
 */
export type Sweep = (deps: Deps) => Promise<number>;

/** A module's part of the demo organisation, run in `order` after the shared people, assets and process owners. */
export interface DemoStep {
  order: number;
  run: (ctx: import('../demo/demo-context.ts').DemoContext) => Promise<void>;
}

export function defineModule(module: ProcessModule): ProcessModule {
  return module;
}
