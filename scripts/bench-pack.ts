/**
 * Bench section for the audit pack, run after the other sections in the scope they filled (dataset L: the assets,
 * 50,000 risks, the SoA over 1,200 requirements, 100,000 evidence records, 10,000 tasks). Downloads the pack through
 * HTTP as a stream (the response is read chunk by chunk and thrown away, as a client saving it to disk would) while it
 * samples the process's resident memory every 50 ms, and reports the time, the ZIP's size and the peak RSS. The bench
 * process already holds what generating the dataset left behind, so the bar of 300 MB is checked against what building
 * the pack adds to the RSS it had before (the server's own share when it serves the pack).
 */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { TestContext } from '../server/src/test/harness.ts';

const RSS_BAR_MB = 300;
const mb = (bytes: number) => bytes / 1024 / 1024;

export async function benchPack(t: TestContext, scopeId: string, headers: Record<string, string>) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  let bytes = 0;
  try {
    const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit-pack.zip`, headers, payloadAsStream: true });
    if (res.statusCode !== 200) throw new Error(`audit pack → ${res.statusCode}`);
    for await (const chunk of res.stream() as Readable) bytes += (chunk as Buffer).length;
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  console.log('\n### audit pack (streamed download)');
  console.log('| time | ZIP size | RSS before | peak RSS | added by the pack | bar (added) |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| ${seconds.toFixed(1)} s | ${mb(bytes).toFixed(1)} MB | ${mb(before).toFixed(0)} MB | ${mb(peak).toFixed(0)} MB | ` +
      `${mb(peak - before).toFixed(0)} MB | ${mb(peak - before) < RSS_BAR_MB ? 'below' : 'ABOVE'} ${RSS_BAR_MB} MB |`,
  );
}
