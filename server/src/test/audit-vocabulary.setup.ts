import { afterAll } from 'vitest';
import { type WebCatalogs, entryProblems, loadWebCatalogs } from '../audit/audit-vocabulary.check.ts';
import { observeAuditAppends } from '../audit/audit.service.ts';

/**
 * Every test file (vitest.config.ts setupFiles): each audit entry a test makes Praxis write is checked against the audit
 * vocabulary (server/src/audit/audit-vocabulary.ts) and the web catalogs, so that a module that starts writing a field,
 * action or record type without declaring it and labelling it in every language fails its own tests. The history views
 * would otherwise show it as a humanised code ("Approved at" on a German page).
 */
const problems = new Set<string>();
let catalogs: WebCatalogs | undefined;

observeAuditAppends((entry) => {
  catalogs ??= loadWebCatalogs();
  for (const problem of entryProblems(entry, catalogs)) problems.add(problem);
});

afterAll(() => {
  if (problems.size === 0) return;
  const list = [...problems].sort();
  problems.clear();
  throw new Error(`Audit entries carry words a history view cannot show in every language:\n  ${list.join('\n  ')}`);
});
