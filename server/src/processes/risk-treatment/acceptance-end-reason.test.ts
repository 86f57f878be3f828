import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEndReason, up as migration0038 } from '../../db/migrations/0038_acceptance_end_reason_key.ts';
import { buildUser, createScopeContext, dialects, requester, type TestContext, type TestUser } from '../../test/harness.ts';

/**
 * Why Praxis ended a risk acceptance (renewed, the risk re-evaluated at a higher level, expired) is a catalog text with
 * parameters, worded for each reader; a reason someone gave (a revocation) reads as given. Acceptances ended before are
 * read back by migration 0038 where their reason is a sentence Praxis wrote.
 */
describe.each(dialects)('why an acceptance ended, in the reader’s language, on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let german: TestUser;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    german = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']], name: 'Deutschsprachige Leserin' });
    await ok(call('PATCH', '/api/me', german, { language: 'de' }));
  });
  afterAll(async () => t?.close());

  const { call } = requester(() => t);
  const ok = async <T = any>(p: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(status);
    return JSON.parse(res.body) as T;
  };
  const url = (riskId: string, tail: string) => `/api/scopes/${scopeId}/risks/${riskId}/${tail}`;
  const history = async (riskId: string, user: TestUser) =>
    (await ok(call('GET', url(riskId, 'acceptance'), user))).history as { id: string; endReason: string | null }[];

  /** a low risk, accepted by its owner, then re-evaluated at High: its acceptance ends */
  async function raised(title: string) {
    const risk = await ok(
      call('POST', `/api/scopes/${scopeId}/risks`, manager, { title, ownerId: manager.id, currentLikelihood: 1, currentImpact: 1 }),
      201,
    );
    const a = await ok(call('POST', url(risk.id, 'acceptance'), manager, { justification: 'Negligible' }), 201);
    const accepted = await ok(call('GET', `/api/scopes/${scopeId}/risks/${risk.id}`, manager));
    await ok(
      call('PATCH', `/api/scopes/${scopeId}/risks/${risk.id}`, manager, {
        version: accepted.version,
        currentLikelihood: 3,
        currentImpact: 3,
      }),
    );
    return { risk, a };
  }

  it('a risk re-evaluated at a higher level: the reason reads in German for a German reader, the level by its German label', async () => {
    const { risk, a } = await raised('Rising');
    expect((await history(risk.id, german)).find((x) => x.id === a.id)!.endReason).toBe(
      `${risk.reference} wurde auf einer höheren Stufe neu bewertet (Hoch)`,
    );
    expect((await history(risk.id, manager)).find((x) => x.id === a.id)!.endReason).toBe(
      `${risk.reference} was re-evaluated at a higher level (High)`,
    );
  });

  it('migration 0038 reads back the reasons Praxis wrote, and leaves a reason someone gave as stored', async () => {
    const first = await raised('Rising again');
    const second = await raised('Rising once more');
    await sql`alter table risk_acceptance drop column end_reason_key`.execute(t.deps.db);
    await sql`alter table risk_acceptance drop column end_reason_params`.execute(t.deps.db);
    // as the service wrote them before: English sentences, and a reason someone typed
    await sql`update risk_acceptance set end_reason = ${'expired on 2026-05-01'} where id = ${first.a.id}`.execute(t.deps.db);
    await sql`update risk_acceptance set end_reason = ${'Supplier replaced'} where id = ${second.a.id}`.execute(t.deps.db);

    await migration0038(t.deps.db, dialect);

    expect((await history(first.risk.id, german))[0]!.endReason).toBe('abgelaufen am 01.05.2026');
    expect((await history(second.risk.id, german))[0]!.endReason).toBe('Supplier replaced');
    const rows = await t.deps.db
      .selectFrom('risk_acceptance')
      .select(['id', 'end_reason_key', 'end_reason_params'])
      .where('id', 'in', [first.a.id, second.a.id])
      .execute();
    expect(rows.find((r) => r.id === first.a.id)).toMatchObject({
      end_reason_key: 'tasks:acceptanceEnd.expired',
      end_reason_params: JSON.stringify({ expiresOn: '2026-05-01' }),
    });
    expect(rows.find((r) => r.id === second.a.id)).toMatchObject({ end_reason_key: null, end_reason_params: null });
  });
});

describe('reading back old end reasons (migration 0038)', () => {
  it('reads the sentences Praxis wrote, a built-in level with its key', () => {
    expect(parseEndReason('renewed by ACC-0002')).toEqual({ key: 'tasks:acceptanceEnd.renewed', params: { acceptanceRef: 'ACC-0002' } });
    expect(parseEndReason('RSK-0001 was re-evaluated at a higher level (High)')).toEqual({
      key: 'tasks:acceptanceEnd.raised',
      params: { riskRef: 'RSK-0001', level: 'high', levelLabel: 'High' },
    });
    expect(parseEndReason('RSK-0001 was re-evaluated at a higher level (Severe)')).toEqual({
      key: 'tasks:acceptanceEnd.raised',
      params: { riskRef: 'RSK-0001', levelLabel: 'Severe' },
    });
    expect(parseEndReason('expired on 2026-05-01')).toEqual({ key: 'tasks:acceptanceEnd.expired', params: { expiresOn: '2026-05-01' } });
    expect(parseEndReason('New supplier')).toBeNull();
  });
});
