import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../test/harness.ts';
import { migrateToLatest, migrationNames } from './migrate.ts';
import type { DB } from './schema.ts';

/**
 * The hand-kept DB type and the migrations must describe the same database. `expected` is checked against the DB type
 * by the compiler (a missing or unknown column fails `tsc`), and against a freshly migrated database by this test.
 */
type Columns<T> = { [K in keyof T]-?: true };
const columns =
  <T>() =>
  <C extends Columns<T>>(c: C & Record<Exclude<keyof C, keyof T>, never>) =>
    Object.keys(c).sort();

const expected: { [T in keyof DB]: string[] } = {
  app_user: columns<DB['app_user']>()({
    id: true,
    email: true,
    name: true,
    password_hash: true,
    is_admin: true,
    status: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  scope: columns<DB['scope']>()({
    id: true,
    name: true,
    profile: true,
    description: true,
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
  }),
  asset: columns<DB['asset']>()({
    id: true,
    scope_id: true,
    reference: true,
    name: true,
    type: true,
    owner_id: true,
    description: true,
    lifecycle_status: true,
    confidentiality: true,
    integrity: true,
    availability: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  asset_tag: columns<DB['asset_tag']>()({ asset_id: true, tag: true }),
  asset_dependency: columns<DB['asset_dependency']>()({ asset_id: true, depends_on_id: true }),
  incident: columns<DB['incident']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    kind: true,
    affected: true,
    reported_by: true,
    reported_at: true,
    noticed_at: true,
    status: true,
    category: true,
    severity: true,
    impact_confidentiality: true,
    impact_integrity: true,
    impact_availability: true,
    personal_data: true,
    nis2_significant: true,
    aware_at: true,
    handler_id: true,
    resolved_at: true,
    closed_at: true,
    lessons_learned: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  incident_asset: columns<DB['incident_asset']>()({ incident_id: true, asset_id: true }),
  incident_event: columns<DB['incident_event']>()({
    id: true,
    incident_id: true,
    at: true,
    actor_id: true,
    actor_name: true,
    kind: true,
    measure: true,
    text: true,
  }),
  incident_notification: columns<DB['incident_notification']>()({
    id: true,
    incident_id: true,
    regime: true,
    sent_at: true,
    recipient: true,
    external_reference: true,
    late_reason: true,
    recorded_by: true,
    created_at: true,
  }),
  change_request: columns<DB['change_request']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    reason: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    planned_on: true,
    status: true,
    change_risk: true,
    consequences: true,
    requested_by: true,
    owner_id: true,
    decision_reason: true,
    decided_at: true,
    verification: true,
    verified_at: true,
    closed_at: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  change_target: columns<DB['change_target']>()({ change_id: true, record_type: true, record_id: true, label: true }),
  change_approval: columns<DB['change_approval']>()({
    change_id: true,
    approver_id: true,
    decision: true,
    comment: true,
    decided_at: true,
  }),
  nonconformity: columns<DB['nonconformity']>()({
    id: true,
    scope_id: true,
    reference: true,
    kind: true,
    title: true,
    description: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    requirement: true,
    severity: true,
    status: true,
    owner_id: true,
    immediate_correction: true,
    root_cause: true,
    effectiveness_due_on: true,
    effectiveness_result: true,
    effectiveness_checked_at: true,
    closed_at: true,
    created_at: true,
    updated_at: true,
    version: true,
  }),
  corrective_action: columns<DB['corrective_action']>()({ id: true, nonconformity_id: true, task_id: true, created_at: true }),
  improvement_opportunity: columns<DB['improvement_opportunity']>()({
    id: true,
    scope_id: true,
    reference: true,
    title: true,
    description: true,
    source: true,
    source_record_type: true,
    source_record_id: true,
    source_record_ref: true,
    benefit: true,
    status: true,
    owner_id: true,
    created_at: true,
    updated_at: true,
    version: true,
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
};

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
