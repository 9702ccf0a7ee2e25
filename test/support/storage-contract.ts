import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageGateway } from '../../src/storage/storage-gateway.port';
import {
  StorageAlreadyExistsError,
  StorageInvalidArgumentError,
  StorageLockedError,
  StorageNotFoundError,
  StorageNotLockedError,
  StoragePreconditionError,
} from '../../src/storage/storage.errors';
import type { FileRef, StorageCredentials } from '../../src/storage/storage.types';

export interface StorageFixture {
  storage: StorageGateway;
  credentials: StorageCredentials;
  /** The folder test files live in. */
  folder: FileRef;
  /** Puts a file into `folder` out of band (not through the adapter) and returns its ref. */
  createFile(name: string, content: string | Buffer): Promise<FileRef>;
  /** Reads what is really stored under `folder/name`, out of band. */
  readStored(name: string): Promise<Buffer>;
  /** A second adapter on the same state, as after a restart. */
  reopen(): Promise<StorageGateway>;
  dispose(): Promise<void>;
}

const APP = 'TestApp';

function later(ms = 30 * 60_000): number {
  return Date.now() + ms;
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function body(content: string): Readable {
  return Readable.from([Buffer.from(content)]);
}

/** A body that sends some bytes and then fails, like a client that disconnects mid-upload. */
function brokenBody(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.from('partial'));
      this.destroy(new Error('client went away'));
    },
  });
}

/**
 * The StorageGateway contract: every adapter must pass it unchanged. It pins the outcomes the WOPI
 * and CoOPS layers rely on, including the oCIS locking rules.
 */
