import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../test/harness.ts';
import { migrateToLatest, migrationNames } from './migrate.ts';
import { processModules } from '../processes/registry.ts';
import type { DB } from './schema.ts';
import { columns } from './table-columns.ts';

/**
 * The hand-kept DB type and the migrations must describe the same database. The column lists are checked against the
 * DB type by the compiler (a missing or unknown column fails `tsc`), and against a freshly migrated database by this
 * test. The platform's tables are listed here; each process module lists its own in `<module>.tables.ts`.
 */
const platformTables: Partial<Record<keyof DB, string[]>> = {
  app_user: columns<DB['app_user']>()({
    id: true,
    email: true,
    name: true,
    password_hash: true,
    is_admin: true,
    status: true,
    language: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  scope: columns<DB['scope']>()({
    id: true,
    name: true,
    profile: true,
    description: true,
    require_mfa_managers: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  membership: columns<DB['membership']>()({
    id: true,
    scope_id: true,
    user_id: true,
    role: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  invitation: columns<DB['invitation']>()({
    id: true,
    token_hash: true,
    user_id: true,
    scope_id: true,
    role: true,
    created_by: true,
    created_at: true,
    expires_at: true,
    accepted_at: true,
  }),
  session: columns<DB['session']>()({ id: true, user_id: true, csrf_token: true, created_at: true, last_seen_at: true, expires_at: true }),
  api_token: columns<DB['api_token']>()({
    id: true,
    user_id: true,
    name: true,
    token_hash: true,
    prefix: true,
    created_at: true,
    last_used_at: true,
    revoked_at: true,
  }),
  user_totp: columns<DB['user_totp']>()({ user_id: true, secret_enc: true, confirmed_at: true, last_time_step: true, created_at: true }),
  user_recovery_code: columns<DB['user_recovery_code']>()({ id: true, user_id: true, code_hash: true, used_at: true, created_at: true }),
  user_passkey: columns<DB['user_passkey']>()({
    id: true,
    user_id: true,
    credential_id: true,
    public_key: true,
    counter: true,
    transports: true,
    device_type: true,
    backed_up: true,
    name: true,
    created_at: true,
    last_used_at: true,
    version: true,
  }),
  auth_challenge: columns<DB['auth_challenge']>()({
    id: true,
    user_id: true,
    purpose: true,
    webauthn_challenge: true,
    failed_attempts: true,
    created_at: true,
    expires_at: true,
  }),
  reference_counter: columns<DB['reference_counter']>()({ scope_id: true, prefix: true, last_value: true }),
  audit_entry: columns<DB['audit_entry']>()({
    seq: true,
    id: true,
    at: true,
    actor_id: true,
    actor_label: true,
    scope_id: true,
    action: true,
    record_type: true,
    record_id: true,
    record_ref: true,
    changes: true,
    prev_hash: true,
    hash: true,
    key_id: true,
    signature: true,
  }),
  audit_checkpoint: columns<DB['audit_checkpoint']>()({
    id: true,
    seq: true,
    hash: true,
    at: true,
    reason: true,
    key_id: true,
    public_key: true,
    signature: true,
  }),
  audit_pending: columns<DB['audit_pending']>()({
    id: true,
    batch: true,
    n: true,
    at: true,
    actor_id: true,
    actor_label: true,
    scope_id: true,
    action: true,
    record_type: true,
    record_id: true,
    record_ref: true,
    changes: true,
  }),
  scope_process: columns<DB['scope_process']>()({
    id: true,
    scope_id: true,
    process_key: true,
    owner_id: true,
    cadence: true,
    next_review_on: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  task: columns<DB['task']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    process_key: true,
    origin_process_key: true,
    origin_record_type: true,
    origin_record_id: true,
    origin_record_ref: true,
    assignee_id: true,
    due_on: true,
    status: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    completed_at: true,
    version: true,
    purpose: true,
    completion_note: true,
    title_key: true,
    title_params: true,
    description_key: true,
    description_params: true,
    completion_note_key: true,
    completion_note_params: true,
  }),
  handoff: columns<DB['handoff']>()({
    id: true,
    scope_id: true,
    edge: true,
    from_process: true,
    to_process: true,
    event: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    work_record_type: true,
    work_record_id: true,
    work_record_ref: true,
    title: true,
    assignee_id: true,
    due_on: true,
    created_at: true,
    done_at: true,
    outcome: true,
    note: true,
    note_key: true,
    note_params: true,
  }),
  isms_cycle: columns<DB['isms_cycle']>()({
    id: true,
    scope_id: true,
    number: true,
    starts_on: true,
    ends_on: true,
    closed_at: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  outbox: columns<DB['outbox']>()({
    id: true,
    scope_id: true,
    event: true,
    record_id: true,
    payload: true,
    actor_id: true,
    created_at: true,
    available_at: true,
    attempts: true,
    delivered_at: true,
    last_error: true,
  }),
  cadence: columns<DB['cadence']>()({
    id: true,
    scope_id: true,
    source: true,
    subject: true,
    rule: true,
    starts_on: true,
    mode: true,
    lead_days: true,
    escalation_days: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  cadence_occurrence: columns<DB['cadence_occurrence']>()({
    id: true,
    scope_id: true,
    cadence_id: true,
    source: true,
    record_id: true,
    record_ref: true,
    process_key: true,
    occurs_on: true,
    task_id: true,
    assignee_id: true,
    state: true,
    completed_at: true,
    escalation_level: true,
    escalate_on: true,
    created_at: true,
  }),
  cadence_escalation: columns<DB['cadence_escalation']>()({
    id: true,
    occurrence_id: true,
    level: true,
    assignee_id: true,
    task_id: true,
    created_at: true,
  }),
  reminder: columns<DB['reminder']>()({
    id: true,
    scope_id: true,
    record_type: true,
    record_id: true,
    kind: true,
    recipient_id: true,
    send_at: true,
    subject: true,
    body: true,
    status: true,
    attempts: true,
    locked_until: true,
    sent_at: true,
    last_error: true,
    created_at: true,
  }),
  catalog: columns<DB['catalog']>()({
    id: true,
    scope_id: true,
    key: true,
    title: true,
    version: true,
    source: true,
    oscal_uuid: true,
    published: true,
    requirement_count: true,
    withdrawn_count: true,
    imported_by: true,
    created_at: true,
  }),
  catalog_requirement: columns<DB['catalog_requirement']>()({
    id: true,
    catalog_id: true,
    identifier: true,
    parent_identifier: true,
    kind: true,
    label: true,
    title: true,
    statement: true,
    guidance: true,
    withdrawn: true,
    depth: true,
    sort_order: true,
    params: true,
  }),
  // -- evidence (0008)
  file_blob: columns<DB['file_blob']>()({ sha256: true, size: true, media_type: true, created_at: true }),
  // -- risk treatment (0009)
  // -- statement of applicability (0010)
  // -- policy management (0011)
  // -- records control, competence and awareness (0012)
  user_identity: columns<DB['user_identity']>()({
    id: true,
    user_id: true,
    issuer: true,
    subject: true,
    email: true,
    managed_scopes: true,
    created_at: true,
    last_sign_in_at: true,
  }),
  rate_limit: columns<DB['rate_limit']>()({ key: true, window_start: true, count: true, expires_at: true }),
};

const moduleTables = processModules.flatMap((m) => Object.entries(m.tables ?? {}).map(([table, cols]) => ({ module: m.key, table, cols })));
const expected: Record<string, string[]> = {
  ...platformTables,
  ...Object.fromEntries(moduleTables.map(({ table, cols }) => [table, cols])),
};

it('each table has one owner: the platform or one process module', () => {
  const owners = new Map<string, string[]>(Object.keys(platformTables).map((t) => [t, ['platform']]));
  for (const { module, table } of moduleTables) owners.set(table, [...(owners.get(table) ?? []), module]);
  expect([...owners].filter(([, o]) => o.length > 1)).toEqual([]);
});

describe.each(dialects)('migrations and schema on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(() => db.destroy());

  it('migrates an empty database step by step, and a second run applies nothing', async () => {
    expect(await migrateToLatest(db.database.db, dialect)).toEqual(migrationNames);
    expect(await migrateToLatest(db.database.db, dialect)).toEqual([]);
  });

  it('matches the DB type table by table and column by column', async () => {
    const tables = (await db.database.db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
    const actual = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
    expect(actual).toEqual(expected);
  });

  it.runIf(dialect === 'sqlite')('opens SQLite with WAL, foreign keys and a busy timeout', async () => {
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db.database.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(Number(await pragma('busy_timeout'))).toBeGreaterThan(0);
  });
});
