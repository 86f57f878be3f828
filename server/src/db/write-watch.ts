import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * The tables an actor is built from (auth/actor-cache.ts): users, scopes (a scope's MFA rule), memberships, sessions,
 * API tokens and the user's second factors and identities (`user_*`).
 */
export function isAuthTable(table: string): boolean {
  return ['app_user', 'scope', 'membership', 'session', 'api_token'].includes(table) || table.startsWith('user_');
}

/** Updates that only note when a session or token was last used: they change nothing an actor is made of. */
const usageColumns = new Set(['last_seen_at', 'last_used_at']);

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  const n = node as OperationNode & { table?: { identifier?: { name?: string } }; node?: OperationNode; froms?: OperationNode[] };
  if (n.kind === 'TableNode') return n.table?.identifier?.name;
  if (n.kind === 'AliasNode') return tableOf(n.node);
  if (n.kind === 'FromNode') return tableOf(n.froms?.[0]);
  return undefined;
}

function columnOf(node: OperationNode): string | undefined {
  const n = node as OperationNode & { column?: { name?: string } };
  return n.kind === 'ColumnNode' ? n.column?.name : undefined;
}

/** The table an insert, update or delete writes, unless the write is a usage note; undefined for anything else. */
function writtenTable(node: RootOperationNode): string | undefined {
  switch (node.kind) {
    case 'InsertQueryNode':
      return tableOf(node.into);
    case 'DeleteQueryNode':
      return tableOf(node.from);
    case 'UpdateQueryNode': {
      const table = tableOf(node.table);
      const columns = (node.updates ?? []).map((u) => columnOf(u.column));
      return columns.length > 0 && columns.every((c) => c !== undefined && usageColumns.has(c)) ? undefined : table;
    }
    default:
      return undefined;
  }
}

/**
 * Counts the statements that write to the auth tables, before and after each runs, so that a cached actor can tell
 * that something it was built from may have changed (the count moved since it was cached). Raw `sql` writes are not
 * seen; the services write these tables through the query builder.
 */
export class AuthWriteWatch implements KyselyPlugin {
  readonly writes = { count: 0 };
  readonly #pending = new WeakSet<QueryId>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const table = writtenTable(args.node);
    if (table !== undefined && isAuthTable(table)) {
      this.writes.count += 1;
      this.#pending.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(args.queryId)) this.writes.count += 1;
    return args.result;
  }
}

const watches = new WeakMap<object, { count: number }>();

/** Registers the write count of a database (its Kysely instance). */
export function registerAuthWrites(db: object, watch: AuthWriteWatch): void {
  watches.set(db, watch.writes);
}

/** How many auth-table writes this database has seen (a fresh counter for a database opened without the watch). */
export function authWritesOf(db: object): { count: number } {
  let writes = watches.get(db);
  if (!writes) {
    writes = { count: 0 };
    watches.set(db, writes);
  }
  return writes;
}
