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
import { de } from './demo.de.ts';
import { type DemoContext, type DemoPerson, demoLanguageOf, demoWords } from './demo-context.ts';

/** The words of the shared part of the demo (people, assets, tags, tasks); German in demo.de.ts. */
const en = {
  people: {
    it: 'IT Operations Lead',
    hr: 'HR Manager',
    dev: 'Head of Engineering',
    audit: 'Internal Auditor',
    md: 'Managing Director',
    staff: 'Sales Employee',
  },
  assets: {
    hq: { name: 'Head office', description: 'Main office with 60 workplaces and the server room.' },
    dc: { name: 'Colocation data centre', description: 'Rented rack space in a certified data centre.' },
    colo: { name: 'Colocation provider', description: 'Provides rack space, power, cooling and physical security.' },
    cloud: { name: 'Cloud office suite provider', description: 'Email, calendar, documents and chat for all staff.' },
    'payroll-provider': {
      name: 'Payroll service provider',
      description: 'Processes monthly payroll on our behalf (data processing agreement in place).',
    },
    net: { name: 'Corporate network', description: 'LAN, Wi-Fi and VPN gateway of the head office.' },
    fw: { name: 'Perimeter firewall', description: 'Redundant firewall pair at the internet uplink.' },
    ad: { name: 'Directory service', description: 'Central user accounts, groups and single sign-on.' },
    'erp-sys': { name: 'ERP system', description: 'Order-to-cash, purchasing and finance.' },
    'crm-sys': { name: 'CRM system', description: 'Customer contacts, opportunities and contracts.' },
    backup: { name: 'Backup system', description: 'Nightly backups with an offline copy, restore tested quarterly.' },
    laptops: { name: 'Staff laptops', description: 'About 60 managed laptops with disk encryption.' },
    mail: { name: 'Email and collaboration', description: 'Email, calendars and file sharing for all staff.' },
    webshop: { name: 'Customer web shop', description: 'Online ordering for business customers; 24/7.' },
    support: { name: 'Customer support service', description: 'Phone and ticket support for customers.' },
    payroll: { name: 'Payroll', description: 'Monthly salary payments and statements.' },
    'customer-data': { name: 'Customer master data', description: 'Names, contacts and contract data of customers (GDPR).' },
    'employee-records': { name: 'Employee records', description: 'Personnel files, contracts, salaries, health-related absences.' },
    financials: { name: 'Financial statements', description: 'Monthly and annual financial reports before publication.' },
    source: { name: 'Product source code', description: 'Source code of the web shop and internal tools.' },
    contracts: { name: 'Customer contracts', description: 'Signed framework agreements and SLAs.' },
    'isms-docs': { name: 'ISMS documentation', description: 'Policies, procedures and records of the ISMS.' },
    'admin-role': { name: 'System administrators', description: 'Staff with privileged access to servers and the directory.' },
    'dev-team': { name: 'Software developers', description: 'In-house development team of eight.' },
    helpdesk: { name: 'IT helpdesk', description: 'First-level support for staff.' },
    'new-dms': { name: 'Document management system', description: 'Replacement for file shares, planned for next year.' },
    'old-fileserver': { name: 'Legacy file server', description: 'Being migrated to the document management system.' },
  },
  tags: {
    site: 'site',
    hosting: 'hosting',
    supplier: 'supplier',
    saas: 'saas',
    'personal-data': 'personal-data',
    network: 'network',
    security: 'security',
    identity: 'identity',
    finance: 'finance',
    sales: 'sales',
    backup: 'backup',
    endpoint: 'endpoint',
    'customer-facing': 'customer-facing',
    'intellectual-property': 'intellectual-property',
    legal: 'legal',
    isms: 'isms',
    privileged: 'privileged',
    engineering: 'engineering',
    planned: 'planned',
    legacy: 'legacy',
  },
  tasks: {
    restoreTest: 'Test restore of the ERP database from backup',
    supplierReview: 'Review supplier assessment of the colocation provider',
    awarenessPlan: 'Plan this year’s security awareness training',
    auditProgramme: 'Prepare internal audit programme',
  },
};
export type DemoWords = typeof en;
type PersonKey = keyof DemoWords['people'];
type AssetKey = keyof DemoWords['assets'];
type TagKey = keyof DemoWords['tags'];
const words = { en, de };

/**
 * A realistic small organisation: people in ISMS roles, ~30 assets with protection needs and dependencies,
 * process owners and a few open tasks, incidents, risks, controls with their treatment and a draft Statement of
 * Applicability, policies, records, job roles and an awareness course, written in the language of whoever loads it (English or
 * German: the same records, references, dates and figures; only the words differ). Goes through the same services as the API, so
 * it applies their rules, leaves a full audit trail and hands work off to the processes.
 */
const people: { key: PersonKey; email: string; role: ScopeRole }[] = [
  { key: 'it', email: 'it-operations@demo.praxis.example', role: 'contributor' },
  { key: 'hr', email: 'hr@demo.praxis.example', role: 'contributor' },
  { key: 'dev', email: 'engineering@demo.praxis.example', role: 'contributor' },
  { key: 'audit', email: 'internal-audit@demo.praxis.example', role: 'auditor' },
  { key: 'md', email: 'managing-director@demo.praxis.example', role: 'viewer' },
  { key: 'staff', email: 'staff@demo.praxis.example', role: 'employee' },
];

