import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasText, translate } from '../i18n/i18n.ts';

/**
 * Every message a user can see is a text of the errors catalog (a key with parameters), never an English string at the
 * call site: the type of AppError, `invalid` and `forbidden` takes a Text only, and this scan refuses string literals
 * and template strings where a message goes, also behind a condition (`cond ? 'a' : errorText('b')`).
 */
const root = join(import.meta.dirname, '..');

/** Call sites allowed to pass a string as the message ("file: reason"); none so far. */
const allowList: string[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The arguments of a call from just after its `(`, split at top-level commas. Strings, template strings (with their
 * `${…}`) and comments are skipped as units. Written here rather than with a TypeScript parser: the project's compiler
 * has no JavaScript API, and call arguments are all this needs.
 */
function callArguments(src: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < src.length && src[k] !== c) k += src[k] === '\\' ? 2 : 1;
      current += src.slice(i, k + 1);
      i = k + 1;
      continue;
    }
    if (c === '`') {
      let k = i + 1;
      let nested = 0;
      while (k < src.length && !(src[k] === '`' && nested === 0)) {
        if (src[k] === '\\') k++;
        else if (src[k] === '$' && src[k + 1] === '{') {
          nested++;
          k++;
        } else if (src[k] === '}' && nested > 0) nested--;
        k++;
      }
      current += src.slice(i, k + 1);
      i = k + 1;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i) + 2;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) {
      if (depth === 0) {
        args.push(current.trim());
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else current += c;
    i++;
  }
  return args;
}

/** Whether a message argument is (or may be) a string: a literal or template at its top level, in any branch. */
export function isPlainString(message: string): boolean {
  let top = message;
  let before: string;
  // the insides of calls (errorText('key', …)) are not the message itself
  do {
    before = top;
    top = top.replace(/\([^()]*\)/g, '<>');
  } while (top !== before);
  return top.split(/\?\?|\|\||\?|:|\+/).some((part) => /^\s*['"`]/.test(part));
}

const calls = /\bnew (?:AppError|RuleError)\(|(?<![.\w])(invalid|forbidden)\(/g;

/** `file:line: call` for every call site that passes a string as the message. */
export function plainMessages(file: string, src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(calls)) {
    const lineStart = src.lastIndexOf('\n', m.index) + 1;
    if (/^\s*(\*|\/\/)/.test(src.slice(lineStart, m.index))) continue;
    const args = callArguments(src, m.index + m[0].length);
    const message = args[m[1] === 'forbidden' ? 0 : m[0].startsWith('new RuleError') ? 0 : 1];
    if (message !== undefined && message !== '' && isPlainString(message)) {
      out.push(`${file}:${src.slice(0, m.index).split('\n').length}: ${m[0]}${args.join(', ').replace(/\s+/g, ' ').slice(0, 120)}`);
    }
  }
  return out;
}

describe('error messages are catalog texts', () => {
  // the snippets are source text as the scan reads it: their `${…}` are meant literally
  it('the scan finds a string message, also behind a condition or across lines', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source snippet
    expect(plainMessages('x.ts', "throw new AppError('invalid_state', `${ref} is closed`);")).toHaveLength(1);
    expect(plainMessages('x.ts', "throw invalid(\n  'body.x',\n  done ? errorText('a') : 'Not yet',\n);")).toHaveLength(1);
    expect(plainMessages('x.ts', "throw forbidden('Only the owner');")).toHaveLength(1);
    expect(plainMessages('x.ts', "throw new AppError('duplicate', 'A ' + name + ' exists');")).toHaveLength(1);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source snippet
    expect(plainMessages('x.ts', "throw new AppError('invalid_state', errorText('recordClosed', { reference: `${a}-${b}` }));")).toEqual(
      [],
    );
    expect(plainMessages('x.ts', "throw new AppError('invalid_state', s === 'active' ? errorText('a') : errorText('b'));")).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a source snippet
    expect(plainMessages('x.ts', "throw invalid(`body.items.${i}`, errorText('x'));\nthrow forbidden();")).toEqual([]);
    expect(plainMessages('x.ts', " * `invalid('body.x', 'an example in a comment')`")).toEqual([]);
  });

  it('no server module throws a plain-string message', () => {
    const found = sourceFiles(root).flatMap((path) => plainMessages(path.slice(root.length + 1), readFileSync(path, 'utf8')));
    expect(found.filter((f) => !allowList.some((a) => f.startsWith(a)))).toEqual([]);
  });

  it('every code list a text words through labels(of: …) has its words', () => {
    const catalog = readFileSync(join(root, 'i18n/en/errors.json'), 'utf8');
    const prefixes = new Set([...catalog.matchAll(/labels\(of: ([\w:.]+)/g)].map((m) => m[1]!));
    expect(prefixes.size).toBeGreaterThan(5);
    expect([...prefixes].filter((p) => !hasText(p))).toEqual([]);
  });

  it("words codes and counts in the reader's language", () => {
    expect(
      translate('en', 'errors:change.wrongStatus', { reference: 'CHG-0001', status: 'under_review', expected: 'requested,approved' }),
    ).toBe('CHG-0001 is under review; this step needs requested or approved');
    expect(translate('en', 'errors:catalog.stillUsed', { title: 'NIST', uses: 'controls=3,soa' })).toMatch(
      /^"NIST" is still used by 3 controls and the Statement of Applicability;/,
    );
    expect(translate('en', 'errors:memberRequired', { field: 'handler' })).toBe('The handler must be a member of this scope');
    expect(translate('en', 'errors:document.tooFewApprovers', { count: 2, eligible: 1 })).toMatch(
      /^2 approvals are required and only 1 designated approver other than you is named/,
    );
  });
});
