/**
 * Runs one autocannon load in a worker thread, so that the load generator does not share the event loop of the server
 * it measures. Reports every response's latency (for exact p50/p95/p99), the request count and the errors.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  requests: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }[];
}

export interface LoadResult {
  latencies: number[];
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
}

const spec = workerData as LoadSpec;
const latencies: number[] = [];
const started = performance.now();
const instance = autocannon(
  { url: spec.url, connections: spec.connections, duration: spec.duration, headers: spec.headers, requests: spec.requests },
  (err, result) => {
    if (err) throw err;
    const out: LoadResult = {
      latencies,
      requests: result.requests.total,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      seconds: (performance.now() - started) / 1000,
    };
    parentPort!.postMessage(out);
  },
);
instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
  latencies.push(responseTime);
});
