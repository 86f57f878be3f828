import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web forms carry the server's limits (issue 12 §4 and §8), read from the server's zod schemas rather than copied:
 * every text input stops at the length the server takes (`maxLength`, from `textLimits(schema.shape)`), and every number
 * input is the shared NumberField (the session's decimal separator, `min` and `max` from `numberLimits`). A source scan
 * of the web client, like web-imports.test.ts: it fails when a new input lacks its limit or a limit is written as a number.
 */
const webSrc = path.resolve(import.meta.dirname, '../../../web/src');
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.tsx') ? [p] : [];
  });
const files = [...walk(path.join(webSrc, 'features')), ...walk(path.join(webSrc, 'app'))];

type Element = { file: string; line: number; tag: string; text: string; before: string };

/** Every JSX element of the given tags, up to the `>` that closes its opening tag (braces are balanced). */
function elements(tags: string[]): Element[] {
  const out: Element[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(new RegExp(`<(${tags.join('|')})\\b`, 'g'))) {
      let depth = 0;
      let end = m.index + m[0].length;
      for (; end < text.length; end++) {
        const c = text[end];
        if (c === '{') depth++;
        else if (c === '}') depth--;
        else if (c === '>' && depth === 0) break;
      }
      const line = text.slice(0, m.index).split('\n').length;
      const before = text.slice(0, m.index).split('\n').slice(-3).join('\n');
      out.push({ file: path.relative(webSrc, file), line, tag: m[1]!, text: text.slice(m.index, end), before });
    }
  }
  return out;
}

/**
 * Files whose text inputs do not carry the server's limits yet. The list only shrinks: a file missing here fails when
 * one of its inputs lacks a limit, and a file listed here fails once it has them all (then it leaves the list).
 */
const pending = new Set<string>([]);

describe('the web forms carry the server limits', () => {
  it('every text input has maxLength (dates, read-only fields and inputs marked "no maxLength" with a reason aside)', () => {
    const inputs = elements(['TextInput', 'Textarea', 'PasswordInput', 'TagsInput', 'Autocomplete']);
    expect(inputs.length).toBeGreaterThan(100);
    const missing = inputs.filter(
      (e) =>
        !/\bmaxLength=/.test(e.text) &&
        !/\breadOnly\b/.test(e.text) &&
        !/type="(date|datetime-local)"/.test(e.text) &&
        !/no maxLength( on the whole)?: \S/.test(e.before),
    );
    const unlisted = missing.filter((e) => !pending.has(e.file)).map((e) => `${e.file}:${e.line} <${e.tag}> has no maxLength`);
    expect(unlisted).toEqual([]);
    const done = [...pending].filter((f) => !missing.some((e) => e.file === f));
    expect(done, 'these files carry all their limits now: take them off the pending list').toEqual([]);
  });

  it('takes limits from the schemas, never as a number written into the form', () => {
    const copies = elements(['TextInput', 'Textarea', 'PasswordInput', 'TagsInput', 'NumberField'])
      .filter((e) => !pending.has(e.file) && /\b(maxLength|min|max)=\{-?\d/.test(e.text))
      .map((e) => `${e.file}:${e.line} <${e.tag}> writes its limit as a number`);
    expect(copies).toEqual([]);
  });

  it('every number input is the shared NumberField, which follows the session language', () => {
    const direct = elements(['NumberInput'])
      .filter((e) => e.file !== 'app/FormParts.tsx')
      .map((e) => `${e.file}:${e.line} uses NumberInput instead of NumberField`);
    expect(direct).toEqual([]);
    expect(elements(['NumberField']).length).toBeGreaterThan(10);
  });
});
