import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * A refinement's message (`.refine`, `.superRefine`/`ctx.addIssue`, `z.custom`) and a pattern's (`.regex`) reach the
 * reader as they are written unless they are a key of the `validation` catalog (errors.ts `validationText`, `own()`):
 * an English sentence there is English for a German reader too. A source scan of server/src (tests aside), with the
 * balanced-bracket reading of call arguments of web-form-limits.test.ts: every such message is a `validation:` key that
 * both catalogs hold, and a refinement without a message (zod's English "Invalid input") is listed as well.
 */
const serverSrc = path.resolve(import.meta.dirname, '..');
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
const files = walk(serverSrc);

const catalog = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(serverSrc, 'i18n', lang, 'validation.json'), 'utf8')) as Record<string, unknown>;
const catalogs = { en: catalog('en'), de: catalog('de') };
/** `validation:method.keyTwice` is a text of the catalog (as itself or in its plural forms). */
const holds = (root: Record<string, unknown>, key: string) => {
  const names = key.replace(/^validation:/, '').split('.');
  const last = names.pop()!;
  let node: unknown = root;
  for (const n of names) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[n] : undefined;
  const leaf = node && typeof node === 'object' ? (node as Record<string, unknown>) : {};
  return [last, `${last}_one`, `${last}_other`].some((k) => typeof leaf[k] === 'string');
};

/** The arguments of a call from the `(` after `start`, up to its closing `)`: strings and leading regex literals skipped. */
function callArguments(text: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let from = start + 1;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (
      c === '/' &&
      /(?:[(,=:!&|?{};]|=>|\breturn)\s*$/.test(text.slice(Math.max(start, i - 40), i)) &&
      text[i + 1] !== '/' &&
      text[i + 1] !== '*'
    ) {
      // a regex literal (where an expression starts): its brackets are not the call's
      let inClass = false;
      for (i++; i < text.length && (inClass || text[i] !== '/'); i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
      }
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) break;
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  args.push(text.slice(from, i).trim());
  return { args: args.filter(Boolean), end: i };
}

type Finding = { where: string; problem: string };

/** What each refinement, pattern and added issue says, and whether that is a key of both catalogs. */
function findings(): { calls: number; problems: Finding[] } {
  const problems: Finding[] = [];
  let calls = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(\.refine|\.superRefine|\bz\.custom|\.regex|\.addIssue)\s*(?:<[^>()]*>)?\(/g)) {
      calls++;
      const kind = m[1]!;
      const where = `${path.relative(serverSrc, file)}:${text.slice(0, m.index).split('\n').length}`;
      const { args, end } = callArguments(text, m.index + m[0].length - 1);
      const whole = text.slice(m.index, end);
      // a message as the second argument ('…' or { error|message: … }), or inside an issue that is added
      const messages: string[] = [];
      const second = args[1];
      if (kind !== '.superRefine' && kind !== '.addIssue' && second && /^(['"`]).*\1$/s.test(second)) messages.push(second);
      for (const e of whole.matchAll(/\b(?:error|message)\s*:\s*([^,}\n]+)/g)) messages.push(e[1]!.trim());
      if (messages.length === 0 && (kind === '.refine' || kind === 'z.custom')) {
        problems.push({ where, problem: `${kind} has no message: the reader gets zod's English "Invalid input"` });
      }
      for (const message of messages) {
        const key = /^(['"])(validation:[\w.]+)\1$/.exec(message)?.[2];
        // risk-method.ts hands on validateMethod's findings; their messages are checked where they are written (below)
        if (kind === '.addIssue' && message === 'issue.message' && file.endsWith('risk-method.ts')) continue;
        if (!key) problems.push({ where, problem: `${kind} says ${message}, not a validation: key` });
        else
          for (const [lang, root] of Object.entries(catalogs))
            if (!holds(root, key)) problems.push({ where, problem: `${kind} names ${key}, which the ${lang} catalog lacks` });
      }
    }
  }
  // the findings validateMethod hands to addIssue
  const method = path.join(serverSrc, 'processes/risk-assessment/risk-method.ts');
  const text = fs.readFileSync(method, 'utf8');
  for (const m of text.matchAll(/issues\.push\(\{[\s\S]*?message:\s*([^,}\n]+)/g)) {
    const where = `${path.relative(serverSrc, method)}:${text.slice(0, m.index).split('\n').length}`;
    const key = /^(['"])(validation:[\w.]+)\1$/.exec(m[1]!.trim())?.[2];
    if (!key) problems.push({ where, problem: `a method finding says ${m[1]}, not a validation: key` });
    else
      for (const [lang, root] of Object.entries(catalogs))
        if (!holds(root, key)) problems.push({ where, problem: `a method finding names ${key}, which the ${lang} catalog lacks` });
  }
  return { calls, problems };
}

describe('schema messages are catalog texts', () => {
  it('every refinement, pattern and added issue says a validation: key that English and German hold', () => {
    const { calls, problems } = findings();
    expect(calls).toBeGreaterThan(15);
    expect(problems.map((p) => `${p.where} ${p.problem}`)).toEqual([]);
  });

  it('the scan reads the message of each form a schema writes', () => {
    const read = (source: string) => {
      const { args, end } = callArguments(source, source.indexOf('('));
      return { args, rest: source.slice(end + 1) };
    };
    expect(read(".refine((v) => /[)]/.test(v), 'validation:x') + 1").args).toEqual(['(v) => /[)]/.test(v)', "'validation:x'"]);
    expect(read(".regex(/^(a|b)\\)$/, { error: 'x' });").args).toEqual(['/^(a|b)\\)$/', "{ error: 'x' }"]);
    expect(read(".refine(f, 'a (b), c')").rest).toBe('');
    expect(read(".regex(/^[/)]+$/, 'validation:y')").args).toEqual(['/^[/)]+$/', "'validation:y'"]);
    expect(holds(catalogs.en, 'validation:method.keyTwice')).toBe(true);
    expect(holds(catalogs.de, 'validation:unrecognizedKeys')).toBe(true);
    expect(holds(catalogs.de, 'validation:noSuchText')).toBe(false);
  });
});

describe.each(dialects)('a refinement worded for the reader on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object, lang: string) =>
    t.app.inject({ method: 'POST', url, headers: { ...manager.headers, 'accept-language': lang }, payload });

  it('a link to evidence that is not http(s) is refused with a sentence in German or English', async () => {
    const body = { title: 'Firewall-Konfiguration', evidenceDate: '2026-03-02', url: 'javascript:alert(1)' };
    const de = await post(`/api/scopes/${scopeId}/evidence/links`, body, 'de-DE,de;q=0.9');
    expect(de.statusCode).toBe(400);
    expect(json(de).error).toMatchObject({
      code: 'validation_failed',
      field: 'body.url',
      key: 'validation:httpLink',
      message: 'Link muss eine Webadresse sein, die mit http:// oder https:// beginnt, wie https://example.com',
    });
    const en = await post(`/api/scopes/${scopeId}/evidence/links`, body, 'en');
    expect(json(en).error.message).toBe('Link must be a web address starting with http:// or https://, such as https://example.com');
  });

  it('a course whose material link is not http(s) names the field in German', async () => {
    const res = await post(`/api/scopes/${scopeId}/courses`, { title: 'Awareness', materialUrl: 'javascript:alert(1)' }, 'de');
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({
      field: 'body.materialUrl',
      message: 'Link zum Material muss eine Webadresse wie https://example.com sein',
    });
  });
});
