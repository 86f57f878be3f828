import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * What the first page of the web client loads: the entry chunk and every chunk it imports statically, transitively
 * (pages, the shell and each language's catalogs are dynamic imports and load when needed). Read from Vite's build
 * manifest, so `npm run build` comes first (`npm test` runs it).
 *
 * Issue #13: the first page loads under 500 kB of JavaScript, uncompressed (about 150 kB as sent: the server sends
 * the precompressed copies scripts/web-build.ts writes). It was 536 kB before the date inputs' language, the feature
 * areas' routes and the page header moved to the shell's side (490 kB then). React DOM (~207 kB), React Router
 * (~96 kB), i18next (~50 kB), TanStack Query (~33 kB) and Mantine's provider with the loaders and the error page
 * (~60 kB) are most of it, which a first page cannot do without: what else it takes has to fit in what is left.
 */
const dist = path.resolve(import.meta.dirname, '../../../web/dist');
const manifestFile = path.join(dist, '.vite', 'manifest.json');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** The entry's chunk and, transitively, the chunks it imports statically (not its dynamic imports). */
export function firstPageChunks(manifest: Record<string, ManifestChunk>): string[] {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  const seen = new Set<string>();
  const queue = entries.map(([key]) => key);
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    queue.push(...(manifest[key]?.imports ?? []));
  }
  return [...seen].map((key) => (manifest[key] as ManifestChunk).file).filter((file) => file.endsWith('.js'));
}

const kB = 1000;

describe('the web client’s first page', () => {
  it('loads under 500 kB of JavaScript, uncompressed', () => {
    if (!fs.existsSync(manifestFile)) throw new Error('web/dist/.vite/manifest.json is missing: run `npm run build` first');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
    const files = firstPageChunks(manifest);
    expect(files.length).toBeGreaterThan(0);
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const body = fs.readFileSync(path.join(dist, file));
      raw += body.length;
      gzip += gzipSync(body, { level: 9 }).length;
    }
    const sizes = `${files.length} chunks, ${(raw / kB).toFixed(1)} kB, gzip ${(gzip / kB).toFixed(1)} kB`;
    expect(raw, sizes).toBeLessThan(500 * kB);
  });

  it('does not count what loads later: pages, the shell, the scope’s routes and the catalogs are chunks of their own', () => {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
    const first = new Set(firstPageChunks(manifest));
    const later = (source: RegExp) =>
      Object.entries(manifest)
        .filter(([key]) => source.test(key))
        .map(([, c]) => c.file);
    for (const source of [
      /app\/Shell\.tsx$/,
      /app\/ScopePages\.tsx$/,
      /features\/risks\/RiskListPage\.tsx$/,
      /features\/auth\/LoginPage\.tsx$/,
    ]) {
      const files = later(source);
      expect(files, String(source)).toHaveLength(1);
      expect(first.has(files[0] as string), String(source)).toBe(false);
    }
    // one chunk per language, none of them on the first page
    const catalogs = Object.values(manifest)
      .map((c) => c.file)
      .filter((f) => /\/i18n-[a-z-]+-[\w-]+\.js$/.test(f));
    expect(catalogs.length).toBeGreaterThanOrEqual(2);
    for (const file of catalogs) expect(first.has(file), file).toBe(false);
  });
});
