import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/demo.service.ts';
import { buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';
import { oscalErrors, oscalValidator } from '../../test/oscal-validator.ts';

/** the exported document is checked against NIST’s schema, not a type */
type Doc = any;

describe.each(dialects)('internal audit as OSCAL assessment results on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let viewer: TestUser;
  let auditId: string;
  let risk: { id: string; reference: string };
  let doc: Doc;
  const url = () => `/api/scopes/${scopeId}/audits/${auditId}/export.oscal.json`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    await seedDemo(t.deps, manager.actor, scopeId);
    viewer = await buildUser(t.deps, { name: 'A viewer', memberships: [[scopeId, 'viewer']] });
    const list = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audits?status=closed`, headers: manager.headers }));
    auditId = list.items[0].id;
    // a risk that relies on a control implementing A.5.18, the requirement the demo audit found nonconforming
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audits/${auditId}`, headers: manager.headers }));
    const requirementId = detail.checklist.find((i: Doc) => i.requirement?.identifier === 'A.5.18').requirement.id;
    const control = await t.deps.db
      .selectFrom('control')
      .select('id')
      .where('scope_id', '=', scopeId)
      .orderBy('reference')
      .executeTakeFirstOrThrow();
    risk = await t.deps.db
      .selectFrom('risk')
      .select(['id', 'reference'])
      .where('scope_id', '=', scopeId)
      .orderBy('reference')
      .executeTakeFirstOrThrow();
    const linked = await t.deps.db
      .selectFrom('control_requirement')
      .select('control_id')
      .where('control_id', '=', control.id)
      .where('requirement_id', '=', requirementId)
      .executeTakeFirst();
    if (!linked)
      await t.deps.db.insertInto('control_requirement').values({ control_id: control.id, requirement_id: requirementId }).execute();
    const riskLinked = await t.deps.db
      .selectFrom('control_risk')
      .select('control_id')
      .where('control_id', '=', control.id)
      .where('risk_id', '=', risk.id)
      .executeTakeFirst();
    if (!riskLinked) await t.deps.db.insertInto('control_risk').values({ control_id: control.id, risk_id: risk.id }).execute();
    const res = await t.app.inject({ method: 'GET', url: url(), headers: viewer.headers });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="IA-\d+-assessment-results\.oscal\.json"$/);
    doc = json(res);
  }, 120_000);
  afterAll(async () => t?.close());

  it('validates against NIST’s OSCAL 1.0.4 assessment-results schema', () => {
    const validate = oscalValidator('assessment-results');
    expect(validate(doc), oscalErrors(validate).join('\n')).toBe(true);
    expect(doc['assessment-results'].metadata['oscal-version']).toBe('1.0.4');
    // the schema bites: a finding without its target is refused
    const broken = structuredClone(doc);
    delete broken['assessment-results'].results[0].findings[0].target;
    expect(validate(broken)).toBe(false);
  });

  it('points import-ap to the audit plan in its own back matter, with scope, criteria and team', () => {
    const ar = doc['assessment-results'];
    const href: string = ar['import-ap'].href;
    expect(href).toMatch(/^#/);
    const plan = ar['back-matter'].resources.find((r: Doc) => r.uuid === href.slice(1));
    expect(plan, 'the import-ap resource exists').toBeDefined();
    expect(plan.title).toMatch(/^Audit plan: IA-/);
    expect(plan.description).toContain('Head office');
    expect(plan.description).toContain('A.5.18');
    expect(plan.rlinks[0].href).toBe(`/api/scopes/${scopeId}/audits/${auditId}`);
  });

  it('has one observation per checklist row, findings for the nonconformity with its requirement, and stable UUIDs', async () => {
    const audit = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audits/${auditId}`, headers: manager.headers }));
    const result = doc['assessment-results'].results[0];
    expect(result.observations).toHaveLength(audit.checklist.length);
    expect(result['reviewed-controls']['control-selections'][0]['include-controls'].map((c: Doc) => c['control-id'])).toEqual(
      expect.arrayContaining(['A.5.15', 'A.5.18', 'A.8.13']),
    );
    expect(result.end).toMatch(/Z$/);
    // the demo's minor nonconformity on A.5.18, handed to improvement
    const nc = result.findings.find((f: Doc) => f.target['target-id'] === 'A.5.18');
    expect(nc.target.status.state).toBe('not-satisfied');
    expect(nc.props.find((p: Doc) => p.name === 'improvement-record').value).toMatch(/^NC-/);
    const observation = result.observations.find((o: Doc) => o.uuid === nc['related-observations'][0]['observation-uuid']);
    expect(observation.description).toContain('leavers');
    // the observation added beside the checklist is an observation, not a finding
    expect(result.findings.every((f: Doc) => f.props.find((p: Doc) => p.name === 'result').value !== 'observation')).toBe(true);
    // the risk relying on a control of A.5.18 is in the result, and the finding names it
    expect(nc['related-risks']).toHaveLength(1);
    const related = result.risks.find((x: Doc) => x.uuid === nc['related-risks'][0]['risk-uuid']);
    expect(related.props.find((p: Doc) => p.name === 'risk-reference').value).toBe(risk.reference);
    expect(related.statement).toContain('found nonconforming');
    // a second export names every record alike
    const again = json(await t.app.inject({ method: 'GET', url: url(), headers: manager.headers }));
    expect(again['assessment-results'].uuid).toBe(doc['assessment-results'].uuid);
    expect(again['assessment-results'].results[0].findings.map((f: Doc) => f.uuid)).toEqual(result.findings.map((f: Doc) => f.uuid));
  });

  it('exports a planned audit without results, and refuses those who may not read audits', async () => {
    const planned = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audits?status=planned`, headers: manager.headers }),
    );
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/audits/${planned.items[0].id}/export.oscal.json`,
      headers: manager.headers,
    });
    expect(res.statusCode).toBe(200);
    const validate = oscalValidator('assessment-results');
    expect(validate(json(res)), oscalErrors(validate).join('\n')).toBe(true);
    const employee = await buildUser(t.deps, { name: 'An employee', memberships: [[scopeId, 'employee']] });
    expect((await t.app.inject({ method: 'GET', url: url(), headers: employee.headers })).statusCode).toBe(403);
    const outsider = await buildUser(t.deps, { name: 'An outsider' });
    expect((await t.app.inject({ method: 'GET', url: url(), headers: outsider.headers })).statusCode).toBe(404);
    const missing = `/api/scopes/${scopeId}/audits/01900000-0000-7000-8000-000000000000/export.oscal.json`;
    expect((await t.app.inject({ method: 'GET', url: missing, headers: manager.headers })).statusCode).toBe(404);
  });
});
