import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `src/i18n/<lang>/<namespace>.json` → `i18n-<lang>`: one chunk per language, loaded only when that language is shown. */
const catalogChunk = (id: string) => {
  const lang = /[\\/]src[\\/]i18n[\\/]([^\\/]+)[\\/][^\\/]+\.json$/.exec(id)?.[1];
  return lang ? `i18n-${lang}` : null;
};

export default defineConfig({
  plugins: [react()],
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
