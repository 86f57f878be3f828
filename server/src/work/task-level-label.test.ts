import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAcceptances } from '../processes/risk-treatment/risk-acceptance.service.ts';
import { createScopeContext, dialects, json, type TestContext, TestClock, type TestUser } from '../test/harness.ts';

const DAY = 86_400_000;

interface TaskItem {
  id: string;
  title: string;
  description: string;
  processKey: string;
  origin: { recordId: string } | null;
}

/**
 * A task that names a risk level (the treatment of a risk above the acceptance criteria, the re-review of an expiring
 * acceptance) words a built-in level in the reader's language ('Hoch' for a German reader, 'High' for an English one);
 * a label someone typed into the risk method stays as typed, and an older task that stored the label without its
 * level's key keeps the label as stored.
 */
describe.each(dialects)('risk levels in tasks in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, language = 'en') => {
    const res = await t.app.inject({ method, url, headers: { ...manager.headers, 'accept-language': language }, payload });
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(300);
    return json(res);
  };
  const createRisk = async (title: string, likelihood: number, impact: number) =>
    (await call('POST', `/api/scopes/${scopeId}/risks`, {
      title,
      ownerId: manager.id,
      currentLikelihood: likelihood,
      currentImpact: impact,
    })) as { id: string };
  /** the risk's task of a process, as a reader of the language sees it */
  const taskOf = async (riskId: string, processKey: string, language: string) => {
    const page = (await call('GET', `/api/scopes/${scopeId}/tasks`, undefined, language)) as { items: TaskItem[] };
    const task = page.items.find((k) => k.origin?.recordId === riskId && k.processKey === processKey);
    expect(task, `a ${processKey} task of the risk`).toBeDefined();
    return task!;
  };

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
  });
  afterAll(async () => t?.close());

  // the scope's method is the small one: 3 × 3, low up to 2, medium up to 4, high above; high is above the criteria
  it('the treatment task of a risk above the criteria: „Hoch“ for a German reader, High in English', async () => {
    const risk = await createRisk('Account takeover', 3, 3); // 9: high
    const inEnglish = await taskOf(risk.id, 'risk-treatment', 'en');
    expect(inEnglish.description).toContain('was evaluated as "High"');
    const inGerman = await taskOf(risk.id, 'risk-treatment', 'de');
    expect(inGerman.description).toContain('wurde als „Hoch“ bewertet');
    expect(inGerman.description).not.toContain('High');
  });

  it('an older task that stored the label without its level keeps the label as stored', async () => {
    const risk = await createRisk('Older task', 3, 2); // 6: high
    const task = await taskOf(risk.id, 'risk-treatment', 'en');
    const row = await t.deps.db.selectFrom('task').select('description_params').where('id', '=', task.id).executeTakeFirstOrThrow();
    const { level, ...withoutLevel } = JSON.parse(row.description_params!) as Record<string, unknown>;
    expect(level).toBe('high');
    await t.deps.db
      .updateTable('task')
      .set({ description_params: JSON.stringify(withoutLevel) })
      .where('id', '=', task.id)
      .execute();
    expect((await taskOf(risk.id, 'risk-treatment', 'de')).description).toContain('wurde als „High“ bewertet');
  });

  it('the re-review task of an expiring acceptance: „Mittel“ for a German reader, Medium in English', async () => {
    const risk = await createRisk('Expiring', 2, 2); // 4: medium, acceptable by its owner
    await call('POST', `/api/scopes/${scopeId}/risks/${risk.id}/acceptance`, { justification: 'Small', expiresOn: '2026-04-11' });
    clock.advance(11 * DAY); // 29 days before the expiry
    expect(await sweepAcceptances(t.deps)).toBe(1);
    expect((await taskOf(risk.id, 'risk-assessment', 'en')).description).toContain('(level Medium)');
    expect((await taskOf(risk.id, 'risk-assessment', 'de')).description).toContain('(Niveau Mittel)');
  });

  it('a label typed into the risk method stays as typed for every reader', async () => {
    const method = (await call('GET', `/api/scopes/${scopeId}/risk-method`)) as Record<string, unknown> & {
      version: number;
      levels: { key: string; label: string }[];
    };
    const { version, likelihood, impact, levels, matrix, acceptance } = method;
    await call('PUT', `/api/scopes/${scopeId}/risk-method`, {
      version,
      likelihood,
      impact,
      matrix,
      acceptance,
      levels: levels.map((l) => (l.key === 'high' ? { ...l, label: 'Severe' } : l)),
    });
    const risk = await createRisk('Typed label', 3, 3); // 9: high, labelled "Severe"
    expect((await taskOf(risk.id, 'risk-treatment', 'en')).description).toContain('was evaluated as "Severe"');
    expect((await taskOf(risk.id, 'risk-treatment', 'de')).description).toContain('wurde als „Severe“ bewertet');
  });
});
