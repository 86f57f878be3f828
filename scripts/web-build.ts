/**
 * Builds the web client (`vite build`) and writes a gzip and a brotli copy of every text asset next to it, which the
 * server sends to browsers that accept them (@fastify/static `preCompressed`). Then stamps the build with a hash of the
 * client's sources.
 *
 *   node scripts/web-build.ts               always build
 *   node scripts/web-build.ts --if-changed  build only when the sources differ from the last build's stamp (npm start)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const stampFile = path.join(dist, '.build-stamp');

/**
 * What the build reads: the client's sources and configuration, the server code it imports (schemas, roles, the process
 * model; its tests aside) and the lock file.
 */
const inputs = [path.join(web, 'src'), path.join(web, 'public'), path.join(web, 'index.html'), path.join(web, 'package.json')]
  .concat([path.join(root, 'server', 'src')])
  .concat(
    fs
      .readdirSync(web)
      .filter((f) => /^(vite|postcss|tsconfig)\b.*\.(ts|cjs|mjs|js|json)$/.test(f))
      .map((f) => path.join(web, f)),
  )
  .concat([path.join(root, 'package-lock.json')]);

function* filesOf(p: string): Generator<string> {
  if (!fs.existsSync(p)) return;
  if (fs.statSync(p).isDirectory()) {
    for (const entry of fs.readdirSync(p).sort()) yield* filesOf(path.join(p, entry));
  } else if (!/\.test\.tsx?$/.test(p)) yield p;
}

/** The SHA-256 of every input file's path and content. */
export function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const input of inputs)
    for (const file of filesOf(input)) {
      hash.update(path.relative(root, file));
      hash.update('\0');
      hash.update(fs.readFileSync(file));
      hash.update('\0');
    }
  return hash.digest('hex');
}

const compressible = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;

/** gzip and brotli copies of the text assets (only when they are smaller). */
function precompress(): number {
  let n = 0;
  for (const file of filesOf(dist)) {
    if (!compressible.test(file)) continue;
    const body = fs.readFileSync(file);
    if (body.length < 1024) continue;
    const gz = gzipSync(body, { level: 9 });
    const br = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    if (gz.length < body.length) fs.writeFileSync(`${file}.gz`, gz);
    if (br.length < body.length) fs.writeFileSync(`${file}.br`, br);
    n += 1;
  }
  return n;
}

if (import.meta.main) {
  const stamp = sourceStamp();
  const built = fs.existsSync(path.join(dist, 'index.html')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (process.argv.includes('--if-changed') && built) {
    console.log('Web client is up to date (its sources have not changed since the last build).');
  } else {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--workspace', 'web'], { cwd: root, stdio: 'inherit' });
    const n = precompress();
    fs.writeFileSync(stampFile, stamp);
    console.log(`Web client built; ${n} assets precompressed (gzip, brotli).`);
  }
}
