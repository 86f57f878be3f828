import { describe, expect, it } from 'vitest';
import { canonicalChangesOf, canonicalJson, diffChanges, GENESIS_HASH, hashEntry } from './audit-hash.ts';

describe('audit hashing', () => {
  it('serialises with keys sorted at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('records created, changed and deleted fields', () => {
    expect(diffChanges(null, { name: 'A', tags: [] })).toEqual({ name: { to: 'A' }, tags: { to: [] } });
    expect(diffChanges({ name: 'A', c: 'normal', same: 1 }, { name: 'B', c: 'high', same: 1 })).toEqual({
      name: { from: 'A', to: 'B' },
      c: { from: 'normal', to: 'high' },
    });
    expect(diffChanges({ name: 'A' }, null)).toEqual({ name: { from: 'A' } });
    expect(diffChanges({ tags: ['a', 'b'] }, { tags: ['a', 'b'] })).toEqual({});
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const fields = {
      seq: 1,
      id: 'x',
      at: '2026-01-01T00:00:00.000Z',
      actorId: null,
      actorLabel: 'system',
      scopeId: null,
      action: 'create',
      recordType: 'asset',
      recordId: 'r',
      recordRef: 'AST-0001',
      changes: '{"name":{"to":"A"}}',
    };
    const h = hashEntry(GENESIS_HASH, fields);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEntry(GENESIS_HASH, { ...fields })).toBe(h);
    for (const [k, v] of Object.entries({
      seq: 2,
      id: 'y',
      at: '2026-01-01T00:00:01.000Z',
      actorId: 'u',
      action: 'update',
      recordRef: 'AST-0002',
      changes: '{"name":{"to":"B"}}',
    })) {
      expect(hashEntry(GENESIS_HASH, { ...fields, [k]: v }), k).not.toBe(h);
    }
    expect(hashEntry('1'.repeat(64), fields)).not.toBe(h);
  });

  it('hashes the same with the changes made canonical beforehand', () => {
    const base = {
      seq: 12,
      id: '0190a',
      at: '2026-01-01T00:00:00.000Z',
      actorId: 'u1',
      actorLabel: 'Ünal Öz <u@example.org> "quoted"',
      scopeId: 's1',
      action: 'update',
      recordType: 'asset',
      recordId: 'r',
      recordRef: null,
    };
    for (const changes of [
      {},
      { name: { from: 'A', to: 'B' } },
      { tags: { to: ['b', 'a'] }, z: { from: null, to: { y: 1, x: [{ b: 2, a: 1 }] } }, ü: { to: '\u2028 😀' } },
    ]) {
      const text = JSON.stringify(changes);
      const fields = { ...base, changes: text };
      expect(hashEntry(GENESIS_HASH, fields, canonicalChangesOf(text))).toBe(hashEntry(GENESIS_HASH, fields));
    }
  });
});
