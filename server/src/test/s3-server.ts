import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * An S3-compatible server on loopback for tests (s3rver: the S3 API in Node, objects kept in a temporary directory),
 * with one bucket. Nothing leaves the machine. The SDK signs its requests with the credentials of the standard AWS
 * variables, which this sets for the test process.
 */
export async function startS3(bucket = 'praxis-test') {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as AddressInfo;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const endpoint = `http://127.0.0.1:${port}`;
  /** a client of its own, to look into the bucket independently of the code under test */
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true });
  return {
    bucket,
    endpoint,
    client,
    /** PRAXIS_FILES_URL for a prefix of the bucket */
    url: (prefix: string) => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    /** the keys under a prefix */
    keys: async (prefix: string) =>
      ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }))).Contents ?? []).map((o) => o.Key),
    close: async () => {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
