import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { buildScope, createTestContext, dialects, json, TestClock, type TestContext } from '../test/harness.ts';

type Item = Record<string, unknown> & { id: string; title: string };

describe.each(dialects)('demo organisation: controls, treatment, SoA, policies, records, awareness on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  for (const profile of ['small', 'large'] as const) {
    it(`loads the new processes through their services in a ${profile} scope`, async () => {
      const { scope, manager } = await buildScope(t.deps, { profile });
      const get = async (path: string) => {
        const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}${path}`, headers: manager.headers });
        expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
        return json(res);
      };
      expect((await t.app.inject({ method: 'POST', url: `/api/scopes/${scope.id}/demo`, headers: manager.headers })).statusCode).toBe(201);

      // controls of the library linked to Annex A, in various statuses; two more created by a treatment decision
      const controls = await get('/controls?pageSize=50');
      const byTitle = new Map<string, Item>(controls.items.map((c: Item) => [c.title, c]));
      expect(controls.total).toBe(7);
      expect(byTitle.get('Offline backup copy with quarterly restore tests')).toMatchObject({
        status: 'implemented',
        requirementCount: 1,
        evidenceCount: 1,
        implementedOn: '2025-12-10',
      });
      expect(byTitle.get('Multi-factor authentication for email and remote access')).toMatchObject({
        status: 'in_progress',
        dueOn: '2026-04-09',
      });
      expect(byTitle.get('Dependency scanning and patching of the web shop')).toMatchObject({ status: 'planned', requirementCount: 2 });
      expect(byTitle.get('Physical access control to the server room')).toMatchObject({ status: 'verified', effectiveness: 'effective' });
      // the decided ransomware treatment created a control for the catalog requirement it named
      const malware = byTitle.get('A.8.7 Protection against malware')!;
      expect(malware).toMatchObject({ status: 'planned', requirementCount: 1, riskCount: 1 });
      const backup = await get(`/controls/${byTitle.get('Offline backup copy with quarterly restore tests')!.id}`);
      expect(backup.requirements.map((r: { label: string }) => r.label)).toEqual(['A.8.13']);
      expect(backup.evidence.map((e: { title: string; kind: string }) => [e.title, e.kind])).toEqual([
        ['Restore test report, last quarter', 'link'],
      ]);
      expect((await get('/evidence?pageSize=50')).total).toBe(2);

      // treatment: three decided, one draft
      const treatments = await get('/treatments?pageSize=50&sort=reference');
      const plan = new Map<string, { option: string; status: string; controlCount: number }>(
        treatments.items.map((x: { risk: { title: string } } & Item) => [x.risk.title, x]),
      );
      expect(treatments.total).toBe(4);
      expect(plan.get('Ransomware encrypts the ERP system and its backups')).toMatchObject({
        option: 'modify',
        status: 'decided',
        controlCount: 2,
      });
      expect(plan.get('Phishing gives attackers the credentials of staff')).toMatchObject({ option: 'modify', status: 'decided' });
      expect(plan.get('Power outage at the colocation data centre')).toMatchObject({ option: 'retain', status: 'decided' });
      expect(plan.get('Vulnerability in the customer web shop is exploited')).toMatchObject({ option: 'modify', status: 'draft' });

      // the retained risk's residual level is accepted: by its owner, and in the large profile by management as well
      const risks = await get('/risks?pageSize=50');
      const power = risks.items.find((r: Item) => r.title === 'Power outage at the colocation data centre');
      expect(power.status).toBe('accepted');
      const ransomware = risks.items.find((r: Item) => r.title === 'Ransomware encrypts the ERP system and its backups');
      expect(ransomware.status).toBe('treatment');
      const acceptance = await get(`/risks/${power.id}/acceptance`);
      expect(acceptance.current).toMatchObject({ status: 'effective', state: 'effective', basis: 'current', expiresOn: '2027-03-10' });
      expect(acceptance.current.signatures.map((s: { role: string; signer: { email: string } }) => [s.role, s.signer.email])).toEqual(
        profile === 'large'
          ? [
              ['risk_owner', 'it-operations@demo.praxis.example'],
              ['management', manager.email],
            ]
          : [['risk_owner', 'it-operations@demo.praxis.example']],
      );

      // the Statement of Applicability: a draft pre-filled from the treatments, one exclusion decided by a person
      const soas = await get('/soa');
      expect(soas.items).toHaveLength(1);
      const soa = soas.items[0];
      expect(soa).toMatchObject({ status: 'draft', catalog: { key: 'iso-27001-2022-annex-a' } });
      expect(soa.counts).toMatchObject({ total: 93, excluded: 1, unjustifiedExclusions: 0, unjustifiedInclusions: 0 });
      const applicable = await get(`/soa/${soa.id}/entries?applicable=yes&pageSize=100`);
      const labels = applicable.items.map((e: { requirement: { label: string } }) => e.requirement.label).sort();
      // the controls the decided treatments selected
      for (const label of ['A.5.1', 'A.6.3', 'A.7.2', 'A.8.13', 'A.8.5', 'A.8.7']) expect(labels).toContain(label);
      expect(
        applicable.items.find((e: { requirement: { label: string } }) => e.requirement.label === 'A.8.13').decisionSource,
      ).not.toBeNull();
      expect(soa.counts.applicable).toBe(applicable.total);
      const excluded = await get(`/soa/${soa.id}/entries?applicable=no`);
      expect(excluded.items.map((e: { requirement: { label: string }; justification: string }) => e.requirement.label)).toEqual(['A.8.30']);

      // policies: the information security policy published with acknowledgements, the acceptable-use policy in review
      const documents = await get('/documents?pageSize=50');
      const isp = documents.items.find((d: Item) => d.title === 'Information security policy');
      const aup = documents.items.find((d: Item) => d.title === 'Acceptable use policy');
      expect(isp).toMatchObject({ status: 'published', currentVersion: { versionNo: 1, status: 'published' } });
      const ispVersion = await get(`/documents/${isp.id}/versions/${isp.currentVersion.id}`);
      // everyone of the scope: the loading manager and the seven demo members; four of them acknowledged it
      expect(ispVersion.acknowledgements).toMatchObject({ assigned: 7, acknowledged: 4 });
      expect(ispVersion.approvals.map((a: { decision: string }) => a.decision)).toEqual(
        profile === 'large' ? ['approved', 'approved'] : ['approved'],
      );
      expect(ispVersion.contentMd).toContain('| Objective | Measure | Target |');
      const aupDetail = await get(`/documents/${aup.id}`);
      expect(aupDetail.status).toBe('draft');
      expect(aupDetail.versions[0].status).toBe('in_review');
      // the designated approvers have the approval on their list
      const approvalTasks = await get('/tasks?processKey=policy-management&pageSize=50&status=active');
      expect(approvalTasks.items.filter((x: Item) => x.title.includes('Acceptable use policy'))).toHaveLength(2);

      // records: three entries and the approved minutes of the management review, the incident file on legal hold
      const records = await get('/records?pageSize=50');
      expect(records.total).toBe(4);
      expect(records.items.map((r: Item) => r.title)).toContainEqual(expect.stringMatching(/^Minutes of MR-\d{4} /));
      const held = await get('/records?legalHold=true');
      expect(held.items.map((r: Item) => [r.title, r.linkedRecord])).toEqual([
        ['Incident file: customer list sent to the wrong recipient', { recordType: 'incident', recordId: expect.any(String) }],
      ]);
      const policyRecord = records.items.find((r: Item) => (r.linkedRecord as { recordType: string } | null)?.recordType === 'document');
      expect(policyRecord.linkedRecord.recordId).toBe(isp.id);

      // competence and awareness: job roles with required competences, the course assigned to everyone, two completions
      const jobRoles = await get('/job-roles');
      expect(jobRoles.items.map((j: { name: string }) => j.name).sort()).toEqual(['IT administrator', 'Software developer']);
      const courses = await get('/courses');
      expect(courses.total).toBe(1);
      const course = await get(`/courses/${courses.items[0].id}`);
      expect(course.quiz.questions).toHaveLength(3);
      expect(course.targets.map((x: { targetValue: string }) => x.targetValue).sort()).toEqual(
        ['auditor', 'contributor', 'employee', 'manager', 'viewer'].sort(),
      );
      const assignments = await get(`/training-assignments?courseId=${course.id}&pageSize=50`);
      expect(assignments.total).toBe(7);
      const completed = await get(`/training-assignments?courseId=${course.id}&status=completed&pageSize=50`);
      expect(completed.items.map((a: { user: { email: string }; score: number }) => [a.user.email, a.score]).sort()).toEqual([
        ['hr@demo.praxis.example', 66],
        ['staff@demo.praxis.example', 100],
      ]);
      // passing granted the awareness competence; the developer holds the secure development competence
      const people = await get('/people?pageSize=50');
      const person = (email: string) => people.items.find((p: { email: string }) => p.email === email);
      expect(person('staff@demo.praxis.example').competences.map((c: { competenceName: string }) => c.competenceName)).toEqual([
        'Security awareness',
      ]);
      expect(person('engineering@demo.praxis.example')).toMatchObject({
        department: 'Engineering',
        jobRoles: [{ name: 'Software developer' }],
      });

      // every step left its audit entry in an intact chain
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });
  }
});
