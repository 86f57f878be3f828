import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCheckpointCommand, auditVerifyCommand } from '../cli/audit.actions.ts';
import type { AuditEntryTable } from '../db/schema.ts';
import { createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { createCheckpoint, readCheckpointFile, sweepAuditCheckpoints, type TrustedCheckpoint } from './audit-checkpoint.ts';
import { exportTrail } from './audit-export.ts';
import { hashedFieldsOf, hashEntry } from './audit-hash.ts';
import { keyIdOf, loadSigningKey, signText } from './audit-key.ts';
import { verifyAuditChain } from './audit.service.ts';

const exec = promisify(execFile);

/** The auditor's recipe of the README ("Verifying the audit trail without Praxis"), run by bash with coreutils and openssl. */
export const auditorRecipe = `
set -eu
cd "$1"
openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in checkpoint.txt -sigfile checkpoint.sig
openssl pkey -pubin -in public-key.pem -outform DER | sha256sum | cut -c1-16
prev=0000000000000000000000000000000000000000000000000000000000000000
while read -r seq p hash sig entry; do
  [ "$p" = "$prev" ] || { echo "entry $seq does not follow the entry before it"; exit 1; }
  [ "$(printf '%s%s' "$prev" "$entry" | sha256sum | cut -d' ' -f1)" = "$hash" ] || { echo "entry $seq was altered"; exit 1; }
  prev=$hash last="$seq:$hash"
done < trail.txt
[ "$last" = "$(cut -d: -f2,3 checkpoint.txt)" ] || { echo "the trail does not end at the signed checkpoint"; exit 1; }
echo "trail intact up to entry \${last%%:*}"
`;

const has = (tool: string) => {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe.each(dialects)('a trail that proves itself on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let dir: string;
  let checkpointFile: string;
  let anchor: TrustedCheckpoint;

  const addAssets = async (n: number, name = 'Asset') => {
    for (let i = 0; i < n; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/assets`,
        headers: manager.headers,
        payload: { name: `${name} ${i}`, type: 'system' },
      });
      expect(r.statusCode).toBe(201);
    }
  };
  const entries = () => t.deps.db.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
  const own = () => loadSigningKey(t.deps.config);
  const verify = (checkpoints: TrustedCheckpoint[] = [anchor]) => verifyAuditChain(t.deps.db, { keys: [own()], checkpoints });

  /** Runs a tampering, verifies with the exported checkpoint, and puts the trail and its checkpoints back. */
  async function tampered(change: (rows: AuditEntryTable[]) => Promise<void>) {
    const rows = await entries();
    const checkpoints = await t.deps.db.selectFrom('audit_checkpoint').selectAll().execute();
    await change(rows);
    const result = await verify();
    await t.deps.db.deleteFrom('audit_entry').execute();
    await t.deps.db.insertInto('audit_entry').values(rows).execute();
    await t.deps.db.deleteFrom('audit_checkpoint').execute();
    if (checkpoints.length) await t.deps.db.insertInto('audit_checkpoint').values(checkpoints).execute();
    expect((await verify()).ok).toBe(true);
    return result;
  }
  /** What someone with write access to the database but without the key can do: rewrite from `from` on, re-hashing. */
  async function rehashFrom(rows: AuditEntryTable[], from: number, keepSignatures: boolean) {
    let prev = rows[from - 2]!.hash;
    for (const row of rows.slice(from - 1)) {
      const hash = hashEntry(prev, hashedFieldsOf(row));
      await t.deps.db
        .updateTable('audit_entry')
        .set({ prev_hash: prev, hash, ...(keepSignatures ? {} : { signature: null, key_id: null }) })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    }
  }
  async function forgeAppend(rows: AuditEntryTable[], signature: { key_id: string | null; signature: string | null }) {
    const last = rows.at(-1)!;
    const forged: AuditEntryTable = {
      ...last,
      seq: Number(last.seq) + 1,
      id: `${last.id.slice(0, -4)}ffff`,
      changes: '{"name":{"to":"forged"}}',
      prev_hash: last.hash,
      hash: '',
      ...signature,
    };
    forged.hash = hashEntry(last.hash, hashedFieldsOf(forged));
    await t.deps.db.insertInto('audit_entry').values(forged).execute();
    return forged;
  }

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-checkpoint-'));
    await addAssets(6);
    // the auditor's copy, outside the database; then the trail goes on
    checkpointFile = path.join(dir, 'checkpoint.json');
    expect((await auditCheckpointCommand(t.deps, { out: checkpointFile })).stdout).toMatch(
      /^Checkpoint at entry \d+ \([0-9a-f]{64}\) signed with key [0-9a-f]{16}, written to /,
    );
    anchor = readCheckpointFile(checkpointFile);
    await addAssets(3, 'Later');
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs every entry with a key outside the database and verifies with the exported checkpoint', async () => {
    const rows = await entries();
    expect(rows.every((r) => r.key_id === own().keyId && r.signature)).toBe(true);
    expect(anchor.seq).toBeLessThan(rows.length);
    expect(await verify()).toEqual({ ok: true, entries: rows.length, signed: rows.length, coveredOnly: 0, checkpointSeq: anchor.seq });
    // the key file is not in the database
    expect(fs.readFileSync(t.deps.config.auditKeyFile, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    const cli = await auditVerifyCommand(t.deps, { checkpoint: [checkpointFile] });
    expect(cli.exitCode ?? 0).toBe(0);
    expect(cli.stdout).toMatch(
      new RegExp(
        `^OK: ${rows.length} audit entries, hash chain intact, ${rows.length} signatures valid, signed checkpoints hold up to entry ${anchor.seq}`,
      ),
    );
  });

  it('finds an entry edited in place', async () => {
    const r = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ changes: '{"name":{"to":"forged"}}' }).where('seq', '=', 4).execute();
    });
    expect(r).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/edited/) });
  });

  it('finds a deleted entry and reordered entries', async () => {
    const deleted = await tampered(async () => {
      await t.deps.db.deleteFrom('audit_entry').where('seq', '=', 3).execute();
    });
    expect(deleted).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/missing/) });
    const reordered = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ seq: -2 }).where('seq', '=', 2).execute();
      await t.deps.db.updateTable('audit_entry').set({ seq: 2 }).where('seq', '=', 3).execute();
      await t.deps.db.updateTable('audit_entry').set({ seq: 3 }).where('seq', '=', -2).execute();
    });
    expect(reordered).toMatchObject({ ok: false, seq: 2 });
  });

  it('finds a trail cut at its end (truncation), also when the stored checkpoints went with it', async () => {
    const r = await tampered(async (rows) => {
      await t.deps.db
        .deleteFrom('audit_entry')
        .where('seq', '>', anchor.seq - 2)
        .execute();
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
      expect(rows.length).toBeGreaterThan(anchor.seq);
    });
    expect(r).toMatchObject({ ok: false, seq: anchor.seq - 1, problem: expect.stringMatching(/removed from its end/) });
    // the hash chain alone cannot see it (that is what the checkpoint is for); the command says what happened
    await tampered(async () => {
      await t.deps.db
        .deleteFrom('audit_entry')
        .where('seq', '>', anchor.seq - 2)
        .execute();
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
      const cli = await auditVerifyCommand(t.deps, { checkpoint: [checkpointFile] });
      expect(cli.exitCode).toBe(3);
      expect(cli.stderr).toMatch(
        /^FAILED at entry \d+: the trail ends at entry \d+, but the signed checkpoint of .* \(checkpoint\.json\) vouches for entry \d+/,
      );
    });
  });

  it('finds an entry edited with every later hash recomputed (re-hashing)', async () => {
    const withSignatures = await tampered(async (rows) => {
      await t.deps.db.updateTable('audit_entry').set({ changes: '{"name":{"to":"forged"}}' }).where('seq', '=', 3).execute();
      await rehashFrom(await entries(), 3, true);
      expect(rows.length).toBeGreaterThan(3);
    });
    expect(withSignatures).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/signature that does not match/) });
    // the forger strips every signature and the stored checkpoints: the exported checkpoint still holds
    const stripped = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ changes: '{"name":{"to":"forged"}}' }).where('seq', '=', 3).execute();
      await t.deps.db.updateTable('audit_entry').set({ signature: null, key_id: null }).where('seq', '<', 3).execute();
      await rehashFrom(await entries(), 3, false);
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
    });
    expect(stripped).toMatchObject({ ok: false, seq: anchor.seq, problem: expect.stringMatching(/re-hashed/) });
  });

  it('finds an entry appended with a correct hash by someone without the key (forged append)', async () => {
    const unsigned = await tampered(async (rows) => {
      await forgeAppend(rows, { key_id: null, signature: null });
    });
    expect(unsigned).toMatchObject({ ok: false, problem: expect.stringMatching(/carries no signature/) });
    const foreignKey = generateKeyPairSync('ed25519');
    const otherKey = await tampered(async (rows) => {
      const forged = await forgeAppend(rows, { key_id: null, signature: null });
      const sig = signText(
        { keyId: 'x', publicKeyPem: '', publicKey: foreignKey.publicKey, privateKey: foreignKey.privateKey },
        forged.hash,
      );
      await t.deps.db
        .updateTable('audit_entry')
        .set({ key_id: keyIdOf(foreignKey.publicKey), signature: sig })
        .where('seq', '=', forged.seq)
        .execute();
    });
    expect(otherKey).toMatchObject({ ok: false, problem: expect.stringMatching(/key this installation does not trust/) });
    const copied = await tampered(async (rows) => {
      await forgeAppend(rows, { key_id: rows.at(-1)!.key_id, signature: rows.at(-1)!.signature });
    });
    expect(copied).toMatchObject({ ok: false, problem: expect.stringMatching(/signature that does not match/) });
  });

  it('accepts entries written before signing began (an upgraded installation) only before the first signed entry', async () => {
    const legacy = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ signature: null, key_id: null }).where('seq', '<=', 3).execute();
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
      // no checkpoint yet: the unsigned start is what an older release wrote
      expect(await verifyAuditChain(t.deps.db, { keys: [own()] })).toMatchObject({ ok: true, checkpointSeq: null });
    });
    // the exported checkpoint covers the unsigned entries
    expect(legacy).toMatchObject({ ok: true, checkpointSeq: anchor.seq, coveredOnly: 3 });
    const gap = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ signature: null, key_id: null }).where('seq', '=', 5).execute();
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
    });
    expect(gap).toMatchObject({ ok: true });
    const gapWithoutCheckpoint = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ signature: null, key_id: null }).where('seq', '=', 5).execute();
      await t.deps.db.deleteFrom('audit_checkpoint').execute();
      expect(await verifyAuditChain(t.deps.db, { keys: [own()] })).toMatchObject({
        ok: false,
        seq: 5,
        problem: expect.stringMatching(/carries no signature although entries before it do/),
      });
    });
    expect(gapWithoutCheckpoint.ok).toBe(true);
  });

  it('refuses an altered checkpoint file and a forged stored checkpoint', async () => {
    const file = JSON.parse(fs.readFileSync(checkpointFile, 'utf8'));
    const altered = path.join(dir, 'altered.json');
    fs.writeFileSync(altered, JSON.stringify({ ...file, seq: file.seq + 1 }));
    await expect(auditVerifyCommand(t.deps, { checkpoint: [altered] })).rejects.toThrow(/The signature of the checkpoint .* does not hold/);
    fs.writeFileSync(altered, '{"hello":1}');
    await expect(auditVerifyCommand(t.deps, { checkpoint: [altered] })).rejects.toThrow(/is not an audit trail checkpoint/);
    await expect(auditVerifyCommand(t.deps, { checkpoint: [path.join(dir, 'none.json')] })).rejects.toThrow(/No checkpoint file/);

    const r = await tampered(async () => {
      const cp = (await createCheckpoint(t.deps, 'command'))!;
      await t.deps.db
        .updateTable('audit_checkpoint')
        .set({ seq: cp.seq + 5 })
        .where('id', '=', cp.id)
        .execute();
    });
    expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(/stored checkpoint .* does not carry a valid signature/) });
  });

  it('makes checkpoints after every N entries and once a day, written to the checkpoint directory', async () => {
    const every = t.deps.config.auditCheckpointEvery;
    t.deps.config.auditCheckpointEvery = 4;
    try {
      await addAssets(5, 'Counted');
    } finally {
      t.deps.config.auditCheckpointEvery = every;
    }
    const threshold = await t.deps.db.selectFrom('audit_checkpoint').select('seq').where('reason', '=', 'threshold').execute();
    expect(threshold.length).toBeGreaterThan(0);
    expect(threshold.every((c) => Number(c.seq) % 4 === 0)).toBe(true);

    const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-checkpoints-'));
    const before = t.deps.config.auditCheckpointDir;
    t.deps.config.auditCheckpointDir = checkpointDir;
    try {
      // the command checkpoints of the tests before are fresh: nothing is due
      expect(await sweepAuditCheckpoints(t.deps)).toBe(0);
      await t.deps.db.deleteFrom('audit_checkpoint').where('reason', '!=', 'threshold').execute();
      expect(await sweepAuditCheckpoints(t.deps)).toBe(1);
      expect(await sweepAuditCheckpoints(t.deps)).toBe(0);
      const [written] = fs.readdirSync(checkpointDir);
      const last = (await entries()).at(-1)!;
      expect(written).toBe(`checkpoint-${last.seq}.json`);
      expect(readCheckpointFile(path.join(checkpointDir, written!))).toMatchObject({ seq: Number(last.seq), hash: last.hash });
    } finally {
      t.deps.config.auditCheckpointDir = before;
      fs.rmSync(checkpointDir, { recursive: true, force: true });
    }
    expect((await verify()).ok).toBe(true);
  });

  it.runIf(has('openssl') && has('sha256sum') && has('bash'))(
    "exports a trail that an auditor verifies with the README's openssl and sha256sum recipe",
    async () => {
      const out = path.join(dir, 'export');
      await exportTrail(t.deps, out);
      const rows = await entries();
      const ok = await exec('bash', ['-c', auditorRecipe, 'recipe', out]);
      expect(ok.stdout).toContain('Signature Verified Successfully');
      expect(ok.stdout).toContain(own().keyId);
      expect(ok.stdout).toContain(`trail intact up to entry ${rows.at(-1)!.seq}`);

      // an altered line fails the recipe
      const trail = fs.readFileSync(path.join(out, 'trail.txt'), 'utf8').split('\n');
      trail[2] = trail[2]!.replace('"at":"2', '"at":"3');
      fs.writeFileSync(path.join(out, 'trail.txt'), trail.join('\n'));
      await expect(exec('bash', ['-c', auditorRecipe, 'recipe', out])).rejects.toMatchObject({
        stdout: expect.stringContaining('entry 3 was altered'),
      });
      // a cut trail fails it too
      fs.writeFileSync(path.join(out, 'trail.txt'), `${trail.slice(0, 2).join('\n')}\n`);
      await expect(exec('bash', ['-c', auditorRecipe, 'recipe', out])).rejects.toMatchObject({
        stdout: expect.stringContaining('does not end at the signed checkpoint'),
      });
      // a forged signature file fails openssl
      fs.writeFileSync(path.join(out, 'checkpoint.txt'), 'praxis-audit-checkpoint:1:00:x');
      await expect(exec('bash', ['-c', auditorRecipe, 'recipe', out])).rejects.toBeTruthy();
    },
  );
});