type DemoAsset = Omit<CreateAssetInput, 'ownerId' | 'dependsOn' | 'name' | 'description' | 'tags'> & {
  tags: TagKey[];
  key: AssetKey;
  owner: string;
  dependsOn: AssetKey[];
};
const N = 'normal' as const;
const H = 'high' as const;
const V = 'very_high' as const;
const a = (
  key: AssetKey,
  type: CreateAssetInput['type'],
  owner: string,
  [confidentiality, integrity, availability]: [
    typeof N | typeof H | typeof V,
    typeof N | typeof H | typeof V,
    typeof N | typeof H | typeof V,
  ],
  tags: TagKey[],
  dependsOn: AssetKey[],
  lifecycleStatus: CreateAssetInput['lifecycleStatus'] = 'in_operation',
): DemoAsset => ({ key, type, owner, confidentiality, integrity, availability, tags, dependsOn, lifecycleStatus });

const assets: DemoAsset[] = [
  a('hq', 'location', 'it', [N, N, H], ['site'], []),
  a('dc', 'location', 'it', [H, H, V], ['site', 'hosting'], []),
  a('colo', 'supplier', 'it', [H, N, V], ['supplier', 'hosting'], []),
  a('cloud', 'supplier', 'it', [H, H, H], ['supplier', 'saas'], []),
  a('payroll-provider', 'supplier', 'hr', [V, H, N], ['supplier', 'personal-data'], []),
  a('net', 'system', 'it', [H, H, H], ['network'], ['hq']),
  a('fw', 'system', 'it', [H, V, H], ['network', 'security'], ['hq']),
  a('ad', 'system', 'it', [V, V, H], ['identity'], ['dc']),
  a('erp-sys', 'system', 'it', [H, V, H], ['finance'], ['dc', 'ad']),
  a('crm-sys', 'system', 'dev', [H, H, N], ['sales', 'personal-data'], ['cloud', 'ad']),
  a('backup', 'system', 'it', [V, V, H], ['backup'], ['dc']),
  a('laptops', 'system', 'it', [H, N, N], ['endpoint'], ['ad']),
  a('mail', 'service', 'it', [H, H, H], ['saas'], ['cloud', 'ad']),
  a('webshop', 'service', 'dev', [H, V, V], ['customer-facing'], ['erp-sys', 'fw']),
  a('support', 'service', 'dev', [H, H, H], ['customer-facing'], ['crm-sys', 'mail']),
  a('payroll', 'service', 'hr', [V, H, N], ['personal-data'], ['payroll-provider']),
  a('customer-data', 'information', 'dev', [H, H, N], ['personal-data'], ['crm-sys']),
  a('employee-records', 'information', 'hr', [V, H, N], ['personal-data'], ['payroll']),
  a('financials', 'information', 'md', [V, V, N], ['finance'], ['erp-sys']),
  a('source', 'information', 'dev', [V, V, H], ['intellectual-property'], ['backup']),
  a('contracts', 'information', 'md', [H, H, N], ['legal'], ['crm-sys']),
  a('isms-docs', 'information', 'it', [N, H, N], ['isms'], ['mail']),
  a('admin-role', 'person', 'it', [H, V, H], ['privileged'], []),
  a('dev-team', 'person', 'dev', [H, H, N], ['engineering'], []),
  a('helpdesk', 'person', 'it', [N, H, H], [], ['ad']),
  a('new-dms', 'system', 'it', [H, H, N], ['planned'], ['dc', 'ad'], 'planned'),
  a('old-fileserver', 'system', 'it', [H, N, N], ['legacy'], ['dc'], 'retiring'),
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
  const lang = demoLanguageOf(actor);
  const w = demoWords({ lang }, words);
  const members = new Map((await listMembers(deps, actor, scopeId)).map((m) => [m.email, m]));
  const userOf = new Map<string, string>();
  const demoPeople = new Map<string, DemoPerson>();
  for (const p of people) {
    const member =
      members.get(p.email) ?? (await inviteMember(deps, actor, scopeId, { email: p.email, name: w.people[p.key], role: p.role })).member;
    userOf.set(p.key, member.userId);
    demoPeople.set(p.key, { key: p.key, userId: member.userId, email: member.email, name: member.name, role: member.role });
  }
  const assetIds = new Map<string, string>();
  for (const { key, owner, dependsOn, tags, ...input } of assets) {
    const created = await createAsset(deps, actor, scopeId, {
      ...input,
      ...w.assets[key],
      tags: tags.map((tag) => w.tags[tag]),
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
    { title: w.tasks.restoreTest, processKey: 'control-implementation', assignee: 'it', due: 10 },
    { title: w.tasks.supplierReview, processKey: 'supplier-control', assignee: 'it', due: -3 },
    { title: w.tasks.awarenessPlan, processKey: 'competence-awareness', assignee: 'hr', due: 30 },
    { title: w.tasks.auditProgramme, processKey: 'internal-audit', assignee: 'audit', due: 45 },
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
  const ctx: DemoContext = { deps, actor, lang, scopeId, people: demoPeople, assetIds, facts: {} };
  const steps = processModules.flatMap((m) => (m.demo ? [m.demo] : [])).sort((x, y) => x.order - y.order);
  for (const step of steps) await step.run(ctx);
  const open = await listScopeTasks(deps, actor, scopeId, { page: 1, pageSize: 1, status: 'active' });
  return { assets: assets.length, tasks: open.total };
}
