import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { ScopeRole } from '../auth/roles.ts';
import type { processDefinitions } from '../isms/process-model.ts';
import { getProcessMap, updateProcess } from '../isms/process.service.ts';
import { type CreateAssetInput, createAsset, listAssets } from '../processes/asset-management/index.ts';
import { processModules } from '../processes/registry.ts';
import { listMembers, inviteMember } from '../scopes/scope.service.ts';
import { utcDatePlusDays } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { createTask, listScopeTasks } from '../work/task.service.ts';
import type { DemoContext, DemoPerson } from './demo-context.ts';

/**
 * A realistic small organisation: people in ISMS roles, ~30 assets with protection needs and dependencies,
 * process owners and a few open tasks, incidents, risks, controls with their treatment and a draft Statement of
 * Applicability, policies, records, job roles and an awareness course. Goes through the same services as the API, so
 * it applies their rules, leaves a full audit trail and hands work off to the processes.
 */
const people: { key: string; email: string; name: string; role: ScopeRole }[] = [
  { key: 'it', email: 'it-operations@demo.praxis.example', name: 'IT Operations Lead', role: 'contributor' },
  { key: 'hr', email: 'hr@demo.praxis.example', name: 'HR Manager', role: 'contributor' },
  { key: 'dev', email: 'engineering@demo.praxis.example', name: 'Head of Engineering', role: 'contributor' },
  { key: 'audit', email: 'internal-audit@demo.praxis.example', name: 'Internal Auditor', role: 'auditor' },
  { key: 'md', email: 'managing-director@demo.praxis.example', name: 'Managing Director', role: 'viewer' },
  { key: 'staff', email: 'staff@demo.praxis.example', name: 'Sales Employee', role: 'employee' },
];

type DemoAsset = Omit<CreateAssetInput, 'ownerId' | 'dependsOn'> & { key: string; owner: string; dependsOn: string[] };
const N = 'normal' as const;
const H = 'high' as const;
const V = 'very_high' as const;
const a = (
  key: string,
  name: string,
  type: CreateAssetInput['type'],
  owner: string,
  [confidentiality, integrity, availability]: [
    typeof N | typeof H | typeof V,
    typeof N | typeof H | typeof V,
    typeof N | typeof H | typeof V,
  ],
  tags: string[],
  dependsOn: string[],
  description: string,
  lifecycleStatus: CreateAssetInput['lifecycleStatus'] = 'in_operation',
): DemoAsset => ({ key, name, type, owner, confidentiality, integrity, availability, tags, dependsOn, description, lifecycleStatus });

const assets: DemoAsset[] = [
  a('hq', 'Head office', 'location', 'it', [N, N, H], ['site'], [], 'Main office with 60 workplaces and the server room.'),
  a('dc', 'Colocation data centre', 'location', 'it', [H, H, V], ['site', 'hosting'], [], 'Rented rack space in a certified data centre.'),
  a(
    'colo',
    'Colocation provider',
    'supplier',
    'it',
    [H, N, V],
    ['supplier', 'hosting'],
    [],
    'Provides rack space, power, cooling and physical security.',
  ),
  a(
    'cloud',
    'Cloud office suite provider',
    'supplier',
    'it',
    [H, H, H],
    ['supplier', 'saas'],
    [],
    'Email, calendar, documents and chat for all staff.',
  ),
  a(
    'payroll-provider',
    'Payroll service provider',
    'supplier',
    'hr',
    [V, H, N],
    ['supplier', 'personal-data'],
    [],
    'Processes monthly payroll on our behalf (data processing agreement in place).',
  ),
  a('net', 'Corporate network', 'system', 'it', [H, H, H], ['network'], ['hq'], 'LAN, Wi-Fi and VPN gateway of the head office.'),
  a(
    'fw',
    'Perimeter firewall',
    'system',
    'it',
    [H, V, H],
    ['network', 'security'],
    ['hq'],
    'Redundant firewall pair at the internet uplink.',
  ),
  a('ad', 'Directory service', 'system', 'it', [V, V, H], ['identity'], ['dc'], 'Central user accounts, groups and single sign-on.'),
  a('erp-sys', 'ERP system', 'system', 'it', [H, V, H], ['finance'], ['dc', 'ad'], 'Order-to-cash, purchasing and finance.'),
  a(
    'crm-sys',
    'CRM system',
    'system',
    'dev',
    [H, H, N],
    ['sales', 'personal-data'],
    ['cloud', 'ad'],
    'Customer contacts, opportunities and contracts.',
  ),
  a(
    'backup',
    'Backup system',
    'system',
    'it',
    [V, V, H],
    ['backup'],
    ['dc'],
    'Nightly backups with an offline copy, restore tested quarterly.',
  ),
  a('laptops', 'Staff laptops', 'system', 'it', [H, N, N], ['endpoint'], ['ad'], 'About 60 managed laptops with disk encryption.'),
  a(
    'mail',
    'Email and collaboration',
    'service',
    'it',
    [H, H, H],
    ['saas'],
    ['cloud', 'ad'],
    'Email, calendars and file sharing for all staff.',
  ),
  a(
    'webshop',
    'Customer web shop',
    'service',
    'dev',
    [H, V, V],
    ['customer-facing'],
    ['erp-sys', 'fw'],
    'Online ordering for business customers; 24/7.',
  ),
  a(
    'support',
    'Customer support service',
    'service',
    'dev',
    [H, H, H],
    ['customer-facing'],
    ['crm-sys', 'mail'],
    'Phone and ticket support for customers.',
  ),
  a('payroll', 'Payroll', 'service', 'hr', [V, H, N], ['personal-data'], ['payroll-provider'], 'Monthly salary payments and statements.'),
  a(
    'customer-data',
    'Customer master data',
    'information',
    'dev',
    [H, H, N],
    ['personal-data'],
    ['crm-sys'],
    'Names, contacts and contract data of customers (GDPR).',
  ),
  a(
    'employee-records',
    'Employee records',
    'information',
    'hr',
    [V, H, N],
    ['personal-data'],
    ['payroll'],
    'Personnel files, contracts, salaries, health-related absences.',
  ),
  a(
    'financials',
    'Financial statements',
    'information',
    'md',
    [V, V, N],
    ['finance'],
    ['erp-sys'],
    'Monthly and annual financial reports before publication.',
  ),
  a(
    'source',
    'Product source code',
    'information',
    'dev',
    [V, V, H],
    ['intellectual-property'],
    ['backup'],
    'Source code of the web shop and internal tools.',
  ),
  a('contracts', 'Customer contracts', 'information', 'md', [H, H, N], ['legal'], ['crm-sys'], 'Signed framework agreements and SLAs.'),
  a('isms-docs', 'ISMS documentation', 'information', 'it', [N, H, N], ['isms'], ['mail'], 'Policies, procedures and records of the ISMS.'),
  a(
    'admin-role',
    'System administrators',
    'person',
    'it',
    [H, V, H],
    ['privileged'],
    [],
    'Staff with privileged access to servers and the directory.',
  ),
  a('dev-team', 'Software developers', 'person', 'dev', [H, H, N], ['engineering'], [], 'In-house development team of eight.'),
  a('helpdesk', 'IT helpdesk', 'person', 'it', [N, H, H], [], ['ad'], 'First-level support for staff.'),
  a(
    'new-dms',
    'Document management system',
    'system',
    'it',
    [H, H, N],
    ['planned'],
    ['dc', 'ad'],
    'Replacement for file shares, planned for next year.',
    'planned',
  ),
  a(
    'old-fileserver',
    'Legacy file server',
    'system',
    'it',
    [H, N, N],
    ['legacy'],
    ['dc'],
    'Being migrated to the document management system.',
    'retiring',
  ),
];

