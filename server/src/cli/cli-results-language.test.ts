import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Command } from 'commander';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditPackCommand } from '../audit-pack/audit-pack.cli.ts';
import { createBackup } from '../backup/backup.service.ts';
import { catalogImportCommand } from '../catalogs/catalog.cli.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { buildUser, createScopeContext, createTestContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { auditExportCommand, auditVerifyCommand } from './audit.actions.ts';
import { restoreCommand } from './backup.actions.ts';
import { runCli } from './commands.ts';
import { importCommand } from './import.cli.ts';

/*
 * What the `praxis` commands print as their result, and the refusals that carry another text or a library's message,
 * in German and in English (in-process, on both databases where data is involved): a restore, an audit export, an
 * audit pack, the dry runs of the risk and control imports; a damaged trail, broken references, an archive or key
 * the libraries cannot read, a refused PRAXIS_* value.
 */

const de = { LANG: 'de_DE.UTF-8' };
const en = { LANG: 'en_GB.UTF-8' };
const n = (lang: string, value: number) => new Intl.NumberFormat(lang).format(value);
/** A path as a literal part of a pattern. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A context whose stored files live in a directory of its own (the PostgreSQL harness shares the temp directory). */
function ownStore(t: TestContext, dirs: string[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-cli-results-store-'));
  dirs.push(dir);
  t.deps.config.dataDir = dir;
}

/** The members of a backup archive, by name. */
async function members(archive: string): Promise<Map<string, Buffer>> {
  const extract = tar.extract();
  const out = new Map<string, Buffer>();
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      out.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  extract.end(zlib.gunzipSync(fs.readFileSync(archive)));
  await reading;
  return out;
}

/**
 * A copy of a backup with one table's rows changed by `change` and the manifest's SHA-256 of it made to match: damage
 * that only the restore itself can find.
 */
async function tampered(archive: string, out: string, table: string, change: (rows: string[]) => string[]): Promise<void> {
  const files = await members(archive);
  const name = `db/${table}.jsonl`;
  const rows = files.get(name)!.toString('utf8').split('\n').filter(Boolean);
  const changed = Buffer.from(`${change(rows).join('\n')}\n`);
  files.set(name, changed);
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { tables: { file: string; sha256: string }[] };
  manifest.tables.find((t) => t.file === name)!.sha256 = createHash('sha256').update(changed).digest('hex');
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  const pack = tar.pack();
  for (const [member, content] of files) pack.entry({ name: member }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  fs.writeFileSync(out, zlib.gzipSync(Buffer.concat(chunks)));
}

describe.each(dialects)('praxis results and refusals in German and English on %s', (dialect) => {
  let source: TestContext;
  let target: TestContext;
  let manager: TestUser;
  let scopeId: string;
  let scopeName: string;
  let archive: string;
  let tmp: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    ({ t: source, scopeId, manager } = await createScopeContext(dialect));
    target = await createTestContext(dialect);
    ownStore(source, dirs);
    ownStore(target, dirs);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-cli-results-'));
    dirs.push(tmp);
    const created = await source.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: manager.headers,
      payload: { name: 'Mail server', type: 'system' },
    });
    expect(created.statusCode, created.body).toBe(201);
    scopeName = (await source.deps.db.selectFrom('scope').select('name').where('id', '=', scopeId).executeTakeFirstOrThrow()).name;
    await buildUser(source.deps, { name: 'Risk Person', memberships: [[scopeId, 'contributor']] });
    archive = path.join(tmp, 'praxis.tar.gz');
  }, 120_000);
  afterAll(async () => {
    await source.close();
    await target.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('restores and says so in German and in English; a damaged trail, broken references and an unreadable archive are refused in words', {
    timeout: 120_000,
  }, async () => {
    const made = await createBackup(source.deps, archive);
    const dbName = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const empty = () => target.deps.db.selectFrom('app_user').select('id').execute();

    // a trail edited inside the archive: the verifier's problem is worded inside the refusal, in the same language
    const edited = path.join(tmp, 'edited.tar.gz');
    let seq = 0;
    await tampered(archive, edited, 'audit_entry', (rows) => {
      const row = JSON.parse(rows[0]!) as { seq: number; action: string };
      seq = Number(row.seq);
      rows[0] = JSON.stringify({ ...row, action: row.action === 'create' ? 'update' : 'create' });
      return rows;
    });
    await expect(restoreCommand(target.deps, edited, de)).rejects.toThrow(
      `Die Sicherung ist beschädigt: ihr Audit-Trail (db/audit_entry.jsonl) ist nicht intakt: Eintrag ${seq} wurde bearbeitet (sein Hash passt nicht zu seinem Inhalt)`,
    );
    await expect(restoreCommand(target.deps, edited, en)).rejects.toThrow(
      `The backup is damaged: its audit trail (db/audit_entry.jsonl) does not hold: entry ${seq} was edited (its hash does not match its content)`,
    );
    expect(await empty()).toEqual([]);

    // a row that refers to a row the backup does not have
    const orphan = path.join(tmp, 'orphan.tar.gz');
    await tampered(archive, orphan, 'asset', (rows) =>
      rows.map((r) => JSON.stringify({ ...JSON.parse(r), scope_id: '01900000-0000-7000-8000-000000000000' })),
    );
    await expect(restoreCommand(target.deps, orphan, de)).rejects.toThrow(
      'Die Sicherung ist beschädigt: eine wiederhergestellte Zeile der Tabelle asset verweist auf eine Zeile, die die Sicherung nicht enthält; nichts wurde wiederhergestellt',
    );
    await expect(restoreCommand(target.deps, orphan, en)).rejects.toThrow(
      'The backup is damaged: a restored row of the table asset refers to a row the backup does not have; nothing was restored',
    );
    expect(await empty()).toEqual([]);

    // what gzip cannot read: Praxis's sentence, then the library's own words marked as its details
    const notGzip = path.join(tmp, 'not-gzip.tar.gz');
    fs.writeFileSync(notGzip, 'not an archive');
    await expect(restoreCommand(target.deps, notGzip, de)).rejects.toThrow(
      new RegExp(
        `^${literal(notGzip)} ist keine Praxis-Sicherung: sie lässt sich nicht als gzip-komprimiertes tar-Archiv lesen \\(Angaben der Archiv-Bibliothek: .+\\)$`,
      ),
    );
    await expect(restoreCommand(target.deps, notGzip, en)).rejects.toThrow(
      /is not a Praxis backup: it cannot be read as a gzip-compressed tar archive \(details from the archive library: .+\)$/,
    );
    // a member no backup has, named
    const stranger = path.join(tmp, 'stranger.tar.gz');
    const pack = tar.pack();
    pack.entry({ name: 'notes.txt' }, 'hello');
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    fs.writeFileSync(stranger, zlib.gzipSync(Buffer.concat(chunks)));
    await expect(restoreCommand(target.deps, stranger, de)).rejects.toThrow(
      `${stranger} ist keine Praxis-Sicherung: sie enthält notes.txt, was eine Sicherung nicht hat`,
    );

    // restored, in German: counts in German digits, the entry the checkpoint signs as trail.txt numbers it
    const restored = await restoreCommand(target.deps, archive, de);
    const seqOfCheckpoint = /Checkpoint bei Eintrag (\d+) /.exec(restored.stdout)?.[1];
    expect(restored.stdout).toBe(
      `Eine Datensicherung aus ${dbName} wurde in ${dbName} wiederhergestellt: ${n('de', made.tables)} Tabellen mit ${n('de', made.rows)} Zeilen, 0 gespeicherte Dateien, ${n('de', made.auditEntries)} Audit-Einträge (Hash-Kette intakt, Checkpoint bei Eintrag ${seqOfCheckpoint} mit dem Schlüssel dieser Installation signiert)\n`,
    );
    expect(Number(seqOfCheckpoint)).toBeGreaterThanOrEqual(made.auditEntries);

    // and in English, into another new installation
    const other = await createTestContext(dialect);
    ownStore(other, dirs);
    try {
      const english = await restoreCommand(other.deps, archive, en);
      expect(english.stdout).toBe(
        `Restored a ${dbName} backup into ${dbName}: ${n('en', made.tables)} tables with ${n('en', made.rows)} rows, 0 stored files, ${n('en', made.auditEntries)} audit entries (hash chain intact, checkpoint at entry ${seqOfCheckpoint} signed with this installation's key)\n`,
      );
    } finally {
      await other.close();
    }
  });

  it('says what the audit export and the audit pack wrote in German and in English; trail.txt is the same in both', {
    timeout: 120_000,
  }, async () => {
    const germanDir = path.join(tmp, 'export-de');
    const german = await auditExportCommand(source.deps, { out: germanDir, as: manager.email }, de);
    const line =
      /^(.+) nach (.+) exportiert, mit einem Checkpoint bei Eintrag (\d+), signiert mit Schlüssel ([0-9a-f]{16}) \(checkpoint\.json, checkpoint\.txt, checkpoint\.sig, public-key\.pem; in Worten: (.+)\)\n$/.exec(
        german.stdout,
      );
    expect(line, german.stdout).not.toBeNull();
    const [, entries, file, seq, keyId, words] = line!;
    expect(entries).toMatch(/^[\d.]+ Audit-Einträge$/);
    expect(file).toBe(path.join(germanDir, 'trail.txt'));
    expect(words).toBe('trail.de.txt');
    expect(fs.existsSync(path.join(germanDir, 'trail.de.txt'))).toBe(true);

    const englishDir = path.join(tmp, 'export-en');
    const english = await auditExportCommand(source.deps, { out: englishDir, as: manager.email }, en);
    expect(english.stdout).toMatch(
      new RegExp(
        `^Exported [\\d,]+ audit entries to ${literal(path.join(englishDir, 'trail.txt'))} with a checkpoint at entry \\d+ signed with key ${keyId} \\(checkpoint\\.json, checkpoint\\.txt, checkpoint\\.sig, public-key\\.pem; in words: trail\\.en\\.txt\\)\\n$`,
      ),
    );
    // what scripts and auditors read is the same in any language: the German export's entries lead the English one's
    const germanTrail = fs.readFileSync(path.join(germanDir, 'trail.txt'), 'utf8');
    const englishTrail = fs.readFileSync(path.join(englishDir, 'trail.txt'), 'utf8');
    expect(englishTrail.startsWith(germanTrail)).toBe(true);
    expect(Number(seq)).toBeGreaterThan(0);

    const packDe = path.join(tmp, 'pack-de.zip');
    const pack = await auditPackCommand(source.deps, { scope: scopeName, out: packDe, as: manager.email }, de);
    const size = fs.statSync(packDe).size;
    expect(pack.stdout).toBe(`Audit-Paket von ${scopeName} nach ${packDe} geschrieben (${n('de', size)} Bytes)\n`);
    const packEn = path.join(tmp, 'pack-en.zip');
    const packed = await auditPackCommand(source.deps, { scope: scopeId, out: packEn, as: manager.email }, en);
    expect(packed.stdout).toBe(`Wrote the audit pack of ${scopeName} to ${packEn} (${n('en', fs.statSync(packEn).size)} bytes)\n`);
    await expect(auditPackCommand(source.deps, { scope: scopeName, out: packDe, as: manager.email }, de)).rejects.toThrow(
      `${packDe} existiert bereits; wählen Sie einen anderen Namen`,
    );
  });

  it('words the dry runs of the risk and control imports as tables in German and in English', { timeout: 60_000 }, async () => {
    const count = async (table: 'risk' | 'control') =>
      Number(
        (
          await source.deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('scope_id', '=', scopeId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const risks = path.join(tmp, 'risks.csv');
    fs.writeFileSync(risks, 'Title,Threat,Owner,Likelihood,Impact\nPhishing,G 0.14,Risk Person,2,3\nFlood,G 0.99,,9,1\n');
    const dryRisks = (env: NodeJS.ProcessEnv) =>
      importCommand(source.deps, 'risks', { file: risks, scope: scopeName, dryRun: true, as: manager.email }, env);
    const germanRisks = await dryRisks(de);
    expect(germanRisks.exitCode).toBe(2);
    expect(germanRisks.stdout.split('\n')).toEqual([
      `Probelauf von risks.csv für den Geltungsbereich „${scopeName}“`,
      '  Spalten:     Title → Titel [title], Threat → Gefährdung (Kürzel wie G 0.14 oder Titel) [threat], Owner → Risikoeigentümer (E-Mail oder Name) [owner], Likelihood → Aktuelle Eintrittswahrscheinlichkeit [currentLikelihood], Impact → Aktuelle Auswirkung [currentImpact] (Zuordnung aus den Überschriften erraten)',
      '  Zeilen:      2',
      '  neu:         1',
      '  geändert:    0',
      '  unverändert: 0',
      '  abgelehnt:   1',
      '  Zeile 3 (Flood): Keine Gefährdung des Katalogs oder dieses Geltungsbereichs ist „G 0.99“: nennen Sie sie mit ihrem Kürzel (etwa G 0.14) oder ihrem Titel; „9“ in Spalte „Likelihood“ liegt nicht auf der Skala des Geltungsbereichs: verwenden Sie eine ganze Zahl von 1 bis 3 oder den Namen einer Stufe',
      '',
    ]);
    const englishRisks = await dryRisks(en);
    expect(englishRisks.stdout.split('\n')).toEqual([
      `Dry run of risks.csv into scope "${scopeName}"`,
      '  columns:   Title → Title [title], Threat → Threat (code such as G 0.14, or title) [threat], Owner → Risk owner (email or name) [owner], Likelihood → Current likelihood [currentLikelihood], Impact → Current impact [currentImpact] (guessed mapping)',
      '  rows:      2',
      '  created:   1',
      '  updated:   0',
      '  unchanged: 0',
      '  refused:   1',
      expect.stringMatching(
        /^ {2}line 3 \(Flood\): No threat of the catalog or of this scope is "G 0\.99".*; "9" in column "Likelihood" is not on the scope's scale/,
      ),
      '',
    ]);
    expect(await count('risk')).toBe(0);

    const controls = path.join(tmp, 'controls.csv');
    fs.writeFileSync(controls, 'Massnahme;Stand;Anhang\nBackups;implemented;A.8.13\nPatching;someday;A.8.8\n');
    const mapping = JSON.stringify({ Massnahme: 'title', Stand: 'status', Anhang: 'requirements' });
    const dryControls = (env: NodeJS.ProcessEnv) =>
      importCommand(source.deps, 'controls', { file: controls, scope: scopeName, mapping, dryRun: true, as: manager.email }, env);
    const germanControls = await dryControls(de);
    expect(germanControls.exitCode).toBe(2);
    expect(germanControls.stdout.split('\n')).toEqual([
      `Probelauf von controls.csv für den Geltungsbereich „${scopeName}“`,
      '  Spalten:     Massnahme → Titel [title], Stand → Status [status], Anhang → Anforderungen (etwa A.5.1) [requirements] (Zuordnung wie angegeben)',
      '  Zeilen:      2',
      '  neu:         1',
      '  geändert:    0',
      '  unverändert: 0',
      '  abgelehnt:   1',
      '  Zeile 3 (Patching): „someday“ in Spalte „Stand“ ist keiner von: Geplant, In Umsetzung, Umgesetzt, Verifiziert, Nicht anwendbar',
      '',
    ]);
    const englishControls = await dryControls(en);
    expect(englishControls.stdout.split('\n')).toEqual([
      `Dry run of controls.csv into scope "${scopeName}"`,
      '  columns:   Massnahme → Title [title], Stand → Status [status], Anhang → Requirements (such as A.5.1) [requirements] (given mapping)',
      '  rows:      2',
      '  created:   1',
      '  updated:   0',
      '  unchanged: 0',
      '  refused:   1',
      '  line 3 (Patching): "someday" in column "Stand" is not one of: planned, in progress, implemented, verified, not applicable',
      '',
    ]);
    expect(await count('control')).toBe(0);
  });

  it('words a key or catalog file the libraries cannot read: our sentence, then their words as details', async () => {
    const notPem = path.join(tmp, 'not-a-key.pem');
    fs.writeFileSync(notPem, 'not a key');
    await expect(auditVerifyCommand(source.deps, { publicKey: [notPem] }, de)).rejects.toThrow(
      new RegExp(`^${literal(notPem)} ist kein öffentlicher Schlüssel im PEM-Format \\(Angaben von Node\\.js crypto: .+\\)$`),
    );
    const ec = path.join(tmp, 'ec.pem');
    fs.writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
    await expect(auditVerifyCommand(source.deps, { publicKey: [ec] }, de)).rejects.toThrow(
      `${ec} enthält einen öffentlichen Schlüssel anderer Art (ec), keinen Ed25519-Schlüssel`,
    );
    await expect(auditVerifyCommand(source.deps, { publicKey: [ec] }, en)).rejects.toThrow(
      `${ec} holds a public key of another kind (ec), not an Ed25519 key`,
    );

    // the installation's own key file named by PRAXIS_AUDIT_KEY_FILE and missing: an error of the configuration (exit 1)
    const missing = path.join(tmp, 'no-such-key.pem');
    const withoutKey = { ...source.deps, config: { ...source.deps.config, auditKeyFile: missing, auditKeyGenerate: false } };
    const refused = await auditVerifyCommand(withoutKey, {}, de).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toBe(`Der Signaturschlüssel des Audit-Trails ${missing} (PRAXIS_AUDIT_KEY_FILE) existiert nicht`);
    await expect(auditVerifyCommand(withoutKey, {}, en)).rejects.toThrow(
      `The audit signing key ${missing} (PRAXIS_AUDIT_KEY_FILE) does not exist`,
    );
    const garbage = path.join(tmp, 'garbage-key.pem');
    fs.writeFileSync(garbage, 'not a key');
    const withGarbage = { ...source.deps, config: { ...source.deps.config, auditKeyFile: garbage, auditKeyGenerate: false } };
    await expect(auditVerifyCommand(withGarbage, {}, de)).rejects.toThrow(
      /Der Signaturschlüssel des Audit-Trails .*garbage-key\.pem ist kein privater Schlüssel im PEM-Format \(Angaben von Node\.js crypto: .+\)$/,
    );

    // a catalog file that is not JSON: the parser's words after ours
    const notJson = path.join(tmp, 'not.json');
    fs.writeFileSync(notJson, '{ "catalog": ');
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    await expect(
      catalogImportCommand(source.deps, { file: notJson, scope: scopeName, as: manager.email }, sink as never, de),
    ).rejects.toThrow(/^not\.json: Die Datei ist kein JSON \(Angaben des JSON-Parsers: .+\)$/);
    await expect(
      catalogImportCommand(source.deps, { file: notJson, scope: scopeName, as: manager.email }, sink as never, en),
    ).rejects.toThrow(/^not\.json: The file is not JSON \(details from the JSON parser: .+\)$/);
  });
});

/** Runs the real wiring (`runCli`) in-process with `env` set: what it writes to stderr and the exit code. */
async function commandLine(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  class Exited extends Error {}
  let code = -1;
  const saved = Object.fromEntries(['LANG', 'LC_ALL', 'LC_MESSAGES', ...Object.keys(env)].map((k) => [k, process.env[k]]));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => {
    written.push(String(text));
    return true;
  });
  const exit = vi.spyOn(process, 'exit').mockImplementation(((c?: number) => {
    code = c ?? 0;
    throw new Exited();
  }) as typeof process.exit);
  try {
    for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES']) delete process.env[k];
    Object.assign(process.env, env);
    await runCli(new Command(), ['node', 'praxis', ...args]).catch((e: unknown) => {
      if (!(e instanceof Exited)) throw e;
    });
  } finally {
    stderr.mockRestore();
    exit.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return { code, stderr: written.join('') };
}

describe('a PRAXIS_* value the command cannot start with, in the shell language (no database is opened)', () => {
  it('names the variable and the value in German and English, exits 1; the start log keeps the English message', async () => {
    expect(await commandLine({ LANG: 'de_DE.UTF-8', PRAXIS_SQLITE_SYNCHRONOUS: 'off' }, 'migrate')).toEqual({
      code: 1,
      stderr: 'praxis: PRAXIS_SQLITE_SYNCHRONOUS muss FULL, NORMAL oder EXTRA sein, nicht "off"\n',
    });
    expect(await commandLine({ LANG: 'en_US.UTF-8', PORT: 'eighty' }, 'migrate')).toEqual({
      code: 1,
      stderr: 'praxis: PORT must be a port number, got "eighty"\n',
    });
    expect(await commandLine({ LC_ALL: 'de_AT.UTF-8', PRAXIS_AUDIT_CHECKPOINT_EVERY: '0' }, 'audit', 'verify')).toEqual({
      code: 1,
      stderr: 'praxis: PRAXIS_AUDIT_CHECKPOINT_EVERY muss eine positive ganze Zahl sein, nicht "0"\n',
    });
    // serve, before it opens anything
    expect(await commandLine({ LANG: 'de_DE.UTF-8', PORT: 'achtzig' }, 'serve')).toEqual({
      code: 1,
      stderr: 'praxis: PORT muss eine Portnummer sein, nicht "achtzig"\n',
    });
    // what config.ts reads through the file storage and single sign-on settings, too
    expect(await commandLine({ LANG: 'de_DE.UTF-8', PRAXIS_FILES_URL: 's3:///no-bucket' }, 'migrate')).toEqual({
      code: 1,
      stderr: 'praxis: PRAXIS_FILES_URL=s3://bucket/prefix braucht einen Bucket\n',
    });
    expect(
      await commandLine({ LANG: 'de_DE.UTF-8', PRAXIS_OIDC_ISSUER: 'https://id.example.com', PRAXIS_OIDC_CLIENT_ID: '' }, 'migrate'),
    ).toEqual({ code: 1, stderr: 'praxis: PRAXIS_OIDC_CLIENT_ID ist erforderlich, wenn PRAXIS_OIDC_ISSUER gesetzt ist\n' });
    expect(await commandLine({ LANG: 'en_US.UTF-8', PRAXIS_FILES_URL: 's3://b/p?colour=red' }, 'migrate')).toEqual({
      code: 1,
      stderr: 'praxis: PRAXIS_FILES_URL: unknown parameter "colour" (known: endpoint, region, pathStyle)\n',
    });
    // what the server logs when it cannot start: the English sentence
    expect(() => loadConfig({ PRAXIS_SQLITE_SYNCHRONOUS: 'off' })).toThrow(
      'PRAXIS_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, got "off"',
    );
  });
});
