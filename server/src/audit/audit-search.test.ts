import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeContext, dialects, requester, type TestContext, type TestUser } from '../test/harness.ts';
import { cycleNumberOf } from './audit.query.ts';
import { appendAudit } from './audit.service.ts';

type Entry = { recordType: string; recordRef: string | null; action: string; actor: { id: string | null; label: string } };

describe('an ISMS cycle’s number as the history views show it', () => {
  it.each([
    ['Nr. 2', 2],
    ['nr 2', 2],
    ['no. 12', 12],
    [' No.3 ', 3],
  ])('reads %s', (text, number) => {
    expect(cycleNumberOf(text)).toBe(number);
  });
  it.each(['2', 'RSK-0002', 'Nr.', 'no. two', 'Nr. 2 x'])('does not read %s', (text) => {
    expect(cycleNumberOf(text)).toBeUndefined();
  });
});

/**
 * The audit log's reference search finds an ISMS cycle by its number as the log shows it ("Nr. 2", "no. 2"), entries
 * written before the number was the reference (`cycle 2`) too, and the actor filter finds the entries Praxis wrote by
 * itself ("by Praxis").
 */
describe.each(dialects)('audit log search (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const { ok } = requester(() => t);
  const api = (tail: string) => `/api/scopes/${scopeId}${tail}`;
  const search = async (query: string) =>
    (await ok('GET', api(`/audit?pageSize=100&${query}`), manager)) as { items: Entry[]; total: number };

  beforeAll(async () => {
    const c = await createScopeContext(dialect);
    t = c.t;
    scopeId = c.scopeId;
    manager = c.manager;
    await ok('POST', api('/cycles'), manager, {}, 201);
    // an entry Praxis wrote by itself, naming the cycle as entries before the number was the reference did
    await t.deps.db.transaction().execute((tx) =>
      appendAudit(tx, t.deps, null, {
        scopeId,
        action: 'update',
        recordType: 'isms_cycle',
        recordId: '01a251a1-4a05-73d2-9e0c-3530b4582399',
        recordRef: 'cycle 2',
        changes: { endsOn: { from: '2027-12-31', to: '2028-01-31' } },
      }),
    );
  });
  afterAll(async () => t?.close());

  it('finds a cycle’s entries by its number as shown, in German and in English', async () => {
    const cycles = await search('recordType=isms_cycle');
    const numbers = [...new Set(cycles.items.map((e) => e.recordRef))];
    expect(numbers).toContain('2');
    for (const shown of ['Nr.%202', 'no.%202', 'nr%202']) {
      const found = await search(`recordId=${shown}`);
      expect(found.items.length, shown).toBeGreaterThan(0);
      expect(found.items.every((e) => e.recordType === 'isms_cycle' && ['2', 'cycle 2'].includes(e.recordRef ?? ''))).toBe(true);
      // the entry written before (`cycle 2`) and the cycle's own
      expect(found.items.map((e) => e.recordRef).sort()).toEqual(expect.arrayContaining(['2', 'cycle 2']));
    }
    // another number finds nothing; a reference as stored still finds its record
    expect((await search('recordId=Nr.%209')).total).toBe(0);
    expect((await search('recordId=2')).items.some((e) => e.recordRef === '2')).toBe(true);
  });

  it('filters the entries Praxis wrote by itself', async () => {
    const praxis = await search('actorId=praxis');
    expect(praxis.total).toBeGreaterThan(0);
    expect(praxis.items.every((e) => e.actor.id === null)).toBe(true);
    expect(praxis.items.some((e) => e.recordRef === 'cycle 2')).toBe(true);
    const byManager = await search(`actorId=${manager.id}`);
    expect(byManager.items.every((e) => e.actor.id === manager.id)).toBe(true);
  });
});
