import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_QUEUE, payloadOf, type EventEnvelope } from '../../src/audit/audit-event';
import { eventsCatalogue } from '../support/events-catalogue';
import { eventually } from '../support/eventually';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { freePort } from '../support/ports';
import { CLI, run, spawnServer, type ServerProcess } from '../support/processes';
import { tempDir } from '../support/temp';
import { EditorClient } from '../support/wopi/editor-client';

const SECRET = 'audit-test-secret-0123456789abcdef';

interface Received {
  envelope: EventEnvelope;
  msgId: string | undefined;
  payload: Record<string, unknown>;
}

interface Replica {
  process: ServerProcess;
  http: string;
}

let nats: NatsServerHandle;
let root: { dir: string; remove: () => Promise<void> };
const running: Replica[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  root = await tempDir();
});

afterEach(async () => {
  for (const replica of running.splice(0)) {
    await replica.process.kill('SIGTERM');
  }
});

afterAll(async () => {
  await root.remove();
  await nats.dispose();
});

async function startReplica(env: Record<string, string> = {}): Promise<Replica> {
  const http = await freePort();
  const debug = await freePort();
  const replica = {
    process: await spawnServer(
      {
        COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
        COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
        COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
        COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
        COLLABORATION_WOPI_SECRET: SECRET,
        COLLABORATION_LOCAL_ROOT: root.dir,
        COLLABORATION_NATS_URL: nats.url,
        COLLABORATION_AUDIT_SINK: 'nats',
        COLLABORATION_LOG_LEVEL: 'warn',
        ...env,
      },
      `http://127.0.0.1:${String(debug)}`,
    ),
    http: `http://127.0.0.1:${String(http)}`,
  };
  running.push(replica);
  return replica;
}

/** A new editor session (its own access token) on a new file, talking to `replica`. */
async function session(name: string, replica: Replica): Promise<EditorClient> {
  await writeFile(join(root.dir, name), 'v0');
  const result = await run(CLI, ['open', name, '--user', 'alice', '--json'], {
    COLLABORATION_LOCAL_ROOT: root.dir,
    COLLABORATION_WOPI_SECRET: SECRET,
    COLLABORATION_WOPI_SRC: replica.http,
  });
  expect(result.code).toBe(0);
  const { fileId, accessToken } = JSON.parse(result.stdout) as {
    fileId: string;
    accessToken: string;
  };
  return new EditorClient(replica.http, fileId, accessToken);
}

/** The same session on another replica. */
function on(replica: Replica, editor: EditorClient): EditorClient {
  return new EditorClient(replica.http, editor.fileId, editor.token);
}

/** Everything on stream main-queue, read with a JetStream (ordered) consumer. */
async function mainQueue(): Promise<Received[]> {
  const connection = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(connection);
    const info = await jsm.streams.info(MAIN_QUEUE).catch(() => undefined);
    if (!info || info.state.messages === 0) {
      return [];
    }
    const consumer = await jetstream(connection).consumers.get(MAIN_QUEUE);
    const received: Received[] = [];
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 5000 });
    for await (const message of messages) {
      const envelope = message.json<EventEnvelope>();
      received.push({
        envelope,
        msgId: message.headers?.get('Nats-Msg-Id'),
        payload: payloadOf(envelope) as Record<string, unknown>,
      });
      if (message.seq >= info.state.last_seq) {
        break;
      }
    }
    return received;
  } finally {
    await connection.close();
  }
}

async function eventsOf(fileId: string): Promise<Received[]> {
  return (await mainQueue()).filter((r) => r.payload['FileID'] === fileId);
}

function typesOf(received: Received[]): string[] {
  return received.map((r) => r.envelope.Metadata.eventtype);
}

const EDIT_SESSION = [
  'events.DocumentOpened',
  'events.FileDownloaded',
  'events.FileLocked',
  'events.FileUploaded',
  'events.FileUploaded',
  'events.FileUploaded',
  'events.FileUnlocked',
  'events.DocumentClosed',
];

