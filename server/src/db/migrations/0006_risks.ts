import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { bsiElementaryThreats } from '../../processes/risk-assessment/bsi-elementary-threats.ts';
import { newId } from '../../shared/ids.ts';
import { columnTypes } from '../column.ts';

// Risk assessment (ISO/IEC 27001 6.1.2, 8.2; ISO/IEC 27005; BSI 200-3): risk method versions, threat catalog
// (the 47 BSI elementary threats are seeded here), threats and warnings, the risk register.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const yes = sql.lit(dialect === 'postgres' ? true : 1);

  // Every version of a scope's method is kept; a risk refers to the version that scored it.
  await db.schema
    .createTable('risk_method')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('version_no', t.integer, (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('is_current', t.boolean, (c) => c.notNull())
    .addUniqueConstraint('risk_method_scope_version_uq', ['scope_id', 'version_no'])
    .execute();
  await db.schema
    .createIndex('risk_method_current_uq')
    .on('risk_method')
    .column('scope_id')
    .unique()
    .where(sql.ref('is_current'), '=', yes)
    .execute();

  // Threat catalog: built-in threats have no scope; custom threats belong to one scope.
  await db.schema
    .createTable('threat')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.references('scope.id').onDelete('cascade'))
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('category', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('threat_scope_code_uq', ['scope_id', 'code'])
    .execute();
  await db.schema
    .createIndex('threat_builtin_code_uq')
    .on('threat')
    .column('code')
    .unique()
    .where(sql.ref('scope_id'), 'is', null)
    .execute();

  const now = new Date().toISOString();
  await db
    .insertInto('threat')
    .values(
      bsiElementaryThreats.map((e) => ({
        id: newId(),
        scope_id: null,
        code: e.code,
        title: e.title,
        category: e.category,
        source: 'builtin',
        description: '',
        created_at: now,
      })),
    )
    .execute();

  // "Threats and warnings" received from outside (ITIL security management, seed 003).
  await db.schema
    .createTable('threat_warning')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('threat_id', t.id, (c) => c.references('threat.id').onDelete('set null'))
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('received_on', t.date, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('severity', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('threat_warning_scope_idx').on('threat_warning').columns(['scope_id', 'received_on']).execute();

  // The risk register.
  await db.schema
    .createTable('risk')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('threat_id', t.id, (c) => c.references('threat.id').onDelete('set null'))
    .addColumn('vulnerability', t.text, (c) => c.notNull())
    .addColumn('consequences_c', t.boolean, (c) => c.notNull())
    .addColumn('consequences_i', t.boolean, (c) => c.notNull())
    .addColumn('consequences_a', t.boolean, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('inherent_likelihood', t.integer)
    .addColumn('inherent_impact', t.integer)
    .addColumn('inherent_level', t.text)
    .addColumn('current_likelihood', t.integer)
    .addColumn('current_impact', t.integer)
    .addColumn('current_level', t.text)
    .addColumn('target_likelihood', t.integer)
    .addColumn('target_impact', t.integer)
    .addColumn('target_level', t.text)
    .addColumn('method_id', t.id, (c) => c.references('risk_method.id'))
    .addColumn('assessed_at', t.timestamp)
    .addColumn('next_review_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('risk_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('risk_scope_updated_idx').on('risk').columns(['scope_id', 'updated_at']).execute();
  await db.schema.createIndex('risk_scope_status_idx').on('risk').columns(['scope_id', 'status']).execute();
  await db.schema.createIndex('risk_scope_current_idx').on('risk').columns(['scope_id', 'current_level']).execute();
  // the heat map groups by (likelihood, impact) of one basis
  for (const basis of ['inherent', 'current', 'target']) {
    await db.schema
      .createIndex(`risk_scope_${basis}_cell_idx`)
      .on('risk')
      .columns(['scope_id', `${basis}_likelihood`, `${basis}_impact`])
      .execute();
  }
  await db.schema.createIndex('risk_owner_idx').on('risk').column('owner_id').execute();
  await db.schema.createIndex('risk_threat_idx').on('risk').column('threat_id').execute();
  await db.schema.createIndex('risk_method_idx').on('risk').column('method_id').execute();

  await db.schema
    .createTable('risk_asset')
    .addColumn('risk_id', t.id, (c) => c.notNull().references('risk.id').onDelete('cascade'))
    .addColumn('asset_id', t.id, (c) => c.notNull().references('asset.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('risk_asset_pk', ['risk_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('risk_asset_asset_idx').on('risk_asset').columns(['asset_id', 'risk_id']).execute();
}
