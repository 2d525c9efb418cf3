// API throughput and latency at N file systems (default 1,000), through the SDK v3 EFS client against an
// in-process server on 127.0.0.1 (real SigV4, real engine volumes).
// Run: node --import tsx bench/api/api-bench.ts [fileSystems=1000] [concurrency=16]
import { performance } from 'node:perf_hooks';
import * as efs from '@aws-sdk/client-efs';
import { startTestServer } from '../../src/api/testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const total = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 16);

interface Stats { name: string; requests: number; seconds: number; p50: number; p99: number }

async function measure(name: string, requests: number, op: (i: number) => Promise<unknown>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { name, requests, seconds, p50: pct(0.5), p99: pct(0.99) };
}

const server = await startTestServer();
const client = new efs.EFSClient({ endpoint: server.url, region: 'local-1', credentials: server.credentials, maxAttempts: 1 });
const ids: string[] = [];
try {
  const results: Stats[] = [];
  results.push(await measure(`CreateFileSystem (to ${total})`, total, async (i) => {
    const r = await client.send(new efs.CreateFileSystemCommand({ CreationToken: `bench-${i}` }));
    ids.push(r.FileSystemId as string);
  }));
  await server.service.idle();
  results.push(await measure(`DescribeFileSystems by id (at ${total})`, 2000, (i) =>
    client.send(new efs.DescribeFileSystemsCommand({ FileSystemId: ids[(i * 7919) % ids.length] }))));
  results.push(await measure(`DescribeFileSystems page of 100 (at ${total})`, 200, () =>
    client.send(new efs.DescribeFileSystemsCommand({ MaxItems: 100 }))));
  results.push(await measure(`DescribeMountTargets by fs (at ${total})`, 2000, (i) =>
    client.send(new efs.DescribeMountTargetsCommand({ FileSystemId: ids[(i * 7919) % ids.length] }))));
  console.log(`concurrency ${concurrency}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  for (const r of results) {
    console.log(`${r.name.padEnd(44)} ${(r.requests / r.seconds).toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`);
  }
} finally {
  client.destroy();
  await server.close();
}
