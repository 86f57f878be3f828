/**
 * The words of the audit trail: every record type, action and field Praxis writes into it (appendAudit), and how each
 * field's values read in a history view. A pure file: the web client reads it to show an entry (its labels live in the
 * web catalogs, `web/src/i18n/<lang>/audit.json` and the code labels named here), and the tests hold it to what is
 * written:
 * - server/src/test/audit-vocabulary.setup.ts checks every entry any test asks appendAudit for: its record type, its
 *   action, each changed field and each value must be declared here and have a label in every language;
 * - audit-vocabulary.test.ts checks that every word declared here has its labels, and scans the server's code for the
 *   actions, record types and fields written on paths no test takes.
 *
 * One table rather than a declaration in each module: the history views read every module's entries, and an entry
 * outlives the code that wrote it (a field once written stays in the trail), so the vocabulary is kept in one place.
 * A new field, action or record type of a module goes here, with its labels in the English and German catalogs.
 */

/** How a value reads. Arrays of values read element by element. `null` reads as "—" whatever the kind. */
export type AuditValue =
  /** words as someone wrote them: names, titles, descriptions, references, file names */
  | 'text'
  /** words Praxis composed in English when it wrote the entry (shown as written; a module should write codes or words) */
  | 'sentence'
  | 'number'
  | 'yesNo'
  /** a calendar day, YYYY-MM-DD */
  | 'day'
  /** a point in time, an ISO timestamp */
  | 'instant'
  /** a user's id: the person's name */
  | 'person'
  /** a process's key: the process's name */
  | 'process'
  /** a language code: the language's name */
  | 'language'
  /** a recurrence rule (RRULE): in words */
  | 'recurrence'
  /** a level of the scope's risk method (its key): the level's label */
  | 'riskLevel'
  /** a value Praxis keeps for itself (a hash of inputs, a stored file's id): shown as "internal" */
  | 'internal'
  /** a secret that was set; the entry says only that (`(hidden)`) */
  | 'hidden'
  /** a code: its label is `<labels>.<code>` in the web catalogs (`policies:documentStatus`); `separator` splits a list */
  | { codes: string; separator?: string }
  /** the id of another record of this type (a module should write its reference): the type's name and a short id */
  | { record: string }
  /** the reference of another record of this type (`CHG-0003`; a type without references: its name): the record's reference and title */
  | { reference: string }
  /**
   * a JSON object: each key is a field of its own, labelled `audit:field.<key>`, or `<labels>.<key>` in the web catalogs
   * (`reviews:section`); `written`: how a text in its place reads (an entry written before the field was an object; a
   * JSON text of an object with declared keys reads as the object)
   */
  | { object: Record<string, AuditValue>; labels?: string; written?: AuditValue }
  /** text Praxis composed to a pattern: the first wording whose pattern matches is shown, its parts read by their kind */
  | { words: readonly Wording[] }
  /**
   * a text Praxis wrote as its key and parameters (`{ key, params }`, a server text): worded by the wording declared for
   * its key, each parameter by its part's kind (a parameter that is a text of its own by a `texts` kind again);
   * `written`: how a text in its place reads (an entry that stored the English sentence)
   */
  | { texts: Record<string, TextWording>; written?: AuditValue };

/** How a text stored as key and parameters reads: its label in the web's `audit` catalog, its parameters by name. */
export interface TextWording {
  /** the wording's key in the web's `audit` catalog, its parameters the text's (`count` chooses the plural form) */
  label: string;
  /** how a parameter reads (text unless said) */
  parts?: Record<string, AuditValue>;
}

export interface Wording {
  /** a regular expression with named groups */
  pattern: string;
  /** the wording's key in the web's `audit` catalog, its parameters the named groups (`count` chooses the plural form) */
  label: string;
  /** how a named group reads (text unless said) */
  parts?: Record<string, AuditValue>;
}

/** A field: how its values read, and (when its name alone would mislead) the field whose label it takes. */
export type AuditField = AuditValue | { value: AuditValue; label: string };

export interface AuditRecordType {
  /** false: a record outside any scope (users, API tokens, catalogs), not offered in a scope's audit log */
  scoped?: false;
  /** how the reference an entry names its record by reads (`1` → "no. 1"), where it is not a reference as written */
  recordRef?: AuditValue;
  actions: readonly string[];
  /** field → how its values read; the field's label is `audit:field.<field in camelCase>` unless it names another */
  fields: Record<string, AuditField>;
}

/** the labels of a code are `<path>.<code>` in the web catalog `namespace` */
const codes = (namespace: string, path: string, separator?: string): AuditValue =>
  separator ? { codes: `${namespace}:${path}`, separator } : { codes: `${namespace}:${path}` };
const record = (type: string): AuditValue => ({ record: type });
const reference = (type: string): AuditValue => ({ reference: type });
const object = (fields: Record<string, AuditValue>, more: { labels?: string; written?: AuditValue } = {}): AuditValue => ({
  object: fields,
  ...more,
});
const words = (...wordings: Wording[]): AuditValue => ({ words: wordings });
const labelled = (label: string, value: AuditValue): AuditField => ({ value, label });

/** `asset:AST-0001 Name`: the kind's label, then the rest */
const typed = (kinds: AuditValue, rest: AuditValue = 'text'): AuditValue =>
  words({ pattern: '^(?<type>[a-z_]+):(?<rest>.*)$', label: 'value.typed', parts: { type: kinds, rest } });
/** a record's id (UUID), as entries written before a module wrote references carry it */
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** what a task is for: the keys the modules name their tasks' purposes with, labelled `audit:code.taskPurpose.<key>` */
const taskPurposes = [
  'acknowledge',
  'action',
  'analyse',
  'approve',
  'assess',
  'awareness',
  'cadence-escalation',
  'cadence',
  'change',
  'decide',
  'decision',
  'dispose',
  'effectiveness',
  'implement',
  'notify',
  'reassess',
  'rereview',
  'review',
  'revise',
  'treat',
  'triage',
];
const taskPurpose = codes('audit', 'code.taskPurpose');
/**
 * What completed or cancelled a task (its completion note), as Praxis wrote it: the server's English text of each note key
 * (server/src/i18n/en/<namespace>.json, held to it by audit-vocabulary.test.ts). An entry stores the English sentence; a
 * history view reads it back by its pattern and words it with `audit:value.note.<name>` in the reader's language. Notes
 * that word a code or a date in English (a treatment option, a new retention date) are read by `codedNotes` below.
 */
