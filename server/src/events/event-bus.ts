import type { Actor } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';

/**
 * Domain events that cross process boundaries (the hand-offs of the process model). They are delivered
 * synchronously inside the emitting transaction: the follow-up work exists if and only if the change does.
 */
export interface DomainEvents {
  'asset.protection-raised': {
    scopeId: string;
    assetId: string;
    assetRef: string;
    assetName: string;
    ownerId: string | null;
    raised: { criterion: 'confidentiality' | 'integrity' | 'availability'; from: string | null; to: string }[];
  };
  /** a new incident or weakness report, after it has been stored */
  'incident.reported': { scopeId: string; incidentId: string; incidentRef: string; title: string };
  /** a lesson learned from an incident that asks another process to act */
  'incident.lesson': {
    scopeId: string;
    incidentId: string;
    incidentRef: string;
    kind: 'risk' | 'nonconformity' | 'improvement' | 'change';
    title: string;
    description: string;
    correctiveAction?: { title: string; ownerId: string | null; dueOn: string | null } | undefined;
  };
  /** a corrective action or nonconformity that needs an ISMS change */
  'improvement.change-requested': {
    scopeId: string;
    nonconformityId: string;
    nonconformityRef: string;
    title: string;
    description: string;
  };
  /**
   * a risk was evaluated (ISO 27001 6.1.2 e, 8.2): its current level was set or changed by the scope's method.
   * `aboveCriteria`: the risk owner may not accept the level alone (management must accept it, or it must be treated).
   */
  'risk.evaluated': {
    scopeId: string;
    riskId: string;
    riskRef: string;
    title: string;
    ownerId: string | null;
    likelihood: number;
    impact: number;
    level: string;
    levelLabel: string;
    previousLevel: string | null;
    acceptableBy: 'risk_owner' | 'management' | null;
    aboveCriteria: boolean;
    wasAboveCriteria: boolean;
  };
  // -- events: catalogs, controls, evidence
  // -- events: risk treatment
  /**
   * a risk treatment was decided (ISO 27001 6.1.3, 8.3), or a decided plan gained actions: what is to be handed off —
   * selected controls to implement, plan actions, requests for change of ISMS documents or processes
   */
  'treatment.decided': {
    scopeId: string;
    treatmentId: string;
    treatmentRef: string;
    riskId: string;
    riskRef: string;
    riskTitle: string;
    riskOwnerId: string | null;
    objectives: string[];
    /** controls without an implementation task yet (positions: where the treatment lists them) */
    controls: { controlId: string; controlRef: string; title: string; ownerId: string | null; dueOn: string | null; positions: number[] }[];
    /** plan actions without a task yet */
    actions: { actionId: string; title: string; ownerId: string | null; dueOn: string | null }[];
    changeRequests: { title: string; description: string }[];
  };
  // -- events: statement of applicability
  /** a Statement of Applicability version was approved (ISO 27001 6.1.3 d): its entries are frozen as version `number` */
  'soa.approved': { scopeId: string; soaId: string; soaRef: string; number: number; catalogTitle: string };
  // -- events: policy management
  /** a document version was published and assigned to its audience for read-and-acknowledge (ISO 27001 7.3, 7.5.3) */
  'document.published': {
    scopeId: string;
    documentId: string;
    documentRef: string;
    title: string;
    versionId: string;
    versionNo: number;
    materialChange: boolean;
    assigned: number;
    dueOn: string;
  };
  /** emitted by change management when a change request is approved; its targets may be documents to revise */
  'change.approved': {
    scopeId: string;
    changeId: string;
    changeRef: string;
    title: string;
    targets: { recordType: string; recordId: string; label: string }[];
  };
  // -- events: records control
  /** documented information was disposed of at the end of its retention (ISO 27001 7.5.3 d); the tombstone is in the trail */
  'record.disposed': {
    scopeId: string;
    recordId: string;
    recordRef: string;
    title: string;
    linkedRecord: { recordType: string; recordId: string } | null;
    rule: string;
  };
  // -- events: internal audit
  /**
   * an audit recorded a nonconformity or an opportunity for improvement on a checklist row (ISO 27001 9.2.2, 10.2):
   * improvement records it, with the row linked, in the same transaction
   */
  'audit.finding-recorded': {
    scopeId: string;
    auditId: string;
    auditRef: string;
    itemId: string;
    /** the row as people name it, e.g. "IA-0002 #3" */
    itemRef: string;
    source: 'internal_audit' | 'external_audit' | 'supplier_audit';
    result: 'major_nonconformity' | 'minor_nonconformity' | 'opportunity';
    title: string;
    description: string;
    /** the clause or requirement audited, e.g. "ISO/IEC 27001 9.2 Internal audit" */
    requirement: string;
  };
  // -- events: competence and awareness
  /** a person completed a training (ISO 27001 7.3, A.6.3): without a quiz, or by passing it */
  'training.completed': {
    scopeId: string;
    assignmentId: string;
    courseId: string;
    courseRef: string;
    userId: string;
    round: number;
    score: number | null;
  };
  // -- events: performance evaluation
  /** the analysis of a measurement in breach raised a nonconformity or an opportunity for improvement (ISO 27001 9.1, 10) */
  'measure.finding-raised': {
    scopeId: string;
    measureId: string;
    measureRef: string;
    measurementId: string;
    kind: 'nonconformity' | 'opportunity';
    title: string;
    description: string;
    ownerId: string | null;
  };
  // -- events: management review
  /**
   * a management review decided a corrective action or an opportunity for improvement (ISO 27001 9.3.3, 10): improvement
   * records the nonconformity (with its first corrective action for the owner) or the opportunity, in the same transaction
   */
  'review.decided': {
    scopeId: string;
    reviewId: string;
    reviewRef: string;
    decisionId: string;
    /** the decision as people name it, e.g. "MR-0001 #2" */
    decisionRef: string;
    kind: 'corrective_action' | 'opportunity';
    title: string;
    description: string;
    ownerId: string;
    dueOn: string;
  };
}
export type EventName = keyof DomainEvents;

type Handler<E extends EventName> = (tx: Tx, actor: Actor | null, payload: DomainEvents[E]) => Promise<void>;

export class EventBus {
  readonly #handlers = new Map<EventName, Handler<EventName>[]>();

  on<E extends EventName>(event: E, handler: Handler<E>): void {
    const list = this.#handlers.get(event) ?? [];
    list.push(handler as unknown as Handler<EventName>);
    this.#handlers.set(event, list);
  }

  async emit<E extends EventName>(tx: Tx, actor: Actor | null, event: E, payload: DomainEvents[E]): Promise<void> {
    for (const handler of this.#handlers.get(event) ?? []) await handler(tx, actor, payload);
  }
}
