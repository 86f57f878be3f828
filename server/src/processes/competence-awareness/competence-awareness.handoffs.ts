import { type HandoffReceiver, receive } from '../../engine/module.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';

/**
 * What competence and awareness receives: policy management → competence & awareness ("approved and published
 * policies"). A published version with a material change gives the awareness owner a task to bring the awareness
 * programme up to date by the acknowledgement due date (ISO 27001 7.3 a, A.6.3); people acknowledge the policy itself
 * through the read-and-acknowledge assignments that policy management makes.
 */
export const competenceAwarenessHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('policy-management', 'document.published', async (tx, actor, e) => {
    if (!e.materialChange) return;
    // one open awareness task per document: a later material version updates it
    await openWorkTx(tx, deps, actor, {
      scopeId: e.scopeId,
      purpose: 'awareness',
      title: { key: 'tasks:title.updateAwareness', params: { documentRef: e.documentRef, title: e.title, versionNo: e.versionNo } },
      description: {
        key: 'tasks:description.updateAwareness',
        params: { versionNo: e.versionNo, documentRef: e.documentRef, title: e.title, count: e.assigned },
      },
      processKey: 'competence-awareness',
      assigneeId: await findProcessOwner(tx, e.scopeId, 'competence-awareness'),
      dueOn: e.dueOn,
      origin: { processKey: 'policy-management', recordType: 'document', recordId: e.documentId, recordRef: e.documentRef },
      handoff: {
        from: 'policy-management',
        to: 'competence-awareness',
        event: 'document.published',
        source: { type: 'document_version', id: e.versionId, ref: `${e.documentRef} v${e.versionNo}` },
      },
    });
  }),
];
