import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web client names processes as the server words them for the reader (the process map's query,
 * web/src/features/processes/process-names.ts: `processes:name.<key>` of the server's catalog), never from the process
 * model (server/src/isms/process-model.ts), whose names, descriptions and hand-off outputs are English: a German reader
 * once met "Risk assessment" in the records register and the audits' process criteria that way. Type-only imports are
 * erased and do not count.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const model = path.join(root, 'server/src/isms/process-model.ts');
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });

/** The names a file imports as values from the process model. */
function modelValueImports(file: string, text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)([^;]*?)\sfrom\s+'([^']+)'/gms)) {
    if (path.resolve(path.dirname(file), m[2]!) !== model) continue;
    const clause = m[1]!.trim();
    const listed = /^\{([^}]*)\}$/s.exec(clause);
    if (!listed) {
      names.push(clause); // a default or namespace import takes the whole model
      continue;
    }
    for (const n of listed[1]!.split(',').map((x) => x.trim())) if (n && !n.startsWith('type ')) names.push(n.split(/\s+as\s+/)[0]!);
  }
  return names;
}

describe('process names in the web client', () => {
  it('come from the server for the reader, not from the English process model', () => {
    const offending = walk(path.join(root, 'web/src')).flatMap((file) =>
      modelValueImports(file, fs.readFileSync(file, 'utf8')).map((n) => `${path.relative(root, file)} imports ${n}`),
    );
    expect(offending, 'name processes with useProcessNames (web/src/features/processes/process-names.ts)').toEqual([]);
  });

  it('finds such an import, and lets a type-only one pass', () => {
    const page = path.join(root, 'web/src/features/records/RecordsPage.tsx');
    const from = "'../../../../server/src/isms/process-model.ts'";
    expect(modelValueImports(page, `import { processDefinitions } from ${from};`)).toEqual(['processDefinitions']);
    expect(modelValueImports(page, `import {\n  findProcessDefinition as find,\n  type ProcessKey,\n} from ${from};`)).toEqual([
      'findProcessDefinition',
    ]);
    expect(modelValueImports(page, `import * as model from ${from};`)).toEqual(['* as model']);
    expect(modelValueImports(page, `import type { ProcessKey } from ${from};`)).toEqual([]);
    expect(modelValueImports(page, `import { type ProcessKey } from ${from};`)).toEqual([]);
    expect(modelValueImports(page, "import { processDefinitions } from './process-model.ts';")).toEqual([]);
  });
});
