import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5 } from '../../src/coops/algorithm/dmp';
import { CoopsTestClient, type Transport } from '../support/coops-client';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { freePort } from '../support/ports';
import { CLI, run, spawnServer, type ServerProcess } from '../support/processes';
import { seededRandom } from '../support/random';
import { tempDir } from '../support/temp';

interface Replica {
  process: ServerProcess;
  http: string;
  debug: string;
}

let nats: NatsServerHandle;
let root: { dir: string; remove: () => Promise<void> };
const replicas: Replica[] = [];
const SECRET = 'cluster-test-secret-0123456789abcdef';

async function startReplica(): Promise<Replica> {
  const http = await freePort();
  const debug = await freePort();
  const env = {
    COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
    COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
    COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
    COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
    COLLABORATION_WOPI_SECRET: SECRET,
    COLLABORATION_LOCAL_ROOT: root.dir,
    COLLABORATION_NATS_URL: nats.url,
    COLLABORATION_COOPS_LOG: 'jetstream',
    COLLABORATION_COOPS_SAVE_DELAY: '500ms',
    COLLABORATION_LOG_LEVEL: 'warn',
  };
  const debugUrl = `http://127.0.0.1:${String(debug)}`;
  return {
    process: await spawnServer(env, debugUrl),
    http: `http://127.0.0.1:${String(http)}`,
    debug: debugUrl,
  };
}

async function open(name: string, user: string): Promise<Record<string, string>> {
  const result = await run(CLI, ['open', name, '--user', user, '--json'], {
    COLLABORATION_LOCAL_ROOT: root.dir,
    COLLABORATION_WOPI_SECRET: SECRET,
    COLLABORATION_WOPI_SRC: replicas[0]?.http ?? '',
  });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

/** The same address on another replica (any replica serves any client of any file). */
function on(replica: Replica, url: string): string {
  return url.replace(/^http:\/\/127\.0\.0\.1:\d+/, replica.http);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  nats = await startNatsServer();
  root = await tempDir();
  replicas.push(await startReplica(), await startReplica());
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) {
    await replica.process.kill('SIGTERM');
  }
  await root.remove();
  await nats.dispose();
});

describe('CoOPS on two replicas sharing JetStream', () => {
  it('should print the CoOPS address and the editor page from the CLI, usable on either replica', async () => {
    await writeFile(join(root.dir, 'cli.md'), '# cli');
    const opened = await open('cli.md', 'alice');
    expect(opened['coopsUrl']).toMatch(
      new RegExp(`^${replicas[0]?.http ?? ''}/coops/${opened['fileId'] ?? ''}/[\\w-]+$`),
    );
    expect(opened['editorUrl']).toBe(`${opened['coopsUrl'] ?? ''}/editor`);
    for (const replica of replicas) {
      const response = await fetch(on(replica, opened['coopsUrl'] ?? ''));
      expect(await response.json()).toMatchObject({
        content: '# cli',
        contentType: 'text/markdown',
      });
    }
    const ready = (await (await fetch(`${replicas[1]?.debug ?? ''}/readyz`)).json()) as {
      details: Record<string, { status: string; log?: string }>;
    };
    expect(ready.details['coops']).toMatchObject({ status: 'up', log: 'jetstream' });
  });

  it('should converge many clients over REST and WebSocket on both replicas to the stored file', async () => {
    const name = 'cluster.txt';
    await writeFile(join(root.dir, name), 'The beginning.\n');
    const transports: Transport[] = ['websocket', 'rest'];
    const clients: CoopsTestClient[] = [];
    for (let i = 0; i < 12; i++) {
      const opened = await open(name, `user${String(i)}`);
      const replica = replicas[i % 2]!;
      clients.push(
        new CoopsTestClient(
          on(replica, opened['coopsUrl'] ?? ''),
          transports[Math.floor(i / 2) % 2] ?? 'rest',
          50,
        ),
      );
    }
    for (const client of clients) {
      await client.join();
    }
    const random = seededRandom(42);
    const rounds = 20;
    for (let round = 0; round < rounds; round++) {
      for (const [i, client] of clients.entries()) {
        const token = `<${String(i)}:${String(round)}>`;
        client.edit((text) => {
          // Insert at a random place between tokens, never inside one.
          const cuts = [0, ...[...text.matchAll(/>/g)].map((m) => m.index + 1), text.length];
          const at = cuts[Math.floor(random() * cuts.length)] ?? text.length;
          return text.slice(0, at) + token + text.slice(at);
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(random() * 30)));
    }
    const headOf = async (replica: Replica): Promise<{ revisionNumber: number; content: string }> =>
      (await (await fetch(on(replica, clients[0]?.url ?? ''))).json()) as {
        revisionNumber: number;
        content: string;
      };
    for (const client of clients) {
      await client.settle(0, 60_000);
    }
    // Everyone has everything once nobody edits: the same revision and content everywhere.
    const final = await headOf(replicas[0]!);
    for (const client of clients) {
      await client.settle(final.revisionNumber, 60_000);
    }
    await eventually(
      async () => (await headOf(replicas[1]!)).revisionNumber === final.revisionNumber,
    );
    expect((await headOf(replicas[1]!)).content).toBe(final.content);
    for (const client of clients) {
      expect(client.problems).toEqual([]);
      expect(client.content).toBe(final.content);
      expect(md5(client.content)).toBe(md5(final.content));
    }
    // No edit lost, none applied twice: exactly the typed characters were added. (Merging is
    // per character, so concurrent insertions at one spot may interleave.)
    const typed = clients.flatMap((_, i) =>
      Array.from({ length: rounds }, (__, round) => `<${String(i)}:${String(round)}>`),
    );
    const sorted = (text: string): string => Array.from(text).sort().join('');
    expect(sorted(final.content)).toBe(sorted(`The beginning.\n${typed.join('')}`));
    await eventually(
      async () => md5(await readFile(join(root.dir, name), 'utf8')) === md5(final.content),
    );
    for (const client of clients) {
      await client.stop();
    }
  });

  it('should fan WebSocket updates out across replicas in order, and reconnect anywhere', async () => {
    const name = 'fanout.txt';
    await writeFile(join(root.dir, name), '');
    const a = new CoopsTestClient(
      on(replicas[0]!, (await open(name, 'a'))['coopsUrl'] ?? ''),
      'websocket',
    );
    const b = new CoopsTestClient(
      on(replicas[1]!, (await open(name, 'b'))['coopsUrl'] ?? ''),
      'websocket',
    );
    const joinedB = await b.join();
    await a.join();
    for (let i = 0; i < 30; i++) {
      a.edit((t) => `${t}a${String(i)} `);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await a.settle(0);
    await b.settle(a.revision);
    expect(b.content).toBe(a.content);
    expect(b.received).toEqual(
      Array.from({ length: b.received.length }, (_, i) => joinedB.revisionNumber + 1 + i),
    );
    // b's socket drops; it comes back on the other replica and gets exactly what it missed.
    const before = b.revision;
    await b.disconnect();
    for (let i = 0; i < 5; i++) {
      a.edit((t) => `${t}late${String(i)} `);
      await a.settle(0);
    }
    await b.connect(
      b.url
        .replace(/^http/, 'ws')
        .replace(
          replicas[1]!.http.replace(/^http/, 'ws'),
          replicas[0]!.http.replace(/^http/, 'ws'),
        ) + `/ws/${b.sessionId}`,
    );
    await b.settle(a.revision);
    expect(b.problems).toEqual([]);
    expect(b.content).toBe(a.content);
    expect(b.received.find((n) => n > before)).toBe(before + 1);
    await a.stop();
    await b.stop();
  });
});
