import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import tar from 'tar-stream';
import { createCheckpointTx } from '../audit/audit-checkpoint.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import type { DialectName } from '../config.ts';
import type { Tx } from '../db/database.ts';
import { openFile, putBlob } from '../files/file-store.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { decodeValue, type DumpedTable, dumpSnapshot } from './snapshot.ts';
import { describeTables, insertionOrder, isMigratorTable } from './table-graph.ts';

/*
 * `praxis backup FILE` and `praxis restore FILE`. The archive is a gzipped tar (tar-stream):
 *
 *   manifest.json      format, time, source database, the migrations applied, per table its columns, row count and the
 *                      SHA-256 of its file, the stored files with size and SHA-256
 *   SHA256SUMS         the same hashes for `sha256sum -c` (after `tar xzf`)
 *   db/<table>.jsonl   every row of a consistent snapshot, one JSON object per line, the same on both databases
 *   files/<sha256>     every stored file the snapshot refers to (its name is its SHA-256)
 *
 * A restore goes into an empty installation of either database (SQLite → PostgreSQL is one command): it checks every
 * hash, puts the files into the file store, writes every row in one transaction (parents first; columns that refer
 * within a cycle are filled in afterwards), checks the audit trail's hash chain, and signs a checkpoint of the restored
 * trail with this installation's key, all before it commits.
 */

export interface BackupManifest {
  format: 'praxis-backup';
  version: 1;
  createdAt: string;
  sourceDialect: DialectName;
  migrations: string[];
  tables: DumpedTable[];
  files: { sha256: string; size: number }[];
  auditEntries: number;
}

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  files: number;
  auditEntries: number;
  bytes: number;
}

const sha256File = async (file: string) => {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
};

/** Writes one archive member from a file or a stream of known size. */
async function addEntry(pack: tar.Pack, name: string, size: number, source: Readable | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    if (Buffer.isBuffer(source)) {
      pack.entry({ name, size, mtime: new Date(0) }, source, (err) => (err ? reject(err) : resolve()));
      return;
    }
    const entry = pack.entry({ name, size, mtime: new Date(0) }, (err) => (err ? reject(err) : resolve()));
    source.on('error', reject);
    source.pipe(entry);
  });
}

/** Makes an archive of the database and the stored files while Praxis keeps running. */
export async function createBackup(deps: Deps, file: string): Promise<BackupSummary> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new AppError('validation_failed', errorText('backup.exists', { file }));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // the snapshot is as large as the database: it is made beside the archive (same disk), readable by the owner only
  const work = fs.mkdtempSync(path.join(path.dirname(target), '.praxis-backup-'));
  const partial = `${target}.partial`;
  try {
    const snapshot = await dumpSnapshot(deps, work);
    const manifest: BackupManifest = {
      format: 'praxis-backup',
      version: 1,
      createdAt: deps.clock.now().toISOString(),
      sourceDialect: deps.dialect,
      migrations: snapshot.migrations,
      tables: snapshot.tables,
      files: snapshot.files,
      auditEntries: snapshot.auditEntries,
    };
    const sums = [
      ...snapshot.tables.map((t) => `${t.sha256}  ${t.file}`),
      ...snapshot.files.map((f) => `${f.sha256}  files/${f.sha256}`),
    ].join('\n');

    const pack = tar.pack();
    // the archive holds password hashes and sessions: readable by its owner only
    const written = pipeline(pack, zlib.createGzip(), fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    const members = (async () => {
      const manifestText = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      await addEntry(pack, 'manifest.json', manifestText.length, manifestText);
      await addEntry(pack, 'SHA256SUMS', Buffer.byteLength(`${sums}\n`), Buffer.from(`${sums}\n`));
      for (const t of snapshot.tables) {
        const local = path.join(work, t.file);
        await addEntry(pack, t.file, fs.statSync(local).size, fs.createReadStream(local));
      }
      for (const f of snapshot.files) {
        // through the file store's interface: the local directory or object storage alike
        const stored = await openFile(deps, f.sha256).catch(() => null);
        if (!stored) throw new AppError('invalid_state', errorText('backup.fileMissing', { sha256: f.sha256 }));
        await addEntry(pack, `files/${f.sha256}`, stored.size, stored.stream);
      }
      pack.finalize();
    })();
    members.catch((err: unknown) => pack.destroy(err as Error));
    await Promise.all([members, written]);
    fs.renameSync(partial, target);
    return {
      file: target,
      tables: snapshot.tables.length,
      rows: snapshot.tables.reduce((n, t) => n + t.rows, 0),
      files: snapshot.files.length,
      auditEntries: snapshot.auditEntries,
      bytes: fs.statSync(target).size,
    };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const MEMBER = /^(manifest\.json|SHA256SUMS|db\/[a-z0-9_]+\.jsonl|files\/[0-9a-f]{64})$/;

/**
 * Unpacks an archive into `dir`, accepting only the members a backup has (no paths outside it). A member of another
 * name is refused by name; what gzip or tar cannot read is refused in Praxis's words with the library's own after them.
 */
async function extractArchive(file: string, dir: string): Promise<void> {
  const extract = tar.extract();
  const done = pipeline(fs.createReadStream(file), zlib.createGunzip(), extract);
  const unpack = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (entry.header.type !== 'file' || !MEMBER.test(name)) {
        entry.resume();
        throw new AppError('validation_failed', errorText('backup.unexpectedMember', { file, name }));
      }
      const out = path.join(dir, name);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await pipeline(entry, fs.createWriteStream(out));
    }
  })();
  try {
    await Promise.all([done, unpack]);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('validation_failed', errorText('backup.notABackup', { file, details: (e as Error).message }));
  }
}

