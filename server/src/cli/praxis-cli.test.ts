import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, createTestDatabase, dialects, json, type TestContext, type TestDatabase } from '../test/harness.ts';
import { Writable } from 'node:stream';
import { resetMfaCommand } from '../auth/mfa/mfa.cli.ts';
import { catalogImportCommand, catalogListCommand } from '../catalogs/catalog.cli.ts';
import { hasText } from '../i18n/i18n.ts';
import { sweeps } from '../jobs/sweeps.ts';
import { auditCheckpointCommand } from './audit.actions.ts';
import { backupCommand, restoreCommand } from './backup.actions.ts';
import { chooseLanguage, cliLanguage } from './cli-language.ts';
import { runCli } from './commands.ts';
import {
  auditVerifyCommand,
  cliActor,
  jobsRunCommand,
  migrateCommand,
  seedDemoCommand,
  userCreateCommand,
  userResetPasswordCommand,
} from './actions.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** Runs the real `praxis` command in a child process (the smoke tests only; the commands' logic is tested in-process). */
async function praxis(env: Record<string, string>, ...args: string[]) {
  try {
    const r = await run(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'server/src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(dialects)('praxis CLI commands on %s', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(() => t.close());

  it('creates an administrator, seeds the demo, resets a password, runs the jobs and verifies the audit trail', {
    timeout: 300_000,
  }, async () => {
    const { deps, app } = t;
    expect((await migrateCommand()).stdout).toMatch(/up to date/);

    await expect(userCreateCommand(deps, { email: 'x@example.com', name: 'X', password: 'short', admin: false })).rejects.toThrow(
      /password must have at least 12 characters/,
    );
    await expect(userCreateCommand(deps, { email: 'x@example.com', name: 'X', admin: false }, {})).rejects.toThrow(
      /password must have at least 12 characters/,
    );
    await expect(cliActor(deps, undefined)).rejects.toThrow(/No administrator yet/);

    const created = await userCreateCommand(
      deps,
      { email: 'Admin@Example.com', name: 'Admin', admin: true },
      {
        PRAXIS_PASSWORD: 'cli password 123',
      },
    );
    expect(created.stdout).toMatch(/Created user admin@example.com .* as administrator/);
    await expect(
      userCreateCommand(deps, { email: 'admin@example.com', name: 'Again', password: 'cli password 123', admin: false }),
    ).rejects.toThrow(/already exists/);
    expect((await cliActor(deps, undefined)).email).toBe('admin@example.com');
    await expect(cliActor(deps, 'nobody@example.com')).rejects.toThrow(/No user nobody@example.com/);

    // the created administrator logs in through the web API and creates a scope
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'cli password 123' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = `praxis_session=${login.cookies[0]!.value}`;
    const scope = json(
      await app.inject({
        method: 'POST',
        url: '/api/scopes',
        headers: { cookie, 'x-csrf-token': json(login).csrfToken },
        payload: { name: 'CLI Ltd', profile: 'small' },
      }),
    );

    await expect(seedDemoCommand(deps, { scope: 'No such scope' })).rejects.toThrow(/No scope "No such scope"/);
    const seeded = await seedDemoCommand(deps, { scope: 'CLI Ltd' });
    const loaded = /: (\d+) assets, (\d+) open tasks/.exec(seeded.stdout);
    expect(loaded, seeded.stdout).not.toBeNull();
    const assets = json(await app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/assets?pageSize=1`, headers: { cookie } }));
    expect(assets.total).toBe(Number(loaded![1]));
    expect(assets.total).toBeGreaterThan(0);
    const tasks = json(
      await app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/tasks?processKey=risk-assessment`, headers: { cookie } }),
    );
    expect(tasks.total).toBeGreaterThan(0);
    await expect(seedDemoCommand(deps, { scope: scope.id })).rejects.toThrow(/without assets/);

    await expect(userResetPasswordCommand(deps, { email: 'admin@example.com', password: 'short' })).rejects.toThrow(
      /at least 12 characters/,
    );
    await expect(userResetPasswordCommand(deps, { email: 'nobody@example.com', password: 'another password 9' })).rejects.toThrow(
      /No user nobody@example.com/,
    );
    const reset = await userResetPasswordCommand(deps, { email: 'admin@example.com', password: 'another password 9' });
    expect(reset.stdout).toMatch(/Password of admin@example.com was reset/);
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
    const relogin = async (password: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@example.com', password } })).statusCode;
    expect(await relogin('cli password 123')).toBe(401);
    expect(await relogin('another password 9')).toBe(200);

    const jobs = await jobsRunCommand(deps);
    expect(jobs.exitCode, jobs.stdout).toBe(0);
    expect(jobs.stdout).toMatch(/^Expiring risk acceptances: \d+ created$/m);
    expect(jobs.stdout).not.toMatch(/failed/);
    // every sweep by its name in words, in both languages
    expect(Object.keys(sweeps).filter((name) => !hasText(`cli:sweep.${name}`))).toEqual([]);
    const germanJobs = await jobsRunCommand(deps, { LANG: 'de_DE.UTF-8' });
    expect(germanJobs.stdout.trim().split('\n')).toHaveLength(Object.keys(sweeps).length);
    expect(germanJobs.stdout).toMatch(/^Ablaufende Risikoakzeptanzen: \d+ angelegt$/m);
    expect(germanJobs.stdout).toMatch(/^Signierte Checkpoints des Audit-Trails: \d+ angelegt$/m);

    const ok = await auditVerifyCommand(deps);
    expect(ok.exitCode ?? 0).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ audit entries, hash chain intact, \d+ signatures valid, /);
    const germanOk = await auditVerifyCommand(deps, {}, { LC_MESSAGES: 'de_CH.UTF-8' });
    expect(germanOk.stdout).toMatch(/^OK: \d+ Audit-Einträge, Hash-Kette intakt, \d+ gültige Signaturen, signierte Checkpoints verbürgen/);
    const checkpoint = await auditCheckpointCommand(deps, {}, { LANG: 'de_DE.UTF-8' });
    expect(checkpoint.stdout).toMatch(/^Checkpoint bei Eintrag \d+ \([0-9a-f]{64}\) mit Schlüssel [0-9a-f]{16} signiert\n$/);

    await deps.db.updateTable('audit_entry').set({ action: 'forged' }).where('seq', '=', 3).execute();
    const broken = await auditVerifyCommand(deps);
    expect(broken.exitCode).toBe(3);
    expect(broken.stderr).toBe(
      'FAILED at entry 3: entry 3 was edited (its hash does not match its content) (2 entries verified before it)\n',
    );
    const germanBroken = await auditVerifyCommand(deps, {}, { LANG: 'de_DE.UTF-8' });
    expect(germanBroken.exitCode).toBe(3);
    expect(germanBroken.stderr).toBe(
      'FEHLER bei Eintrag 3: Eintrag 3 wurde bearbeitet (sein Hash passt nicht zu seinem Inhalt) (2 Einträge davor geprüft)\n',
    );
  });

  it("words what the commands print in the chosen language: --lang, else the acting user's setting, else the locale", async () => {
    const { deps } = t;
    const de = { LANG: 'de_DE.UTF-8' };
    // the rule, in one place
    expect(chooseLanguage('en', 'de', de)).toBe('en');
    expect(chooseLanguage(undefined, 'de', {})).toBe('de');
    expect(chooseLanguage(undefined, null, de)).toBe('de');
    expect(chooseLanguage(undefined, null, { LC_ALL: 'en_GB.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(chooseLanguage(undefined, null, { LANG: 'C.UTF-8' })).toBe('en');
    const admin = await deps.db.selectFrom('app_user').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    await deps.db.updateTable('app_user').set({ language: 'de' }).where('id', '=', admin.id).execute();
    // acting as the first administrator (or `--as`), their setting; a command that acts as nobody, the locale
    expect(await cliLanguage(deps, {}, { actsAsUser: true })).toBe('de');
    expect(await cliLanguage(deps, {}, { as: 'admin@example.com' })).toBe('de');
    expect(await cliLanguage(deps, {}, { as: 'nobody@example.com' })).toBe('en');
    expect(await cliLanguage(deps, {}, {})).toBe('en');
    expect(await cliLanguage(deps, de, { lang: 'en', actsAsUser: true })).toBe('en');

    expect((await migrateCommand(de)).stdout).toBe('Die Datenbank ist auf dem neuesten Stand\n');
    expect((await migrateCommand({})).stdout).toBe('Database is up to date\n');

    // refusals in German naming the option
    await expect(
      userCreateCommand(deps, { email: 'not-an-address', name: 'Y', password: 'long enough 123', admin: false }, de),
    ).rejects.toThrow(/^--email: E-Mail muss eine E-Mail-Adresse wie name@example\.com sein$/);
    await expect(
      userCreateCommand(deps, { email: 'y@example.com', name: ' ', password: 'long enough 123', admin: false }, de),
    ).rejects.toThrow(/^--name: Name ist erforderlich$/);
    await expect(
      userCreateCommand(deps, { email: 'not-an-address', name: 'Y', password: 'long enough 123', admin: false }, {}),
    ).rejects.toThrow(/^--email: Email must be an email address such as name@example\.com$/);
    await expect(userCreateCommand(deps, { email: 'y@example.com', name: 'Y', password: 'short', admin: false }, de)).rejects.toThrow(
      'Das Passwort muss mindestens 12 Zeichen haben (--password oder PRAXIS_PASSWORD)',
    );
    await expect(
      userCreateCommand(deps, { email: 'admin@example.com', name: 'Y', password: 'long enough 123', admin: false }, de),
    ).rejects.toThrow(/^--email: Ein Benutzer mit der E-Mail-Adresse admin@example\.com existiert bereits$/);
    // a service's refusal about a field names the option it came from
    await expect(
      userCreateCommand(deps, { email: 'y@example.com', name: 'Y', password: 'password1234', admin: false }, de),
    ).rejects.toThrow(/^--password: .*Passwort/);
    await expect(userResetPasswordCommand(deps, { email: 'admin@example.com', password: 'password1234' }, de)).rejects.toThrow(
      /^--password: .*Passwort/,
    );
    const created = await userCreateCommand(deps, { email: 'Y@example.com', name: 'Y', password: 'long enough 123', admin: false }, de);
    expect(created.stdout).toMatch(/^Benutzer y@example\.com \([0-9a-f-]{36}\) angelegt\n$/);
    await expect(userResetPasswordCommand(deps, { email: 'nobody@example.com', password: 'long enough 123' }, de)).rejects.toThrow(
      /^Kein Benutzer nobody@example\.com$/,
    );
    expect((await userResetPasswordCommand(deps, { email: 'y@example.com', password: 'another one 1234' }, de)).stdout).toBe(
      'Das Passwort von y@example.com wurde zurückgesetzt; die Sitzungen wurden beendet\n',
    );
    // the acting administrator's setting before the locale; --lang before both
    await expect(seedDemoCommand(deps, { scope: 'Nirgends' }, {})).rejects.toThrow(/^Kein Geltungsbereich „Nirgends“$/);
    await expect(seedDemoCommand(deps, { scope: 'Nirgends', lang: 'en' }, de)).rejects.toThrow(/^No scope "Nirgends"$/);

    // a table: its headings, the built-in catalog's German title, who a catalog is for, numbers
    const catalogs = (await catalogListCommand(deps, {}, {})).stdout.split('\n');
    expect(catalogs[0]).toMatch(/^SCHLÜSSEL +TITEL +VERSION +VERFÜGBAR FÜR +ANFORDERUNGEN +ZURÜCKGEZOGEN$/);
    expect(catalogs.some((l) => /^iso-27001-2022-annex-a +ISO\/IEC 27001:2022 Anhang A .* alle Geltungsbereiche +93 +0$/.test(l))).toBe(
      true,
    );
    // an OSCAL import: its progress and report in the administrator's language; a malformed file refused naming the
    // file and the field's path in it
    const progress: string[] = [];
    const into = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        progress.push(String(chunk));
        done();
      },
    });
    const basic = path.join(root, 'server/test-data/oscal/basic-catalog.json');
    const imported = await catalogImportCommand(deps, { file: basic }, into, {});
    expect(imported.stdout).toMatch(
      /^„.+“ Version 1\.1 für alle Geltungsbereiche importiert\n {2}Gruppen: +\d+\n {2}Anforderungen: +4 \(davon \d+ Erweiterungen\)\n/,
    );
    expect(imported.stdout).toMatch(/\n {2}Dauer: +\d+,\d\d s\n {2}Katalog-ID: +[0-9a-f-]{36}\n$/);
    expect(progress.at(-1)).toMatch(/^\d+\/\d+ Anforderungen importiert\n$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-cli-lang-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ catalog: { uuid: 'u', metadata: { title: 'Bad', version: '1' }, controls: [{ title: 'no id' }] } }),
    );
    await expect(catalogImportCommand(deps, { file: bad }, into, {})).rejects.toThrow(
      /^bad\.json: Kein gültiger OSCAL-Katalog: catalog\.controls\.0\.id: /,
    );
    await deps.db.updateTable('app_user').set({ language: null }).where('id', '=', admin.id).execute();
    expect((await catalogListCommand(deps, {}, {})).stdout).toMatch(/^KEY +TITLE +VERSION +AVAILABLE TO +CONTROLS +WITHDRAWN\n/);
    await expect(catalogImportCommand(deps, { file: bad }, into, {})).rejects.toThrow(
      /^bad\.json: Not a valid OSCAL catalog: catalog\.controls\.0\.id: /,
    );

    // a second factor reset, in the shell's language
    expect((await resetMfaCommand(deps, 'y@example.com', de)).stdout).toBe(
      'y@example.com hatte keinen zweiten Faktor; die Sitzungen wurden beendet. Die Anmeldung erfolgt mit dem Passwort; ein zweiter Faktor sollte erneut eingerichtet werden.\n',
    );

    // sizes and counts in the language's digits
    try {
      const backup = await backupCommand(deps, path.join(dir, 'b.tar.gz'), de);
      expect(backup.stdout).toMatch(
        /^Datensicherung nach .*b\.tar\.gz geschrieben \(\d+,\d MB\): [\d.]+ Tabellen mit [\d.]+ Zeilen, \d+ gespeicherte Dateien?, [\d.]+ Audit-Einträge\n$/,
      );
      await expect(backupCommand(deps, path.join(dir, 'b.tar.gz'), de)).rejects.toThrow(/b\.tar\.gz existiert bereits/);
      // a restore only into a new installation; what is there, counted in words
      await expect(restoreCommand(deps, path.join(dir, 'b.tar.gz'), de)).rejects.toThrow(
        /^Diese Installation ist nicht leer \(\d+ Benutzer, 1 Geltungsbereich und [\d.]+ Einträge im Audit-Trail\): /,
      );
      // a file the system refuses, named, instead of the system's English message
      await expect(auditCheckpointCommand(deps, { out: dir }, de)).rejects.toThrow(`${dir} ist ein Verzeichnis, keine Datei`);
      await expect(auditCheckpointCommand(deps, { out: dir }, {})).rejects.toThrow(`${dir} is a directory, not a file`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Runs the real wiring (`runCli`) in-process with the shell's locale `lang`, up to commander's refusal of the command
 * line: what it writes to stderr and the exit code (no database is opened: the refusal comes first).
 */
async function refusedCommandLine(locale: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  class Exited extends Error {}
  let code = -1;
  const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_MESSAGES: process.env.LC_MESSAGES };
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => {
    written.push(String(text));
    return true;
  });
  const exit = vi.spyOn(process, 'exit').mockImplementation(((n?: number) => {
    code = n ?? 0;
    throw new Exited();
  }) as typeof process.exit);
  try {
    process.env.LC_ALL = locale;
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

describe("praxis command line refusals (commander) in the shell's language", () => {
  it('names the missing option, the unknown command and the allowed values in German and English, then the help', async () => {
    const missing = await refusedCommandLine('de_DE.UTF-8', 'import', 'assets', 'assets.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^praxis: die Option --scope <name-or-id> ist erforderlich\n\nUsage: praxis import assets/);
    expect((await refusedCommandLine('de_DE.UTF-8', 'seed', 'demo', '--lang', 'fr')).stderr).toMatch(
      /^praxis: fr ist kein Wert der Option --lang <language>; sie nimmt en oder de\n/,
    );
    expect((await refusedCommandLine('de_DE.UTF-8', 'audti')).stderr).toMatch(
      /^praxis: unbekannter Befehl audti \(Meinten Sie audit\?\)\n/,
    );
    expect((await refusedCommandLine('de_DE.UTF-8', 'backup', 'a.tar.gz', 'b.tar.gz')).stderr).toMatch(
      /^praxis: zu viele Argumente: 1 erwartet, 2 angegeben\n/,
    );
    expect((await refusedCommandLine('C.UTF-8', 'user', 'create', '--email', 'x@example.com')).stderr).toMatch(
      /^praxis: the option --name <name> is required\n/,
    );
    expect((await refusedCommandLine('en_GB.UTF-8', 'catalog', 'list', '--scpoe', 'x')).stderr).toMatch(
      /^praxis: unknown option --scpoe \(Did you mean --scope\?\)\n/,
    );
  });
});

/** Runs `praxis --help` in a child process that records every module it loads (Node's synchronous resolve hook). */
const helpRecordingLoads = `
import fs from 'node:fs';
import module from 'node:module';
const loaded = new Set();
module.registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.add(r.url); return r; } });
process.on('exit', () => fs.writeSync(2, 'LOADED ' + JSON.stringify([...loaded]) + '\\n'));
process.argv = [process.argv[0], 'praxis', '--help'];
await import('./server/src/cli/main.ts');
`;

/**
 * Starts `praxis serve` (migrations, the app, the jobs, listening) in a child process that records every module it loads
 * through import or require (Node's synchronous resolve hook), and reports them once it is listening.
 */
const serveRecordingLoads = `
import fs from 'node:fs';
import module from 'node:module';
const loaded = new Set();
module.registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.add(r.url); return r; } });
const { serve } = await import('./server/src/cli/serve.ts');
await serve();
fs.writeSync(2, 'LOADED ' + JSON.stringify([...loaded]) + '\\n');
process.exit(0);
`;

/**
 * The largest libraries that only some requests use: each loads with its first use (`await import(...)`, or a require
 * on first use), not with the server (ARCHITECTURE.md, "Web client").
 */
const loadedOnFirstUse = [
  'exceljs', // workbooks
  '@simplewebauthn/server', // passkeys
  '@aws-sdk/client-s3', // S3 storage
  'pdfkit', // PDFs (shared/pdf.ts), with its font reader, line breaker and the bidirectional algorithm
  'fontkit',
  'linebreak',
  'bidi-js',
  'docx', // Word documents (shared/docx.ts)
  'marked', // the Markdown of policy documents
  'archiver', // the audit pack's ZIP
  'diff', // comparing document versions
  'otplib', // authenticator apps
  'qrcode',
  'openid-client', // single sign-on
  '@zxcvbn-ts/language-common', // the common-password list
  'nodemailer', // mail, when PRAXIS_SMTP_URL is set
];

describe('praxis serve (its start, in a child process)', () => {
  it('does not load the libraries that only some requests use until they are used', { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-start-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, PRAXIS_DATA_DIR: dataDir, PORT: '0' };
      for (const name of ['DATABASE_URL', 'PRAXIS_SMTP_URL', 'PRAXIS_FILES_URL', 'PRAXIS_OIDC_ISSUER']) delete env[name];
      const out = await run(
        process.execPath,
        ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', serveRecordingLoads],
        { cwd: root, env },
      );
      // it started: migrated a new SQLite database and listened
      expect(out.stdout).toContain(`(SQLite in ${dataDir})`);
      const loaded: string[] = JSON.parse(/^LOADED (.*)$/m.exec(out.stderr)![1]!);
      const packages = new Set(loaded.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
      // the start loads the app (Fastify, the drivers, the routes), so the check is that these are among them...
      expect(packages.has('fastify')).toBe(true);
      expect(packages.has('kysely')).toBe(true);
      // ...and that none of the libraries above is
      expect(loadedOnFirstUse.filter((p) => packages.has(p))).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('praxis command (smoke: the real binary, spawned twice)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(() => db.destroy());

  it('prints its help without loading heavy modules; against a database it migrates and exits 2 with the reason of a refusal', {
    timeout: 180_000,
  }, async () => {
    const help = await run(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', helpRecordingLoads],
      { cwd: root },
    );
    for (const command of ['serve', 'migrate', 'jobs', 'catalog', 'user', 'seed', 'audit', 'backup', 'restore', 'import', 'audit-pack']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    // neither the app, Fastify, the database drivers, the services nor the PDF/XLSX libraries
    const loaded: string[] = JSON.parse(/^LOADED (.*)$/m.exec(help.stderr)![1]!);
    const packages = new Set(loaded.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
    expect([...packages], 'packages `praxis --help` loads').toEqual(['commander']);
    const sources = loaded.flatMap((url) => url.split('/server/src/')[1] ?? []);
    expect(sources).toContain('cli/commands.ts');
    expect(
      // the command registrations (heavy modules load inside their actions)
      sources.filter(
        (s) =>
          !/^(cli\/(main|commands|import\.cli)\.ts|catalogs\/catalog\.cli\.ts|audit-pack\/audit-pack\.cli\.ts|shared\/errors\.ts)$/.test(s),
      ),
      'server modules `praxis --help` loads',
    ).toEqual([]);

    // the refusal in the shell's language
    const refused = await praxis(
      { ...db.env, LC_ALL: 'de_DE.UTF-8' },
      'user',
      'reset-password',
      '--email',
      'nobody@example.com',
      '--password',
      'long enough 123',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('praxis: Kein Benutzer nobody@example.com\n');
    // the command applied the migrations before it looked for the user
    const applied = await db.database.db
      .selectFrom('kysely_migration' as any)
      .select('name')
      .execute();
    expect(applied.length).toBeGreaterThan(0);
  });
});
