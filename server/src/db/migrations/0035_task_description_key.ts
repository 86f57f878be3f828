import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// A task's description as a text key with parameters, like its title: `description` keeps the English rendering (search,
// older readers), `description_key` and `description_params` let each reader see what Praxis wrote in their language.
// A description someone typed (or edited) has no key and is shown as typed.
// Tasks written before are read back where their description is a sentence the services wrote (and renders again to the
// very same text); any other description keeps its key null and is shown as stored. Only tasks that came from a record
// (an origin) are read: tasks people made by hand carry their own words.
// Frozen in time: never edit a released migration; add a new one. The sentences and codes below are copied on purpose.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('task').addColumn('description_key', t.text).execute();
  await db.schema.alterTable('task').addColumn('description_params', t.json).execute();
  await convertTaskDescriptions(db);
}

type Params = Record<string, string | number>;
export interface ParsedDescription {
  key: string;
  params: Params;
}

const task = (name: string) => `tasks:description.${name}`;
const cadence = (name: string) => `cadences:description.${name}`;

const date = String.raw`(\d{4}-\d{2}-\d{2})`;
const documentTypes = ['policy', 'standard', 'procedure', 'guideline'];
const criteria = ['confidentiality', 'integrity', 'availability'];
const decisionWords: Record<string, string> = {
  corrective_action: 'Corrective action',
  opportunity: 'Opportunity for improvement',
  change_request: 'Change request',
  risk_acceptance: 'Risk acceptance',
  policy_revision: 'Policy revision',
  resource: 'Resource decision',
  objective: 'New or changed objective',
};
const treatWhy = {
  management: 'only management may accept it as it is',
  criteria: 'the acceptance criteria do not allow accepting it as it is',
};
const escalationEnds = {
  owner: 'As the process owner, see that it gets done.',
  managers: 'It was escalated to the process owner before; as a manager, see that it gets done.',
};

/** Sentences without parameters, as the services and cadence sources wrote them. */
const fixed: Record<string, string> = {
  [task('triage')]:
    'Classify the report: category, severity, C/I/A impact, personal data, NIS2 significance. Regulatory clocks may be running.',
  [cadence('processReview')]:
    'The planned review of this process is due: check that it works as described, that its owner, inputs and outputs are still right, and record what should change.',
  [cadence('managementReview')]:
    'The planned management review is due (ISO 27001 9.3): top management reviews the status of actions, changes, ISMS performance, feedback, risks and opportunities, and decides on improvements and resources. In a small organisation a meeting of the managing director with the IT provider may be enough (BSI 200-1).',
  [cadence('auditProgramme')]:
    'The planned internal audit is due (ISO 27001 9.2): plan and hold the audits of the programme and report the results to management.',
  [cadence('performanceEvaluation')]:
    'The planned evaluation is due (ISO 27001 9.1): take the measurements, analyse and evaluate them, and report the results.',
  [cadence('riskReview')]:
    'The planned review of this risk is due (ISO 27001 8.2): check its likelihood, impact and treatment against what has changed, and record the result. Completing this task sets the next review date.',
  [cadence('controlVerification')]:
    'The planned verification of this control is due (ISO 27001 9.1): check that it is in place and works as intended, keep its evidence current, and set its effectiveness. Completing this task records the verification and sets the next date.',
};

