import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../server/src/app.ts';
import type { DialectName } from '../server/src/config.ts';
import { createDeps } from '../server/src/deps.ts';
import { createMigratedDatabase } from '../server/src/test/harness.ts';
import { type JourneyLanguage, journeyText } from './journey-text.ts';

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
  const db = await createMigratedDatabase(dialect);
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

/**
 * A full-page screenshot of a journey's step, for a person to look at the page: written only when PRAXIS_SCREENSHOTS=1
 * (about seventy full-page captures a run cost the suite time that no check reads).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.PRAXIS_SCREENSHOTS !== '1') return;
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

export interface JourneyMember {
  email: string;
  name: string;
  password: string;
  role: 'manager' | 'contributor' | 'auditor' | 'viewer' | 'employee';
}

/**
 * A journey's world: a server, a browser, the first-run setup done through the API (the ISMS manager
 * isms@example.com / "manager password 1" and the scope "Example Ltd"), and further members with passwords.
 * `loggedIn` opens a browser context of its own, logs in through the page and collects page errors in `errors`.
 */
export async function openJourney(members: JourneyMember[], options: { lang?: JourneyLanguage } = {}) {
  const text = await journeyText(options.lang ?? 'en');
  const server = await startServer('sqlite');
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const post = async (urlPath: string, body: object, cookie?: string, csrf?: string) => {
    const res = await fetch(`${server.url}${urlPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie && { cookie }), ...(csrf && { 'x-csrf-token': csrf }) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${urlPath} → ${res.status} ${await res.text()}`);
    return { body: (await res.json()) as Record<string, any>, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? cookie };
  };
  const setup = await post('/api/setup', {
    admin: { email: 'isms@example.com', name: 'ISMS Manager', password: 'manager password 1' },
    scope: { name: 'Example Ltd', profile: 'small' },
  });
  const scopeId = setup.body.memberships[0].scopeId as string;
  const csrf = setup.body.csrfToken as string;
  for (const m of members) {
    await post('/api/users', { email: m.email, name: m.name, password: m.password }, setup.cookie, csrf);
    await post(`/api/scopes/${scopeId}/members`, { email: m.email, role: m.role }, setup.cookie, csrf);
  }
  return {
    server,
    scopeId,
    errors,
    /** The journey's words in its language (`text.t('risks:status.assessed')`): see journey-text.ts. */
    text,
    /**
     * `locale`: the browser's language (the page follows it while the account has no language of its own); by default
     * the journey's language.
     */
    async loggedIn(
      email: string,
      password: string,
      viewport: { width: number; height: number },
      options: { locale?: string } = {},
    ): Promise<Page> {
      const context = await browser.newContext({ viewport, acceptDownloads: true, locale: options.locale ?? text.locale });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/login`);
      await page.fill('input[name="email"]', email);
      await page.fill('input[name="password"]', password);
      await page.locator('form button[type="submit"]').first().click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      await server.close();
    },
  };
}
