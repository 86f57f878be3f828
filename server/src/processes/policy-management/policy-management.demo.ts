import type { DemoStep } from '../../engine/module.ts';
import { rolePermissions } from '../../auth/role-permissions.ts';
import { acknowledgeVersion, approveVersion, createDocument, publishVersion, submitVersion } from './document.service.ts';
import { type DemoContext, demoWords, memberActor, userIdOf } from '../../demo/demo-context.ts';
import { de } from './policy-management.demo.de.ts';

/** What the demo's policies say; German in policy-management.demo.de.ts. */
const en = {
  securityPolicyTitle: 'Information security policy',
  securityPolicyDescription: 'Direction and commitment of the management for information security.',
  securityPolicy: `# Information security policy

## Purpose

We keep the information of our customers, staff and partners confidential, correct and available. This policy sets
the direction for information security and commits the management to the information security management system
(ISMS) and to its continual improvement.

## Scope

The policy applies to all staff, contractors and suppliers who work with our information, in the head office, at
home and in the data centre, and to every system we operate or rent.

## Objectives

| Objective | Measure | Target |
| --- | --- | --- |
| Customers can order at any time | Web shop availability per month | at least 99.5 % |
| No personal data reaches unauthorised people | Reportable data breaches per year | none |
| Staff recognise attacks | Completion of the yearly awareness course | at least 95 % |
| Data can be restored | Successful quarterly restore tests | every quarter |

## Responsibilities

- The management approves this policy, provides the resources and reviews the ISMS once a year.
- The IT Operations Lead coordinates the ISMS and reports on it.
- Every owner of an asset or a risk decides on its protection within the risk acceptance criteria.
- Everyone reports security events and weaknesses at once, through the incident report in Praxis.

## Rules everybody follows

1. Use only your own account, with multi-factor authentication where it is offered.
2. Classify information and share it only with those who need it.
3. Lock your screen when you leave your workplace.
4. Complete the security awareness training every year.

## Review

The policy is reviewed every year and after significant changes to the organisation, its systems or the threats it
faces.
`,
  acceptableUseTitle: 'Acceptable use policy',
  acceptableUseDescription: 'How staff use the company’s information, devices and services.',
  acceptableUse: `# Acceptable use of information and IT

## Purpose

This policy says how staff may use the company's information, laptops, email and cloud services, so that they stay
secure and the company can meet its obligations.

## Company devices and accounts

- Laptops and phones provided by the company are for business use; occasional private use is fine if it does not
  put company information at risk.
- Do not install software that the IT helpdesk has not approved.
- Never share your password or your second factor with anybody, including the IT helpdesk.

## Handling information

| Classification | Examples | Allowed storage | Sending outside |
| --- | --- | --- | --- |
| Public | Product leaflets | anywhere | allowed |
| Internal | Procedures, price lists | company systems | with a business reason |
| Confidential | Customer and employee data | company systems, encrypted laptops | encrypted, to named recipients |
| Restricted | Financial statements before publication | named folders only | only with the owner's consent |

## Removable media and printing

Copy confidential information to USB sticks only when there is no other way, and only to encrypted ones. Collect
printouts at once and put confidential paper into the locked shredding bins.

## Monitoring and breaches

The company logs access to its systems to protect them. Breaches of this policy are reported to the line manager and
may lead to disciplinary measures.
`,
  firstVersion: 'First version',
  approved: 'Approved for publication.',
};
export type PolicyDemoWords = typeof en;

/**
 * Policy management (ISO 27001 5.2, 7.5, A.5.1): the information security policy written, submitted, approved by
 * designated approvers other than its author, published to everyone and acknowledged by part of the staff; the
 * acceptable-use policy submitted and waiting in review. Returns the id of the published policy.
 */
export async function seedDemoPolicies(ctx: DemoContext): Promise<{ policyId: string; policyVersionId: string }> {
  const { deps, actor, scopeId } = ctx;
  const w = demoWords(ctx, { en, de });
  // designated approvers other than the author who may approve documents (the demo's contributors); the large profile
  // needs two approvals, the small one
  const approvers = ['it', 'hr'].filter((k) => {
    const role = ctx.people.get(k)?.role;
    return role !== undefined && rolePermissions[role].has('document:approve');
  });

  const policy = await createDocument(deps, actor, scopeId, {
    type: 'policy',
    title: w.securityPolicyTitle,
    description: w.securityPolicyDescription,
    ownerId: userIdOf(ctx, 'it'),
    classification: 'internal',
    audience: { kind: 'everyone' },
    reviewCadenceMonths: 12,
    retention: { value: 3, unit: 'years' },
    requiredApprovals: null,
    approverIds: approvers.map((k) => userIdOf(ctx, k)),
    ackDueDays: 14,
    contentMd: w.securityPolicy,
    changeSummary: w.firstVersion,
  });
  const target = { scopeId, id: policy.id, vid: policy.versions[0]!.id };
  let v = await submitVersion(deps, actor, { ...target, version: policy.versions[0]!.version });
  for (const approver of approvers) {
    if (v.status !== 'in_review') break;
    v = await approveVersion(deps, memberActor(ctx, approver), { ...target, version: v.version }, w.approved);
  }
  v = await publishVersion(deps, actor, { ...target, version: v.version }, {});
  // part of the staff has read and acknowledged it; the others still have it on their list
  for (const reader of ['staff', 'dev', 'audit', 'md']) {
    if (ctx.people.has(reader)) await acknowledgeVersion(deps, memberActor(ctx, reader), scopeId, policy.id, target.vid);
  }

  const aup = await createDocument(deps, actor, scopeId, {
    type: 'policy',
    title: w.acceptableUseTitle,
    description: w.acceptableUseDescription,
    ownerId: userIdOf(ctx, 'it'),
    classification: 'internal',
    audience: { kind: 'everyone' },
    reviewCadenceMonths: 24,
    retention: { value: 3, unit: 'years' },
    requiredApprovals: null,
    approverIds: approvers.map((k) => userIdOf(ctx, k)),
    ackDueDays: 21,
    contentMd: w.acceptableUse,
    changeSummary: w.firstVersion,
  });
  await submitVersion(deps, actor, { scopeId, id: aup.id, vid: aup.versions[0]!.id, version: aup.versions[0]!.version });
  return { policyId: policy.id, policyVersionId: target.vid };
}

/** A published policy with acknowledgements and one in review. */
export const policyManagementDemo: DemoStep = {
  order: 40,
  run: async (ctx) => {
    ctx.facts.policyId = (await seedDemoPolicies(ctx)).policyId;
  },
};
