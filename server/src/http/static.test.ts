import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createTestContext, dialects, type TestContext } from '../test/harness.ts';

describe.each(dialects)('the web client’s files on %s', (dialect) => {
  let t: TestContext;
  let dist: string;
  let web: Awaited<ReturnType<typeof buildApp>>;
  const script = `console.log(${JSON.stringify('Praxis '.repeat(500))});`;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Praxis</title>');
    const asset = path.join(dist, 'assets', 'index-abc123.js');
    fs.writeFileSync(asset, script);
    fs.writeFileSync(`${asset}.gz`, gzipSync(script));
    fs.writeFileSync(`${asset}.br`, brotliCompressSync(script));
    web = await buildApp(t.deps, { webDistDir: dist });
  });
  afterAll(async () => {
    await web?.close();
    fs.rmSync(dist, { recursive: true, force: true });
    await t?.close();
  });

  it('sends the precompressed copy a browser accepts, and caches hashed files for good', async () => {
    const br = await web.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode, br.body).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(script.length / 4);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await web.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    const plain = await web.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('has the page itself checked on every load, with the security headers', async () => {
    for (const url of ['/', '/index.html', '/scopes/some-page']) {
      const res = await web.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    expect((await web.inject({ method: 'GET', url: '/index.html' })).headers['cache-control']).toBe('no-cache');
    expect((await web.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']).toContain("default-src 'self'");
  });
});
