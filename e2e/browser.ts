import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../server/src/app.ts';
import type { DialectName } from '../server/src/config.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createDeps } from '../server/src/deps.ts';
import { createTestDatabase } from '../server/src/test/harness.ts';

/** Debian's chromium, driven by playwright-core (no downloaded browser builds). */
export const CHROMIUM = process.env.PRAXIS_CHROMIUM ?? '/usr/bin/chromium';
export const artifactsDir = path.resolve(import.meta.dirname, '../test-artifacts/e2e');
export const webDist = path.resolve(import.meta.dirname, '../web/dist');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A real Praxis server on a free loopback port, on a fresh database, serving the built web client. */
export async function startServer(dialect: DialectName = 'sqlite') {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
  const db = await createTestDatabase(dialect);
  await migrateToLatest(db.database.db, dialect);
  const deps = createDeps(db.config, db.database);
  const app = await buildApp(deps, { webDistDir: webDist });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}
