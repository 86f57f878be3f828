import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../database.ts';

describe('SQLite synchronous setting (PRAXIS_SQLITE_SYNCHRONOUS)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-sync-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const synchronousOf = async (env: Record<string, string>) => {
    const config = loadConfig({ PRAXIS_DATA_DIR: dir, ...env });
    const database = openDatabase(config);
    try {
      const r = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      return { synchronous: r.rows[0]!.synchronous, journal: mode.rows[0]!.journal_mode };
    } finally {
      await database.destroy();
    }
  };

  it('is FULL by default (an acknowledged write survives a power loss), NORMAL when asked, in WAL mode', async () => {
    // SQLite numbers the levels: 1 NORMAL, 2 FULL, 3 EXTRA
    expect(await synchronousOf({})).toEqual({ synchronous: 2, journal: 'wal' });
    expect(await synchronousOf({ PRAXIS_SQLITE_SYNCHRONOUS: 'normal' })).toEqual({ synchronous: 1, journal: 'wal' });
    expect(await synchronousOf({ PRAXIS_SQLITE_SYNCHRONOUS: 'EXTRA' })).toEqual({ synchronous: 3, journal: 'wal' });
    expect(() => loadConfig({ PRAXIS_SQLITE_SYNCHRONOUS: 'off' })).toThrow(
      /PRAXIS_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, got "off"/,
    );
  });
});
