import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/demo.service.ts';
import { buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';
import { oscalErrors, oscalValidator } from '../../test/oscal-validator.ts';

/** the exported document is checked against NIST’s schema, not a type */
type Doc = any;

describe.each(dialects)('POA&M as OSCAL on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let auditor: TestUser;
  let doc: Doc;
  const url = () => `/api/scopes/${scopeId}/poam.oscal.json`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    await seedDemo(t.deps, manager.actor, scopeId);
    auditor = await buildUser(t.deps, { name: 'An auditor', memberships: [[scopeId, 'auditor']] });
    const res = await t.app.inject({ method: 'GET', url: url(), headers: auditor.headers });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="poam-\d{4}-\d{2}-\d{2}\.oscal\.json"$/);
    doc = json(res);
  }, 120_000);
  afterAll(async () => t?.close());

  it('validates against NIST’s OSCAL 1.0.4 POA&M schema', () => {
    const validate = oscalValidator('poam');
    expect(validate(doc), oscalErrors(validate).join('\n')).toBe(true);
    const broken = structuredClone(doc);
    delete broken['plan-of-action-and-milestones']['poam-items'][0].title;
    expect(validate(broken)).toBe(false);
  });

  it('points import-ssp to a back-matter resource that links the SoA’s OSCAL export, which resolves', async () => {
    const poam = doc['plan-of-action-and-milestones'];
    const href: string = poam['import-ssp'].href;
    expect(href).toMatch(/^#/);
    const ssp = poam['back-matter'].resources.find((r: Doc) => r.uuid === href.slice(1));
    expect(ssp, 'the import-ssp resource exists').toBeDefined();
    const link: string = ssp.rlinks[0].href;
    expect(link).toMatch(new RegExp(`^/api/scopes/${scopeId}/soa/[^/]+/export\\.json`));
    const res = await t.app.inject({ method: 'GET', url: link, headers: auditor.headers });
    expect(res.statusCode).toBe(200);
    expect(json(res)['system-security-plan']).toBeDefined();
  });

  it('lists every open nonconformity with its corrective actions, and every risk under treatment with its plan', async () => {
    const poam = doc['plan-of-action-and-milestones'];
    const items: Doc[] = poam['poam-items'];
    const ncs = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/nonconformities?status=active&kind=nonconformity`,
        headers: manager.headers,
      }),
    );
    const openNcs = ncs.items.filter((n: Doc) => n.status !== 'closed');
    expect(openNcs.length).toBeGreaterThan(0);
    const byKind = (kind: string) => items.filter((i) => i.props.find((p: Doc) => p.name === 'kind').value === kind);
    expect(
      byKind('nonconformity')
        .map((i) => i.props.find((p: Doc) => p.name === 'nonconformity-reference').value)
        .sort(),
    ).toEqual(openNcs.map((n: Doc) => n.reference).sort());
    // a nonconformity with corrective actions: its risk's remediation lists them as tasks with their due dates
    const withActions = [];
    for (const n of openNcs) {
      const detail = json(
        await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/nonconformities/${n.id}`, headers: manager.headers }),
      );
      if (detail.correctiveActions.length) withActions.push(detail);
    }
    expect(withActions.length).toBeGreaterThan(0);
    for (const nc of withActions) {
      const item = byKind('nonconformity').find((i) => i.title.startsWith(nc.reference));
      const risk = poam.risks.find((r: Doc) => r.uuid === item['related-risks'][0]['risk-uuid']);
      const finding = poam.findings.find((f: Doc) => f.uuid === item['related-findings'][0]['finding-uuid']);
      expect(finding.target.status.state).toBe('not-satisfied');
      const tasks = risk.remediations[0].tasks;
      expect(tasks.map((x: Doc) => x.title)).toEqual(nc.correctiveActions.map((a: Doc) => `${a.reference} ${a.title}`));
      for (const a of nc.correctiveActions.filter((x: Doc) => x.dueOn)) {
        const task = tasks.find((x: Doc) => x.title.startsWith(a.reference));
        expect(task.timing['on-date'].date).toBe(`${a.dueOn}T00:00:00Z`);
      }
    }
    // the decided treatments of the demo organisation, each with its actions and due dates
    const plan = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/treatments?status=decided`, headers: manager.headers }),
    );
    expect(plan.items.length).toBeGreaterThan(0);
    const treated = byKind('risk-treatment');
    expect(treated.map((i) => i.props.find((p: Doc) => p.name === 'treatment-reference').value).sort()).toEqual(
      plan.items.map((x: Doc) => x.reference).sort(),
    );
    const first = plan.items[0];
    const treatment = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/risks/${first.risk.id}/treatment`, headers: manager.headers }),
    );
    const item = treated.find((i) => i.props.find((p: Doc) => p.name === 'treatment-reference').value === first.reference);
    const risk = poam.risks.find((r: Doc) => r.uuid === item['related-risks'][0]['risk-uuid']);
    expect(risk.status).toBe('remediating');
    expect((risk.remediations[0].tasks ?? []).map((x: Doc) => x.title)).toEqual(treatment.actions.map((a: Doc) => a.title));
    const due = treatment.actions
      .filter((a: Doc) => a.dueOn && ['open', 'in_progress'].includes(a.status))
      .map((a: Doc) => a.dueOn)
      .sort();
    if (due.length) expect(risk.deadline).toBe(`${due.at(-1)}T00:00:00Z`);
  });

  it('names every record alike in a second export, and refuses those who may not read nonconformities and risks', async () => {
    const again = json(await t.app.inject({ method: 'GET', url: url(), headers: manager.headers }));
    const ids = (d: Doc) => d['plan-of-action-and-milestones']['poam-items'].map((i: Doc) => i.uuid);
    expect(ids(again)).toEqual(ids(doc));
    expect(again['plan-of-action-and-milestones'].uuid).toBe(doc['plan-of-action-and-milestones'].uuid);
    const employee = await buildUser(t.deps, { name: 'An employee', memberships: [[scopeId, 'employee']] });
    expect((await t.app.inject({ method: 'GET', url: url(), headers: employee.headers })).statusCode).toBe(403);
    const outsider = await buildUser(t.deps, { name: 'An outsider' });
    expect((await t.app.inject({ method: 'GET', url: url(), headers: outsider.headers })).statusCode).toBe(404);
  });
});
