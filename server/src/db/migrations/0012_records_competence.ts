import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Records control (ISO 27001 7.5.3, A.5.33), competence (7.2) and awareness, training and education (7.3, A.6.3).
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // The register of documented information across all processes, with retention, legal hold and disposal.
  await db.schema
    .createTable('controlled_record')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('process_key', t.text, (c) => c.notNull())
    .addColumn('classification', t.text, (c) => c.notNull())
    .addColumn('storage', t.text, (c) => c.notNull())
    .addColumn('linked_record_type', t.text)
    .addColumn('linked_record_id', t.text)
    .addColumn('location', t.text, (c) => c.notNull())
    .addColumn('retention_months', t.integer, (c) => c.notNull())
    .addColumn('retention_start_on', t.date, (c) => c.notNull())
    .addColumn('legal_hold', t.boolean, (c) => c.notNull())
    .addColumn('legal_hold_reason', t.text)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('disposed_at', t.timestamp)
    .addColumn('disposed_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('disposal_rule', t.text)
    // the task that asks the owner to dispose of the record once its retention has ended (set by the sweep)
    .addColumn('disposal_task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('controlled_record_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('controlled_record_scope_status_idx').on('controlled_record').columns(['scope_id', 'status']).execute();
  await db.schema.createIndex('controlled_record_owner_idx').on('controlled_record').column('owner_id').execute();
  await db.schema.createIndex('controlled_record_disposed_by_idx').on('controlled_record').column('disposed_by').execute();

  // Competences and the job roles that need them (ISO 27001 7.2 a).
  await db.schema
    .createTable('competence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('validity_months', t.integer)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('competence_scope_name_uq', ['scope_id', 'name'])
    .execute();
  await db.schema
    .createTable('job_role')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('job_role_scope_name_uq', ['scope_id', 'name'])
    .execute();
  await db.schema
    .createTable('job_role_competence')
    .addColumn('job_role_id', t.id, (c) => c.notNull().references('job_role.id').onDelete('cascade'))
    .addColumn('competence_id', t.id, (c) => c.notNull().references('competence.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('job_role_competence_pk', ['job_role_id', 'competence_id'])
    .execute();
  await db.schema.createIndex('job_role_competence_competence_idx').on('job_role_competence').column('competence_id').execute();

  // A person in a scope: department (the dashboard groups by it) and job roles.
  await db.schema
    .createTable('person_profile')
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('department', t.text)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('person_profile_pk', ['scope_id', 'user_id'])
    .execute();
  await db.schema.createIndex('person_profile_user_idx').on('person_profile').column('user_id').execute();
  await db.schema.createIndex('person_profile_department_idx').on('person_profile').columns(['scope_id', 'department']).execute();
  await db.schema
    .createTable('person_job_role')
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('job_role_id', t.id, (c) => c.notNull().references('job_role.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('person_job_role_pk', ['job_role_id', 'user_id'])
    .execute();
  await db.schema.createIndex('person_job_role_user_idx').on('person_job_role').columns(['scope_id', 'user_id']).execute();

  // Competences a person holds, with evidence and expiry (ISO 27001 7.2 d: retain documented information as evidence).
  await db.schema
    .createTable('person_competence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('competence_id', t.id, (c) => c.notNull().references('competence.id').onDelete('cascade'))
    .addColumn('evidence', t.text, (c) => c.notNull())
    .addColumn('acquired_on', t.date, (c) => c.notNull())
    .addColumn('expires_on', t.date)
    .addColumn('recorded_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('person_competence_uq', ['scope_id', 'user_id', 'competence_id'])
    .execute();
  await db.schema.createIndex('person_competence_user_idx').on('person_competence').column('user_id').execute();
  await db.schema.createIndex('person_competence_competence_idx').on('person_competence').column('competence_id').execute();
  await db.schema.createIndex('person_competence_recorded_by_idx').on('person_competence').column('recorded_by').execute();

  // Training courses, whom they are assigned to, and each person's assignment per round (ISO 27001 7.3, A.6.3).
  await db.schema
    .createTable('training_course')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('material_document_id', t.id)
    .addColumn('material_url', t.text)
    .addColumn('quiz', t.json)
    .addColumn('pass_mark', t.integer)
    .addColumn('due_days', t.integer, (c) => c.notNull())
    .addColumn('recurrence_months', t.integer)
    // completing the course gives the person this competence (ISO 27001 7.2 c: actions to acquire competence)
    .addColumn('grants_competence_id', t.id, (c) => c.references('competence.id').onDelete('set null'))
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('training_course_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema
    .createTable('training_target')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('course_id', t.id, (c) => c.notNull().references('training_course.id').onDelete('cascade'))
    .addColumn('target_type', t.text, (c) => c.notNull())
    .addColumn('target_value', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('training_target_uq', ['course_id', 'target_type', 'target_value'])
    .execute();
  await db.schema.createIndex('training_target_scope_idx').on('training_target').column('scope_id').execute();
  await db.schema
    .createTable('training_assignment')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('course_id', t.id, (c) => c.notNull().references('training_course.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('round', t.integer, (c) => c.notNull())
    .addColumn('assigned_at', t.timestamp, (c) => c.notNull())
    .addColumn('due_on', t.date, (c) => c.notNull())
    .addColumn('completed_at', t.timestamp)
    .addColumn('score', t.integer)
    .addColumn('passed', t.boolean)
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    // one assignment per person, course and round: the recurring sweep can run anywhere, any number of times
    .addUniqueConstraint('training_assignment_round_uq', ['course_id', 'user_id', 'round'])
    .execute();
  await db.schema.createIndex('training_assignment_user_idx').on('training_assignment').columns(['user_id', 'completed_at']).execute();
  await db.schema.createIndex('training_assignment_scope_idx').on('training_assignment').columns(['scope_id', 'due_on']).execute();

  // The awareness dashboard reads acknowledgements and assignments per person and per version / course: covering
  // indexes let it aggregate 150,000 acknowledgements from the index alone (see scripts/bench-awareness.ts).
  await db.schema
    .createIndex('training_assignment_awareness_idx')
    .on('training_assignment')
    .columns(['scope_id', 'user_id', 'course_id', 'round', 'due_on', 'completed_at'])
    .execute();
  await db.schema
    .createIndex('document_acknowledgement_awareness_user_idx')
    .on('document_acknowledgement')
    .columns(['scope_id', 'user_id', 'document_version_id', 'due_on', 'acknowledged_at'])
    .execute();
  await db.schema
    .createIndex('document_acknowledgement_awareness_version_idx')
    .on('document_acknowledgement')
    .columns(['document_version_id', 'scope_id', 'due_on', 'acknowledged_at'])
    .execute();
}