/** The English sentence each key with its parameters rendered when the task was written (the services then). */
function english(d: ParsedDescription): string {
  const p = d.params;
  if (fixed[d.key] !== undefined) return fixed[d.key]!;
  switch (d.key) {
    case task('decideChange'):
      return `Review the consequences and approve or reject ${p.changeRef}.`;
    case task('implementChange'):
      return `Implementation of ${p.changeRef} ${p.title}`;
    case task('approveSoa'):
      return `Review and approve the Statement of Applicability "${p.title}" (ISO/IEC 27001 6.1.3 d).`;
    case task('rereviewRisk'):
      return (
        `The acceptance ${p.acceptanceRef} of the residual risk of ${p.riskRef} (level ${p.levelLabel}) expires on ` +
        `${p.expiresOn}. Re-assess the risk, then accept it again, or decide its treatment (ISO 27001 6.1.3 f, 8.2).`
      );
    case task('treatRisk'):
    case task('treatRiskByManagement'):
      return (
        `${p.riskRef} was evaluated as "${p.levelLabel}" (likelihood ${p.likelihood} × impact ${p.impact}), above the risk ` +
        `acceptance criteria: ${d.key === task('treatRisk') ? treatWhy.criteria : treatWhy.management}. Choose a treatment option and the controls it needs, plan the treatment, or obtain ` +
        'acceptance of the residual risk (ISO 27001 6.1.3, 8.3).'
      );
    case task('planAction'):
      return `An action of the risk treatment plan ${p.treatmentRef} for ${p.riskRef} ${p.riskTitle} (ISO 27001 6.1.3 e).`;
    case task('reviewDocument'):
      return `The planned review of ${p.documentRef} is due on ${p.dueOn}. Review it and either revise it or, if nothing needs to change, confirm the review on the document (ISO 27001 A.5.1).`;
    case task('acknowledgeVersion'):
      return `This document was due to be read and acknowledged by ${p.dueOn}.`;
    case task('approveVersion'):
      return `Review the ${p.docType} and approve or reject it (ISO 27001 7.5.2).`;
    case task('reviseDocument'):
      return `The approved change ${p.changeRef} "${p.title}" affects this document. Revise version ${p.versionNo} and send it for approval (ISO 27001 7.5.3).`;
    case task('reassessAsset'):
      return `The protection need of ${p.assetRef} (${String(p.criteria).split(',').join(', ')}) was raised to "very high". Re-assess the risks to this asset (ISO 27001 8.2).`;
    case task('assessRiskFromIncident'):
    case task('assessRiskFromIncidentWithDetails'):
      return (
        `A lesson learned from ${p.incidentRef} entered the risk register as ${p.riskRef}. Analyse and evaluate it ` +
        `(ISO 27001 6.1.2, 8.2).${p.details !== undefined ? `\n\n${p.details}` : ''}`
      );
    case task('notify'):
      return `Record the notification on ${p.incidentRef} when it has been sent.`;
    case task('respondToIncident'):
      return `Response to ${p.incidentRef} ${p.title}`;
    case task('disposeRecord'):
      return `The retention period of ${p.recordRef} (${p.count} months from ${p.startOn}) ended on ${p.endsOn}. Review it and dispose of it from the disposal queue, or set a legal hold.`;
    case task('updateAwareness'):
      return (
        `Version ${p.versionNo} of ${p.documentRef} "${p.title}" was published with a material change and assigned to ${p.count} ` +
        'people for acknowledgement. Check whether trainings, quizzes and awareness material need to reflect it (ISO 27001 7.3, A.6.3).'
      );
    case task('implementControl'):
    case task('implementControlWithObjectives'):
      return (
        `${p.treatmentRef} selected ${p.controlRef} to treat ${p.riskRef} ${p.riskTitle}.${p.objectives !== undefined ? ` Control objectives: ${p.objectives}.` : ''} Implement the control and ` +
        'record its evidence (ISO 27001 6.1.3, 8.3).'
      );
    case task('changeControl'):
      return `The approved change ${p.changeRef} "${p.title}" affects this control. Put the change into effect and record its evidence (ISO 27001 6.3, 8.1).`;
    case task('correctiveAction'):
      return `Corrective action for ${p.ncRef} (ISO 27001 10.2)`;
    case task('reviewDecision'):
    case task('reviewDecisionWithDetails'):
      return `${decisionWords[String(p.kind)]} decided by the management review ${p.reviewRef} (ISO 27001 9.3.3).${p.details !== undefined ? `\n\n${p.details}` : ''}`;
    case task('analyseBreach'):
    case task('analyseBreachWithUnit'):
      return `${p.name} measured ${p.value}${p.measureUnit !== undefined ? ` ${p.measureUnit}` : ''} on ${p.measuredOn}: in breach of the threshold ${p.breachAt} (target ${p.target}). Analyse the cause, then raise a nonconformity or an opportunity for improvement, or close the analysis with a note (ISO 27001 9.1).`;
    case cadence('escalation.owner'):
    case cadence('escalation.ownerUnassigned'):
    case cadence('escalation.managers'):
    case cadence('escalation.managersUnassigned'): {
      const who = d.key.endsWith('Unassigned') ? 'nobody' : p.assignee;
      const end = d.key.includes('.owner') ? escalationEnds.owner : escalationEnds.managers;
      return `${p.taskRef} is overdue by ${p.count} days or more and still open (assigned to ${who}). ${end}`;
    }
    default:
      return '';
  }
}

