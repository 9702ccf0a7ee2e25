import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makePatch } from '../../src/coops/algorithm/dmp';
import type { Revision } from '../../src/coops/coops.types';
import { openCoops, type OpenedCoops } from '../support/coops';
import { CoopsTestClient, type JoinAnswer } from '../support/coops-client';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ COLLABORATION_COOPS_HEARTBEAT: '1s' });
});

afterAll(async () => {
  await server.dispose();
});

interface Message {
  type: string;
  data: Record<string, unknown>;
}

class Socket {
  readonly messages: Message[] = [];
  readonly frames: string[] = [];
  pings = 0;
  readonly ws: WebSocket;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data: Buffer) => {
      this.frames.push(data.toString());
      this.messages.push(JSON.parse(data.toString()) as Message);
    });
    this.ws.on('ping', () => this.pings++);
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        resolve();
      });
      this.ws.once('error', reject);
    });
  }
  send(type: string, data: unknown): void {
    this.ws.send(JSON.stringify({ type, data }));
  }
  async until(check: (messages: Message[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(`not received in time: ${JSON.stringify(this.messages)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  revisions(): number[] {
    return this.messages
      .filter((m) => m.type === 'update')
      .map((m) => (m.data as unknown as Revision).revisionNumber);
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.ws.once('close', () => {
        resolve();
      });
      this.ws.close();
    });
  }
}

let counter = 0;

async function fresh(content = 'hello', user = 'alice'): Promise<OpenedCoops> {
  return openCoops(server, `ws-${String(++counter)}.txt`, { content, user });
}

async function join(url: string): Promise<JoinAnswer> {
  return (await (
    await fetch(`${url}/join?algorithm=dmp&protocolVersion=1.0.0`)
  ).json()) as JoinAnswer;
}

async function connect(joined: JoinAnswer): Promise<Socket> {
  const socket = new Socket(joined.extensions.webSocket?.ws ?? '');
  await socket.opened();
  return socket;
}

function restPatch(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('CoOPS WebSocket', () => {
  it('should send its own and others’ revisions as updates, the sender included', async () => {
    const doc = await fresh('hello');
    const alice = await join(doc.coopsUrl);
    const socket = await connect(alice);
    socket.send('patch', {
      sessionId: alice.sessionId,
      revisionNumber: alice.revisionNumber,
      patch: makePatch('hello', 'hello!'),
      properties: null,
      extensions: null,
    });
    await socket.until((m) => m.some((x) => x.type === 'update'));
    expect(socket.messages[0]).toEqual({
      type: 'update',
      data: {
        sessionId: alice.sessionId,
        revisionNumber: alice.revisionNumber + 1,
        checksum: expect.any(String) as string,
        patch: makePatch('hello', 'hello!'),
        properties: null,
        extensions: null,
      },
    });
    await socket.close();
  });

  it('should answer a stale patch with patchRejected and bad messages with patchError', async () => {
    const doc = await fresh('abc');
    const alice = await join(doc.coopsUrl);
    const socket = await connect(alice);
    socket.send('patch', {
      sessionId: alice.sessionId,
      revisionNumber: alice.revisionNumber + 5,
      patch: null,
    });
    await socket.until((m) => m.length >= 1);
    expect(socket.messages[0]).toEqual({
      type: 'patchRejected',
      data: { code: 409, message: 'Conflict' },
    });
    socket.ws.send('not json');
    socket.send('revert', {});
    socket.send('patch', { sessionId: alice.sessionId, revisionNumber: 'x' });
    socket.send('patch', { sessionId: 'someone-else', revisionNumber: alice.revisionNumber });
    socket.send('patch', {
      sessionId: alice.sessionId,
      revisionNumber: alice.revisionNumber,
      patch: '@@ nonsense',
    });
    await socket.until((m) => m.length >= 6);
    expect(socket.messages.slice(1).map((m) => [m.type, m.data['code']])).toEqual([
      ['patchError', 400],
      ['patchError', 400],
      ['patchError', 400],
      ['patchError', 400],
      ['patchError', 400],
    ]);
    await socket.close();
  });

  it('should catch up from the join revision, then go live, without gap or duplicate', async () => {
    const doc = await fresh('');
    const writer = await join(doc.coopsUrl);
    const reader = await join(doc.coopsUrl);
    let revision = reader.revisionNumber;
    let text = '';
    for (let i = 0; i < 5; i++) {
      const next = `${text}${String(i)}`;
      expect(
        (
          await restPatch(doc.coopsUrl, {
            sessionId: writer.sessionId,
            revisionNumber: revision,
            patch: makePatch(text, next),
          })
        ).status,
      ).toBe(204);
      text = next;
      revision++;
    }
    const socket = await connect(reader);
    const live = (async () => {
      for (let i = 5; i < 40; i++) {
        const next = `${text}${String(i)}`;
        const response = await restPatch(doc.coopsUrl, {
          sessionId: writer.sessionId,
          revisionNumber: revision,
          patch: makePatch(text, next),
        });
        expect(response.status).toBe(204);
        text = next;
        revision++;
      }
    })();
    await live;
    await socket.until(() => socket.revisions().at(-1) === revision);
    const expected = Array.from(
      { length: revision - reader.revisionNumber },
      (_, i) => reader.revisionNumber + 1 + i,
    );
    expect(socket.revisions()).toEqual(expected);
    await socket.close();
  });

  it('should keep each connection ordered while many sockets patch at once', async () => {
    const doc = await fresh('');
    const clients = await Promise.all(
      Array.from({ length: 6 }, () => new CoopsTestClient(doc.coopsUrl, 'websocket')).map(
        async (c) => {
          await c.join();
          return c;
        },
      ),
    );
    for (let round = 0; round < 15; round++) {
      for (const [i, client] of clients.entries()) {
        client.edit((t) => `${t}<${String(i)}.${String(round)}>`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const head = async (): Promise<number> =>
      ((await (await fetch(doc.coopsUrl)).json()) as { revisionNumber: number }).revisionNumber;
    for (const client of clients) {
      await client.settle(0);
    }
    const final = await head();
    for (const client of clients) {
      await client.settle(final);
    }
    for (const client of clients) {
      expect(client.problems).toEqual([]);
      expect(client.content).toBe(clients[0]?.content);
      const got = client.received;
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => (got[0] ?? 0) + i));
      await client.stop();
    }
    // Exactly the typed characters, none lost, none twice (concurrent insertions may interleave).
    const typed = Array.from({ length: 6 }, (_, i) =>
      Array.from({ length: 15 }, (__, round) => `<${String(i)}.${String(round)}>`).join(''),
    ).join('');
    const sorted = (text: string): string => Array.from(text).sort().join('');
    expect(sorted(clients[0]?.content ?? '')).toBe(sorted(typed));
  });

  it('should replay only what a reconnecting session missed', async () => {
    const doc = await fresh('');
    const writer = await join(doc.coopsUrl);
    const reader = await join(doc.coopsUrl);
    let revision = reader.revisionNumber;
    let text = '';
    const write = async (): Promise<void> => {
      revision = ((await (await fetch(doc.coopsUrl)).json()) as { revisionNumber: number })
        .revisionNumber;
      const next = `${text}x`;
      expect(
        (
          await restPatch(doc.coopsUrl, {
            sessionId: writer.sessionId,
            revisionNumber: revision,
            patch: makePatch(text, next),
          })
        ).status,
      ).toBe(204);
      text = next;
      revision++;
    };
    const first = await connect(reader);
    await write();
    await write();
    await first.until(() => first.revisions().length === 2);
    await first.close();
    await write();
    await write();
    const again = new Socket(reader.extensions.webSocket?.ws ?? '');
    await again.opened();
    await write();
    // The reconnect reopened the session (sessionEvents) after the two missed revisions.
    await again.until(() => again.revisions().at(-1) === revision);
    const replayed = again.revisions();
    expect(replayed[0]).toBe(first.revisions()[1]! + 1);
    expect(new Set(replayed).size).toBe(replayed.length);
    expect([...first.revisions(), ...replayed]).toEqual(
      Array.from(
        { length: revision - reader.revisionNumber },
        (_, i) => reader.revisionNumber + 1 + i,
      ),
    );
    await again.close();
  });

  it('should announce who opens and closes the document (sessionEvents)', async () => {
    const name = `presence-${String(++counter)}.txt`;
    const alice = await openCoops(server, name, { content: 'x', user: 'alice' });
    const bob = await openCoops(server, name, { user: 'bob' });
    const aliceJoin = await join(alice.coopsUrl);
    const aliceSocket = await connect(aliceJoin);
    const bobJoin = await join(bob.coopsUrl);
    expect(bobJoin.extensions.sessionEvents).toEqual([
      {
        sessionId: aliceJoin.sessionId,
        displayName: 'Alice',
        email: 'alice@example.com',
        status: 'OPEN',
      },
    ]);
    const bobSocket = await connect(bobJoin);
    await bobSocket.close();
    const events = (): unknown[] =>
      aliceSocket.messages.flatMap(
        (m) => (m.data['extensions'] as { sessionEvents?: unknown[] } | null)?.sessionEvents ?? [],
      );
    await aliceSocket.until(() => events().length === 2);
    expect(events()).toEqual([
      {
        sessionId: bobJoin.sessionId,
        displayName: 'Bob',
        email: 'bob@example.com',
        status: 'OPEN',
      },
      {
        sessionId: bobJoin.sessionId,
        displayName: 'Bob',
        email: 'bob@example.com',
        status: 'CLOSE',
      },
    ]);
    expect(
      aliceSocket.messages.every((m) => m.type === 'update' && m.data['sessionId'] === 'server'),
    ).toBe(true);
    await aliceSocket.close();
  });

  it('should send ping frames as heartbeat and only protocol messages as data', async () => {
    const doc = await fresh();
    const joined = await join(doc.coopsUrl);
    const socket = await connect(joined);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(socket.pings).toBeGreaterThanOrEqual(2);
    expect(socket.frames).toEqual([]);
    await socket.close();
  });

  it('should refuse upgrades with a bad capability, an unknown session or path', async () => {
    const doc = await fresh();
    const joined = await join(doc.coopsUrl);
    const url = joined.extensions.webSocket?.ws ?? '';
    const status = (target: string): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(target);
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
        });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('error', () => undefined);
      });
    expect(await status(url.replace(/\/ws\/[^/]+$/, '/ws/no-such-session'))).toBe(400);
    expect(
      await status(url.replace(/\/coops\/([^/]+)\/[^/]+\//, `/coops/$1/${'A'.repeat(60)}/`)),
    ).toBe(401);
    expect(await status(url.replace('/ws/', '/wx/'))).toBe(404);
    expect(await status(url)).toBe(101);
  });

  it('should refuse patches of read-only sessions with patchError 403', async () => {
    const name = `ro-${String(++counter)}.txt`;
    await openCoops(server, name, { content: 'x' });
    const viewer = await openCoops(server, name, { user: 'carol', mode: 'view' });
    const joined = await join(viewer.coopsUrl);
    const socket = await connect(joined);
    socket.send('patch', {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
      patch: null,
    });
    await socket.until((m) => m.length > 0);
    expect(socket.messages[0]).toMatchObject({ type: 'patchError', data: { code: 403 } });
    await socket.close();
  });
});

describe('CoOPS WebSocket at shutdown', () => {
  it('should close sockets with 1001 (going away) so clients reconnect elsewhere, and stop', async () => {
    const own = await startTestServer();
    try {
      const doc = await openCoops(own, 'bye.txt', { content: 'x' });
      const joined = (await (
        await fetch(`${doc.coopsUrl}/join?algorithm=dmp&protocolVersion=1.0.0`)
      ).json()) as JoinAnswer;
      const socket = new WebSocket(joined.extensions.webSocket?.ws ?? '');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => {
        socket.once('close', (code) => {
          resolve(code);
        });
      });
      await own.stop();
      expect(await closed).toBe(1001);
    } finally {
      await own.dispose();
    }
  });
});
