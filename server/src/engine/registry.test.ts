import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformTags } from '../app.ts';
import { rolePermissions } from '../auth/role-permissions.ts';
import { loadConfig } from '../config.ts';
import type { EventName } from '../events/event-bus.ts';
import { edgeKey, handoffDefinitions, processDefinitions } from '../isms/process-model.ts';
import { processModules } from '../processes/registry.ts';
import type { Deps } from '../shared/context.ts';
import { platformPermissions } from './platform.ts';

/**
 * The process model and the code must agree: the map draws only what is true. These checks read the module registry
 * and the model; they need no database.
 */
const processesDir = path.resolve(import.meta.dirname, '../processes');
const fakeDeps = { config: loadConfig({}) } as unknown as Deps;
const receivers = processModules.flatMap((m) => (m.receives?.(fakeDeps) ?? []).map((r) => ({ module: m, ...r })));
const edges = new Set(handoffDefinitions.map((h) => edgeKey(h.from, h.to)));

describe('module registry and process model', () => {
  it('names each module once, in its own folder, on a process of the model', () => {
    const keys = processModules.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    const processKeys = new Set(processDefinitions.map((p) => p.key));
    for (const m of processModules) {
      expect(processKeys.has(m.process), m.key).toBe(true);
      expect(fs.existsSync(path.join(processesDir, m.key, 'index.ts')), `${m.key}/index.ts`).toBe(true);
    }
    // every module folder is registered
    const folders = fs.readdirSync(processesDir, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(folders.map((d) => d.name).sort()).toEqual([...keys].sort());
  });

  it('lists every edge of the model once, and marks it live exactly when a module receives along it', () => {
    expect(edges.size).toBe(handoffDefinitions.length);
    const received = new Set(receivers.filter((r) => r.from !== r.module.process).map((r) => edgeKey(r.from, r.module.process)));
    for (const h of handoffDefinitions) {
      const key = edgeKey(h.from, h.to);
      expect(received.has(key) ? 'live' : 'planned', `edge ${key}`).toBe(h.status);
    }
  });

  it('receives only along edges of the model, or within the receiving process', () => {
    for (const r of receivers) {
      if (r.from === r.module.process) continue;
      expect(edges.has(edgeKey(r.from, r.module.process)), `${r.module.key} receives ${r.event} from ${r.from}`).toBe(true);
    }
  });

  it('declares every event it emits, each received by some module or marked informational', () => {
    const emitted = new Map<EventName, { module: string; informational: boolean }>();
    for (const m of processModules) {
      for (const e of m.emits) {
        expect(emitted.has(e.event), `${e.event} declared twice`).toBe(false);
        emitted.set(e.event, { module: m.key, informational: !!e.informational });
      }
    }
    const receivedEvents = new Set(receivers.map((r) => r.event));
    for (const [event, e] of emitted) {
      expect(receivedEvents.has(event) !== e.informational, `${event}: received, or informational (not both)`).toBe(true);
    }
    // a receiver listens only to events some module declares
    for (const r of receivers) expect(emitted.has(r.event), `${r.module.key} receives undeclared ${r.event}`).toBe(true);
    // a receiver's `from` is the process of the module that emits the event
    for (const r of receivers) {
      const sender = processModules.find((m) => m.key === emitted.get(r.event)?.module);
      expect(sender?.process, `${r.module.key} receives ${r.event}`).toBe(r.from);
    }
  });

  it('declares exactly the events its code emits', () => {
    for (const m of processModules) {
      const dir = path.join(processesDir, m.key);
      const code = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
      // emitted in the transaction, or after the commit through the outbox
      const inCode = new Set([...code.matchAll(/(?:events\.emit|enqueueTx)\((?:[^,]+,){2,3}\s*'([a-z.-]+)'/g)].map((x) => x[1]));
      expect([...inCode].sort(), m.key).toEqual(m.emits.map((e) => e.event).sort());
    }
  });

  it('gives every permission one owner: a module or the platform', () => {
    const owners = new Map<string, string[]>();
    for (const p of platformPermissions) owners.set(p, ['platform']);
    for (const m of processModules) for (const p of Object.keys(m.permissions)) owners.set(p, [...(owners.get(p) ?? []), m.key]);
    for (const [p, o] of owners) expect(o, p).toHaveLength(1);
    expect([...owners.keys()].sort()).toEqual([...rolePermissions.manager].sort());
  });

  it("declares each module's permissions in its <module>.permissions.ts, the file the web client reads too", async () => {
    for (const m of processModules) {
      const file = (await import(`../processes/${m.key}/${m.key}.permissions.ts`)) as { permissions: unknown };
      expect(file.permissions, m.key).toBe(m.permissions);
    }
    const dir = new URL('../processes/', import.meta.url);
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.permissions.ts'));
    expect(files.sort()).toEqual(processModules.map((m) => `${m.key}/${m.key}.permissions.ts`).sort());
  });

  it('declares the OpenAPI tags its routes use', async () => {
    const { buildApp } = await import('../app.ts');
    const { openDatabase } = await import('../db/database.ts');
    const { createDeps } = await import('../deps.ts');
    const config = loadConfig({ PRAXIS_DATA_DIR: fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'praxis-tags-')) });
    const database = openDatabase(config);
    const app = await buildApp(createDeps(config, database));
    try {
      await app.ready();
      const doc = app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>>; tags: { name: string }[] };
      const declared = new Set([...platformTags, ...processModules.flatMap((m) => m.tags)].map((t) => t.name));
      expect(doc.tags.map((t) => t.name).sort()).toEqual([...declared].sort());
      for (const [url, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          for (const tag of op.tags ?? []) expect(declared.has(tag), `${method.toUpperCase()} ${url}: tag "${tag}"`).toBe(true);
        }
      }
    } finally {
      await app.close();
      await database.destroy();
    }
  });

  it('draws in the web navigation every section a module declares', () => {
    const features = path.resolve(import.meta.dirname, '../../../web/src/features');
    // the web registry draws every feature area with a routes.tsx; the sections they declare
    const web = fs
      .readdirSync(features)
      .filter((area) => fs.existsSync(path.join(features, area, 'routes.tsx')))
      .map((area) => fs.readFileSync(path.join(features, area, 'routes.tsx'), 'utf8'))
      .join('\n');
    const sections = new Set([...web.matchAll(/section: '([a-z-]+)'/g)].map((x) => x[1]));
    for (const m of processModules) for (const n of m.nav ?? []) expect(sections.has(n.section), `${m.key}: ${n.section}`).toBe(true);
  });
});
