/**
 * CoOPS fan-out benchmark: N WebSocket clients on one document, on one or two replicas.
 *
 *   npm run build
 *   npx esbuild bench/coops-fanout.ts --bundle --platform=node --packages=external \
 *     --log-level=warning --outfile=build/bench/coops-fanout.cjs && node build/bench/coops-fanout.cjs
 *
 * Options (environment): CLIENTS=10,50,200  SETUPS=memory-1,jetstream-1,jetstream-2  SECONDS=10
 *
 * Latency: one client sends a patch every 50 ms; for each revision, the time from sending until
 * every client (the sender included) received its `update`. Throughput: every client types as fast
 * as the protocol lets it (one patch in flight, resent after a 409) for SECONDS; accepted revisions
 * per second, updates delivered per second, and the servers' CPU per update delivered (the load
 * generator, one process simulating every client, is the limit there on a 2-core machine).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoopsTestClient } from '../test/support/coops-client';
import { startNatsServer, type NatsServerHandle } from '../test/support/nats-server';
import { freePort } from '../test/support/ports';
import { CLI, run, spawnServer, type ServerProcess } from '../test/support/processes';
import { tempDir } from '../test/support/temp';

const SECRET = 'bench-secret-0123456789abcdef0123';
const clientCounts = (process.env['CLIENTS'] ?? '10,50,200').split(',').map(Number);
const setups = (process.env['SETUPS'] ?? 'memory-1,jetstream-1,jetstream-2').split(',');
const seconds = Number(process.env['SECONDS'] ?? '10');

interface Replica {
  process: ServerProcess;
  http: string;
}

/** CPU seconds (user + system) a process used so far (Linux /proc; ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function startReplicas(
  count: number,
  log: string,
  root: string,
  nats: NatsServerHandle | undefined,
): Promise<Replica[]> {
  const replicas: Replica[] = [];
  for (let i = 0; i < count; i++) {
    const http = await freePort();
    const debug = await freePort();
    const server = await spawnServer(
      {
        COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
        COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
        COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
        COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
        COLLABORATION_WOPI_SECRET: SECRET,
        COLLABORATION_LOCAL_ROOT: root,
        COLLABORATION_COOPS_LOG: log,
        COLLABORATION_LOG_LEVEL: 'warn',
        ...(process.env['PROFILE_DIR']
          ? { NODE_OPTIONS: `--require ${process.env['PROFILE_DIR']}` }
          : {}),
        ...(nats ? { COLLABORATION_NATS_URL: nats.url } : {}),
      },
      `http://127.0.0.1:${String(debug)}`,
    );
    replicas.push({ process: server, http: `http://127.0.0.1:${String(http)}` });
  }
  return replicas;
}

async function clientsFor(
  replicas: Replica[],
  root: string,
  name: string,
  count: number,
): Promise<CoopsTestClient[]> {
  await writeFile(join(root, name), 'benchmark\n');
  const opened = await run(CLI, ['open', name, '--json'], {
    COLLABORATION_LOCAL_ROOT: root,
    COLLABORATION_WOPI_SECRET: SECRET,
    COLLABORATION_WOPI_SRC: replicas[0]?.http ?? '',
  });
  const url = (JSON.parse(opened.stdout) as { coopsUrl: string }).coopsUrl;
  const clients: CoopsTestClient[] = [];
  for (let i = 0; i < count; i++) {
    const replica = replicas[i % replicas.length]!;
    const client = new CoopsTestClient(
      url.replace(/^http:\/\/127\.0\.0\.1:\d+/, replica.http),
      'websocket',
    );
    await client.join();
    clients.push(client);
  }
  const head = Math.max(...clients.map((c) => c.revision));
  await Promise.all(clients.map((c) => c.settle(head)));
  return clients;
}

async function latency(clients: CoopsTestClient[]): Promise<number[]> {
  const writer = clients[0]!;
  const sentAt = new Map<number, number>();
  const received = new Map<number, number>();
  const everyone = new Map<number, number>();
  for (const client of clients) {
    client.onRevision = (revision, at) => {
      const count = (received.get(revision.revisionNumber) ?? 0) + 1;
      received.set(revision.revisionNumber, count);
      if (count === clients.length) {
        everyone.set(revision.revisionNumber, at);
      }
    };
  }
  const total = Math.round((seconds * 1000) / 50);
  for (let i = 0; i < total; i++) {
    await writer.settle(0);
    sentAt.set(writer.revision + 1, performance.timeOrigin + performance.now());
    writer.edit((text) => `${text}${String(i % 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await writer.settle(0);
  await Promise.all(clients.map((c) => c.settle(writer.revision, 60_000)));
  const samples: number[] = [];
  for (const [revision, sent] of sentAt) {
    const done = everyone.get(revision);
    if (done !== undefined) {
      samples.push(done - sent);
    }
  }
  for (const client of clients) {
    client.onRevision = undefined;
  }
  return samples.sort((a, b) => a - b);
}

async function throughput(
  clients: CoopsTestClient[],
): Promise<{ revisions: number; deliveries: number }> {
  let deliveries = 0;
  for (const client of clients) {
    client.onRevision = () => {
      deliveries++;
    };
  }
  const start = clients[0]?.revision ?? 0;
  const until = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < until) {
    for (const client of clients) {
      client.edit((text) => (text.length > 2000 ? text.slice(0, 1000) : `${text}x${String(n)}`));
    }
    n++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const revisions = (clients[0]?.revision ?? 0) - start;
  return { revisions: revisions / seconds, deliveries: deliveries / seconds };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const setup of setups) {
    const [log = 'memory', count = '1'] = setup.split('-');
    for (const clientCount of clientCounts) {
      const root = await tempDir('collab-bench-');
      const nats = log === 'jetstream' ? await startNatsServer() : undefined;
      const replicas = await startReplicas(Number(count), log, root.dir, nats);
      try {
        const clients = await clientsFor(replicas, root.dir, 'bench.txt', clientCount);
        const samples = await latency(clients);
        const cpu = (): number =>
          replicas.reduce((sum, r) => sum + cpuSeconds(r.process.child.pid), 0);
        const cpuBefore = cpu();
        const rate = await throughput(clients);
        const cpuPerUpdate = ((cpu() - cpuBefore) / (rate.deliveries * seconds)) * 1e6;
        for (const client of clients) {
          if (client.problems.length > 0) {
            throw new Error(`client problems: ${client.problems.join('; ')}`);
          }
          await client.stop();
        }
        const row = `| ${log} | ${count} | ${String(clientCount)} | ${percentile(samples, 50).toFixed(1)} | ${percentile(samples, 95).toFixed(1)} | ${percentile(samples, 99).toFixed(1)} | ${rate.revisions.toFixed(0)} | ${rate.deliveries.toFixed(0)} | ${cpuPerUpdate.toFixed(0)} |`;
        rows.push(row);
        console.log(row);
      } finally {
        for (const replica of replicas) {
          await replica.process.kill('SIGTERM');
        }
        await nats?.dispose();
        await root.remove();
      }
    }
  }
  console.log(
    '\n| log | replicas | clients | p50 ms | p95 ms | p99 ms | revisions/s | updates/s | server CPU µs/update |\n|---|---|---|---|---|---|---|---|---|',
  );
  console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