function readManifest(dir: string, file: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new AppError('validation_failed', errorText('backup.noManifest', { file }));
  }
  if (manifest.format !== 'praxis-backup' || manifest.version !== 1 || !Array.isArray(manifest.tables) || !Array.isArray(manifest.files)) {
    throw new AppError('validation_failed', errorText('backup.unknownManifest', { file }));
  }
  return manifest;
}

/** What a new installation already holds: its migrations seed catalogs, but nothing a person made. */
async function whatIsThere(deps: Deps): Promise<string | null> {
  const count = async (table: 'app_user' | 'scope' | 'audit_entry') =>
    Number(
      (
        await deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [users, scopes, entries] = await Promise.all([count('app_user'), count('scope'), count('audit_entry')]);
  // codes with their counts (`users=2,scopes=1`), worded in the reader's language by the `labels` format of the text
  const found = [users && `users=${users}`, scopes && `scopes=${scopes}`, entries && `entries=${entries}`].filter(Boolean);
  return found.length ? found.join(',') : null;
}

async function* readRows(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    for (const k of Object.keys(row)) row[k] = decodeValue(row[k]);
    yield row;
  }
}

/** Rows per insert: within both databases' limits on bound values. */
const batchSize = (columns: number) => Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columns))));

async function insertTable(tx: Tx, file: string, table: string, deferred: string[], primaryKey: string[], columns: number): Promise<void> {
  const db = tx as unknown as Tx & { insertInto(t: string): any; updateTable(t: string): any };
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length) await db.insertInto(table).values(batch).execute();
    batch = [];
  };
  for await (const row of readRows(file)) {
    const copy = { ...row };
    for (const c of deferred) copy[c] = null;
    batch.push(copy);
    if (batch.length >= batchSize(columns)) await flush();
  }
  await flush();
  if (!deferred.length) return;
  // the columns that refer within a cycle (or to the table itself), now that every row they can point at exists
  for await (const row of readRows(file)) {
    const values = Object.fromEntries(deferred.filter((c) => row[c] !== null && row[c] !== undefined).map((c) => [c, row[c]]));
    if (!Object.keys(values).length) continue;
    let q = db.updateTable(table).set(values);
    for (const k of primaryKey) q = q.where(k, '=', row[k]);
    await q.execute();
  }
}

/** A row that refers to one that is not there: PostgreSQL's SQLSTATE 23503, SQLite's SQLITE_CONSTRAINT_FOREIGNKEY (787). */
function isForeignKeyViolation(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; errcode?: unknown };
  return e.code === '23503' || e.errcode === 787;
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  files: number;
  auditEntries: number;
  sourceDialect: DialectName;
  checkpointSeq: number | null;
}