export const noteSentences: readonly (readonly [key: string, english: string])[] = [
  ['tasks:note.doneByHand', 'Marked done by {{name}}'],
  ['tasks:note.cancelledByHand', 'Cancelled by {{name}}'],
  ['tasks:note.incidentTriaged', '{{incidentRef}} was triaged by {{name}}'],
  ['tasks:note.incidentClosed', '{{incidentRef}} was closed'],
  ['tasks:note.notificationNotOwed', '{{incidentRef}} no longer owes this notification after its triage'],
  ['tasks:note.versionSubmitted', '{{documentRef}} v{{versionNo}} was sent for approval by {{name}}'],
  ['tasks:note.versionApproved', '{{documentRef}} v{{versionNo}} was approved by {{name}}'],
  ['tasks:note.versionFullyApproved', '{{documentRef}} v{{versionNo}} has every approval it needs'],
  ['tasks:note.versionRejected', '{{documentRef}} v{{versionNo}} was rejected by {{name}}'],
  ['tasks:note.versionBackToDraft', '{{documentRef}} v{{versionNo}} went back to draft: rejected by {{name}}'],
  ['tasks:note.versionWithdrawn', '{{documentRef}} v{{versionNo}} was withdrawn by {{name}}'],
  ['tasks:note.versionPublished', '{{documentRef}} v{{versionNo}} was published by {{name}}'],
  ['tasks:note.versionSuperseded', '{{documentRef}} v{{versionNo}} replaced this version'],
  ['tasks:note.versionAcknowledged', '{{documentRef}} v{{versionNo}} was acknowledged by {{name}}'],
  ['tasks:note.documentRetired', '{{documentRef}} was retired'],
  ['tasks:note.documentNotRevisable', '{{documentRef}} can no longer be revised'],
  ['tasks:note.reviewConfirmed', 'The review of {{documentRef}} was confirmed by {{name}}'],
  ['tasks:note.soaApproved', '{{soaRef}} version {{number}} was approved by {{name}}'],
  ['tasks:note.soaBackToDraft', '{{soaRef}} went back to draft (changed by {{name}})'],
  ['tasks:note.riskWithinCriteria', '{{riskRef}} was re-evaluated as {{levelLabel}}, within the acceptance criteria'],
  ['tasks:note.riskClosed', '{{riskRef}} was closed by {{name}}'],
  ['tasks:note.riskDeleted', '{{riskRef}} was deleted by {{name}}'],
  ['tasks:note.riskAssessed', '{{riskRef}} was assessed by {{name}}'],
  ['tasks:note.risksReassessed', 'Every risk of {{assetRef}} was re-assessed'],
  ['tasks:note.assetProtectionLowered', 'The protection need of {{assetRef}} is no longer very high'],
  ['tasks:note.assetGone', '{{assetRef}} was deleted'],
  ['tasks:note.acceptanceEnded', '{{acceptanceRef}} of {{riskRef}} ended: {{reason}}'],
  ['tasks:note.effective', 'The corrective actions for {{ncRef}} were found effective by {{name}}'],
  ['tasks:note.notEffective', 'The corrective actions for {{ncRef}} were found not effective by {{name}}'],
  ['tasks:note.correctiveActionPlanned', 'A corrective action was planned for {{ncRef}} by {{name}}'],
  ['tasks:note.changeSubmitted', '{{changeRef}} was sent to its approvers by {{name}}'],
  ['tasks:note.changeApproved', '{{changeRef}} was approved by {{name}}'],
  ['tasks:note.changeRejected', '{{changeRef}} was rejected by {{name}}'],
  ['tasks:note.recordDisposed', '{{recordRef}} was disposed of by {{name}}'],
  ['tasks:note.legalHold', '{{recordRef}} was put on legal hold by {{name}}: {{reason}}'],
  ['tasks:note.planActionDone', 'Marked done in the treatment plan by {{name}}'],
  ['tasks:note.planActionDropped', 'Taken out of the treatment plan by {{name}}'],
  ['tasks:note.controlImplemented', '{{controlRef}} was implemented ({{name}})'],
  ['tasks:note.controlDeleted', '{{controlRef}} was deleted by {{name}}'],
  ['cadences:note.occurrenceDone', '{{taskRef}} was completed'],
  ['cadences:note.occurrenceCancelled', '{{taskRef}} was cancelled'],
  ['cadences:note.recordGone', '{{recordRef}} no longer has this review date (closed, deleted or unscheduled)'],
  ['reviews:note.reviewHeld', 'The management review {{reviewRef}} was held'],
  ['measures:note.analysedNoAction', '{{measureRef}} was analysed by {{name}}: no action'],
];
/** a part of a note: a reference (`INC-0004`) is one word, a version or number digits, anything else as short as it may be */
const notePart = (name: string) => (/Ref$/.test(name) ? '\\S+' : name === 'versionNo' || name === 'number' ? '\\d+' : '[\\s\\S]+?');
/** the wording of a note: its English text as a pattern, each parameter a named group */
const noteWording = ([key, english]: readonly [string, string], parts?: Record<string, AuditValue>): Wording => ({
  pattern: `^${english
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\\{\\\{(\w+)\\\}\\\}/g, (_, name: string) => `(?<${name}>${notePart(name)})`)}$`,
  label: `value.note.${key.slice(key.indexOf('.') + 1)}`,
  ...(parts && { parts }),
});
/** a risk level named by its label in an English sentence: a built-in level's label in the reader's language, another as written */
const levelLabel = codes('audit', 'code.levelLabel');
/** a day as English words it in a note (`Mar 1, 2026`): its month, day and year, each a named group */
const englishDay = '(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?<day>\\d{1,2}), (?<year>\\d{4})';
const englishDayParts: Record<string, AuditValue> = { month: codes('audit', 'code.month'), day: 'number', year: 'text' };
/** the notification regimes' English labels, as the server's catalog words them (tasks:regime) */
const regimeLabels: readonly (readonly [regime: string, english: string])[] = [
  ['gdpr_art33', 'GDPR Art. 33 notification to the supervisory authority (72 hours)'],
  ['nis2_early_warning', 'NIS2 Art. 23 early warning (24 hours)'],
  ['nis2_notification', 'NIS2 Art. 23 incident notification (72 hours)'],
  ['nis2_final_report', 'NIS2 Art. 23 final report (one month after the notification)'],
];
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Notes whose English words a code or a date (a treatment option, an opportunity's status, a notification regime, a
 * measure's analysis outcome, a moved review date, a new retention end): read back to the code or the day's parts and
 * worded with `audit:value.codedNote.<name>` in the reader's language.
 */
const codedNotes: readonly Wording[] = [
  {
    pattern: '^(?<treatmentRef>\\S+) was decided by (?<name>[\\s\\S]+?): (?<option>modify|retain|avoid|share) the risk$',
    label: 'value.codedNote.treatmentDecided',
    parts: { option: codes('audit', 'code.noteOption') },
  },
  {
    pattern: '^(?<ref>\\S+) is (?<status>proposed|planned|implemented|rejected) \\((?<name>[\\s\\S]+)\\)$',
    label: 'value.codedNote.opportunityDecided',
    parts: { status: codes('audit', 'code.noteOpportunityStatus') },
  },
  ...regimeLabels.map(([regime, english]) => ({
    pattern: `^(?<incidentRef>\\S+): ${literal(english)} recorded as sent to (?<recipient>[\\s\\S]+?) by (?<name>[\\s\\S]+)$`,
    label: `value.codedNote.notificationRecorded.${regime}`,
  })),
  { pattern: `^The review date moved to ${englishDay}$`, label: 'value.codedNote.reviewMoved', parts: englishDayParts },
  {
    pattern: `^The retention of (?<recordRef>\\S+) now ends on ${englishDay} \\((?<name>[\\s\\S]+)\\)$`,
    label: 'value.codedNote.retentionExtended',
    parts: englishDayParts,
  },
  {
    pattern: '^(?<measureRef>\\S+) was analysed by (?<name>[\\s\\S]+?): a nonconformity was raised$',
    label: 'value.codedNote.analysedNonconformity',
  },
  {
    pattern: '^(?<measureRef>\\S+) was analysed by (?<name>[\\s\\S]+?): an opportunity for improvement was raised$',
    label: 'value.codedNote.analysedOpportunity',
  },
];
/**
 * Why an acceptance ended, when Praxis ended it: a code (`renewed:ACC-0002`, `raised:RSK-0001:high`, `expired:2026-05-01`),
 * or, in entries and notes written before, its English sentence; a reason someone gave reads as written.
 */
const acceptanceEndReason = words(
  { pattern: '^renewed:(?<ref>\\S+)$', label: 'value.endReason.renewed' },
  { pattern: '^raised:(?<riskRef>[^:]+):(?<level>[^:]+)$', label: 'value.endReason.raised', parts: { level: 'riskLevel' } },
  { pattern: '^expired:(?<day>\\d{4}-\\d{2}-\\d{2})$', label: 'value.endReason.expired', parts: { day: 'day' } },
  { pattern: '^renewed by (?<ref>\\S+)$', label: 'value.endReason.renewed' },
  {
    pattern: '^(?<riskRef>\\S+) was re-evaluated at a higher level \\((?<level>[\\s\\S]+)\\)$',
    label: 'value.endReason.raised',
    parts: { level: levelLabel },
  },
  { pattern: '^expired on (?<day>\\d{4}-\\d{2}-\\d{2})$', label: 'value.endReason.expired', parts: { day: 'day' } },
  { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
);
/**
 * Why a risk's status moved: a code the risk treatment writes (risk-treatment-rules.ts `riskReasons`), or, in entries
 * written before, its English sentence; any other reason reads as written.
 */
const riskStatusReason = words(
  { pattern: '^accepted:(?<ref>\\S+)$', label: 'value.riskReason.accepted' },
  { pattern: '^revoked:(?<ref>[^:]+):(?<reason>[\\s\\S]*)$', label: 'value.riskReason.revoked' },
  { pattern: '^raised:(?<level>[^:]+):(?<refs>[\\s\\S]+)$', label: 'value.riskReason.raised', parts: { level: 'riskLevel' } },
  {
    pattern: '^expired:(?<ref>[^:]+):(?<day>\\d{4}-\\d{2}-\\d{2})$',
    label: 'value.riskReason.expired',
    parts: { day: 'day' },
  },
  {
    pattern: '^decided:(?<ref>[^:]+):(?<option>[a-z_]+)$',
    label: 'value.riskReason.decided',
    parts: { option: codes('risks', 'treatmentOption') },
  },
  { pattern: '^reopened:(?<ref>\\S+)$', label: 'value.riskReason.reopened' },
  { pattern: '^(?<ref>\\S+) took effect$', label: 'value.riskReason.accepted' },
  { pattern: '^(?<ref>\\S+) was revoked: (?<reason>[\\s\\S]*)$', label: 'value.riskReason.revoked' },
  {
    pattern: '^re-evaluated at a higher level \\((?<level>[\\s\\S]+)\\), which ended (?<refs>[\\s\\S]+)$',
    label: 'value.riskReason.raised',
    parts: { level: levelLabel },
  },
  {
    pattern: '^(?<ref>\\S+) expired on (?<day>\\d{4}-\\d{2}-\\d{2})$',
    label: 'value.riskReason.expired',
    parts: { day: 'day' },
  },
  {
    pattern: '^(?<ref>\\S+) was decided: (?<option>[a-z_]+)$',
    label: 'value.riskReason.decided',
    parts: { option: codes('risks', 'treatmentOption') },
  },
  { pattern: '^(?<ref>\\S+) was reopened: its decision changed$', label: 'value.riskReason.reopened' },
  { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
);
/** how long a disposed record was kept, as records control wrote it ("retention 24 months from 2023-01-01, ended 2025-01-01") */
const retentionRule = '^retention (?<count>\\d+) months from (?<from>\\d{4}-\\d{2}-\\d{2}), ended (?<to>\\d{4}-\\d{2}-\\d{2})';
const retentionParts: Record<string, AuditValue> = { count: 'number', from: 'day', to: 'day' };
/** the same as a code: `<months>:<from>:<to>` */
const retentionCode = '(?<count>\\d+):(?<from>\\d{4}-\\d{2}-\\d{2}):(?<to>\\d{4}-\\d{2}-\\d{2})';
/** a completion note: its words in the reader's language, a note no wording reads (a typed one, an older form) as written */
const completionNote = (extra: Record<string, Record<string, AuditValue>> = {}): AuditValue =>
  words(...noteSentences.map((n) => noteWording(n, extra[n[0]])), ...codedNotes, {
    pattern: '^(?<text>[\\s\\S]*)$',
    label: 'value.asWritten',
  });
/**
 * The notes Praxis writes as key and parameters (`{ key, params }`, as a task stores its completion note), each worded
 * by the same label as its English sentence (`value.note.<name>`), a note that names a code or a day by its own label,
 * its parameters by their kind.
 */
const noteTextWordings: Record<string, TextWording> = {
  ...Object.fromEntries(noteSentences.map(([key]) => [key, { label: `value.note.${key.slice(key.indexOf('.') + 1)}` }])),
  'tasks:note.riskWithinCriteria': { label: 'value.note.riskWithinCriteria', parts: { levelLabel } },
  'tasks:note.treatmentDecided': { label: 'value.codedNote.treatmentDecided', parts: { option: codes('audit', 'code.noteOption') } },
  'tasks:note.opportunityDecided': {
    label: 'value.codedNote.opportunityDecided',
    parts: { status: codes('audit', 'code.noteOpportunityStatus') },
  },
  'tasks:note.notificationRecorded': { label: 'value.textNote.notificationRecorded', parts: { regime: codes('audit', 'code.regime') } },
  'cadences:note.reviewMoved': { label: 'value.textNote.reviewMoved', parts: { dueOn: 'day' } },
  'tasks:note.retentionExtended': { label: 'value.textNote.retentionExtended', parts: { endsOn: 'day' } },
  'measures:note.analysed.nonconformity': { label: 'value.codedNote.analysedNonconformity' },
  'measures:note.analysed.opportunity': { label: 'value.codedNote.analysedOpportunity' },
};
/** why Praxis ended an acceptance (`tasks:acceptanceEnd.<name>`), or another text of its own inside a note */
const reasonTexts: AuditValue = {
  texts: {
    'tasks:acceptanceEnd.renewed': { label: 'value.acceptanceEnd.renewed' },
    'tasks:acceptanceEnd.raised': { label: 'value.acceptanceEnd.raised', parts: { levelLabel } },
    'tasks:acceptanceEnd.expired': { label: 'value.acceptanceEnd.expired', parts: { expiresOn: 'day' } },
    ...noteTextWordings,
  },
};
/**
 * A completion note as entries write it now, its key and parameters (a text of its own inside it too: why an acceptance
 * ended); an entry written before holds the English sentence, read by its pattern (`completionNote`).
 */
const completionNoteTexts = (written: AuditValue): AuditValue => ({
  texts: {
    ...noteTextWordings,
    'tasks:note.acceptanceEnded': { label: 'value.note.acceptanceEnded', parts: { reason: reasonTexts } },
  },
  written,
});
/** a treatment's action as entries wrote it before its fields: `title [status] owner due YYYY-MM-DD` (owner and day if set) */
const treatmentActionWritten = words(
  ...(
    [
      ['ownerDue', ' (?<owner>[\\s\\S]+) due (?<dueOn>\\d{4}-\\d{2}-\\d{2})'],
      ['due', ' due (?<dueOn>\\d{4}-\\d{2}-\\d{2})'],
      ['owner', ' (?<owner>[\\s\\S]+)'],
      ['plain', ''],
    ] as const
  ).map(([form, rest]) => ({
    pattern: `^(?<title>[\\s\\S]*) \\[(?<status>open|in_progress|done|cancelled)\\]${rest}$`,
    label: `value.treatmentAction.${form}`,
    parts: { status: codes('common', 'status'), dueOn: 'day' } as Record<string, AuditValue>,
  })),
  { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
);
/** the sections of a management review's inputs (ISO 27001 9.3.2), as management-review.schemas.ts names them */
const reviewInputSections = [
  'actions',
  'issues',
  'interestedParties',
  'performance',
  'feedback',
  'risks',
  'opportunities',
  'resources',
  'incidents',
];
/** a stored notification to an authority */
const notification = object({ sentAt: 'instant', recipient: 'text', late: 'yesNo' });
/** likelihood, impact and level of a risk */
const score = object({ likelihood: 'number', impact: 'number', level: 'riskLevel' });
const scale = object({ value: 'number', label: 'text', description: 'text' });

export const auditRecordTypes = {
  api_token: {
    scoped: false,
    actions: ['create', 'revoke'],
    fields: { name: 'text', prefix: 'text', revokedAt: 'instant' },
  },
  asset: {
    actions: ['create', 'update', 'delete'],
    fields: {
      name: 'text',
      type: codes('common', 'assetType'),
      ownerId: 'person',
      description: 'text',
      lifecycleStatus: codes('common', 'lifecycle'),
      confidentiality: codes('common', 'protection'),
      integrity: codes('common', 'protection'),
      availability: codes('common', 'protection'),
      tags: 'text',
      dependsOn: 'text',
    },
  },
  audit_pack: {
    actions: ['export'],
    fields: { files: 'number', manifestSha256: 'text' },
  },
  cadence: {
    actions: ['create', 'update'],
    fields: { rule: 'recurrence', mode: codes('cadences', 'form.modes'), startsOn: 'day', leadDays: 'number' },
  },
  cadence_occurrence: {
    actions: ['create', 'update'],
    fields: {
      source: codes('audit', 'code.cadenceSource'),
      occursOn: 'day',
      nextReviewOn: 'day',
      state: codes('common', 'status'),
      task: 'text',
      tasks: 'text',
      escalationLevel: 'number',
      // the people told, by name (by id when Praxis could not find the name); older entries as written
      escalatedTo: words(
        { pattern: `^(?<text>${uuid})$`, label: 'value.asWritten', parts: { text: 'person' } },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
    },
  },
  catalog: {
    scoped: false,
    actions: ['import', 'delete'],
    fields: { title: 'text', version: 'text', controls: 'number', enhancements: 'number', withdrawn: 'number' },
  },
  change_request: {
    actions: ['create', 'update'],
    fields: {
      title: 'text',
      description: 'text',
      reason: 'text',
      status: codes('changes', 'status'),
      source: labelled('origin', codes('changes', 'source')),
      ownerId: 'person',
      plannedOn: 'day',
      targets: typed(codes('changes', 'targetType')),
      changeRisk: codes('changes', 'detail.risk'),
      consequences: 'text',
      approvals: words({
        pattern: '^(?<name>.*):(?<decision>approve|reject|pending)$',
        label: 'value.approval',
        parts: { decision: codes('audit', 'code.approvalDecision') },
      }),
      decisionReason: 'text',
      verification: 'text',
    },
  },
  competence: {
    actions: ['create', 'update'],
    fields: { name: 'text', description: 'text', validityMonths: 'number' },
  },
  control: {
    actions: ['create', 'update', 'delete'],
    fields: {
      title: 'text',
      description: 'text',
      status: codes('controls', 'status'),
      effectiveness: codes('controls', 'effectiveness'),
      ownerId: 'person',
      dueOn: 'day',
      implementedOn: 'day',
      nextReviewOn: 'day',
      nextVerificationOn: 'day',
      costEstimate: 'number',
      requirements: 'text',
      risks: 'text',
    },
  },
  controlled_record: {
    actions: ['create', 'update', 'dispose'],
    fields: {
      title: 'text',
      description: 'text',
      classification: codes('records', 'classification'),
      status: codes('audit', 'code.recordStatus'),
      storage: codes('audit', 'code.recordStorage'),
      location: 'text',
      ownerId: 'person',
      processKey: 'process',
      retentionMonths: 'number',
      retentionStartOn: 'day',
      legalHold: 'yesNo',
      legalHoldReason: 'text',
      // `document:POL-0002`: the linked record's type and reference; entries before it carry its id (`document:<id>`)
      linkedRecord: words(
        {
          pattern: `^(?<type>[a-z_]+):(?<rest>${uuid})$`,
          label: 'value.typed',
          parts: { type: codes('audit', 'recordType'), rest: 'internal' },
        },
        { pattern: '^(?<type>[a-z_]+):(?<rest>.*)$', label: 'value.typed', parts: { type: codes('audit', 'recordType') } },
      ),
      // what was disposed of with the record: a code (`document-disposed:POL-0002:3`, `kept:risk_treatment`), in
      // entries written before its English ("document POL-0002: content of 3 version(s) disposed of", "risk treatment
      // kept: its content is managed by its own process": the type in words, read as its code), or as written
      linkedContent: words(
        {
          pattern: '^document-disposed:(?<ref>[^:]+):(?<count>\\d+)$',
          label: 'value.documentContentDisposed',
          parts: { count: 'number' },
        },
        { pattern: '^kept:(?<type>[a-z_]+)$', label: 'value.linkedContentKept', parts: { type: codes('audit', 'recordType') } },
        {
          pattern: '^(?<type>[a-z]+(?: [a-z_]+)?) kept: its content is managed by its own process$',
          label: 'value.linkedContentKept',
          parts: { type: codes('audit', 'recordType') },
        },
        {
          pattern: '^document (?<ref>\\S+): content of (?<count>\\d+) version\\(s\\) disposed of$',
          label: 'value.documentContentDisposed',
          parts: { count: 'number' },
        },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
      // the retention rule it was disposed of by: a code (`retention:24:2023-01-01:2025-01-01`), in entries written
      // before its English ("retention 24 months from 2023-01-01, ended 2025-01-01")
      rule: words(
        { pattern: `^retention:${retentionCode}$`, label: 'value.retentionRule', parts: retentionParts },
        { pattern: `${retentionRule}$`, label: 'value.retentionRule', parts: retentionParts },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
      disposedAt: 'instant',
      // "Name <email>"
      disposedBy: 'text',
    },
  },
  document: {
    actions: ['create', 'update', 'review', 'retire', 'dispose'],
    fields: {
      type: codes('policies', 'type'),
      title: 'text',
      description: 'text',
      ownerId: 'person',
      classification: codes('policies', 'classification'),
      status: codes('policies', 'documentStatus'),
      audience: words(
        { pattern: '^everyone$', label: 'value.audience.everyone' },
        { pattern: '^people:(?<count>\\d+)$', label: 'value.audience.people', parts: { count: 'number' } },
        { pattern: '^roles:(?<roles>.*)$', label: 'value.audience.roles', parts: { roles: codes('common', 'role', ',') } },
      ),
      reviewCadenceMonths: 'number',
      retention: words(
        { pattern: '^(?<count>\\d+) months$', label: 'value.months', parts: { count: 'number' } },
        { pattern: '^(?<count>\\d+) years$', label: 'value.years', parts: { count: 'number' } },
      ),
      requiredApprovals: 'number',
      approvers: 'text',
      ackDueDays: 'number',
      currentVersion: 'number',
      nextReviewOn: 'day',
      reviewedVersion: 'number',
      reviewComment: 'text',
      reason: 'text',
      retiredAt: 'instant',
      retentionEndedOn: 'day',
      versions: 'number',
      files: 'number',
      tombstone: 'text',
      // the rule it was disposed of by: a code (`records-control:REC-0001:retention:24:2023-01-01:2025-01-01`), in
      // entries written before its English ("records control REC-0001: retention 24 months from 2023-01-01, ended
      // 2025-01-01 (REC-0001)")
      rule: words(
        {
          pattern: `^records-control:(?<ref>[^:]+):retention:${retentionCode}$`,
          label: 'value.disposalRule',
          parts: retentionParts,
        },
        {
          pattern: `^records control (?<ref>\\S+): ${retentionRule.slice(1)} \\((?<id>[^)]*)\\)$`,
          label: 'value.disposalRule',
          parts: { ...retentionParts, id: 'internal' },
        },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
    },
  },
  document_version: {
    actions: ['update', 'submit', 'approve', 'reject', 'publish', 'supersede', 'retire', 'withdraw', 'revise', 'acknowledge'],
    fields: {
      versionNo: 'number',
      status: codes('policies', 'versionStatus'),
      changeSummary: 'text',
      materialChange: 'yesNo',
      content: words({ pattern: '^(?<count>\\d+) characters$', label: 'value.characters', parts: { count: 'number' } }),
      file: words({
        pattern: '^(?<name>.*) \\((?<type>[^,]*), (?<count>\\d+) bytes\\)$',
        label: 'value.file',
        parts: { count: 'number' },
      }),
      comment: 'text',
      approvals: words({
        pattern: '^(?<given>\\d+) of (?<needed>\\d+)$',
        label: 'value.approvalsOf',
        parts: { given: 'number', needed: 'number' },
      }),
      dueOn: 'day',
      assigned: 'number',
      toAcknowledge: 'number',
      carriedOver: 'number',
      // "Name <email>"
      acknowledgedBy: 'text',
      // the change request's reference (`CHG-0003`)
      changeRequest: reference('change_request'),
      // entries written before the reference: the change request's id
      changeRequestId: record('change_request'),
      // a version's own columns, written as they are stored
      author_id: 'person',
      review_round: 'number',
      submitted_at: 'instant',
      approved_at: 'instant',
      published_at: 'instant',
      published_by: 'person',
      file_id: 'internal',
      file_name: 'text',
      file_media_type: 'text',
      file_size: 'number',
    },
  },
  evidence: {
    actions: ['create', 'update', 'attach', 'detach', 'delete'],
    fields: {
      title: 'text',
      description: 'text',
      kind: codes('audit', 'code.evidenceKind'),
      fileName: 'text',
      sha256: 'text',
      url: 'text',
      evidenceDate: 'day',
      validUntil: 'day',
      controls: 'text',
    },
  },
  improvement_opportunity: {
    actions: ['create', 'update'],
    fields: {
      title: 'text',
      description: 'text',
      benefit: 'text',
      status: codes('improvement', 'opportunityStatus'),
      ownerId: 'person',
    },
  },
  incident: {
    actions: ['create', 'update', 'note', 'corrective-measure', 'notification-sent'],
    fields: {
      title: 'text',
      kind: codes('audit', 'code.incidentKind'),
      status: codes('incidents', 'status'),
      category: codes('incidents', 'category'),
      severity: codes('incidents', 'severity'),
      personalData: 'yesNo',
      nis2Significant: 'yesNo',
      awareAt: 'instant',
      noticedAt: 'instant',
      handlerId: 'person',
      assets: 'text',
      affected: 'text',
      lessonsLearned: 'text',
      // a note as typed, or a corrective measure: its code, a colon and the note
      timeline: words(
        {
          pattern: '^(?<measure>restore_from_backup|fail_over|recalculation|isolation|password_reset|other): (?<text>.*)$',
          label: 'value.measureNote',
          parts: { measure: codes('incidents', 'measure') },
        },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
      // a notification to an authority, named by its regime
      gdpr_art33: notification,
      nis2_early_warning: notification,
      nis2_notification: notification,
      nis2_final_report: notification,
    },
  },
  internal_audit: {
    actions: ['create', 'update', 'transition', 'record-result', 'add-finding'],
    fields: {
      title: 'text',
      source: labelled('auditSource', codes('audits', 'list.source')),
      externalParty: codes('audits', 'party'),
      externalOrganisation: 'text',
      status: codes('audits', 'status'),
      scope: 'text',
      plannedStart: 'day',
      plannedEnd: 'day',
      leadAuditor: 'text',
      team: 'text',
      independence: 'text',
      clauses: 'text',
      requirements: 'text',
      processes: 'process',
      notes: 'text',
      conclusion: 'text',
      clause: 'text',
      requirement: 'text',
      result: codes('audits', 'result'),
      sampledEvidence: 'number',
    },
  },
  isms_cycle: {
    // the cycle's number (`1`); entries written before it carry `cycle 1`
    recordRef: words({ pattern: '^(?:cycle )?(?<number>\\d+)$', label: 'value.cycleNumber', parts: { number: 'number' } }),
    actions: ['create', 'update'],
    fields: { number: 'number', startsOn: 'day', endsOn: 'day', closedAt: 'instant' },
  },
  job_role: {
    actions: ['create', 'update'],
    fields: { name: 'text', description: 'text', competences: 'text' },
  },
  management_review: {
    actions: ['create', 'update', 'transition', 'decide'],
    fields: {
      title: 'text',
      status: codes('reviews', 'status'),
      plannedOn: 'day',
      period: words({
        pattern: '^(?<from>\\d{4}-\\d{2}-\\d{2}) – (?<to>\\d{4}-\\d{2}-\\d{2})$',
        label: 'value.period',
        parts: { from: 'day', to: 'day' },
      }),
      chair: 'text',
      attendees: 'text',
      quorum: 'number',
      inputsHash: 'internal',
      // the commentary on each input (ISO 27001 9.3.2) by its section; entries written before hold it as a JSON text,
      // which reads the same
      commentary: object(Object.fromEntries(reviewInputSections.map((section) => [section, 'text'])), {
        labels: 'reviews:section',
        written: 'sentence',
      }),
      discussion: 'text',
      // each decision: its kind, its title and the record it created (`nonconformity:NC-0001`); entries written
      // before hold them as one English sentence ("Corrective action: … → NC-0001; …")
      decisions: object(
        { kind: codes('reviews', 'decision'), title: 'text', record: typed(codes('audit', 'recordType')) },
        { written: 'sentence' },
      ),
      minutesRecord: 'text',
    },
  },
  measure: {
    actions: ['create', 'update', 'measure', 'analyse'],
    fields: {
      name: 'text',
      status: codes('audit', 'code.measureStatus'),
      informationNeed: 'text',
      object: 'text',
      attribute: 'text',
      baseMeasures: 'text',
      derivedMeasure: 'text',
      formula: 'text',
      unit: 'text',
      direction: codes('measures', 'direction'),
      target: 'number',
      breachAt: 'number',
      collectionFrequency: codes('measures', 'frequency'),
      analysisFrequency: codes('measures', 'frequency'),
      definitionVersion: 'number',
      measuredById: 'person',
      analysedById: 'person',
      reportedById: 'person',
      // `process:<key>`, `control:CTL-0003` (a control by its reference; entries before it carry its id), `objective:<id>`
      links: words(
        { pattern: '^process:(?<key>.*)$', label: 'value.linkProcess', parts: { key: 'process' } },
        {
          pattern: `^(?<type>[a-z_]+):(?<rest>${uuid})$`,
          label: 'value.typed',
          parts: { type: codes('measures', 'linkType'), rest: 'internal' },
        },
        { pattern: '^(?<type>control):(?<rest>.*)$', label: 'value.typed', parts: { type: codes('measures', 'linkType') } },
        {
          pattern: '^(?<type>[a-z_]+):(?<rest>.*)$',
          label: 'value.typed',
          parts: { type: codes('measures', 'linkType'), rest: 'internal' },
        },
      ),
      measurement: object({
        value: 'number',
        status: codes('measures', 'status'),
        measuredAt: 'instant',
        definitionVersion: 'number',
        source: codes('measures', 'source'),
      }),
      // the measurement analysed by when it was taken and its value; entries before them carry its id (measurementId)
      analysis: object({
        measuredAt: 'instant',
        value: 'number',
        measurementId: 'internal',
        outcome: codes('measures', 'analysis.outcomes'),
        note: 'text',
      }),
    },
  },
  membership: {
    actions: ['create', 'update', 'delete'],
    fields: {
      userId: labelled('member', 'person'),
      role: codes('common', 'role'),
      // how single sign-on gave the membership: a code (`sso:group:isms-team`, `sso:default-role`,
      // `sso:provider-groups:Entra ID`), in entries written before its English ("single sign-on, group isms-team",
      // "Entra ID groups"), else as written
      source: labelled(
        'givenBy',
        words(
          { pattern: '^sso:group:(?<group>[\\s\\S]+)$', label: 'value.membershipSource.group' },
          { pattern: '^sso:(?<role>default-role)$', label: 'value.membershipSource.defaultRole' },
          { pattern: '^sso:provider-groups:(?<provider>[\\s\\S]+)$', label: 'value.membershipSource.providerGroups' },
          { pattern: '^single sign-on, group (?<group>[\\s\\S]+)$', label: 'value.membershipSource.group' },
          // a wording is read by its named groups: this one names the words it stands for
          { pattern: '^single sign-on, (?<role>default role)$', label: 'value.membershipSource.defaultRole' },
          { pattern: '^(?<provider>[\\s\\S]+) groups$', label: 'value.membershipSource.providerGroups' },
          { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
        ),
      ),
    },
  },
  nonconformity: {
    actions: ['create', 'update'],
    fields: {
      title: 'text',
      kind: codes('improvement', 'page.form'),
      description: 'text',
      requirement: 'text',
      severity: codes('improvement', 'severity'),
      source: labelled('origin', codes('improvement', 'source')),
      status: codes('improvement', 'status'),
      ownerId: 'person',
      immediateCorrection: 'text',
      rootCause: 'text',
      rootCauseNotDetermined: 'text',
      correctiveActions: 'text',
      effectivenessDueOn: 'day',
      // the outcome and the checker's note; entries written before hold "Effective: …" / "Not effective: …"
      effectivenessResult: object(
        { outcome: codes('audit', 'code.effectivenessOutcome'), note: 'text' },
        {
          written: words(
            { pattern: '^Effective: (?<note>[\\s\\S]*)$', label: 'value.effectiveness.effective' },
            { pattern: '^Not effective: (?<note>[\\s\\S]*)$', label: 'value.effectiveness.not_effective' },
            { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
          ),
        },
      ),
    },
  },
  person_competence: {
    actions: ['create', 'update'],
    fields: { userId: labelled('person', 'person'), competence: 'text', acquiredOn: 'day', expiresOn: 'day', evidence: 'text' },
  },
  person_profile: {
    actions: ['update'],
    fields: { department: 'text', jobRoles: 'text' },
  },
  process: {
    actions: ['update'],
    fields: { ownerId: 'person', cadence: codes('common', 'cadence'), nextReviewOn: 'day' },
  },
  risk: {
    actions: ['create', 'update', 'delete'],
    fields: {
      title: 'text',
      description: 'text',
      threat: 'text',
      vulnerability: 'text',
      ownerId: 'person',
      status: codes('risks', 'status'),
      assets: 'text',
      consequences: object({ confidentiality: 'yesNo', integrity: 'yesNo', availability: 'yesNo' }),
      inherent: score,
      current: score,
      target: score,
      methodVersion: 'number',
      nextReviewOn: 'day',
      // why the status changed, e.g. `accepted:ACC-0001` ("ACC-0001 took effect" in entries written before)
      reason: riskStatusReason,
    },
  },
  risk_acceptance: {
    actions: ['create', 'sign', 'revoke', 'expire', 'end'],
    fields: {
      status: codes('risks', 'acceptanceState'),
      basis: codes('risks', 'basis'),
      // the level accepted, by its key in the scope's risk method
      levelKey: labelled('level', 'riskLevel'),
      // entries written before the key: the level's label in the method, as it read then (a built-in one in the reader's language)
      level: levelLabel,
      methodVersion: 'number',
      requiredRoles: codes('risks', 'signatureRole'),
      justification: 'text',
      expiresOn: 'day',
      // `risk_owner: Name <email> 2026-03-01T09:00:00.000Z`: the role, the signer and when
      signatures: words(
        {
          pattern: '^(?<role>[a-z_]+): (?<name>[\\s\\S]*) <(?<email>[^>]*)> (?<at>\\S+)$',
          label: 'value.signature',
          parts: { role: codes('risks', 'signatureRole'), at: 'instant' },
        },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten' },
      ),
      endReason: acceptanceEndReason,
    },
  },
  risk_method: {
    actions: ['create', 'update'],
    fields: {
      version: 'number',
      profile: codes('common', 'profile'),
      likelihood: scale,
      impact: scale,
      levels: object({ key: 'text', label: 'text', colour: 'text', order: 'number' }),
      matrix: 'riskLevel',
      acceptance: object({ level: 'riskLevel', acceptedBy: codes('risks', 'acceptedBy') }),
    },
  },
  risk_treatment: {
    actions: ['create', 'update', 'decide'],
    fields: {
      risk: 'text',
      option: codes('risks', 'treatmentOption'),
      status: codes('risks', 'treatmentStatus'),
      rationale: 'text',
      objectives: 'text',
      controls: 'text',
      // each action: its title, status, owner and due day; entries written before hold "Action 1 [open] Erika due 2026-12-28"
      actions: object(
        { title: 'text', status: codes('common', 'status'), ownerId: 'person', dueOn: 'day' },
        { written: treatmentActionWritten },
      ),
      target: object({ likelihood: 'number', impact: 'number' }),
      decidedAt: 'instant',
    },
  },
  scope: {
    actions: ['create', 'update'],
    fields: { name: 'text', description: 'text', profile: codes('common', 'profile'), requireMfaForManagers: 'yesNo' },
  },
  soa: {
    actions: ['create', 'update', 'refresh', 'submit', 'approve'],
    fields: {
      title: 'text',
      catalog: 'text',
      status: codes('soa', 'status'),
      entries: 'number',
      applicable: 'number',
      undecided: 'number',
      entriesFromTreatments: 'number',
      draftNumber: 'number',
      approvedNumber: 'number',
    },
  },
  soa_entry: {
    actions: ['update'],
    fields: { applicable: 'yesNo', justification: 'text', decisionSource: codes('soa', 'decisionSource') },
  },
  task: {
    actions: ['create', 'update'],
    fields: {
      title: 'text',
      description: 'text',
      processKey: 'process',
      assigneeId: 'person',
      dueOn: 'day',
      status: codes('common', 'status'),
      origin: typed(codes('audit', 'recordType')),
      // what the task is for, as the module names it (`review`, `approve:<user id>`, `cadence:2026-03-01`); a purpose
      // this table does not name reads as kept by Praxis
      purpose: words(
        {
          pattern: `^(?<purpose>approve|decide|acknowledge):(?<person>${uuid})$`,
          label: 'value.purposeBy',
          parts: { purpose: taskPurpose, person: 'person' },
        },
        {
          pattern: '^(?<purpose>cadence):(?<day>\\d{4}-\\d{2}-\\d{2})$',
          label: 'value.purposeOn',
          parts: { purpose: taskPurpose, day: 'day' },
        },
        {
          pattern: '^(?<purpose>cadence-escalation):(?<count>\\d+):',
          label: 'value.purposeLevel',
          parts: { purpose: taskPurpose, count: 'number' },
        },
        { pattern: `^(?<text>${taskPurposes.join('|')})(?::.*)?$`, label: 'value.asWritten', parts: { text: taskPurpose } },
        { pattern: '^(?<text>[\\s\\S]*)$', label: 'value.asWritten', parts: { text: 'internal' } },
      ),
      // what completed or cancelled it: a note Praxis wrote in the reader's language, another as written
      completionNote: completionNoteTexts(
        completionNote({
          'tasks:note.acceptanceEnded': { reason: acceptanceEndReason },
          'tasks:note.riskWithinCriteria': { levelLabel },
        }),
      ),
    },
  },
  threat: {
    actions: ['create'],
    fields: { code: 'text', title: 'text', description: 'text', category: codes('risks', 'threatCategory') },
  },
  threat_warning: {
    actions: ['create'],
    fields: {
      title: 'text',
      description: 'text',
      source: 'text',
      receivedOn: 'day',
      severity: codes('risks', 'severity'),
      threat: 'text',
    },
  },
  training_assignment: {
    actions: ['complete', 'quiz-failed'],
    fields: {
      // the person's email
      user: labelled('person', 'text'),
      round: 'number',
      attempts: 'number',
      passed: 'yesNo',
      score: 'number',
      completedAt: 'instant',
    },
  },
  training_course: {
    actions: ['create', 'update', 'assign'],
    fields: {
      title: 'text',
      description: 'text',
      status: codes('audit', 'code.courseStatus'),
      dueDays: 'number',
      recurrenceMonths: 'number',
      // the competence's name and the material document's reference (`POL-0002`)
      grantsCompetence: reference('competence'),
      materialDocument: reference('document'),
      // entries written before the name and the reference: the ids
      grantsCompetenceId: record('competence'),
      materialDocumentId: record('document'),
      materialUrl: 'text',
      quiz: words({
        pattern: '^(?<count>\\d+) questions, pass mark (?<mark>\\d+) %$',
        label: 'value.quiz',
        parts: { count: 'number', mark: 'number' },
      }),
      targets: words(
        { pattern: '^scope_role:(?<role>.*)$', label: 'value.targetRole', parts: { role: codes('common', 'role') } },
        { pattern: '^(?<type>[a-z_]+):(?<rest>.*)$', label: 'value.typed', parts: { type: codes('training', 'targetType') } },
      ),
      assigned: 'number',
    },
  },
  user: {
    scoped: false,
    actions: [
      'create',
      'update',
      'login',
      'password-set',
      'accept-invitation',
      'resend-invitation',
      'link-identity',
      'mfa-totp-enrol',
      'mfa-totp-disable',
      'mfa-recovery-codes-issue',
      'mfa-recovery-code-use',
      'mfa-passkey-add',
      'mfa-passkey-rename',
      'mfa-passkey-remove',
      'mfa-reset',
    ],
    fields: {
      email: 'text',
      name: 'text',
      isAdmin: 'yesNo',
      status: codes('common', 'memberStatus'),
      language: 'language',
      invitationExpiresAt: 'instant',
      password: 'hidden',
      method: codes('common', 'mfaValue'),
      provedBy: codes('common', 'mfaValue'),
      totp: codes('common', 'mfaValue'),
      passkey: 'text',
      passkeys: 'number',
      recoveryCodes: words({ pattern: '^(?<count>\\d+) new$', label: 'value.newCodes', parts: { count: 'number' } }),
      recoveryCodesLeft: 'number',
      provider: 'text',
      issuer: 'text',
      subject: 'text',
      signIn: 'text',
    },
  },
} satisfies Record<string, AuditRecordType>;

export type AuditRecordTypeName = keyof typeof auditRecordTypes;

/** The declaration of a record type, or undefined for one Praxis no longer writes. */
export function auditRecordType(type: string): AuditRecordType | undefined {
  return Object.hasOwn(auditRecordTypes, type) ? (auditRecordTypes as Record<string, AuditRecordType>)[type] : undefined;
}

/** `published_at` → `publishedAt`: some records' entries name their columns. */
export const camelField = (field: string): string => field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The declaration of a field of a record type, or undefined. */
export function auditField(type: string, field: string): { value: AuditValue; label: string } | undefined {
  const declared = auditRecordType(type)?.fields;
  if (!declared || !Object.hasOwn(declared, field)) return undefined;
  const f = declared[field]!;
  return typeof f === 'object' && 'label' in f ? f : { value: f, label: camelField(field) };
}

/** Every action any record type declares. */
export const auditActions: readonly string[] = [...new Set(Object.values(auditRecordTypes).flatMap((t) => t.actions))];
