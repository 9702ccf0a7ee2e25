import { connect, type NatsConnection } from '@nats-io/transport-node';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatch } from '../../src/coops/algorithm/dmp';
import type { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import type { ResourceId, StorageCredentials } from '../../src/storage/storage.types';
import { formatResourceId } from '../../src/tokens/resource-id';
import { openCoops } from '../support/coops';
import type { JoinAnswer } from '../support/coops-client';
import { eventually } from '../support/eventually';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { startTestServer, type TestServer } from '../support/test-server';

/** Nest's reply packet: `response` on success, `err` on failure. */
interface Reply<T> {
  id: string;
  response?: T;
  err?: { code: string; message: string };
  isDisposed?: boolean;
}

interface Listed {
  documents: {
    fileId: string;
    resourceId?: string;
    coops?: { revision: number; clients: number; dirty: boolean };
    lock?: { lockId: string; appName: string } | null;
  }[];
}

/** An oCIS event envelope as reva publishes it (Go JSON of go-micro events.Event). */
function envelope(type: string, payload: Record<string, unknown>): string {
  return JSON.stringify({
    Timestamp: new Date().toISOString(),
    Metadata: { eventtype: type, eventid: 'e1', traceparent: '', initiatorid: '' },
    ID: 'e1',
    Topic: 'main-queue',
    Payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
  });
}

function wireId(id: ResourceId): Record<string, string> {
  return { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId };
}

describe('operator API and oCIS events over NATS (Nest microservice transport)', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let server: TestServer;

  const ask = async <T>(subject: string, body: unknown = {}): Promise<Reply<T>> => {
    const message = await nc.request(subject, JSON.stringify(body), { timeout: 5000 });
    return message.json<Reply<T>>();
  };

  const storage = (): LocalStorageGateway =>
    server.app.get<StorageGateway, LocalStorageGateway>(StorageGateway);

  const owner = (): StorageCredentials => ({
    user: {
      id: { idp: 'local', opaqueId: server.config.storage.localOwner },
      username: 'owner',
      displayName: 'Owner',
      isGuest: false,
    },
  });

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    server = await startTestServer({
      COLLABORATION_NATS_URL: nats.url,
      COLLABORATION_COOPS_SAVE_DELAY: '10s',
    });
    // The transport subscribes once the shared connection is up.
    const ready = await eventually(
      () => ask<Listed>('collaboration.operator.documents').catch(() => undefined),
      (reply) => reply?.response !== undefined,
    );
    expect(ready?.response).toBeDefined();
  });

  afterAll(async () => {
    await server.dispose();
    await nc.close();
    await nats.dispose();
  });

  it('should list open CoOPS documents with their lock, and flush their edits to storage on request', async () => {
    const doc = await openCoops(server, 'listed.txt', { content: 'hello' });
    const joined = (await (
      await fetch(`${doc.coopsUrl}/join?algorithm=dmp&protocolVersion=1.0.0`)
    ).json()) as JoinAnswer;
    const patched = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('hello', 'hello world'),
        properties: null,
        extensions: null,
      }),
    });
    expect(patched.status).toBe(204);

    const listed = await ask<Listed>('collaboration.operator.documents');
    const entry = listed.response?.documents.find((d) => d.fileId === doc.fileId);
    expect(entry?.coops).toMatchObject({ revision: joined.revisionNumber + 1, dirty: true });
    expect(entry?.lock?.appName).toBe('CoOPS');
    expect(await readFile(join(server.root, 'listed.txt'), 'utf8')).toBe('hello');

    const flushed = await ask<{ flushed: string[] }>('collaboration.operator.flush', {
      fileId: doc.fileId,
    });
    expect(flushed.response?.flushed).toEqual([doc.fileId]);
    expect(await readFile(join(server.root, 'listed.txt'), 'utf8')).toBe('hello world');
  });

  it('should force a stale lock off a file, and answer errors with a code', async () => {
    await writeFile(join(server.root, 'stale.docx'), 'x');
    const info = await storage().statPath('/stale.docx');
    const ref = { resourceId: info.resourceId };
    await storage().setLock(
      ref,
      { lockId: 'crashed-editor', appName: 'Collabora', expiresAt: Date.now() + 1_800_000 },
      owner(),
    );
    const reply = await ask<{ fileId: string; removed: { lockId: string } | null }>(
      'collaboration.operator.unlock',
      { resourceId: formatResourceId(info.resourceId) },
    );
    expect(reply.response?.removed?.lockId).toBe('crashed-editor');
    expect(await storage().getLock(ref, owner())).toBeUndefined();

    const again = await ask<{ removed: unknown }>('collaboration.operator.unlock', {
      resourceId: formatResourceId(info.resourceId),
    });
    expect(again.response?.removed).toBeNull();
    const unknown = await ask('collaboration.operator.unlock', { resourceId: 'local$space!nope' });
    expect(unknown.err?.code).toBe('NOT_FOUND');
    const bad = await ask('collaboration.operator.unlock', { resourceId: '$!x' });
    expect(bad.err).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) as string });
    const missing = await ask('collaboration.operator.unlock', {});
    expect(missing.err?.code).toBe('BAD_REQUEST');
  });

  it('should make an open CoOPS document take a version saved elsewhere when oCIS reports the upload', async () => {
    const doc = await openCoops(server, 'outside.txt', { content: 'before' });
    expect((await fetch(doc.coopsUrl)).status).toBe(200);
    const info = await storage().statPath('/outside.txt');
    await writeFile(join(server.root, 'outside.txt'), 'after, saved by a desktop client');
    nc.publish(
      'main-queue',
      envelope('events.FileUploaded', {
        Executant: { idp: 'https://ocis', opaque_id: 'bob', type: 1 },
        Ref: { resource_id: wireId(info.resourceId), path: '.' },
        Timestamp: { seconds: 1, nanos: 0 },
      }),
    );
    const content = await eventually(
      async () => ((await (await fetch(doc.coopsUrl)).json()) as { content: string }).content,
      (text) => text === 'after, saved by a desktop client',
      10_000,
    );
    expect(content).toBe('after, saved by a desktop client');
    const metrics = await (await fetch(`${server.debugUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /collaboration_ocis_events_total\{type="events.FileUploaded",reaction="reloaded"\} 1/,
    );
  });

  it('should close an open CoOPS document whose file was trashed, and ignore events about other files', async () => {
    const doc = await openCoops(server, 'trashed.txt', { content: 'bye' });
    expect((await fetch(doc.coopsUrl)).status).toBe(200);
    const info = await storage().statPath('/trashed.txt');
    nc.publish(
      'main-queue',
      envelope('events.ItemTrashed', {
        ID: {
          ...wireId(info.resourceId),
          storage_id: info.resourceId.storageId,
          space_id: 'another-space',
        },
        Ref: { resource_id: wireId(info.resourceId), path: '.' },
      }),
    );
    const listed = await eventually(
      () => ask<Listed>('collaboration.operator.documents'),
      (reply) => !reply.response?.documents.some((d) => d.fileId === doc.fileId),
      10_000,
    );
    expect(listed.response?.documents.some((d) => d.fileId === doc.fileId)).toBe(false);
    const metrics = await (await fetch(`${server.debugUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /collaboration_ocis_events_total\{type="events.ItemTrashed",reaction="closed"\} 1/,
    );
  });
});

describe('operator API with NATS down at start', () => {
  it('should start without NATS and answer once NATS is reachable', async () => {
    const nats = await startNatsServer();
    await nats.stop();
    const server = await startTestServer({ COLLABORATION_NATS_URL: nats.url });
    try {
      const ready = (await (await fetch(`${server.debugUrl}/readyz`)).json()) as {
        details: Record<string, { status: string }>;
      };
      expect(ready.details['nats']?.status).toBe('degraded');
      await nats.start();
      const nc = await connect({ servers: nats.url });
      try {
        const reply = await eventually(
          () =>
            nc
              .request('collaboration.operator.documents', '{}', { timeout: 2000 })
              .then((m) => m.json<Reply<Listed>>())
              .catch(() => undefined),
          (answer) => answer?.response !== undefined,
        );
        expect(reply?.response?.documents).toEqual([]);
      } finally {
        await nc.close();
      }
    } finally {
      await server.dispose();
      await nats.dispose();
    }
  });
});
