import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n.ts';
import { buildUser, createScopeContext, dialects, json, type TestContext, TestClock, type TestUser } from '../test/harness.ts';
import { handoffDefinitions, processDefinitions } from './process-model.ts';

/** the English words of the process model, none of which may reach a German reader */
const englishWords = new Set([...processDefinitions.flatMap((p) => [p.name, p.description]), ...handoffDefinitions.map((h) => h.output)]);

const EDGE = 'risk-assessment>risk-treatment';

/**
 * The process model's words (process names and descriptions, what each hand-off carries) and the tasks it hands over
 * come in the reader's language in every answer that shows them: the process map, the hand-offs along an edge, the
 * cockpit, the task list and the cadences. German for `Accept-Language: de` or a user whose account says German; English
 * for an English reader.
 */
describe.each(dialects)('the process model in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  const get = async (url: string, user: TestUser, language?: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return json(res);
  };
  const de = (key: string) => translate('de', key);

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
    // a risk above the acceptance criteria hands its treatment to its owner (the German manager) along a live edge
    const risk = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/risks`,
      headers: manager.headers,
      payload: { title: 'Account takeover', ownerId: german.id, currentLikelihood: 3, currentImpact: 3 },
    });
    expect(risk.statusCode, risk.body).toBe(201);
    // past the treatment task's due date: overdue work in the cockpit and a next step of its owner
    clock.advance(60 * 86_400_000);
  });
  afterAll(async () => t?.close());

  it('the process map: names, descriptions, inputs, outputs and hand-offs in German for a German reader', async () => {
    for (const [user, language] of [
      [manager, 'de-DE,de;q=0.9,en;q=0.5'],
      [german, undefined],
    ] as const) {
      const map = await get(`/api/scopes/${scopeId}/processes`, user, language);
      const assessment = map.processes.find((p: { key: string }) => p.key === 'risk-assessment');
      expect(assessment).toMatchObject({
        name: 'Risikobeurteilung',
        description: de('processes:description.risk-assessment'),
        outputs: ['Priorisierte Risiken mit Risikoeigentümern'],
      });
      expect(assessment.description).toMatch(/^Identifiziert, analysiert und bewertet Informationssicherheitsrisiken/);
      expect(map.processes.find((p: { key: string }) => p.key === 'risk-treatment').inputs).toEqual([
        'Priorisierte Risiken mit Risikoeigentümern',
      ]);
      const edge = map.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === EDGE);
      expect(edge).toMatchObject({ output: 'Priorisierte Risiken mit Risikoeigentümern', status: 'live', waiting: 1 });
      // no English word of the model is left
      const words: string[] = [
        ...map.processes.flatMap((p: { name: string; description: string; inputs: string[]; outputs: string[] }) => [
          p.name,
          p.description,
          ...p.inputs,
          ...p.outputs,
        ]),
        ...map.handoffs.map((h: { output: string }) => h.output),
      ];
      expect(words.filter((w) => englishWords.has(w))).toEqual([]);
      expect(words.every((w) => w.trim().length > 0)).toBe(true);
    }

    const english = await get(`/api/scopes/${scopeId}/processes`, manager, 'en');
    const assessment = english.processes.find((p: { key: string }) => p.key === 'risk-assessment');
    expect(assessment).toMatchObject({ name: 'Risk assessment', outputs: ['Prioritised risks with owners'] });
    expect(assessment.description).toBe(processDefinitions.find((p) => p.key === 'risk-assessment')!.description);
    expect(english.handoffs.find((h: { from: string; to: string }) => `${h.from}>${h.to}` === EDGE).output).toBe(
      'Prioritised risks with owners',
    );
    // without a header and without a setting: English
    expect((await get(`/api/scopes/${scopeId}/processes`, manager)).processes[0].name).toBe(processDefinitions[0]!.name);
  });

  it('a changed process answers with its German name', async () => {
    const map = await get(`/api/scopes/${scopeId}/processes`, german);
    const process = map.processes.find((p: { key: string }) => p.key === 'internal-audit');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scopeId}/processes/internal-audit`,
      headers: german.headers,
      payload: { version: process.version, ownerId: german.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ name: 'Internes Audit', description: de('processes:description.internal-audit') });
  });

  it('the hand-offs along an edge: the processes and the task handed over in German', async () => {
    const url = `/api/scopes/${scopeId}/handoffs?edge=${encodeURIComponent(EDGE)}`;
    const [item] = (await get(url, german)).items;
    const task = await t.deps.db
      .selectFrom('task')
      .select(['title', 'title_key', 'title_params'])
      .where('id', '=', item.work.recordId)
      .executeTakeFirstOrThrow();
    expect(task.title_key).toBe('tasks:title.treatRisk');
    const germanTitle = translate('de', task.title_key!, JSON.parse(task.title_params!));
    expect(germanTitle).not.toBe(task.title);
    expect(item).toMatchObject({ fromName: 'Risikobeurteilung', toName: 'Risikobehandlung', title: germanTitle });

    const [inEnglish] = (await get(url, manager, 'en')).items;
    expect(inEnglish).toMatchObject({ fromName: 'Risk assessment', toName: 'Risk treatment', title: task.title });
  });

  it('the cockpit: overdue work, waiting hand-offs and next steps name processes and tasks in German', async () => {
    const c = await get(`/api/scopes/${scopeId}/cockpit`, german);
    const task = await t.deps.db
      .selectFrom('task')
      .select(['title', 'title_key', 'title_params', 'reference'])
      .where('scope_id', '=', scopeId)
      .where('title_key', '=', 'tasks:title.treatRisk')
      .executeTakeFirstOrThrow();
    const germanTitle = translate('de', task.title_key!, JSON.parse(task.title_params!));
    expect(c.overdue.byProcess).toEqual([
      expect.objectContaining({
        process: { key: 'risk-treatment', name: 'Risikobehandlung' },
        oldest: expect.objectContaining({ reference: task.reference, title: germanTitle }),
      }),
    ]);
    expect(c.handoffs.byEdge).toEqual([
      expect.objectContaining({
        edge: EDGE,
        from: { key: 'risk-assessment', name: 'Risikobeurteilung' },
        to: { key: 'risk-treatment', name: 'Risikobehandlung' },
      }),
    ]);
    expect(c.nextSteps[0]).toMatchObject({
      kind: 'task',
      reference: task.reference,
      title: germanTitle,
      process: { key: 'risk-treatment', name: 'Risikobehandlung' },
    });
    const checks = c.cycle.phases.flatMap((p: { checks: { process: { key: string; name: string } }[] }) => p.checks);
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(check.process.name, check.process.key).toBe(de(`processes:name.${check.process.key}`));

    const inEnglish = await get(`/api/scopes/${scopeId}/cockpit`, german, 'en');
    // the account's setting wins over the header
    expect(inEnglish.handoffs.byEdge[0].from.name).toBe('Risikobeurteilung');
    const english = await get(`/api/scopes/${scopeId}/cockpit`, manager, 'en');
    expect(english.overdue.byProcess[0]).toMatchObject({
      process: { key: 'risk-treatment', name: 'Risk treatment' },
      oldest: { title: task.title },
    });
    expect(english.handoffs.byEdge[0]).toMatchObject({ from: { name: 'Risk assessment' }, to: { name: 'Risk treatment' } });
  });

  it('the task list and the cadences name their processes in German', async () => {
    const tasks = (await get(`/api/scopes/${scopeId}/tasks?processKey=risk-treatment`, german)).items;
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((x: { processName: string }) => x.processName === 'Risikobehandlung')).toBe(true);
    expect((await get(`/api/scopes/${scopeId}/tasks?processKey=risk-treatment`, manager, 'en')).items[0].processName).toBe(
      'Risk treatment',
    );

    const cadences = await get(`/api/scopes/${scopeId}/cadences`, german);
    expect(cadences.sources.length).toBeGreaterThan(0);
    for (const s of cadences.sources) expect(s.processName, s.source).toBe(de(`processes:name.${s.processKey}`));
    const cadence = await get(`/api/scopes/${scopeId}/processes/management-review/cadence`, german);
    expect(cadence.processName).toBe('Managementbewertung');
    const upcoming = (await get(`/api/scopes/${scopeId}/cadences/upcoming?days=366`, german)).items;
    expect(upcoming.length).toBeGreaterThan(0);
    for (const i of upcoming) {
      expect(i.processName, i.processKey).toBe(de(`processes:name.${i.processKey}`));
      expect(englishWords.has(i.title), i.title).toBe(false);
    }
    const inEnglish = (await get(`/api/scopes/${scopeId}/cadences/upcoming?days=366`, manager, 'en')).items;
    for (const i of inEnglish) expect(i.processName).toBe(processDefinitions.find((p) => p.key === i.processKey)!.name);
  });
});