function expectValidAndUnique(received: Received[]): void {
  const { errorsOf } = eventsCatalogue();
  for (const r of received) {
    expect(errorsOf(r.envelope), r.envelope.Metadata.eventtype).toEqual([]);
    expect(r.msgId).toBe(r.envelope.ID);
  }
  const ids = received.map((r) => r.envelope.ID);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('audit events on JetStream main-queue', () => {
  it('should publish one editor session as exactly the expected events, in order, each valid', async () => {
    const replica = await startReplica();
    const editor = await session('edit.docx', replica);
    expect((await editor.checkFileInfo()).status).toBe(200);
    expect((await editor.getFile()).status).toBe(200);
    expect((await editor.lock('L1')).status).toBe(200);
    const flags: Record<string, string>[] = [
      { 'X-COOL-WOPI-IsModifiedByUser': 'true', 'X-COOL-WOPI-IsAutosave': 'true' },
      { 'X-COOL-WOPI-IsModifiedByUser': 'true', 'X-COOL-WOPI-IsAutosave': 'false' },
      { 'X-COOL-WOPI-IsModifiedByUser': 'false', 'X-COOL-WOPI-IsExitSave': 'true' },
    ];
    for (const [n, headers] of flags.entries()) {
      expect(
        (await editor.putFile(`v${String(n + 1)}`, { 'X-WOPI-Lock': 'L1', ...headers })).status,
      ).toBe(200);
    }
    expect((await editor.unlock('L1')).status).toBe(200);
    const received = await eventually(
      () => eventsOf(editor.fileId),
      (r) => r.length >= EDIT_SESSION.length,
    );
    expect(typesOf(received)).toEqual(EDIT_SESSION);
    expectValidAndUnique(received);
    const saves = received.filter((r) => r.envelope.Metadata.eventtype === 'events.FileUploaded');
    expect(
      saves.map((r) => [
        r.payload['IsModifiedByUser'],
        r.payload['IsAutosave'],
        r.payload['IsExitSave'],
      ]),
    ).toEqual([
      [true, true, null],
      [true, false, null],
      [false, null, true],
    ]);
    expect(received[0]?.payload).toMatchObject({
      Path: '/edit.docx',
      ViewMode: 'write',
      ExecutantName: 'alice',
    });
    expect(received[0]?.payload['ClientAddress']).toMatch(/127\.0\.0\.1/);
    expect(received[7]?.payload).toMatchObject({ Reason: 'unlock' });
    expect(new Set(received.map((r) => r.payload['SessionID'])).size).toBe(1);
  });

  it('should close each session once across two replicas, by unlock and by idle time', async () => {
    const idle = { COLLABORATION_AUDIT_IDLE_CLOSE: '3s' };
    const replicas = [await startReplica(idle), await startReplica(idle)] as const;
    const unlocked = await session('two-unlock.docx', replicas[0]);
    const idled = await session('two-idle.docx', replicas[1]);
    for (const [n, replica] of [...replicas, ...replicas].entries()) {
      expect((await on(replica, unlocked).checkFileInfo()).status).toBe(200);
      expect((await on(replica, idled).getFile()).status).toBe(200);
      if (n === 0) {
        expect((await on(replica, unlocked).lock('L2')).status).toBe(200);
      }
    }
    expect((await on(replicas[1], unlocked).unlock('L2')).status).toBe(200);
    const closedOf = (received: Received[]) =>
      received.filter((r) => r.envelope.Metadata.eventtype === 'events.DocumentClosed');
    const idleDone = await eventually(
      () => eventsOf(idled.fileId),
      (r) => closedOf(r).length > 0,
    );
    expect(closedOf(idleDone).map((r) => r.payload['Reason'])).toEqual(['idle']);
    // Both replicas sweep every 750 ms: give them several more rounds to (wrongly) close again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const all = [...(await eventsOf(unlocked.fileId)), ...(await eventsOf(idled.fileId))];
    expectValidAndUnique(all);
    const byFile = (fileId: string, type: string) =>
      all.filter((r) => r.payload['FileID'] === fileId && r.envelope.Metadata.eventtype === type);
    expect(byFile(unlocked.fileId, 'events.DocumentOpened').length).toBe(1);
    expect(
      byFile(unlocked.fileId, 'events.DocumentClosed').map((r) => r.payload['Reason']),
    ).toEqual(['unlock']);
    expect(byFile(idled.fileId, 'events.DocumentOpened').length).toBe(1);
    expect(byFile(idled.fileId, 'events.DocumentClosed').map((r) => r.payload['Reason'])).toEqual([
      'idle',
    ]);
    expect(byFile(idled.fileId, 'events.FileDownloaded').length).toBe(4);
  });

  it('should answer WOPI while NATS is down and deliver the events once it is back, none twice', async () => {
    const replica = await startReplica();
    const editor = await session('outage.docx', replica);
    expect((await editor.checkFileInfo()).status).toBe(200);
    expect((await editor.getFile()).status).toBe(200);
    expect((await editor.lock('L3')).status).toBe(200);
    await eventually(
      () => eventsOf(editor.fileId),
      (r) => r.length >= 3,
    );
    await nats.stop();
    try {
      expect((await editor.putFile('v1', { 'X-WOPI-Lock': 'L3' })).status).toBe(200);
      expect((await editor.putFile('v2', { 'X-WOPI-Lock': 'L3' })).status).toBe(200);
    } finally {
      await nats.start();
    }
    expect((await editor.putFile('v3', { 'X-WOPI-Lock': 'L3' })).status).toBe(200);
    expect((await editor.unlock('L3')).status).toBe(200);
    const received = await eventually(
      () => eventsOf(editor.fileId).catch(() => []),
      (r) => r.length >= EDIT_SESSION.length,
      30_000,
    );
    expect(typesOf(received)).toEqual(EDIT_SESSION);
    expectValidAndUnique(received);
  }, 60_000);
});
