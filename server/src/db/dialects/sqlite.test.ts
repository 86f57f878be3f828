import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import { NodeSqliteDatabase } from './sqlite.ts';

describe('SQLite statement cache', () => {
  it('prepares a statement once and reuses it; a schema change is still seen', () => {
    const raw = new DatabaseSync(':memory:');
    const db = new NodeSqliteDatabase(raw);
    const prepare = vi.spyOn(raw, 'prepare');
    db.prepare('create table t (a integer)').run([]);
    const insert = db.prepare('insert into t (a) values (?)');
    insert.run([1]);
    db.prepare('insert into t (a) values (?)').run([2]);
    expect(db.prepare('insert into t (a) values (?)')).toBe(insert);
    const select = () => db.prepare('select * from t order by a').all([]);
    expect(select()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(select()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(prepare).toHaveBeenCalledTimes(3); // create, insert, select
    db.prepare('alter table t add column b text').run([]);
    expect(select()).toEqual([
      { a: 1, b: null },
      { a: 2, b: null },
    ]);
    // a stream gets its own statement, so that reusing the cached one cannot cut it short
    const rows = db.prepare('select * from t order by a').iterate([]);
    expect(select()).toHaveLength(2);
    expect([...rows]).toHaveLength(2);
    db.close();
  });
});