/** A number as the services wrote it, or undefined when the text is not one. */
const num = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return String(n) === s ? n : undefined;
};

/** Each form a service wrote: how to read its parameters back. */
const forms: [RegExp, (m: RegExpExecArray) => ParsedDescription | null][] = [
  [/^Review the consequences and approve or reject (\S+)\.$/, (m) => ({ key: task('decideChange'), params: { changeRef: m[1]! } })],
  [/^Implementation of (\S+) ([\s\S]+)$/, (m) => ({ key: task('implementChange'), params: { changeRef: m[1]!, title: m[2]! } })],
  [
    /^Review and approve the Statement of Applicability "([\s\S]*)" \(ISO\/IEC 27001 6\.1\.3 d\)\.$/,
    (m) => ({ key: task('approveSoa'), params: { title: m[1]! } }),
  ],
  [
    new RegExp(
      String.raw`^The acceptance (\S+) of the residual risk of (\S+) \(level ([\s\S]+)\) expires on ${date}\. Re-assess the risk, then accept it again, or decide its treatment \(ISO 27001 6\.1\.3 f, 8\.2\)\.$`,
    ),
    (m) => ({
      key: task('rereviewRisk'),
      params: { acceptanceRef: m[1]!, riskRef: m[2]!, levelLabel: m[3]!, expiresOn: m[4]! },
    }),
  ],
  [
    /^(\S+) was evaluated as "([\s\S]+)" \(likelihood (\S+) × impact (\S+)\), above the risk acceptance criteria: ([\s\S]+)\. Choose a treatment option and the controls it needs, plan the treatment, or obtain acceptance of the residual risk \(ISO 27001 6\.1\.3, 8\.3\)\.$/,
    (m) => {
      const why = m[5] === treatWhy.management ? 'treatRiskByManagement' : m[5] === treatWhy.criteria ? 'treatRisk' : null;
      const likelihood = num(m[3]);
      const impact = num(m[4]);
      if (!why || likelihood === undefined || impact === undefined) return null;
      return { key: task(why), params: { riskRef: m[1]!, levelLabel: m[2]!, likelihood, impact } };
    },
  ],
  [
    /^An action of the risk treatment plan (\S+) for (\S+) ([\s\S]+) \(ISO 27001 6\.1\.3 e\)\.$/,
    (m) => ({ key: task('planAction'), params: { treatmentRef: m[1]!, riskRef: m[2]!, riskTitle: m[3]! } }),
  ],
  [
    new RegExp(
      String.raw`^The planned review of (\S+) is due on ${date}\. Review it and either revise it or, if nothing needs to change, confirm the review on the document \(ISO 27001 A\.5\.1\)\.$`,
    ),
    (m) => ({ key: task('reviewDocument'), params: { documentRef: m[1]!, dueOn: m[2]! } }),
  ],
  [
    new RegExp(String.raw`^This document was due to be read and acknowledged by ${date}\.$`),
    (m) => ({ key: task('acknowledgeVersion'), params: { dueOn: m[1]! } }),
  ],
  [
    /^Review the (\S+) and approve or reject it \(ISO 27001 7\.5\.2\)\.$/,
    (m) => (documentTypes.includes(m[1]!) ? { key: task('approveVersion'), params: { docType: m[1]! } } : null),
  ],
  [
    /^The approved change (\S+) "([\s\S]*)" affects this document\. Revise version (\d+) and send it for approval \(ISO 27001 7\.5\.3\)\.$/,
    (m) => {
      const versionNo = num(m[3]);
      return versionNo === undefined ? null : { key: task('reviseDocument'), params: { changeRef: m[1]!, title: m[2]!, versionNo } };
    },
  ],
  [
    /^The protection need of (\S+) \(([a-z, ]+)\) was raised to "very high"\. Re-assess the risks to this asset \(ISO 27001 8\.2\)\.$/,
    (m) => {
      const raised = m[2]!.split(', ');
      if (raised.some((c) => !criteria.includes(c))) return null;
      return { key: task('reassessAsset'), params: { assetRef: m[1]!, criteria: raised.join(',') } };
    },
  ],
  [
    /^A lesson learned from (\S+) entered the risk register as (\S+)\. Analyse and evaluate it \(ISO 27001 6\.1\.2, 8\.2\)\.(?:\n\n([\s\S]+))?$/,
    (m): ParsedDescription =>
      m[3] === undefined
        ? { key: task('assessRiskFromIncident'), params: { incidentRef: m[1]!, riskRef: m[2]! } }
        : { key: task('assessRiskFromIncidentWithDetails'), params: { incidentRef: m[1]!, riskRef: m[2]!, details: m[3] } },
  ],
  [/^Record the notification on (\S+) when it has been sent\.$/, (m) => ({ key: task('notify'), params: { incidentRef: m[1]! } })],
  [/^Response to (\S+) ([\s\S]+)$/, (m) => ({ key: task('respondToIncident'), params: { incidentRef: m[1]!, title: m[2]! } })],
  [
    new RegExp(
      String.raw`^The retention period of (\S+) \((\d+) months from ${date}\) ended on ${date}\. Review it and dispose of it from the disposal queue, or set a legal hold\.$`,
    ),
    (m) => {
      const count = num(m[2]);
      return count === undefined
        ? null
        : { key: task('disposeRecord'), params: { recordRef: m[1]!, count, startOn: m[3]!, endsOn: m[4]! } };
    },
  ],
  [
    /^Version (\d+) of (\S+) "([\s\S]*)" was published with a material change and assigned to (\d+) people for acknowledgement\. Check whether trainings, quizzes and awareness material need to reflect it \(ISO 27001 7\.3, A\.6\.3\)\.$/,
    (m) => {
      const versionNo = num(m[1]);
      const count = num(m[4]);
      if (versionNo === undefined || count === undefined) return null;
      return { key: task('updateAwareness'), params: { versionNo, documentRef: m[2]!, title: m[3]!, count } };
    },
  ],
  [
    /^(\S+) selected (\S+) to treat (\S+) ([\s\S]*?)\.(?: Control objectives: ([\s\S]+)\.)? Implement the control and record its evidence \(ISO 27001 6\.1\.3, 8\.3\)\.$/,
    (m) => {
      const params: Params = { treatmentRef: m[1]!, controlRef: m[2]!, riskRef: m[3]!, riskTitle: m[4]! };
      return m[5] === undefined
        ? { key: task('implementControl'), params }
        : { key: task('implementControlWithObjectives'), params: { ...params, objectives: m[5] } };
    },
  ],
  [
    /^The approved change (\S+) "([\s\S]*)" affects this control\. Put the change into effect and record its evidence \(ISO 27001 6\.3, 8\.1\)\.$/,
    (m) => ({ key: task('changeControl'), params: { changeRef: m[1]!, title: m[2]! } }),
  ],
  [/^Corrective action for (\S+) \(ISO 27001 10\.2\)$/, (m) => ({ key: task('correctiveAction'), params: { ncRef: m[1]! } })],
  [
    /^([A-Z][a-z ]+) decided by the management review (\S+) \(ISO 27001 9\.3\.3\)\.(?:\n\n([\s\S]+))?$/,
    (m): ParsedDescription | null => {
      const kind = Object.keys(decisionWords).find((k) => decisionWords[k] === m[1]);
      if (!kind) return null;
      return m[3] === undefined
        ? { key: task('reviewDecision'), params: { kind, reviewRef: m[2]! } }
        : { key: task('reviewDecisionWithDetails'), params: { kind, reviewRef: m[2]!, details: m[3] } };
    },
  ],
  [
    new RegExp(
      String.raw`^([\s\S]+) measured (-?\d+(?:\.\d+)?)(?: ([\s\S]+?))? on ${date}: in breach of the threshold (\S+) \(target (\S+)\)\. Analyse the cause, then raise a nonconformity or an opportunity for improvement, or close the analysis with a note \(ISO 27001 9\.1\)\.$`,
    ),
    (m): ParsedDescription | null => {
      const value = num(m[2]);
      const breachAt = num(m[5]);
      const target = num(m[6]);
      if (value === undefined || breachAt === undefined || target === undefined) return null;
      const params = { name: m[1]!, value, measuredOn: m[4]!, breachAt, target };
      return m[3] === undefined
        ? { key: task('analyseBreach'), params }
        : { key: task('analyseBreachWithUnit'), params: { ...params, measureUnit: m[3] } };
    },
  ],
  [
    /^(\S+) is overdue by (\d+) days or more and still open \(assigned to ([\s\S]+)\)\. ([\s\S]+)$/,
    (m): ParsedDescription | null => {
      const count = num(m[2]);
      const to = m[4] === escalationEnds.owner ? 'owner' : m[4] === escalationEnds.managers ? 'managers' : null;
      // "its assignee" stood for a name Praxis could not find: not a name to show
      if (count === undefined || !to || m[3] === 'its assignee') return null;
      return m[3] === 'nobody'
        ? { key: cadence(`escalation.${to}Unassigned`), params: { taskRef: m[1]!, count } }
        : { key: cadence(`escalation.${to}`), params: { taskRef: m[1]!, count, assignee: m[3]! } };
    },
  ],
];

