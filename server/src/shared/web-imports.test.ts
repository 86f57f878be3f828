import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web client imports the server's pure contract files (zod schemas, pure rules, the role grants). What they import
 * at run time ends up in the browser bundle, so none of it may reach Node's built-ins (the server's i18n catalogs, for
 * example, are read from disk): a process map page once failed with "readdirSync is not a function" that way.
 * Type-only imports are erased and do not count.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const valueImports = (file: string): string[] => {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)([^;]*?)\sfrom\s+'([^']+)'/gms)) {
    // `import { type A, type B } from` is erased too
    const names = m[1]!;
    if (
      /^\{[^}]*\}$/s.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, '')
        .split(',')
        .filter(Boolean)
        .every((n) => n.startsWith('type'))
    )
      continue;
    specs.push(m[2]!);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) specs.push(m[1]!);
  return specs;
};
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });

describe('what the web client takes from the server', () => {
  it('reaches no Node built-in through the server files it imports', () => {
    const serverSrc = path.join(root, 'server/src');
    const start = new Set<string>();
    for (const file of walk(path.join(root, 'web/src')))
      for (const spec of valueImports(file)) {
        const target = path.resolve(path.dirname(file), spec);
        if (spec.startsWith('.') && target.startsWith(serverSrc)) start.add(target);
      }
    expect(start.size).toBeGreaterThan(0);
    const seen = new Map<string, string>(); // file → the file that imported it
    const queue = [...start];
    for (const f of start) seen.set(f, 'web/src');
    const offending: string[] = [];
    while (queue.length) {
      const file = queue.shift()!;
      for (const spec of valueImports(file)) {
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'pg', 'kysely'].includes(spec)) {
          offending.push(`${path.relative(root, file)} imports ${spec} (reached from ${path.relative(root, seen.get(file)!)})`);
          continue;
        }
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (!seen.has(target) && fs.existsSync(target)) {
          seen.set(target, file);
          queue.push(target);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
