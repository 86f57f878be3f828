import { type HandoffReceiver, receive } from '../../engine/module.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';
import { isWorking } from './document-lifecycle.ts';
import * as repo from './document.repository.ts';
import { reviseDocumentTx } from './document.service.ts';

/** Days the owner has to revise a document after an approved change request targets it. */
export const REVISION_DAYS = 30;

/**
 * What policy management receives: approved ISMS changes that target a document (ISO 27001 6.3, 7.5.3 c) open its
 * revision — a new draft version while the published one stays in force — and give the document owner a task.
 */
export const policyManagementHandoffs = (deps: Deps): HandoffReceiver[] => [
  receive('change-management', 'change.approved', async (tx, actor, e) => {
    for (const target of e.targets) {
      if (target.recordType !== 'document') continue;
      const doc = await repo.findDocument(tx, e.scopeId, target.recordId);
      if (!doc || (doc.status !== 'published' && doc.status !== 'draft')) continue;
      const versions = await repo.findVersions(tx, doc.id);
      let working = versions.find((v) => isWorking(v.status));
      if (!working && doc.status === 'published') {
        const row = await reviseDocumentTx(tx, deps, actor, doc, {
          changeSummary: `${e.changeRef}: ${e.title}`,
          materialChange: true,
          changeRequest: { id: e.changeId, reference: e.changeRef },
        });
        working = { ...row, author_name: null, author_email: null, publisher_name: null, publisher_email: null };
      }
      // one open revision per document: done when the revision goes for approval or is published
      await openWorkTx(tx, deps, actor, {
        scopeId: e.scopeId,
        purpose: 'revise',
        title: { key: 'tasks:title.reviseDocument', params: { documentRef: doc.reference, title: doc.title, changeRef: e.changeRef } },
        description: {
          key: 'tasks:description.reviseDocument',
          params: { changeRef: e.changeRef, title: e.title, versionNo: working?.version_no ?? '' },
        },
        processKey: 'policy-management',
        assigneeId: doc.owner_id,
        dueOn: null,
        origin: { processKey: 'change-management', recordType: 'document', recordId: doc.id, recordRef: doc.reference },
        handoff: {
          from: 'change-management',
          to: 'policy-management',
          event: 'change.approved',
          source: { type: 'change_request', id: e.changeId, ref: e.changeRef },
        },
      });
    }
  }),
];