export function describeStorageContract(
  name: string,
  makeFixture: () => Promise<StorageFixture>,
): void {
  describe(`StorageGateway contract: ${name}`, () => {
    let f: StorageFixture;
    let storage: StorageGateway;
    let creds: StorageCredentials;

    beforeEach(async () => {
      f = await makeFixture();
      storage = f.storage;
      creds = f.credentials;
    });

    afterEach(async () => {
      await f.dispose();
    });

    it('should stat a file', async () => {
      const ref = await f.createFile('report.docx', 'twelve bytes');
      const info = await storage.stat(ref, creds);
      expect(info).toMatchObject({ type: 'file', name: 'report.docx', size: 12 });
      expect(info.mimeType).toBe(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      expect(info.version).toMatch(/^v\d+$/);
      expect(info.parentId).toEqual((await storage.stat(f.folder, creds)).resourceId);
      expect(info.lock).toBeUndefined();
    });

    it('should report an unknown file as not found', async () => {
      const ref = await f.createFile('gone.txt', 'x');
      await storage.delete(ref, creds);
      await expect(storage.stat(ref, creds)).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(storage.download(ref, creds)).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(
        storage.setLock(ref, { lockId: 'L', appName: APP, expiresAt: later() }, creds),
      ).rejects.toBeInstanceOf(StorageNotFoundError);
    });

    it('should stream a file down with the info of the bytes it sends', async () => {
      const ref = await f.createFile('a.txt', 'hello world');
      const download = await storage.download(ref, creds);
      expect(download.info.size).toBe(11);
      expect(await text(download.body)).toBe('hello world');
    });

    it('should replace content on upload and change the version every time, even for the same bytes', async () => {
      const ref = await f.createFile('a.txt', 'one');
      const before = await storage.stat(ref, creds);
      const first = await storage.upload(ref, body('two'), { size: 3 }, creds);
      const second = await storage.upload(ref, body('two'), { size: 3 }, creds);
      expect(first.version).not.toBe(before.version);
      expect(second.version).not.toBe(first.version);
      expect(second.resourceId).toEqual(before.resourceId);
      expect((await f.readStored('a.txt')).toString()).toBe('two');
      expect((await storage.stat(ref, creds)).version).toBe(second.version);
    });

    it('should refuse a body whose length differs from the announced size and keep the file', async () => {
      const ref = await f.createFile('a.txt', 'original');
      await expect(
        storage.upload(ref, body('too long body'), { size: 3 }, creds),
      ).rejects.toBeInstanceOf(StorageInvalidArgumentError);
      await expect(storage.upload(ref, body('ab'), { size: 3 }, creds)).rejects.toBeInstanceOf(
        StorageInvalidArgumentError,
      );
      expect((await f.readStored('a.txt')).toString()).toBe('original');
    });

    it('should keep the file when the body breaks mid-stream', async () => {
      const ref = await f.createFile('a.txt', 'original');
      await expect(storage.upload(ref, brokenBody(), {}, creds)).rejects.toThrow();
      expect((await f.readStored('a.txt')).toString()).toBe('original');
    });

    it('should write only if the etag still matches', async () => {
      const ref = await f.createFile('a.txt', 'v1');
      const { etag } = await storage.stat(ref, creds);
      await storage.upload(ref, body('v2'), { ifMatch: etag }, creds);
      await expect(
        storage.upload(ref, body('v3'), { ifMatch: etag }, creds),
      ).rejects.toBeInstanceOf(StoragePreconditionError);
      expect((await f.readStored('a.txt')).toString()).toBe('v2');
    });

    it('should create a new file under a folder and refuse to overwrite with ifNotExists', async () => {
      const target = { resourceId: f.folder.resourceId, path: './new file.txt' };
      const created = await storage.upload(
        target,
        body('fresh'),
        { size: 5, ifNotExists: true },
        creds,
      );
      expect(created.name).toBe('new file.txt');
      expect(created.parentId).toEqual((await storage.stat(f.folder, creds)).resourceId);
      expect((await storage.stat({ resourceId: created.resourceId }, creds)).size).toBe(5);
      await expect(
        storage.upload(target, body('again'), { ifNotExists: true }, creds),
      ).rejects.toBeInstanceOf(StorageAlreadyExistsError);
      expect((await f.readStored('new file.txt')).toString()).toBe('fresh');
    });

    it('should lock, report and unlock', async () => {
      const ref = await f.createFile('a.docx', 'x');
      const expiresAt = later();
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt }, creds);
      const lock = await storage.getLock(ref, creds);
      expect(lock).toMatchObject({ lockId: 'L1', appName: APP });
      expect(Math.abs((lock?.expiresAt ?? 0) - expiresAt)).toBeLessThan(1000);
      expect((await storage.stat(ref, creds)).lock?.lockId).toBe('L1');
      await storage.unlock(ref, { lockId: 'L1', appName: APP }, creds);
      expect(await storage.getLock(ref, creds)).toBeUndefined();
    });

    it('should refuse a second lock (any id) and name the current one', async () => {
      const ref = await f.createFile('a.docx', 'x');
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      for (const lockId of ['L1', 'L2']) {
        const error = await storage
          .setLock(ref, { lockId, appName: APP, expiresAt: later() }, creds)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StorageLockedError);
        expect((error as StorageLockedError).current?.lockId).toBe('L1');
      }
    });

    it('should refresh and relock only with the current id and app', async () => {
      const ref = await f.createFile('a.docx', 'x');
      await expect(
        storage.refreshLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds),
      ).rejects.toBeInstanceOf(StorageNotLockedError);
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later(60_000) }, creds);
      const wrong = await storage
        .refreshLock(ref, { lockId: 'L2', appName: APP, expiresAt: later() }, creds)
        .catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(StorageLockedError);
      expect((wrong as StorageLockedError).current?.lockId).toBe('L1');
      const otherApp = await storage
        .refreshLock(ref, { lockId: 'L1', appName: 'OtherApp', expiresAt: later() }, creds)
        .catch((e: unknown) => e);
      expect(otherApp).toBeInstanceOf(StorageLockedError);
      await storage.refreshLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      expect((await storage.getLock(ref, creds))?.expiresAt).toBeGreaterThan(later(20 * 60_000));
      await storage.refreshLock(
        ref,
        { lockId: 'L3', appName: APP, expiresAt: later() },
        creds,
        'L1',
      );
      expect((await storage.getLock(ref, creds))?.lockId).toBe('L3');
      await expect(
        storage.refreshLock(ref, { lockId: 'L4', appName: APP, expiresAt: later() }, creds, 'L1'),
      ).rejects.toBeInstanceOf(StorageLockedError);
    });

    it('should unlock only with the current id and app', async () => {
      const ref = await f.createFile('a.docx', 'x');
      await expect(
        storage.unlock(ref, { lockId: 'L1', appName: APP }, creds),
      ).rejects.toBeInstanceOf(StorageNotLockedError);
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      await expect(
        storage.unlock(ref, { lockId: 'L2', appName: APP }, creds),
      ).rejects.toBeInstanceOf(StorageLockedError);
      await expect(
        storage.unlock(ref, { lockId: 'L1', appName: 'OtherApp' }, creds),
      ).rejects.toBeInstanceOf(StorageLockedError);
      expect((await storage.getLock(ref, creds))?.lockId).toBe('L1');
    });

    it('should keep lock ids of 1024 characters verbatim', async () => {
      const ref = await f.createFile('a.docx', 'x');
      const lockId = `{"S":"${'x'.repeat(1000)}","E":2}`.padEnd(1024, 'y');
      await storage.setLock(ref, { lockId, appName: APP, expiresAt: later() }, creds);
      expect((await storage.getLock(ref, creds))?.lockId).toBe(lockId);
    });

    it('should treat an expired lock as absent', async () => {
      const ref = await f.createFile('a.docx', 'x');
      await storage.setLock(
        ref,
        { lockId: 'L1', appName: APP, expiresAt: Date.now() + 1200 },
        creds,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await storage.getLock(ref, creds)).toBeUndefined();
      await storage.setLock(ref, { lockId: 'L2', appName: APP, expiresAt: later() }, creds);
    });

    it('should let writes to a locked file through only with its lock id', async () => {
      const ref = await f.createFile('a.docx', 'original');
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      await expect(storage.upload(ref, body('no lock'), {}, creds)).rejects.toBeInstanceOf(
        StorageLockedError,
      );
      await expect(
        storage.upload(ref, body('bad lock'), { lockId: 'L2' }, creds),
      ).rejects.toBeInstanceOf(StorageLockedError);
      expect((await f.readStored('a.docx')).toString()).toBe('original');
      await storage.upload(ref, body('good lock'), { lockId: 'L1' }, creds);
      expect((await f.readStored('a.docx')).toString()).toBe('good lock');
      const target = { resourceId: f.folder.resourceId, path: './b.docx' };
      await expect(storage.move(ref, target, creds)).rejects.toBeInstanceOf(StorageLockedError);
      await expect(storage.delete(ref, creds, 'L2')).rejects.toBeInstanceOf(StorageLockedError);
      await storage.move(ref, target, creds, 'L1');
      await storage.delete(ref, creds, 'L1');
      await expect(storage.stat(ref, creds)).rejects.toBeInstanceOf(StorageNotFoundError);
    });

    it('should ignore a lock id on writes to an unlocked file', async () => {
      const ref = await f.createFile('a.docx', 'original');
      await storage.upload(ref, body('new'), { lockId: 'whatever' }, creds);
      expect((await f.readStored('a.docx')).toString()).toBe('new');
    });

    it('should move a file keeping its id and lock, and refuse to move onto an existing name', async () => {
      const ref = await f.createFile('old.docx', 'x');
      await f.createFile('taken.docx', 'y');
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      await expect(
        storage.move(ref, { resourceId: f.folder.resourceId, path: './taken.docx' }, creds, 'L1'),
      ).rejects.toBeInstanceOf(StorageAlreadyExistsError);
      const moved = await storage.move(
        ref,
        { resourceId: f.folder.resourceId, path: './new.docx' },
        creds,
        'L1',
      );
      expect(moved.name).toBe('new.docx');
      const info = await storage.stat(ref, creds);
      expect(info.name).toBe('new.docx');
      expect(info.lock?.lockId).toBe('L1');
      expect((await f.readStored('taken.docx')).toString()).toBe('y');
    });

    it('should keep ids and locks across a restart', async () => {
      const ref = await f.createFile('a.docx', 'x');
      await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
      const reopened = await f.reopen();
      expect((await reopened.stat(ref, creds)).name).toBe('a.docx');
      expect((await reopened.getLock(ref, creds))?.lockId).toBe('L1');
    });

    it('should say who the credentials belong to and report health', async () => {
      expect((await storage.whoAmI(creds)).id.opaqueId).toBe(creds.user.id.opaqueId);
      expect((await storage.health()).status).toBe('up');
    });
  });
}
