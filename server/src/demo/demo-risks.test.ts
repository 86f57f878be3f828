import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, createTestContext, dialects, json, TestClock, type TestContext } from '../test/harness.ts';

describe.each(dialects)('demo organisation risks on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  it('fills the risk register with risks scored by the scope’s own method, linked to assets and BSI threats', async () => {
    for (const profile of ['small', 'large'] as const) {
      const { scope, manager } = await buildScope(t.deps, { profile });
      expect((await t.app.inject({ method: 'POST', url: `/api/scopes/${scope.id}/demo`, headers: manager.headers })).statusCode).toBe(201);
      const list = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/risks?pageSize=50`, headers: manager.headers }));
      expect(list.total).toBe(7);
      const method = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/risk-method`, headers: manager.headers }));
      const byTitle = new Map(list.items.map((r: { title: string }) => [r.title, r]));
      const ransomware = byTitle.get('Ransomware encrypts the ERP system and its backups') as {
        status: string;
        threat: { code: string };
        assets: { name: string }[];
        current: { likelihood: number; impact: number; level: { key: string } };
        owner: { email: string };
      };
      // the status follows the process: a scored current level makes the risk assessed; a decided treatment puts it in treatment
      expect((byTitle.get('Stolen laptop exposes customer data') as { status: string }).status).toBe('assessed');
      expect(ransomware.status).toBe('treatment');
      expect(ransomware.threat.code).toBe('G 0.39');
      expect(ransomware.assets.map((a) => a.name).sort()).toEqual(['Backup system', 'Customer master data', 'ERP system']);
      expect(ransomware.owner.email).toBe('it-operations@demo.praxis.example');
      // five-level demo values land on the scope's own scales: 3 × 5 on 5 × 5, 2 × 3 on 3 × 3
      expect([ransomware.current.likelihood, ransomware.current.impact]).toEqual(profile === 'large' ? [3, 5] : [2, 3]);
      expect(ransomware.current.level.key).toBe(method.matrix[ransomware.current.likelihood - 1][ransomware.current.impact - 1]);
      const unscored = byTitle.get('Legacy file server runs without security updates') as { status: string; current: { level: null } };
      expect(unscored.status).toBe('identified');
      expect(unscored.current.level).toBeNull();
      // the risks above the acceptance criteria were handed to risk treatment (the web shop's treatment is still a draft)
      const tasks = json(
        await t.app.inject({
          method: 'GET',
          url: `/api/scopes/${scope.id}/tasks?processKey=risk-treatment&pageSize=50`,
          headers: manager.headers,
        }),
      );
      expect(tasks.items.some((x: { title: string }) => x.title.includes('Vulnerability in the customer web shop'))).toBe(true);
    }
  });
});