/** Restores an archive into this installation, which must be empty (no users, scopes or audit entries). */
export async function restoreBackup(deps: Deps, file: string): Promise<RestoreSummary> {
  if (!fs.existsSync(file)) throw new AppError('not_found', errorText('backup.noFile', { file }));
  const there = await whatIsThere(deps);
  if (there) throw new AppError('invalid_state', errorText('backup.notEmpty', { what: there }));

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-restore-'));
  try {
    await extractArchive(file, work);
    const manifest = readManifest(work, file);

    // the same migrations on both sides: the same tables and columns
    const applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(deps.db)).rows.map((r) => r.name);
    const differing = [
      ...manifest.migrations.filter((m) => !applied.includes(m)),
      ...applied.filter((m) => !manifest.migrations.includes(m)),
    ];
    if (differing.length) throw new AppError('invalid_state', errorText('backup.otherMigrations', { names: differing.join(', ') }));

    // every member as the manifest says
    for (const t of manifest.tables) {
      const local = path.join(work, t.file);
      if (!MEMBER.test(t.file) || !fs.existsSync(local) || (await sha256File(local)) !== t.sha256) {
        throw new AppError('validation_failed', errorText('backup.damaged', { name: t.file }));
      }
    }
    // the files first (content-addressed: putting one twice is harmless); each is checked against its name
    for (const f of manifest.files) {
      const local = path.join(work, 'files', f.sha256);
      if (!fs.existsSync(local)) throw new AppError('validation_failed', errorText('backup.damaged', { name: `files/${f.sha256}` }));
      try {
        await putBlob(deps, f.sha256, fs.createReadStream(local));
      } catch {
        throw new AppError('validation_failed', errorText('backup.damaged', { name: `files/${f.sha256}` }));
      }
    }

    const targetTables = await describeTables(deps.db, deps.dialect);
    const dumped = new Map(manifest.tables.map((t) => [t.name, t]));
    const missing = targetTables.filter((t) => !dumped.has(t.name)).map((t) => t.name);
    const unknown = manifest.tables
      .filter((t) => !isMigratorTable(t.name) && !targetTables.some((x) => x.name === t.name))
      .map((t) => t.name);
    if (missing.length || unknown.length) {
      throw new AppError('invalid_state', errorText('backup.otherMigrations', { names: [...missing, ...unknown].join(', ') }));
    }

    const order = insertionOrder(targetTables);
    const checkpoint = await deps.db.transaction().execute(async (tx) => {
      // what the migrations seeded (the built-in catalogs) goes: the backup has its own copy of them
      for (const { table } of [...order].reverse()) await tx.deleteFrom(table.name as 'audit_entry').execute();
      for (const { table, deferred } of order) {
        const dump = dumped.get(table.name)!;
        try {
          await insertTable(tx, path.join(work, dump.file), table.name, deferred, table.primaryKey, dump.columns.length);
        } catch (e) {
          if (isForeignKeyViolation(e))
            throw new AppError('validation_failed', errorText('backup.brokenForeignKey', { table: table.name }));
          throw e;
        }
      }
      if (deps.dialect === 'sqlite') {
        const broken = await sql`select * from pragma_foreign_key_check`.execute(tx);
        if (broken.rows.length)
          throw new AppError('validation_failed', errorText('backup.brokenForeignKeys', { count: broken.rows.length }));
      }
      const trail = await verifyAuditChain(tx);
      // the verifier's problem is a text of its own, worded in the language of the refusal around it
      if (!trail.ok) throw new AppError('validation_failed', errorText('backup.damagedTrail', { problem: trail.text }));
      // this installation vouches for the trail as restored; the old installation's checkpoints verify what came before
      return createCheckpointTx(tx, deps, 'restore');
    });
    return {
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      files: manifest.files.length,
      auditEntries: manifest.auditEntries,
      sourceDialect: manifest.sourceDialect,
      checkpointSeq: checkpoint ? Number(checkpoint.seq) : null,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
