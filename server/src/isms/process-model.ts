import type { cadences, pdcaPhases, processTypes } from './process.schemas.ts';

/**
 * The ISMS process reference model as data: 18 processes (governance, core, support) and the hand-offs between them,
 * where an output of one process is an input of another. Every scope gets these processes with an owner and a cadence.
 * The words here are the English defaults; a reader gets them from the server's `processes` catalog in their language
 * (`name.<process>`, `description.<process>`, `output.<from>.<outputKey>`: process-texts.ts), which a test keeps equal
 * to these in English and complete in every language.
 */
export const processKeys = [
  'governance-interface',
  'management-review',
  'policy-management',
  'requirements-management',
  'risk-assessment',
  'risk-treatment',
  'control-implementation',
  'supplier-control',
  'competence-awareness',
  'incident-management',
  'change-management',
  'internal-audit',
  'performance-evaluation',
  'improvement',
  'records-control',
  'resource-management',
  'communication',
  'customer-relationship',
] as const;
export type ProcessKey = (typeof processKeys)[number];

export interface ProcessDefinition {
  key: ProcessKey;
  name: string;
  type: (typeof processTypes)[number];
  phase: (typeof pdcaPhases)[number];
  description: string;
  defaultCadence: (typeof cadences)[number];
}

export interface HandoffDefinition {
  from: ProcessKey;
  /** what is handed over, in English */
  output: string;
  /** the output's name among the sender's outputs: its words are `processes:output.<from>.<outputKey>` */
  outputKey: string;
  to: ProcessKey;
  status: 'live' | 'planned';
}

export const processDefinitions: readonly ProcessDefinition[] = [
  {
    key: 'governance-interface',
    name: 'IS governance / management interface',
    type: 'governance',
    phase: 'plan',
    description: 'Links top management and the ISMS: sets direction, scope and objectives, assigns roles and receives reports.',
    defaultCadence: 'yearly',
  },
  {
    key: 'management-review',
    name: 'Management review',
    type: 'governance',
    phase: 'check',
    description: 'Top management reviews the ISMS at planned intervals and decides on improvements and resources (ISO 27001 9.3).',
    defaultCadence: 'yearly',
  },
  {
    key: 'policy-management',
    name: 'Security policy management',
    type: 'core',
    phase: 'plan',
    description: 'Develops, approves, distributes, stores, changes, retains and finally disposes of security policies (ISO 27001 5.2).',
    defaultCadence: 'yearly',
  },
  {
    key: 'requirements-management',
    name: 'Requirements management',
    type: 'core',
    phase: 'plan',
    description: 'Identifies legal, regulatory and contractual requirements and the needs of interested parties (ISO 27001 4.2).',
    defaultCadence: 'yearly',
  },
  {
    key: 'risk-assessment',
    name: 'Risk assessment',
    type: 'core',
    phase: 'plan',
    description: 'Identifies, analyses and evaluates information security risks and prioritises them (ISO 27001 6.1.2, 8.2).',
    defaultCadence: 'yearly',
  },
  {
    key: 'risk-treatment',
    name: 'Risk treatment',
    type: 'core',
    phase: 'plan',
    description:
      'Chooses treatment options and controls, plans the treatment and obtains acceptance of residual risks (ISO 27001 6.1.3, 8.3).',
    defaultCadence: 'yearly',
  },
  {
    key: 'control-implementation',
    name: 'Control implementation management',
    type: 'core',
    phase: 'do',
    description: 'Implements the selected controls, verifies them and keeps the evidence (ISO 27001 8.1).',
    defaultCadence: 'quarterly',
  },
  {
    key: 'supplier-control',
    name: 'Supplier (outsourced services) control',
    type: 'core',
    phase: 'do',
    description: 'Assesses and monitors suppliers and outsourced services against the security requirements (Annex A 5.19–5.22).',
    defaultCadence: 'yearly',
  },
  {
    key: 'competence-awareness',
    name: 'Competence & awareness',
    type: 'core',
    phase: 'do',
    description: 'Ensures people are competent and aware: training, education and awareness programme (ISO 27001 7.2, 7.3).',
    defaultCadence: 'yearly',
  },
  {
    key: 'incident-management',
    name: 'Incident management',
    type: 'core',
    phase: 'do',
    description: 'Detects, reports, assesses, responds to and learns from information security incidents (Annex A 5.24–5.28).',
    defaultCadence: 'none',
  },
  {
    key: 'change-management',
    name: 'ISMS change management',
    type: 'core',
    phase: 'act',
    description: 'Controls changes of ISMS elements and reviews their consequences before they are made (ISO 27001 6.3).',
    defaultCadence: 'none',
  },
  {
    key: 'internal-audit',
    name: 'Internal audit',
    type: 'core',
    phase: 'check',
    description: 'Plans and performs internal audits and reports findings (ISO 27001 9.2).',
    defaultCadence: 'yearly',
  },
  {
    key: 'performance-evaluation',
    name: 'Performance evaluation',
    type: 'core',
    phase: 'check',
    description: 'Monitors, measures, analyses and evaluates the ISMS and its controls (ISO 27001 9.1).',
    defaultCadence: 'quarterly',
  },
  {
    key: 'improvement',
    name: 'Improvement',
    type: 'core',
    phase: 'act',
    description: 'Handles nonconformities with corrective actions and pursues continual improvement (ISO 27001 10).',
    defaultCadence: 'quarterly',
  },
  {
    key: 'records-control',
    name: 'Records control',
    type: 'support',
    phase: 'do',
    description: 'Controls documented information of every process: versions, retention and disposal (ISO 27001 7.5).',
    defaultCadence: 'yearly',
  },
  {
    key: 'resource-management',
    name: 'Resource management',
    type: 'support',
    phase: 'plan',
    description: 'Plans and tracks the resources and funding of the ISMS and its controls (ISO 27001 7.1).',
    defaultCadence: 'yearly',
  },
  {
    key: 'communication',
    name: 'Communication',
    type: 'support',
    phase: 'do',
    description: 'Communicates with interested parties inside and outside the organisation (ISO 27001 7.4).',
    defaultCadence: 'quarterly',
  },
  {
    key: 'customer-relationship',
    name: 'Customer relationship management',
    type: 'support',
    phase: 'check',
    description: 'Takes in customers’ security requirements (C/I/A levels for SLAs), reports back to them and follows their satisfaction.',
    defaultCadence: 'yearly',
  },
];

