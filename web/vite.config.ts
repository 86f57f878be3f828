import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The web client's catalogs by language (`src/i18n/<lang>/<namespace>.json`): `virtual:i18n-catalogs` lists the
 * languages and namespaces and loads a language by a dynamic import of `virtual:i18n-catalogs/<lang>`, one module with
 * all of that language's namespaces. So each language is one chunk (`i18n-<lang>`), loaded only when it is shown, and
 * a new area still only adds its JSON files.
 */
function catalogsByLanguage(): Plugin {
  const dir = path.resolve(import.meta.dirname, 'src/i18n');
  const id = 'virtual:i18n-catalogs';
  const languages = () =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  const namespaces = (lang: string) =>
    fs
      .readdirSync(path.join(dir, lang))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => f.slice(0, -'.json'.length));
  return {
    name: 'praxis-i18n-catalogs',
    resolveId: (source) => (source === id || source.startsWith(`${id}/`) ? `\0${source}` : undefined),
    load(resolved) {
      if (resolved === `\0${id}`) {
        this.addWatchFile(dir);
        const all = languages();
        const loads = all.map((lang) => `  case ${JSON.stringify(lang)}: return import(${JSON.stringify(`${id}/${lang}`)});`);
        return [
          `export const namespaces = ${JSON.stringify(Object.fromEntries(all.map((lang) => [lang, namespaces(lang)])))};`,
          'export function load(lang) {',
          '  switch (lang) {',
          ...loads,
          "    default: return Promise.reject(new Error('no catalogs for ' + lang));",
          '  }',
          '}',
        ].join('\n');
      }
      if (!resolved.startsWith(`\0${id}/`)) return undefined;
      const lang = resolved.slice(`\0${id}/`.length);
      const files = namespaces(lang).map((ns) => path.join(dir, lang, `${ns}.json`));
      for (const file of files) this.addWatchFile(file);
      return [
        ...files.map((file, i) => `import c${i} from ${JSON.stringify(file)};`),
        `export default { ${namespaces(lang)
          .map((ns, i) => `${JSON.stringify(ns)}: c${i}`)
          .join(', ')} };`,
      ].join('\n');
    },
  };
}

/** The module of a language's catalogs → `i18n-<lang>`. */
const catalogChunk = (moduleId: string) => {
  const lang = /virtual:i18n-catalogs\/([^/]+)$/.exec(moduleId)?.[1];
  return lang ? `i18n-${lang}` : null;
};

export default defineConfig({
  plugins: [react(), catalogsByLanguage()],
  resolve: {
    // one copy of React and Mantine, whichever package imports them (a second copy loses the providers' context)
    dedupe: ['react', 'react-dom', '@mantine/core', '@mantine/hooks', '@tanstack/react-query'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // .vite/manifest.json: which chunks the first page loads (server/src/shared/web-bundle.test.ts keeps it small)
    manifest: true,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: catalogChunk }] } } },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
