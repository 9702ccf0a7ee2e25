import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makePatch, md5 } from '../../src/coops/algorithm/dmp';
import type { Revision } from '../../src/coops/coops.types';
import { COOPS_LOCK_APP, CoopsStorageLock } from '../../src/coops/document/storage-lock';
import type { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import { StorageLockedError } from '../../src/storage/storage.errors';
import type { FileRef, StorageCredentials } from '../../src/storage/storage.types';
import { openCoops } from '../support/coops';
import { CoopsTestClient, type JoinAnswer } from '../support/coops-client';
import { startTestServer, type TestServer } from '../support/test-server';

async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const credentials: StorageCredentials = {
  user: { id: { idp: 'local', opaqueId: 'x' }, username: 'x', displayName: 'x', isGuest: false },
};

describe('CoOPS persistence', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  async function start(env: Record<string, string> = {}): Promise<TestServer> {
    server = await startTestServer({ COLLABORATION_COOPS_SAVE_DELAY: '200ms', ...env });
    return server;
  }

  async function refOf(s: TestServer, name: string): Promise<FileRef> {
    const storage = s.app.get<StorageGateway, LocalStorageGateway>(StorageGateway);
    return { resourceId: (await storage.statPath(`/${name}`)).resourceId };
  }

  async function joinSession(url: string): Promise<JoinAnswer> {
    return (await (
      await fetch(`${url}/join?algorithm=dmp&protocolVersion=1.0.0`)
    ).json()) as JoinAnswer;
  }

  async function head(url: string): Promise<{ revisionNumber: number; content: string }> {
    return (await (await fetch(url)).json()) as { revisionNumber: number; content: string };
  }

  it('should save edits to storage behind the scenes and hold the CoOPS lock while the document is open', async () => {
    const s = await start();
    const doc = await openCoops(s, 'notes.txt', { content: 'one' });
    const client = new CoopsTestClient(doc.coopsUrl, 'websocket');
    await client.join();
    client.edit(() => 'one two');
    await client.settle(0);
    await eventually(async () => (await readFile(join(s.root, 'notes.txt'), 'utf8')) === 'one two');
    const storage = s.app.get(StorageGateway);
    const ref = await refOf(s, 'notes.txt');
    expect(await storage.getLock(ref, credentials)).toMatchObject({ appName: COOPS_LOCK_APP });
    // Another client cannot write past the lock.
    await expect(
      storage.upload(ref, Readable.from([Buffer.from('overwrite')]), {}, credentials),
    ).rejects.toBeInstanceOf(StorageLockedError);
    await client.stop();
    // The last session left: the lock goes.
    await eventually(async () => (await storage.getLock(ref, credentials)) === undefined);
  });

  it('should turn a save by someone else into a server revision instead of overwriting it', async () => {
    const s = await start();
    const doc = await openCoops(s, 'outside.txt', { content: 'alpha\nbeta\n' });
    const client = new CoopsTestClient(doc.coopsUrl, 'websocket');
    const seen: Revision[] = [];
    client.onRevision = (revision) => seen.push(revision);
    await client.join();
    await writeFile(join(s.root, 'outside.txt'), 'alpha\nBETA\ngamma\n');
    await eventually(() => client.content === 'alpha\nBETA\ngamma\n');
    const server = seen.find((r) => r.sessionId === 'server' && r.patch !== null);
    expect(server).toMatchObject({ checksum: md5('alpha\nBETA\ngamma\n') });
    expect(client.problems).toEqual([]);
    expect((await head(doc.coopsUrl)).content).toBe('alpha\nBETA\ngamma\n');
    expect(await readFile(join(s.root, 'outside.txt'), 'utf8')).toBe('alpha\nBETA\ngamma\n');
    // Editing goes on from the outside content.
    client.edit((t) => `${t}delta\n`);
    await client.settle(0);
    await eventually(
      async () =>
        (await readFile(join(s.root, 'outside.txt'), 'utf8')) === 'alpha\nBETA\ngamma\ndelta\n',
    );
    await client.stop();
  });

  it('should merge an outside save with edits not saved yet', async () => {
    const s = await start({ COLLABORATION_COOPS_SAVE_DELAY: '10s' });
    const doc = await openCoops(s, 'merge.txt', { content: 'first line\nsecond line\n' });
    const joined = await joinSession(doc.coopsUrl);
    const response = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('first line\nsecond line\n', 'FIRST line\nsecond line\n'),
      }),
    });
    expect(response.status).toBe(204);
    await writeFile(join(s.root, 'merge.txt'), 'first line\nsecond line\nthird line\n');
    const merged = 'FIRST line\nsecond line\nthird line\n';
    await eventually(
      async () => (await readFile(join(s.root, 'merge.txt'), 'utf8')) === merged,
      20_000,
    );
    expect((await head(doc.coopsUrl)).content).toBe(merged);
  });

  it('should save what is not saved yet when the server stops, and release the lock', async () => {
    const s = await start({ COLLABORATION_COOPS_SAVE_DELAY: '10s' });
    const doc = await openCoops(s, 'stop.txt', { content: 'draft' });
    const joined = await joinSession(doc.coopsUrl);
    const response = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('draft', 'final'),
      }),
    });
    expect(response.status).toBe(204);
    expect(await readFile(join(s.root, 'stop.txt'), 'utf8')).toBe('draft');
    const storage = s.app.get(StorageGateway);
    const ref = await refOf(s, 'stop.txt');
    await s.stop();
    expect(await readFile(join(s.root, 'stop.txt'), 'utf8')).toBe('final');
    expect(await storage.getLock(ref, credentials)).toBeUndefined();
  });

  it('should wait for a lock held by another app before saving', async () => {
    const s = await start();
    const doc = await openCoops(s, 'locked.txt', { content: 'mine' });
    const storage = s.app.get(StorageGateway);
    const ref = await refOf(s, 'locked.txt');
    await storage.setLock(
      ref,
      { lockId: 'wopi-lock', appName: 'Collabora', expiresAt: Date.now() + 60_000 },
      credentials,
    );
    const client = new CoopsTestClient(doc.coopsUrl, 'rest');
    await client.join();
    client.edit(() => 'mine and ours');
    await client.settle(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await readFile(join(s.root, 'locked.txt'), 'utf8')).toBe('mine');
    await storage.unlock(ref, { lockId: 'wopi-lock', appName: 'Collabora' }, credentials);
    await eventually(
      async () => (await readFile(join(s.root, 'locked.txt'), 'utf8')) === 'mine and ours',
    );
    const lockId = s.app.get(CoopsStorageLock).idOf(doc.fileId);
    expect(lockId).toMatch(/^coops-[\w-]{32}$/);
    await client.stop();
  });

  it('should close idle REST sessions (sessionEvents CLOSE) and then release the lock', async () => {
    const s = await start();
    const doc = await openCoops(s, 'idle.txt', { content: 'x' });
    const watcher = new CoopsTestClient(doc.coopsUrl, 'websocket');
    const idle = await joinSession(doc.coopsUrl);
    await watcher.join();
    expect([...watcher.present.keys()]).toEqual([idle.sessionId]);
    await eventually(() => !watcher.present.has(idle.sessionId), 20_000);
    const storage = s.app.get(StorageGateway);
    const ref = await refOf(s, 'idle.txt');
    expect(await storage.getLock(ref, credentials)).toMatchObject({ appName: COOPS_LOCK_APP });
    await watcher.stop();
    await eventually(async () => (await storage.getLock(ref, credentials)) === undefined);
  });

  it('should report CoOPS in readiness and metrics', async () => {
    const s = await start();
    const doc = await openCoops(s, 'metrics.txt', { content: 'm' });
    const client = new CoopsTestClient(doc.coopsUrl, 'websocket');
    await client.join();
    client.edit(() => 'mm');
    await client.settle(0);
    const ready = (await (await fetch(`${s.debugUrl}/readyz`)).json()) as {
      details: Record<string, { status: string }>;
    };
    expect(ready.details['coops']).toMatchObject({ status: 'up', log: 'memory' });
    await client.stop();
    const metrics = await (await fetch(`${s.debugUrl}/metrics`)).text();
    expect(metrics).toMatch(/collaboration_coops_documents [1-9]/);
    expect(metrics).toMatch(
      /collaboration_coops_patches_total\{transport="websocket",outcome="accepted"\} [1-9]/,
    );
    expect(metrics).toMatch(/collaboration_coops_fanout_seconds_count [1-9]/);
    await eventually(async () =>
      /collaboration_coops_saves_total\{outcome="saved"\} [1-9]/.test(
        await (await fetch(`${s.debugUrl}/metrics`)).text(),
      ),
    );
  });
});
