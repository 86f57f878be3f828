import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rolePermissions } from '../auth/role-permissions.ts';
import { scopeRoles as roles } from '../auth/roles.ts';
import '../processes/registry.ts';
import { notificationRegimes } from '../processes/incident-management/incident-rules.ts';
import { opportunityStatuses } from '../processes/improvement/improvement.schemas.ts';
import { treatmentOptions } from '../processes/risk-treatment/risk-treatment.schemas.ts';
import { notFound } from '../shared/errors.ts';
import { english, hasText, namespaces, pickLanguage, render, renderStored, storedParams, storedText, translate } from './i18n.ts';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('server texts', () => {
  it('every key the server uses exists in the English catalog', () => {
    const keyPattern = new RegExp(`['"\`]((?:${namespaces.join('|')}):[A-Za-z0-9_.]+)['"\`]`, 'g');
    const used = new Map<string, string>();
    for (const file of sourceFiles(root)) {
      // the audit vocabulary names labels of the web catalogs (`reviews:section`), which audit-vocabulary.test.ts checks
      if (file.endsWith('audit-vocabulary.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(keyPattern)) used.set(m[1]!, file.slice(root.length + 1));
    }
    expect(used.size).toBeGreaterThan(20);
    // a permission (`improvement:write`) looks like a key of a namespace of the same name; managers hold every one
    const permissions: ReadonlySet<string> = rolePermissions.manager;
    expect(permissions.has('improvement:write')).toBe(true);
    const missing = [...used].filter(([key]) => !hasText(key) && !permissions.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('every error text the server names (errorText(key)) exists in the errors catalog', () => {
    const used = new Map<string, string>();
    for (const file of sourceFiles(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\berrorText\(\s*'([A-Za-z0-9_.]+)'/g)) {
        used.set(`errors:${m[1]!}`, file.slice(root.length + 1));
      }
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter(([key]) => !hasText(key)).map(([key, file]) => `${key} (${file})`)).toEqual([]);
    expect(roles.filter((r) => !hasText(`errors:role.${r}`))).toEqual([]);
  });

  it('every thing the server names in notFound(…) has its words in the errors catalog', () => {
    const named = new Map<string, string>();
    for (const file of sourceFiles(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bnotFound\('([^']+)'\)/g)) named.set(m[1]!, file.slice(root.length + 1));
    }
    expect(named.size).toBeGreaterThan(20);
    // a thing without its words would still be answered, but in English only: add it to `thing` in en/errors.json
    const unnamed = [...named].filter(([what]) => notFound(what).text?.key !== 'errors:thingNotFound');
    expect(unnamed.map(([what, file]) => `${what} (${file})`)).toEqual([]);
    for (const what of named.keys()) expect(notFound(what).message).toBe(`${what} not found`);
  });

  it('the codes that texts name through nesting have their words', () => {
    const codes = [
      ...notificationRegimes.map((r) => `tasks:regime.${r}`),
      ...treatmentOptions.map((o) => `tasks:option.${o}`),
      ...opportunityStatuses.map((s) => `tasks:opportunityStatus.${s}`),
    ];
    expect(codes.filter((k) => !hasText(k))).toEqual([]);
  });

  it('renders keys with parameters, dates as words, and falls back to English', () => {
    expect(translate('en', 'tasks:title.triage', { incidentRef: 'INC-0001', title: 'Laptop <stolen>' })).toBe(
      'Triage INC-0001: Laptop <stolen>',
    );
    expect(translate('en', 'tasks:title.reviewDocument', { documentRef: 'POL-0001', title: 'Policy', dueOn: '2026-04-01' })).toBe(
      'Review POL-0001 Policy by Apr 1, 2026',
    );
    expect(
      translate('fr-FR', 'tasks:title.notify', {
        incidentRef: 'INC-0002',
        regime: 'nis2_early_warning',
        dueAt: '2026-03-28T14:05:00.000Z',
      }),
    ).toBe('INC-0002: NIS2 Art. 23 early warning (24 hours) due Mar 28, 2026, 14:05 UTC');
    expect(pickLanguage('xx')).toBe('en');
  });

  it('words a parameter that is a text of its own in the same language, also when stored', () => {
    const reviewed = { key: 'tasks:note.riskAssessed', params: { riskRef: 'RSK-0001', name: 'Erika' } };
    const note = { key: 'tasks:note.acceptanceEnded', params: { acceptanceRef: 'ACC-0001', riskRef: 'RSK-0001', reason: reviewed } };
    expect(render('de', note)).toBe('ACC-0001 von RSK-0001 ist beendet: RSK-0001 wurde von Erika beurteilt');
    expect(english(note)).toBe('ACC-0001 of RSK-0001 ended: RSK-0001 was assessed by Erika');
    expect(renderStored('de', english(note), note.key, storedParams(note))).toBe(
      'ACC-0001 von RSK-0001 ist beendet: RSK-0001 wurde von Erika beurteilt',
    );
    // a stored title as a parameter: its key when a catalog has it, else its words as stored
    expect(storedText('Re-assess RSK-0001 Theft', 'cadences:title.riskReview', '{"riskRef":"RSK-0001","title":"Theft"}')).toEqual({
      key: 'cadences:title.riskReview',
      params: { riskRef: 'RSK-0001', title: 'Theft' },
    });
    expect(storedText('Firewall rules', null, null)).toBe('Firewall rules');
    expect(storedText('Old words', 'tasks:title.noSuchKey', '{}')).toBe('Old words');
  });
});
