import fs from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { type AuditRecord, appendAudit, observeAuditAppends } from './audit.service.ts';
import { entryProblems, hasLabel, languagesWithout, loadWebCatalogs } from './audit-vocabulary.check.ts';
import { type AuditRecordType, type AuditValue, auditActions, auditField, auditRecordTypes, noteSentences } from './audit-vocabulary.ts';
import { type AuditWords, showAuditValue } from '../../../web/src/features/audit/audit-words.ts';
import { webI18n } from '../test/web-i18n.ts';
import { inputSections } from '../processes/management-review/management-review.schemas.ts';
import { english, translate } from '../i18n/i18n.ts';

/*
 * Every word of the audit trail has a label in every language, so that no history view falls back to a humanised code
 * ("Approved at", "Submit" on a German page). Three nets, because an entry's words come from many places:
 * - server/src/test/audit-vocabulary.setup.ts checks each entry any test writes (the fields of the `auditable()`
 *   projections and diffs included, whatever builds them);
 * - this file checks that everything audit-vocabulary.ts declares is labelled in every language;
 * - and scans the server's code (a parser, not a regular expression) for the actions, record types and fields it
 *   writes, for the paths no test takes: string literals given as `action:` or `recordType:`, the keys of object
 *   literals given as `changes:` (also inside diffChanges(…)), the keys returned by any function called `…auditable…`,
 *   and the literals handed to a file's own audit helper (a function with an `action` or `changes` parameter that calls
 *   appendAudit or changeVersionedRecord). Changes built at run time are the setup file's to check.
 */
const catalogs = loadWebCatalogs();
const declared = auditRecordTypes as Record<string, AuditRecordType>;

/** Every value kind declared, with where. */
function kindsOf(where: string, kind: AuditValue, out: { where: string; kind: AuditValue }[] = []) {
  out.push({ where, kind });
  if (typeof kind === 'object' && 'object' in kind) for (const [k, v] of Object.entries(kind.object)) kindsOf(`${where}.${k}`, v, out);
  if (typeof kind === 'object' && 'words' in kind)
    for (const w of kind.words) for (const [p, v] of Object.entries(w.parts ?? {})) kindsOf(`${where}{${p}}`, v, out);
  if (typeof kind === 'object' && 'texts' in kind)
    for (const [key, w] of Object.entries(kind.texts))
      for (const [p, v] of Object.entries(w.parts ?? {})) kindsOf(`${where}<${key}>{${p}}`, v, out);
  if (typeof kind === 'object' && ('object' in kind || 'texts' in kind) && kind.written) kindsOf(`${where}(written)`, kind.written, out);
  return out;
}
const allKinds = Object.keys(declared).flatMap((type) =>
  Object.keys(declared[type]!.fields).flatMap((field) => kindsOf(`${type}.${field}`, auditField(type, field)!.value)),
);
const missing = (key: string, where = key) => {
  const langs = languagesWithout(catalogs, key);
  return langs.length ? [`${where}: ${key} in ${langs.join(', ')}`] : [];
};

