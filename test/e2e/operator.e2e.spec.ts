import { connect, type NatsConnection } from '@nats-io/transport-node';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatch } from '../../src/coops/algorithm/dmp';
import type { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import type { ResourceId, StorageCredentials } from '../../src/storage/storage.types';
import { AccessTokenService } from '../../src/tokens/access-token.service';
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
    sessions?: { app?: string; mode: string; user: string }[];
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

/** collaboration_ocis_events_total for an event type, all reactions summed. */
function eventCount(metrics: string, type: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`collaboration_ocis_events_total{type="${type}"`)) {
      total += Number(line.split(' ').pop());
    }
  }
  return total;
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
    // Even when the start failed: never leave nats-server running.
    await (server as TestServer | undefined)?.dispose();
    await (nc as NatsConnection | undefined)?.close();
    await (nats as NatsServerHandle | undefined)?.dispose();
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

  it('should list the open WOPI sessions (from the audit tracker) with the lock their editor holds', async () => {
    await writeFile(join(server.root, 'wopi.docx'), 'x');
    const info = await storage().statPath('/wopi.docx');
    const minted = await server.app.get(AccessTokenService).mint(
      {
        resourceId: info.resourceId,
        user: {
          id: { idp: 'local', opaqueId: 'carol' },
          username: 'carol',
          displayName: 'Carol',
          isGuest: false,
        },
        mode: 'write',
        app: 'Collabora',
        sessionId: AccessTokenService.newSessionId(),
      },
      Date.now() + 600_000,
    );
    const url = `${server.httpUrl}/wopi/files/${minted.fileId}?access_token=${minted.token}`;
    expect((await fetch(url)).status).toBe(200);
    const locked = await fetch(url, {
      method: 'POST',
      headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'editor-lock' },
    });
    expect(locked.status).toBe(200);
    const listed = await eventually(
      () => ask<Listed>('collaboration.operator.documents'),
      (reply) =>
        reply.response?.documents.some(
          (d) => d.fileId === minted.fileId && d.sessions?.length === 1,
        ) === true,
      10_000,
    );
    const entry = listed.response?.documents.find((d) => d.fileId === minted.fileId);
    expect(entry).toMatchObject({
      resourceId: formatResourceId(info.resourceId),
      sessions: [{ app: 'Collabora', mode: 'write', user: 'carol' }],
      lock: { lockId: 'editor-lock' },
    });

    // Saved elsewhere: the WOPI session is noted (its next CheckFileInfo stats the new version).
    await writeFile(join(server.root, 'wopi.docx'), 'changed elsewhere');
    nc.publish(
      'main-queue',
      envelope('events.UploadReady', {
        FileRef: { resource_id: wireId(info.resourceId), path: '.' },
        Failed: false,
      }),
    );
    const metrics = await eventually(
      async () => (await fetch(`${server.debugUrl}/metrics`)).text(),
      (text) => text.includes('type="events.UploadReady",reaction="noted"'),
      10_000,
    );
    expect(metrics).toMatch(
      /collaboration_ocis_events_total\{type="events.UploadReady",reaction="noted"\} 1/,
    );
    const after = (await (await fetch(url)).json()) as { Size: number };
    expect(after.Size).toBe('changed elsewhere'.length);
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

describe('oCIS events published by this service itself', () => {
  it("should not react to its own audit events (a WOPI save), only to reva's", async () => {
    const nats = await startNatsServer();
    const server = await startTestServer({
      COLLABORATION_NATS_URL: nats.url,
      COLLABORATION_AUDIT_SINK: 'nats',
    });
    const nc = await connect({ servers: nats.url });
    try {
      await writeFile(join(server.root, 'own.docx'), 'v0');
      const storage = server.app.get<StorageGateway, LocalStorageGateway>(StorageGateway);
      const info = await storage.statPath('/own.docx');
      const minted = await server.app.get(AccessTokenService).mint(
        {
          resourceId: info.resourceId,
          user: {
            id: { idp: 'local', opaqueId: 'dave' },
            username: 'dave',
            displayName: 'Dave',
            isGuest: false,
          },
          mode: 'write',
          sessionId: AccessTokenService.newSessionId(),
        },
        Date.now() + 600_000,
      );
      const file = `${server.httpUrl}/wopi/files/${minted.fileId}`;
      const query = `?access_token=${minted.token}`;
      const seen: string[] = [];
      const subscription = nc.subscribe('main-queue', {
        callback: (_error, message) => {
          seen.push(message.json<{ Metadata: { eventtype: string } }>().Metadata.eventtype);
        },
      });
      // The transport is up once it answers.
      await eventually(
        () =>
          nc
            .request('collaboration.operator.documents', '{}', { timeout: 2000 })
            .then(() => true)
            .catch(() => false),
        (ok) => ok,
      );
      // Counters are process-wide: compare with what they were before this session.
      const before = await fetch(`${server.debugUrl}/metrics`).then((r) => r.text());
      expect((await fetch(file + query)).status).toBe(200);
      const lock = { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'L1' };
      expect((await fetch(file + query, { method: 'POST', headers: lock })).status).toBe(200);
      const put = await fetch(`${file}/contents${query}`, {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': 'L1' },
        body: 'v1',
      });
      expect(put.status).toBe(200);
      expect(
        await eventually(
          () => seen.includes('events.FileUploaded'),
          (ok) => ok,
          10_000,
        ),
      ).toBe(true);
      // A marker from "reva" after it: once it is handled, our own event was handled before.
      nc.publish(
        'main-queue',
        envelope('events.UploadReady', {
          FileRef: { resource_id: wireId(info.resourceId), path: '.' },
        }),
      );
      const metrics = await eventually(
        async () => (await fetch(`${server.debugUrl}/metrics`)).text(),
        (text) => eventCount(text, 'events.UploadReady') > eventCount(before, 'events.UploadReady'),
        10_000,
      );
      expect(eventCount(metrics, 'events.UploadReady')).toBe(
        eventCount(before, 'events.UploadReady') + 1,
      );
      expect(eventCount(metrics, 'events.FileUploaded')).toBe(
        eventCount(before, 'events.FileUploaded'),
      );
      subscription.unsubscribe();
    } finally {
      await nc.close();
      await server.dispose();
      await nats.dispose();
    }
  });
});
