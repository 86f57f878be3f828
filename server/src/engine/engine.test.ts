import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  requester,
  TestClock,
  type TestContext,
  type TestUser,
} from '../test/harness.ts';
import { deliverOne, deliverPending } from './outbox.ts';

/** The engine on both databases: the outbox that carries the incident report's hand-off, and the ledger behind the map. */
describe.each(dialects)('process engine on %s', (dialect) => {
  let t: TestContext;
  let clock: TestClock;
  let scopeId: string;
  let manager: TestUser;
  let failing = false;
  beforeAll(async () => {
    clock = new TestClock(new Date('2026-05-04T09:00:00.000Z'));
    t = await createTestContext(dialect, { clock });
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
    // a receiver that can be made to fail, after the real ones (it rolls their work back with it)
    t.deps.events.on('incident.reported', async () => {
      if (failing) throw new Error('receiver unavailable');
    });
  });
  afterAll(() => t.close());
  const { call, ok } = requester(() => t);

  const triageTasks = (incidentId: string) =>
    t.deps.db
      .selectFrom('task')
      .select(['id', 'status', 'title'])
      .where('origin_record_type', '=', 'incident')
      .where('origin_record_id', '=', incidentId)
      .where('process_key', '=', 'incident-management')
      .execute();
  const outboxOf = (recordId: string) =>
    t.deps.db.selectFrom('outbox').selectAll().where('record_id', '=', recordId).executeTakeFirstOrThrow();

  describe('outbox', () => {
    it('stores a report even when its hand-off fails, and delivers the hand-off later, exactly once', async () => {
      failing = true;
      const reported = await ok(
        'POST',
        `/api/scopes/${scopeId}/incidents`,
        manager,
        { title: 'Phishing mail', description: 'Asked for a password', kind: 'incident', affected: 'Mailbox' },
        201,
      );
      expect(reported.reference).toMatch(/^INC-/);
      expect(await triageTasks(reported.id)).toEqual([]);
      let row = await outboxOf(reported.id);
      expect(row.delivered_at).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.last_error).toContain('receiver unavailable');

      // not yet due again: nothing happens; once due, one delivery creates the triage task
      failing = false;
      expect(await deliverPending(t.deps)).toBe(0);
      clock.advance(60_000);
      expect(await deliverPending(t.deps)).toBe(1);
      expect(await triageTasks(reported.id)).toHaveLength(1);
      row = await outboxOf(reported.id);
      expect(row.delivered_at).not.toBeNull();

      // however often it runs afterwards, and on another "instance", nothing is delivered twice
      expect(await deliverPending(t.deps)).toBe(0);
      expect(await deliverOne(t.deps, row.id)).toBe(false);
      expect(await triageTasks(reported.id)).toHaveLength(1);
    });

    it('delivers a report that a crash left undelivered once, even when two instances try at the same time', async () => {
      // a report whose process died right after its commit: the outbox row is there and was never attempted
      failing = true;
      const reported = await ok(
        'POST',
        `/api/scopes/${scopeId}/incidents`,
        manager,
        { title: 'Lost laptop', description: 'Left on a train', kind: 'incident', affected: 'Laptop' },
        201,
      );
      failing = false;
      const incidentId: string = reported.id;
      await t.deps.db
        .updateTable('outbox')
        .set({ attempts: 0, last_error: null, available_at: clock.now().toISOString() })
        .where('record_id', '=', incidentId)
        .execute();
      const row = await outboxOf(incidentId);
      const results = await Promise.all([deliverOne(t.deps, row.id), deliverOne(t.deps, row.id), deliverPending(t.deps)]);
      expect(results.filter((r) => r === true || r === 1)).toHaveLength(1);
      expect(await triageTasks(incidentId)).toHaveLength(1);
    });
  });

  describe('hand-off ledger and the map', () => {
    let other: { scope: { id: string }; manager: TestUser };
    beforeAll(async () => {
      other = await buildScope(t.deps);
    });

    it('draws every edge live or planned, counts what waits along live edges, and lists the items in transit', async () => {
      const edge = 'risk-assessment>risk-treatment';
      const before = await ok('GET', `/api/scopes/${scopeId}/processes`, manager);
      const planned = before.handoffs.find(
        (h: { from: string; to: string }) => h.from === 'requirements-management' && h.to === 'risk-assessment',
      );
      expect(planned).toMatchObject({ status: 'planned', waiting: 0 });
      expect(before.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === edge)).toMatchObject({
        status: 'live',
        waiting: 0,
      });

      // a risk evaluated above the acceptance criteria hands its treatment to the risk owner
      const owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
      const risk = await ok(
        'POST',
        `/api/scopes/${scopeId}/risks`,
        manager,
        { title: 'Account takeover', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 },
        201,
      );
      clock.advance(2 * 86_400_000);
      const map = await ok('GET', `/api/scopes/${scopeId}/processes`, manager);
      const flow = map.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === edge);
      expect(flow).toMatchObject({ status: 'live', waiting: 1, overdue: 0 });
      expect(flow.oldestAt).toBe(flow.medianAt);

      const items = await ok('GET', `/api/scopes/${scopeId}/handoffs?edge=${encodeURIComponent(edge)}`, manager);
      expect(items.total).toBe(1);
      const [item] = items.items;
      expect(item).toMatchObject({
        edge,
        fromName: 'Risk assessment',
        toName: 'Risk treatment',
        source: { recordType: 'risk', recordId: risk.id, reference: risk.reference },
        work: { recordType: 'task' },
        assignee: { id: owner.id },
        doneAt: null,
      });

      // past its due date it is overdue on the map
      clock.advance(40 * 86_400_000);
      const late = await ok('GET', `/api/scopes/${scopeId}/processes`, manager);
      expect(late.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === edge)).toMatchObject({ overdue: 1 });

      // finishing the work takes it off the edge, and it is listed as done
      await ok('PATCH', `/api/scopes/${scopeId}/tasks/${item.work.recordId}`, manager, { version: item.work.taskVersion, status: 'done' });
      const after = await ok('GET', `/api/scopes/${scopeId}/processes`, manager);
      expect(after.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === edge)).toMatchObject({ waiting: 0 });
      expect((await ok('GET', `/api/scopes/${scopeId}/handoffs?edge=${encodeURIComponent(edge)}`, manager)).total).toBe(0);
      const done = await ok('GET', `/api/scopes/${scopeId}/handoffs?edge=${encodeURIComponent(edge)}&state=done`, manager);
      expect(done.items[0]).toMatchObject({ outcome: 'done' });
      expect(done.items[0].doneAt).not.toBeNull();
    });

    it('refuses other scopes, roles without access and malformed filters', async () => {
      const employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
      const auditor = await buildUser(t.deps, { memberships: [[scopeId, 'auditor']] });
      expect((await call('GET', `/api/scopes/${scopeId}/handoffs`, other.manager)).statusCode).toBe(404);
      expect((await call('GET', `/api/scopes/${scopeId}/handoffs`, employee)).statusCode).toBe(403);
      expect((await call('GET', `/api/scopes/${scopeId}/handoffs`, auditor)).statusCode).toBe(200);
      const bad = await call('GET', `/api/scopes/${scopeId}/handoffs?edge=nonsense`, manager);
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).error.field).toContain('edge');
      expect((await call('GET', `/api/scopes/${scopeId}/handoffs?to=no-such-process`, manager)).statusCode).toBe(400);
      expect((await call('GET', `/api/scopes/${scopeId}/handoffs?state=open%00`, manager)).statusCode).toBe(400);
    });

    it('reads the map and a page of hand-offs in a fixed number of statements', async () => {
      const { queryCounter } = t.db.database;
      const count = async (url: string) => {
        const start = queryCounter.count;
        await ok('GET', url, manager);
        return queryCounter.count - start;
      };
      const small = await count(`/api/scopes/${scopeId}/handoffs?state=all&pageSize=1`);
      const large = await count(`/api/scopes/${scopeId}/handoffs?state=all&pageSize=200`);
      expect(large).toBe(small);
    });
  });
});