/** The key and parameters of an old task description, only when they render back to exactly its text. */
export function parseTaskDescription(text: string): ParsedDescription | null {
  for (const [key, sentence] of Object.entries(fixed)) if (text === sentence) return { key, params: {} };
  for (const [pattern, read] of forms) {
    const m = pattern.exec(text);
    if (!m) continue;
    const parsed = read(m);
    if (parsed && english(parsed) === text) return parsed;
  }
  return null;
}

const BATCH = 500;

/** Reads every task from a record whose description has no key, and gives those the services wrote their key and parameters. */
export async function convertTaskDescriptions(db: Kysely<any>): Promise<number> {
  let converted = 0;
  let after = '';
  for (;;) {
    // keyset pages by id: the whole table is never held at once
    const rows: { id: string; description: string }[] = await db
      .selectFrom('task')
      .select(['id', 'description'])
      .where('id', '>', after)
      .where('description_key', 'is', null)
      .where('origin_record_type', 'is not', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const parsed = parseTaskDescription(row.description);
      if (!parsed) continue;
      await db
        .updateTable('task')
        .set({ description_key: parsed.key, description_params: JSON.stringify(parsed.params) })
        .where('id', '=', row.id)
        .execute();
      converted++;
    }
    if (rows.length < BATCH) return converted;
    after = rows[rows.length - 1]!.id;
  }
}