const processOwners: Partial<Record<(typeof processDefinitions)[number]['key'], string>> = {
  'control-implementation': 'it',
  'supplier-control': 'it',
  'competence-awareness': 'hr',
  'incident-management': 'it',
  'internal-audit': 'audit',
  'management-review': 'md',
  'governance-interface': 'md',
  'resource-management': 'md',
};

export async function seedDemo(deps: Deps, actor: Actor, scopeId: string): Promise<{ assets: number; tasks: number }> {
  requireScopePermission(actor, scopeId, 'demo:seed');
  const existing = await listAssets(deps, actor, scopeId, { page: 1, pageSize: 1, sort: 'name', order: 'asc' });
  if (existing.total > 0) {
    throw new AppError('invalid_state', errorText('demoNeedsEmptyScope'));
  }
  const members = new Map((await listMembers(deps, actor, scopeId)).map((m) => [m.email, m]));
  const userOf = new Map<string, string>();
  const demoPeople = new Map<string, DemoPerson>();
  for (const p of people) {
    const member =
      members.get(p.email) ?? (await inviteMember(deps, actor, scopeId, { email: p.email, name: p.name, role: p.role })).member;
    userOf.set(p.key, member.userId);
    demoPeople.set(p.key, { key: p.key, userId: member.userId, email: member.email, name: member.name, role: member.role });
  }
  const assetIds = new Map<string, string>();
  for (const { key, owner, dependsOn, ...input } of assets) {
    const created = await createAsset(deps, actor, scopeId, {
      ...input,
      ownerId: userOf.get(owner) ?? actor.userId,
      dependsOn: dependsOn.map((d) => assetIds.get(d)!),
    });
    assetIds.set(key, created.id);
  }
  const current = await getProcessMap(deps, actor, scopeId);
  for (const p of current.processes) {
    const owner = processOwners[p.key as keyof typeof processOwners];
    await updateProcess(deps, actor, scopeId, p.key, {
      version: p.version,
      ...(owner && { ownerId: userOf.get(owner)! }),
      cadence: p.cadence,
    });
  }
  const now = deps.clock.now();
  const tasks = [
    { title: 'Test restore of the ERP database from backup', processKey: 'control-implementation', assignee: 'it', due: 10 },
    { title: 'Review supplier assessment of the colocation provider', processKey: 'supplier-control', assignee: 'it', due: -3 },
    { title: 'Plan this year’s security awareness training', processKey: 'competence-awareness', assignee: 'hr', due: 30 },
    { title: 'Prepare internal audit programme', processKey: 'internal-audit', assignee: 'audit', due: 45 },
  ];
  for (const t of tasks) {
    // a task made by hand is due today or later: the overdue one was made two weeks ago
    const made = t.due < 0 ? { ...deps, clock: { now: () => new Date(now.getTime() - 14 * 86_400_000) } } : deps;
    await createTask(made, actor, scopeId, {
      title: t.title,
      description: '',
      processKey: t.processKey,
      assigneeId: userOf.get(t.assignee) ?? null,
      dueOn: utcDatePlusDays(now, t.due),
    });
  }
  // every module's demo step, in order, on the people, assets and process owners above
  const ctx: DemoContext = { deps, actor, scopeId, people: demoPeople, assetIds, facts: {} };
  const steps = processModules.flatMap((m) => (m.demo ? [m.demo] : [])).sort((x, y) => x.order - y.order);
  for (const step of steps) await step.run(ctx);
  const open = await listScopeTasks(deps, actor, scopeId, { page: 1, pageSize: 1, status: 'active' });
  return { assets: assets.length, tasks: open.total };
}