describe('the audit vocabulary', () => {
  it('has catalogs in more than one language to check against', () => {
    expect([...catalogs.keys()].sort()).toEqual(expect.arrayContaining(['de', 'en']));
  });

  it("reads a review's commentary by the review's own input sections (the vocabulary keeps its copy free of zod for the web)", () => {
    const commentary = auditField('management_review', 'commentary')?.value;
    expect(commentary && typeof commentary === 'object' && 'object' in commentary ? Object.keys(commentary.object) : []).toEqual([
      ...inputSections,
    ]);
  });

  it('labels every record type, action and field it declares, in every language', () => {
    const problems = [
      ...Object.keys(declared).flatMap((type) => missing(`audit:recordType.${type}`)),
      ...auditActions.flatMap((action) => missing(`audit:action.${action}`)),
      ...Object.keys(declared).flatMap((type) =>
        Object.keys(declared[type]!.fields).flatMap((field) =>
          missing(`audit:field.${auditField(type, field)!.label}`, `${type}.${field}`),
        ),
      ),
      // the keys of an object value are fields too (or codes of the catalog it names)
      ...allKinds.flatMap(({ where, kind }) =>
        typeof kind === 'object' && 'object' in kind
          ? Object.keys(kind.object).flatMap((k) => missing(kind.labels ? `${kind.labels}.${k}` : `audit:field.${k}`, `${where}.${k}`))
          : [],
      ),
      // how an entry's reference reads
      ...Object.entries(declared).flatMap(([type, d]) =>
        d.recordRef && typeof d.recordRef === 'object' && 'words' in d.recordRef
          ? d.recordRef.words.flatMap((w) => missing(`audit:${w.label}`, `${type} reference`))
          : [],
      ),
    ];
    expect(problems).toEqual([]);
  });

  it('names labels of codes and wordings that exist in every language', () => {
    const problems = allKinds.flatMap(({ where, kind }) => {
      if (typeof kind !== 'object') return [];
      if ('codes' in kind) {
        const [ns, rest] = kind.codes.split(':') as [string, string];
        return [...catalogs.keys()].flatMap((lang) => {
          let at: unknown = catalogs.get(lang)?.get(ns);
          for (const part of rest.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
          return at && typeof at === 'object' && Object.keys(at).length > 0 ? [] : [`${where}: no labels ${kind.codes} in ${lang}`];
        });
      }
      if ('words' in kind) return kind.words.flatMap((w) => missing(`audit:${w.label}`, where));
      if ('texts' in kind) return Object.values(kind.texts).flatMap((w) => missing(`audit:${w.label}`, where));
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('has record types whose actions are all declared once', () => {
    for (const [type, d] of Object.entries(declared)) expect(new Set(d.actions).size, type).toBe(d.actions.length);
  });
});

describe('the audit entries the server code writes', () => {
  const serverSrc = path.resolve(import.meta.dirname, '..');
  /** literals the scan finds that are not audit actions, each with why */
  const notActions: Record<string, string> = {
    // document.service.ts stepVersion(…, 'edit', …): an edit of a draft version is written as `update`
    edit: 'written as update',
  };

  type Node = { type: string; [key: string]: unknown };
  const children = (n: Node): Node[] =>
    Object.values(n).flatMap((v) =>
      Array.isArray(v)
        ? v.filter((x): x is Node => !!x && typeof (x as Node).type === 'string')
        : v && typeof (v as Node).type === 'string'
          ? [v as Node]
          : [],
    );
  const visit = (n: Node, fn: (n: Node) => void) => {
    fn(n);
    for (const c of children(n)) visit(c, fn);
  };
  /** the string literals an expression can take: `'a'`, `x ? 'a' : 'b'`, `y ?? 'c'` */
  const literals = (n: Node | null | undefined): string[] => {
    if (!n) return [];
    if (n.type === 'Literal' && typeof n.value === 'string') return [n.value];
    if (n.type === 'ConditionalExpression') return [...literals(n.consequent as Node), ...literals(n.alternate as Node)];
    if (n.type === 'LogicalExpression') return [...literals(n.left as Node), ...literals(n.right as Node)];
    if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ParenthesizedExpression')
      return literals(n.expression as Node);
    return [];
  };
  const keyOf = (p: Node): string | null => {
    if (p.type !== 'Property' || p.computed) return null;
    const key = p.key as Node;
    return key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : null;
  };
  const objectKeys = (n: Node | null | undefined): string[] =>
    n?.type === 'ObjectExpression' ? (n.properties as Node[]).map(keyOf).filter((k): k is string => k !== null) : [];
  const paramName = (p: Node): string | null =>
    p.type === 'Identifier' ? (p.name as string) : p.type === 'AssignmentPattern' ? paramName(p.left as Node) : null;
  const returned = (fn: Node): Node[] => {
    const body = fn.body as Node;
    if (fn.type === 'ArrowFunctionExpression' && fn.expression)
      return [body.type === 'ParenthesizedExpression' ? (body.expression as Node) : body];
    const out: Node[] = [];
    visit(body, (n) => {
      if (n.type === 'ReturnStatement' && n.argument) out.push(n.argument as Node);
    });
    return out;
  };
  const isFunction = (n: Node | null | undefined) =>
    !!n && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration');
  const writesAudit = (fn: Node) => /"name":"(appendAudit|changeVersionedRecord|changeVersionedRecordTx)"/.test(JSON.stringify(fn.body));

  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'i18n' || e.name === 'test' ? [] : walk(p);
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
    });

  interface Written {
    file: string;
    actions: Set<string>;
    recordTypes: Set<string>;
    fields: Set<string>;
  }
  const written: Written[] = walk(serverSrc).map((file) => {
    const ast = parseAst(fs.readFileSync(file, 'utf8'), { lang: 'ts' }) as unknown as Node;
    const w: Written = { file: path.relative(serverSrc, file), actions: new Set(), recordTypes: new Set(), fields: new Set() };
    // a file's own audit helpers: name → its parameters
    const helpers = new Map<string, (string | null)[]>();
    visit(ast, (n) => {
      if (n.type === 'FunctionDeclaration' && n.id && writesAudit(n)) {
        const params = (n.params as Node[]).map(paramName);
        if (params.includes('action') || params.includes('changes')) helpers.set((n.id as Node).name as string, params);
      }
    });
    visit(ast, (n) => {
      const key = keyOf(n);
      if (key === 'action') for (const v of literals(n.value as Node)) w.actions.add(v);
      if (key === 'recordType') for (const v of literals(n.value as Node)) w.recordTypes.add(v);
      if (key === 'changes') {
        const value = n.value as Node;
        for (const k of objectKeys(value)) w.fields.add(k);
        const callee = value.callee as Node | undefined;
        if (value.type === 'CallExpression' && callee?.type === 'Identifier' && callee.name === 'diffChanges')
          for (const arg of value.arguments as Node[]) for (const k of objectKeys(arg)) w.fields.add(k);
      }
      // a projection of the audited fields: `const auditable = (r) => ({ … })`, `function auditable(r) { return { … } }`
      let name: string | null = null;
      let fn: Node | null = null;
      if (n.type === 'VariableDeclarator' && (n.id as Node).type === 'Identifier' && isFunction(n.init as Node)) {
        name = (n.id as Node).name as string;
        fn = n.init as Node;
      } else if (n.type === 'FunctionDeclaration' && n.id) {
        name = (n.id as Node).name as string;
        fn = n;
      } else if (key && isFunction(n.value as Node)) {
        name = key;
        fn = n.value as Node;
      }
      if (name && fn && /auditable/i.test(name)) for (const o of returned(fn)) for (const k of objectKeys(o)) w.fields.add(k);
      const callee = n.callee as Node | undefined;
      if (n.type === 'CallExpression' && callee?.type === 'Identifier' && helpers.has(callee.name as string)) {
        const params = helpers.get(callee.name as string)!;
        (n.arguments as Node[]).forEach((arg, i) => {
          if (params[i] === 'action') for (const v of literals(arg)) w.actions.add(v);
          if (params[i] === 'changes') for (const k of objectKeys(arg)) w.fields.add(k);
        });
      }
    });
    return w;
  });

  it('finds the audit entries of the modules (the scan works)', () => {
    const all = (pick: (w: Written) => Set<string>) => new Set(written.flatMap((w) => [...pick(w)]));
    // a few known writers, so that a parser change that finds nothing fails here rather than passing everything
    expect([...all((w) => w.actions)]).toEqual(expect.arrayContaining(['create', 'approve', 'mfa-totp-enrol', 'quiz-failed']));
    expect([...all((w) => w.recordTypes)]).toEqual(expect.arrayContaining(['document_version', 'risk', 'user', 'cadence_occurrence']));
    expect([...all((w) => w.fields)]).toEqual(expect.arrayContaining(['lifecycleStatus', 'currentVersion', 'signIn', 'recoveryCodes']));
  });

  it('declares every action and record type the code writes', () => {
    const problems = written.flatMap((w) => [
      ...[...w.actions].filter((a) => !auditActions.includes(a) && !(a in notActions)).map((a) => `${w.file}: action ${a}`),
      ...[...w.recordTypes].filter((t) => !Object.hasOwn(declared, t)).map((t) => `${w.file}: record type ${t}`),
    ]);
    expect(problems).toEqual([]);
  });

  it('declares every field the code writes for a record type the same file writes, with its label', () => {
    const problems = written.flatMap((w) => {
      // a file that names no record type (a shared helper) may write a field of any
      const types = w.recordTypes.size > 0 ? [...w.recordTypes] : Object.keys(declared);
      return [...w.fields].flatMap((field) => {
        const at = types.map((t) => auditField(t, field)).find((f) => f !== undefined);
        if (!at) return [`${w.file}: field ${field} of ${types.join(' or ')}`];
        return missing(`audit:field.${at.label}`, `${w.file}: ${field}`);
      });
    });
    expect(problems).toEqual([]);
  });
});

describe('the check of an audit entry', () => {
  const entry = (recordType: string, action: string, changes: AuditRecord['changes']) =>
    entryProblems({ recordType, action, changes }, catalogs);

  it('passes an entry whose words are all declared and labelled', () => {
    expect(
      entry('document_version', 'approve', {
        status: { from: 'in_review', to: 'approved' },
        approved_at: { from: null, to: '2026-03-02T09:00:00.000Z' },
        review_round: { from: 0, to: 1 },
        approvals: { from: '0 of 2', to: '1 of 2' },
      }),
    ).toEqual([]);
    expect(entry('risk', 'update', { current: { to: { likelihood: 2, impact: 3, level: 'high' } }, assets: { to: ['AST-0001'] } })).toEqual(
      [],
    );
    expect(entry('document', 'update', { audience: { from: 'everyone', to: 'roles:employee,viewer' } })).toEqual([]);
  });

  it('names a record type, action or field that is not declared', () => {
    expect(entry('spaceship', 'create', {})).toEqual([expect.stringContaining('the record type spaceship is not declared')]);
    expect(entry('risk', 'launch', {})).toEqual([
      expect.stringContaining('the action launch is not declared for risk'),
      expect.stringContaining('no label audit:action.launch in de, en'),
    ]);
    expect(entry('risk', 'update', { warpFactor: { to: 9 } })).toEqual([
      expect.stringContaining('the field warpFactor is not declared for risk'),
    ]);
  });

  it('names a value that is not of its kind, and a code without a label', () => {
    expect(entry('document', 'update', { status: { to: 'shredded' } })).toEqual([
      'document.status: no label policies:documentStatus.shredded in de, en',
    ]);
    expect(entry('risk', 'update', { nextReviewOn: { to: '2026-03-02T09:00:00.000Z' } })).toEqual([
      'risk.nextReviewOn: "2026-03-02T09:00:00.000Z" is not a day (YYYY-MM-DD)',
    ]);
    expect(entry('document_version', 'update', { approved_at: { to: '2 March' } })).toEqual([
      'document_version.approved_at: "2 March" is not an ISO timestamp',
    ]);
    expect(entry('document', 'update', { audience: { to: 'departments:IT' } })).toEqual([
      'document.audience: "departments:IT" is not worded by any pattern declared',
    ]);
    expect(entry('document', 'update', { audience: { to: 'roles:employee,pilot' } })).toEqual([
      'document.audience{roles}: no label common:role.pilot in de, en',
    ]);
    expect(entry('risk', 'update', { current: { to: { likelihood: 2, impact: 3, level: 'high', colour: 'red' } } })).toEqual([
      'risk.current: the key colour is not declared (server/src/audit/audit-vocabulary.ts)',
    ]);
    expect(entry('incident', 'update', { personalData: { to: 'yes' } })).toEqual(['incident.personalData: "yes" is not yes or no']);
  });

  it('finds a label in its plural forms and nowhere else', () => {
    expect(hasLabel(catalogs, 'en', 'audit:value.characters')).toBe(true);
    expect(hasLabel(catalogs, 'de', 'audit:field.approvedAt')).toBe(true);
    expect(hasLabel(catalogs, 'de', 'audit:field.warpFactor')).toBe(false);
    expect(hasLabel(catalogs, 'de', 'audit:field')).toBe(false);
  });
});

/** The server's text of a key (`tasks:note.incidentTriaged`) in one language, as its catalog holds it. */
const serverText = (lang: string, key: string): unknown => {
  const [ns, rest] = key.split(':') as [string, string];
  let at: unknown = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'i18n', lang, `${ns}.json`), 'utf8'));
  for (const part of rest.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
};

/** A history view's words in one language, with names and dates as the page gives them (only what the tests read). */
async function historyWords(lang: string): Promise<AuditWords> {
  const i18n = await webI18n(lang);
  return {
    names: new Map(),
    levels: new Map([['high', lang === 'de' ? 'Hoch' : 'High']]),
    t: (key, params) => i18n.t(key, params ?? {}),
    exists: (key) => i18n.exists(key),
    fieldLabel: (field) => i18n.t(`audit:field.${field}`),
    recordTypeLabel: (type) => i18n.t(`audit:recordType.${type}`),
    valueLabel: (_field, value) => value,
    formatDate: (value) => value,
    formatDateTime: (value) => value,
    formatNumber: (n) => String(n),
    languageName: (code) => code,
    recurrence: (rrule) => rrule,
  };
}

describe('completion notes in a history view', () => {
  it('reads each note by the very sentence the server writes, and words it as the server words it', () => {
    for (const [key, english] of noteSentences) {
      expect(serverText('en', key), key).toBe(english);
      const name = key.slice(key.indexOf('.') + 1);
      for (const lang of ['en', 'de']) {
        const web = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../web/src/i18n', lang, 'audit.json'), 'utf8'));
        expect(web.value.note[name], `${lang} ${key}`).toBe(serverText(lang, key));
      }
    }
  });

  it('shows a note Praxis wrote in German on a German page, and a note someone typed as written', async () => {
    const de = await historyWords('de');
    const en = await historyWords('en');
    const note = (w: AuditWords, text: string) => showAuditValue(w, 'task', 'completionNote', text).text;
    expect(note(de, 'INC-0004 was triaged by Erika Mustermann')).toBe('INC-0004 wurde von Erika Mustermann gesichtet');
    expect(note(en, 'INC-0004 was triaged by Erika Mustermann')).toBe('INC-0004 was triaged by Erika Mustermann');
    expect(note(de, 'POL-0002 v3 was approved by Max Muster')).toBe('POL-0002 v3 wurde von Max Muster freigegeben');
    expect(note(de, 'CHG-0001 was approved by Max Muster')).toBe('CHG-0001 wurde von Max Muster genehmigt');
    expect(note(de, 'TSK-0007 was completed')).toBe('TSK-0007 wurde erledigt');
    expect(note(de, 'Closed after the call with the supplier')).toBe('Closed after the call with the supplier');
  });

  it('shows why an acceptance ended, why a risk moved and who signed in German, new codes and older sentences alike', async () => {
    const de = await historyWords('de');
    const show = (type: string, field: string, value: unknown) => showAuditValue(de, type, field, value).text;
    expect(show('risk_acceptance', 'endReason', 'raised:RSK-0001:high')).toBe('RSK-0001 wurde auf einer höheren Stufe neu bewertet (Hoch)');
    expect(show('risk_acceptance', 'endReason', 'renewed:ACC-0002')).toBe('erneuert durch ACC-0002');
    expect(show('risk_acceptance', 'endReason', 'expired:2026-05-01')).toBe('abgelaufen am 2026-05-01');
    expect(show('risk_acceptance', 'endReason', 'renewed by ACC-0002')).toBe('erneuert durch ACC-0002');
    expect(show('risk_acceptance', 'endReason', 'Supplier replaced')).toBe('Supplier replaced');
    expect(show('risk', 'reason', 'raised:high:ACC-0001,ACC-0002')).toBe(
      'auf einer höheren Stufe neu bewertet (Hoch); beendet: ACC-0001,ACC-0002',
    );
    expect(show('risk', 'reason', 'accepted:ACC-0001')).toBe('ACC-0001 ist in Kraft getreten');
    expect(show('risk', 'reason', 'ACC-0001 took effect')).toBe('ACC-0001 ist in Kraft getreten');
    expect(show('risk', 'reason', 'revoked:ACC-0001:Neuer Lieferant')).toBe('ACC-0001 wurde widerrufen: Neuer Lieferant');
    expect(show('risk', 'reason', 'decided:RTR-0001:modify')).toBe('RTR-0001 wurde entschieden: Mindern');
    expect(show('risk', 'reason', 'RTR-0001 was decided: avoid')).toBe('RTR-0001 wurde entschieden: Vermeiden');
    expect(show('risk', 'reason', 'reopened:RTR-0001')).toBe('RTR-0001 wurde wieder geöffnet: die Entscheidung hat sich geändert');
    expect(show('risk_acceptance', 'signatures', ['management: Erika Mustermann <erika@example.com> 2026-03-01T09:00:00.000Z'])).toBe(
      'Leitung: Erika Mustermann <erika@example.com>, 2026-03-01T09:00:00.000Z',
    );
    expect(show('task', 'completionNote', 'ACC-0001 of RSK-0001 ended: renewed by ACC-0002')).toBe(
      'ACC-0001 von RSK-0001 ist beendet: erneuert durch ACC-0002',
    );
  });

  it('shows what Praxis wrote about single sign-on, escalations and disposals in German; other words as written', async () => {
    const de = await historyWords('de');
    de.names.set('01a251a1-4a05-73d2-9e0c-3530b4582324', 'Erika Mustermann');
    const show = (type: string, field: string, value: unknown) => showAuditValue(de, type, field, value).text;
    expect(show('membership', 'source', 'single sign-on, group isms-team')).toBe('Single Sign-on, Gruppe isms-team');
    expect(show('membership', 'source', 'single sign-on, default role')).toBe('Single Sign-on, Standardrolle');
    expect(show('membership', 'source', 'Entra ID groups')).toBe('Gruppen von Entra ID');
    expect(show('cadence_occurrence', 'escalatedTo', ['01a251a1-4a05-73d2-9e0c-3530b4582324', 'Max Muster'])).toBe(
      'Erika Mustermann, Max Muster',
    );
    expect(show('controlled_record', 'rule', 'retention 24 months from 2023-01-01, ended 2025-01-01')).toBe(
      'Aufbewahrung 24 Monate ab 2023-01-01, endete am 2025-01-01',
    );
    expect(show('controlled_record', 'linkedContent', 'document POL-0002: content of 1 version(s) disposed of')).toBe(
      'Dokument POL-0002: Inhalt von 1 Version vernichtet',
    );
    // an older entry names the record's type in English words: read as the type's code
    expect(show('controlled_record', 'linkedContent', 'risk treatment kept: its content is managed by its own process')).toBe(
      'Risikobehandlung behalten: sein Inhalt wird von seinem eigenen Prozess gelenkt',
    );
    expect(show('controlled_record', 'linkedContent', 'incident kept: its content is managed by its own process')).toBe(
      'Vorfall behalten: sein Inhalt wird von seinem eigenen Prozess gelenkt',
    );
    expect(
      showAuditValue(
        await historyWords('en'),
        'controlled_record',
        'linkedContent',
        'risk treatment kept: its content is managed by its own process',
      ).text,
    ).toBe('Risk treatment kept: its content is managed by its own process');
    // other words stay as written
    expect(show('controlled_record', 'linkedContent', 'kept for the auditor')).toBe('kept for the auditor');
    expect(show('document', 'rule', 'records control REC-0001: retention 1 months from 2023-01-01, ended 2023-02-01 (REC-0001)')).toBe(
      'Lenkung von Aufzeichnungen, REC-0001: Aufbewahrung 1 Monat ab 2023-01-01, endete am 2023-02-01',
    );
  });
});

describe('notes and values that word a code, a date or a level', () => {
  it('shows notes that word a code or a date in the reader’s language, English as written', async () => {
    const de = await historyWords('de');
    const en = await historyWords('en');
    const note = (w: AuditWords, text: string) => showAuditValue(w, 'task', 'completionNote', text).text;
    const german: [string, string][] = [
      [
        'RTR-0001 was decided by Erika Mustermann: modify the risk',
        'Über RTR-0001 wurde von Erika Mustermann entschieden: Risiko verändern',
      ],
      ['OFI-0002 is planned (Max Muster)', 'OFI-0002 ist geplant (Max Muster)'],
      [
        'INC-0003: NIS2 Art. 23 early warning (24 hours) recorded as sent to BSI by Erika Mustermann',
        'INC-0003: Frühwarnung nach Art. 23 NIS2 (24 Stunden) von Erika Mustermann als an BSI gesendet erfasst',
      ],
      [
        'INC-0003: GDPR Art. 33 notification to the supervisory authority (72 hours) recorded as sent to LfD by Max',
        'INC-0003: Meldung nach Art. 33 DSGVO an die Aufsichtsbehörde (72 Stunden) von Max als an LfD gesendet erfasst',
      ],
      ['The review date moved to Sep 1, 2026', 'Der Überprüfungstermin wurde auf den 1. September 2026 verschoben'],
      [
        'The retention of REC-0004 now ends on Dec 31, 2031 (Max Muster)',
        'Die Aufbewahrung von REC-0004 endet jetzt am 31. Dezember 2031 (Max Muster)',
      ],
      [
        'KPI-0005 was analysed by Erika: a nonconformity was raised',
        'KPI-0005 wurde von Erika analysiert: eine Nichtkonformität wurde erfasst',
      ],
      [
        'KPI-0006 was analysed by Erika: an opportunity for improvement was raised',
        'KPI-0006 wurde von Erika analysiert: ein Verbesserungspotenzial wurde erfasst',
      ],
    ];
    for (const [english, words] of german) {
      expect(note(de, english)).toBe(words);
      // an English reader reads the very sentence the server wrote
      expect(note(en, english)).toBe(english);
    }
    expect(note(de, 'RTR-0001 was decided by Erika: transfer the risk')).toBe('RTR-0001 was decided by Erika: transfer the risk');
  });

  it('reads those notes by the very sentences the server writes, and words them as the server words them', async () => {
    const words = { en: await historyWords('en'), de: await historyWords('de') };
    // the history views' days are the server's, in words (`1. September 2026` for `01.09.2026`)
    const longDays = (text: string) => text.replace('01.09.2026', '1. September 2026').replace('31.12.2031', '31. Dezember 2031');
    const notes: [string, Record<string, string>][] = [
      ['tasks:note.treatmentDecided', { treatmentRef: 'RTR-0001', option: 'share', name: 'Max' }],
      ['tasks:note.opportunityDecided', { ref: 'OFI-0001', status: 'implemented', name: 'Max' }],
      ['cadences:note.reviewMoved', { dueOn: '2026-09-01' }],
      ['tasks:note.retentionExtended', { recordRef: 'REC-0001', endsOn: '2031-12-31', name: 'Max' }],
      ['measures:note.analysed.opportunity', { measureRef: 'KPI-0001', name: 'Max' }],
      ['measures:note.analysed.nonconformity', { measureRef: 'KPI-0001', name: 'Max' }],
      ...(['gdpr_art33', 'nis2_early_warning', 'nis2_notification', 'nis2_final_report'] as const).map(
        (regime): [string, Record<string, string>] => [
          'tasks:note.notificationRecorded',
          { incidentRef: 'INC-0001', regime, recipient: 'BSI', name: 'Max' },
        ],
      ),
    ];
    for (const [key, params] of notes) {
      const text = english({ key, params });
      for (const lang of ['en', 'de'] as const)
        expect(showAuditValue(words[lang], 'task', 'completionNote', text).text, `${lang} ${key}`).toBe(
          longDays(translate(lang, key, params)),
        );
    }
  });

  it('shows a risk level an older sentence names by its built-in label in the reader’s language, another label as written', async () => {
    const de = await historyWords('de');
    const show = (type: string, field: string, value: unknown) => showAuditValue(de, type, field, value).text;
    expect(show('task', 'completionNote', 'ACC-0001 of RSK-0001 ended: RSK-0001 was re-evaluated at a higher level (High)')).toBe(
      'ACC-0001 von RSK-0001 ist beendet: RSK-0001 wurde auf einer höheren Stufe neu bewertet (Hoch)',
    );
    expect(show('risk_acceptance', 'endReason', 'RSK-0001 was re-evaluated at a higher level (Critical)')).toBe(
      'RSK-0001 wurde auf einer höheren Stufe neu bewertet (Kritisch)',
    );
    expect(show('risk_acceptance', 'endReason', 'RSK-0001 was re-evaluated at a higher level (Severe)')).toBe(
      'RSK-0001 wurde auf einer höheren Stufe neu bewertet (Severe)',
    );
    expect(show('task', 'completionNote', 'RSK-0001 was re-evaluated as Low, within the acceptance criteria')).toBe(
      'RSK-0001 wurde neu als Niedrig bewertet und liegt innerhalb der Risikoakzeptanzkriterien',
    );
  });

  it('shows the codes single sign-on and records control write in German', async () => {
    const de = await historyWords('de');
    const show = (type: string, field: string, value: unknown) => showAuditValue(de, type, field, value).text;
    expect(show('membership', 'source', 'sso:group:isms-team')).toBe('Single Sign-on, Gruppe isms-team');
    expect(show('membership', 'source', 'sso:default-role')).toBe('Single Sign-on, Standardrolle');
    expect(show('membership', 'source', 'sso:provider-groups:Entra ID')).toBe('Gruppen von Entra ID');
    expect(show('controlled_record', 'rule', 'retention:24:2023-01-01:2025-01-01')).toBe(
      'Aufbewahrung 24 Monate ab 2023-01-01, endete am 2025-01-01',
    );
    expect(show('controlled_record', 'linkedContent', 'document-disposed:POL-0002:3')).toBe(
      'Dokument POL-0002: Inhalt von 3 Versionen vernichtet',
    );
    expect(show('controlled_record', 'linkedContent', 'kept:risk_treatment')).toBe(
      'Risikobehandlung behalten: sein Inhalt wird von seinem eigenen Prozess gelenkt',
    );
    expect(show('document', 'rule', 'records-control:REC-0001:retention:1:2023-01-01:2023-02-01')).toBe(
      'Lenkung von Aufzeichnungen, REC-0001: Aufbewahrung 1 Monat ab 2023-01-01, endete am 2023-02-01',
    );
  });
});

describe.each(dialects)('the entries appendAudit is asked for on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  it('are shown to the observers the vocabulary check relies on', async () => {
    const seen: AuditRecord[] = [];
    observeAuditAppends((record) => seen.push(record));
    const record: AuditRecord = {
      scopeId,
      action: 'update',
      recordType: 'scope',
      recordId: scopeId,
      changes: { description: { from: '', to: 'Head office' } },
    };
    await t.deps.db.transaction().execute((tx) => appendAudit(tx, t.deps, manager.actor, record));
    expect(seen).toEqual([record]);
  });
});