/**
 * The hand-offs of the model (seed 002). `live`: a module receives it and creates the follow-up work in the sender's
 * transaction (a test keeps this list and the registered receivers in agreement); `planned`: the receiving or sending
 * module does not exist yet, and the map draws the edge as planned.
 */
export const handoffDefinitions: readonly HandoffDefinition[] = [
  {
    from: 'requirements-management',
    output: 'Legal, regulatory and contractual requirements',
    outputKey: 'requirements',
    to: 'risk-assessment',
    status: 'planned',
  },
  {
    from: 'requirements-management',
    output: 'Legal, regulatory and contractual requirements',
    outputKey: 'requirements',
    to: 'internal-audit',
    status: 'planned',
  },
  {
    from: 'requirements-management',
    output: 'Legal, regulatory and contractual requirements',
    outputKey: 'requirements',
    to: 'supplier-control',
    status: 'planned',
  },
  {
    from: 'risk-assessment',
    output: 'Prioritised risks with owners',
    outputKey: 'prioritised-risks',
    to: 'risk-treatment',
    status: 'live',
  },
  {
    from: 'risk-assessment',
    output: 'Prioritised risks with owners',
    outputKey: 'prioritised-risks',
    to: 'communication',
    status: 'planned',
  },
  {
    from: 'risk-treatment',
    output: 'Selected controls, treatment and implementation plan',
    outputKey: 'treatment-plan',
    to: 'control-implementation',
    status: 'live',
  },
  { from: 'risk-treatment', output: 'Requests for change', outputKey: 'change-requests', to: 'change-management', status: 'live' },
  {
    from: 'control-implementation',
    output: 'Implemented and verified controls with evidence',
    outputKey: 'verified-controls',
    to: 'performance-evaluation',
    status: 'planned',
  },
  {
    from: 'control-implementation',
    output: 'Implemented and verified controls with evidence',
    outputKey: 'verified-controls',
    to: 'records-control',
    status: 'planned',
  },
  {
    from: 'supplier-control',
    output: 'Supplier assessments and audit results',
    outputKey: 'supplier-assessments',
    to: 'improvement',
    status: 'planned',
  },
  {
    from: 'supplier-control',
    output: 'Supplier assessments and audit results',
    outputKey: 'supplier-assessments',
    to: 'risk-assessment',
    status: 'planned',
  },
  { from: 'incident-management', output: 'Incidents and lessons learned', outputKey: 'lessons-learned', to: 'improvement', status: 'live' },
  {
    from: 'incident-management',
    output: 'Incidents and lessons learned',
    outputKey: 'lessons-learned',
    to: 'risk-assessment',
    status: 'live',
  },
  {
    from: 'incident-management',
    output: 'Requests for change from lessons learned',
    outputKey: 'change-requests',
    to: 'change-management',
    status: 'live',
  },
  { from: 'performance-evaluation', output: 'Measurements and findings', outputKey: 'measurements', to: 'improvement', status: 'live' },
  {
    from: 'performance-evaluation',
    output: 'Measurements and findings',
    outputKey: 'measurements',
    to: 'management-review',
    status: 'planned',
  },
  {
    from: 'internal-audit',
    output: 'Audit findings (nonconformities, observations)',
    outputKey: 'findings',
    to: 'improvement',
    status: 'live',
  },
  {
    from: 'internal-audit',
    output: 'Audit findings (nonconformities, observations)',
    outputKey: 'findings',
    to: 'management-review',
    status: 'planned',
  },
  {
    from: 'improvement',
    output: 'Corrective actions and requests for change',
    outputKey: 'corrective-actions',
    to: 'change-management',
    status: 'live',
  },
  { from: 'change-management', output: 'Approved changes', outputKey: 'approved-changes', to: 'policy-management', status: 'live' },
  { from: 'change-management', output: 'Approved changes', outputKey: 'approved-changes', to: 'control-implementation', status: 'live' },
  {
    from: 'resource-management',
    output: 'Planned and used resources, funding of controls',
    outputKey: 'resources',
    to: 'management-review',
    status: 'planned',
  },
  {
    from: 'resource-management',
    output: 'Planned and used resources, funding of controls',
    outputKey: 'resources',
    to: 'customer-relationship',
    status: 'planned',
  },
  { from: 'communication', output: 'Reports to interested parties', outputKey: 'reports', to: 'governance-interface', status: 'planned' },
  {
    from: 'customer-relationship',
    output: 'Reports to clients, customer satisfaction',
    outputKey: 'customer-reports',
    to: 'governance-interface',
    status: 'planned',
  },
  {
    from: 'management-review',
    output: 'Decisions on improvement and resources',
    outputKey: 'decisions',
    to: 'improvement',
    status: 'live',
  },
  {
    from: 'governance-interface',
    output: 'Scope, objectives and direction',
    outputKey: 'direction',
    to: 'policy-management',
    status: 'planned',
  },
  {
    from: 'policy-management',
    output: 'Approved and published policies',
    outputKey: 'published-policies',
    to: 'competence-awareness',
    status: 'live',
  },
  {
    from: 'records-control',
    output: 'Documented information (versions, retention, disposal)',
    outputKey: 'documented-information',
    to: 'internal-audit',
    status: 'planned',
  },
];

/** The key of an edge, as the hand-off ledger stores it. */
export const edgeKey = (from: ProcessKey, to: ProcessKey): string => `${from}>${to}`;

export function findHandoffDefinition(from: ProcessKey, to: ProcessKey): HandoffDefinition | undefined {
  return handoffDefinitions.find((h) => h.from === from && h.to === to);
}

const byKey = new Map(processDefinitions.map((p) => [p.key, p]));

export function findProcessDefinition(key: string): ProcessDefinition | undefined {
  return byKey.get(key as ProcessKey);
}

/** The distinct outputs a process receives (`to`) or sends (`from`), each once, in the model's order. */
export function processHandoffOutputs(key: ProcessKey, side: 'to' | 'from'): HandoffDefinition[] {
  const seen = new Set<string>();
  return handoffDefinitions.filter((h) => {
    const id = `${h.from}.${h.outputKey}`;
    if (h[side] !== key || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
