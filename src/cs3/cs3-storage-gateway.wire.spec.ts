import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCs3Double, type Cs3Double } from '../../test/support/cs3-double';
import { credentialsFor, cs3StorageFor, type Cs3Storage } from '../../test/support/cs3-storage';
import {
  StorageLockedError,
  StorageNotFoundError,
  StoragePermissionDeniedError,
  StorageTooEarlyError,
  StorageUnauthenticatedError,
} from '../storage/storage.errors';
import type { FileRef, StorageCredentials } from '../storage/storage.types';
import { Cs3StorageGateway } from './cs3-storage-gateway.adapter';
import { readPlain } from './proto/cs3-proto';
import type * as cs3 from './proto/cs3.messages';

const APP = 'Collabora';
const later = () => Date.now() + 30 * 60_000;
const body = (text: string) => Readable.from([Buffer.from(text)]);

describe(Cs3StorageGateway.name, () => {
  let double: Cs3Double;
  let adapter: Cs3Storage;
  let storage: Cs3StorageGateway;
  let creds: StorageCredentials;
  let ref: FileRef;

  beforeEach(async () => {
    double = await startCs3Double();
    adapter = cs3StorageFor(double);
    storage = adapter.storage;
    creds = credentialsFor(double);
    ref = { resourceId: await double.createFile('/docs/a.docx', 'original') };
    double.clearCalls();
  });

  afterEach(async () => {
    adapter.close();
    await double.dispose();
  });

  function requestsOf(method: cs3.GatewayMethod): cs3.GatewayRequest<typeof method>[] {
    return double.callsOf(method).map((call) => call.request as cs3.GatewayRequest<typeof method>);
  }

  it('should call the gateway with the reva token and Stat by id with an empty path', async () => {
    const info = await storage.stat(ref, creds);
    expect(info).toMatchObject({
      name: 'a.docx',
      path: '/docs/a.docx',
      size: 8,
      spaceName: 'Personal',
      spaceAlias: `personal/${double.owner.username ?? ''}`,
    });
    expect(info.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const [call] = double.callsOf('Stat');
    expect(call?.token).toBe(creds.token);
    expect(call?.request).toMatchObject({
      ref: { resource_id: { opaque_id: ref.resourceId.opaqueId }, path: '' },
    });
  });

  it('should upload as oCIS does: Upload-Length, if-match, then a PUT of exactly that many bytes', async () => {
    const { etag } = await storage.stat(ref, creds);
    await storage.upload(ref, body('new content'), { size: 11, ifMatch: etag }, creds);
    const [initiate] = requestsOf('InitiateFileUpload') as cs3.InitiateFileUploadRequest[];
    expect(readPlain(initiate?.opaque, 'Upload-Length')).toBe('11');
    expect(initiate).toMatchObject({ if_match: etag, options: 'if_match' });
    expect(initiate?.lock_id ?? '').toBe('');
    expect(double.transfers).toEqual([
      expect.objectContaining({ method: 'PUT', length: 11, status: 200 }),
    ]);
    expect((await double.readFile('/docs/a.docx')).toString()).toBe('new content');
  });

  it('should send the lock id with the upload and the PUT when the file is locked', async () => {
    await storage.setLock(ref, { lockId: 'L1', appName: APP, expiresAt: later() }, creds);
    await storage.upload(ref, body('locked write'), { size: 12, lockId: 'L1' }, creds);
    expect(requestsOf('InitiateFileUpload')).toEqual([expect.objectContaining({ lock_id: 'L1' })]);
    expect(double.transfers).toEqual([expect.objectContaining({ lockId: 'L1', status: 200 })]);
    const [setLock] = requestsOf('SetLock') as cs3.SetLockRequest[];
    expect(setLock?.lock).toMatchObject({ lock_id: 'L1', type: 'LOCK_TYPE_WRITE', app_name: APP });
    expect(setLock?.lock.user).toBeUndefined();
  });

  it('should write an empty file without a PUT, as reva finishes 0-byte uploads at once', async () => {
    const info = await storage.upload(ref, Readable.from([]), { size: 0 }, creds);
    expect(info.size).toBe(0);
    expect((await double.readFile('/docs/a.docx')).length).toBe(0);
    expect(double.transfers).toEqual([]);
  });

  it('should spool a body of unknown length and send it with its exact length', async () => {
    const chunks = [Buffer.alloc(300_000, 'a'), Buffer.alloc(200_000, 'b')];
    const info = await storage.upload(ref, Readable.from(chunks), {}, creds);
    expect(info.size).toBe(500_000);
    expect(double.transfers).toEqual([expect.objectContaining({ length: 500_000, status: 200 })]);
    expect(await double.readFile('/docs/a.docx')).toEqual(Buffer.concat(chunks));
  });

  it('should tell "no lock" from "no file" although GetLock answers NOT_FOUND for both', async () => {
    expect(await storage.getLock(ref, creds)).toBeUndefined();
    expect(double.callsOf('GetLock')[0]?.outcome).toBe('CODE_NOT_FOUND');
    await storage.delete(ref, creds);
    await expect(storage.getLock(ref, creds)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('should report a lock conflict with the current lock when another app holds it', async () => {
    await storage.setLock(ref, { lockId: 'L1', appName: 'OnlyOffice', expiresAt: later() }, creds);
    const error = await storage
      .unlock(ref, { lockId: 'L1', appName: APP }, creds)
      .catch((e: unknown) => e);
    expect(double.callsOf('Unlock')[0]?.outcome).toBe('CODE_PERMISSION_DENIED');
    expect(error).toBeInstanceOf(StorageLockedError);
    expect((error as StorageLockedError).current).toMatchObject({
      lockId: 'L1',
      appName: 'OnlyOffice',
    });
  });

  it('should retry Delete while the file is post-processed (TOO_EARLY), then delete it', async () => {
    double.faults.failNext('Delete', 'CODE_TOO_EARLY', { times: 2 });
    await storage.delete(ref, creds);
    expect(double.callsOf('Delete').map((call) => call.outcome)).toEqual([
      'CODE_TOO_EARLY',
      'CODE_TOO_EARLY',
      'CODE_OK',
    ]);
    await expect(storage.stat(ref, creds)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('should give up on TOO_EARLY after its budget and keep the file', async () => {
    const quick = cs3StorageFor(double, { COLLABORATION_CS3_TIMEOUT: '300ms' });
    try {
      double.setProcessing('/docs/a.docx', true);
      await expect(quick.storage.delete(ref, creds)).rejects.toBeInstanceOf(StorageTooEarlyError);
      expect(double.callsOf('Delete').length).toBeGreaterThan(1);
      await expect(quick.storage.download(ref, creds)).rejects.toBeInstanceOf(StorageTooEarlyError);
      expect((await double.readFile('/docs/a.docx')).toString()).toBe('original');
    } finally {
      quick.close();
    }
  });

  it('should refuse without a reva token, with an invalid one and with an expired one', async () => {
    const { user } = creds;
    await expect(storage.stat(ref, { user })).rejects.toBeInstanceOf(StorageUnauthenticatedError);
    await expect(storage.stat(ref, { user, token: 'not-a-token' })).rejects.toBeInstanceOf(
      StorageUnauthenticatedError,
    );
    const expired = credentialsFor(double, double.owner, { expiresAt: Date.now() - 1000 });
    await expect(storage.stat(ref, expired)).rejects.toBeInstanceOf(StorageUnauthenticatedError);
    await expect(storage.whoAmI(expired)).rejects.toBeInstanceOf(StorageUnauthenticatedError);
  });

  it('should let a view-only token read but not write, and hide files from users without access', async () => {
    const viewer = credentialsFor(double, double.owner, { role: 'viewer' });
    const info = await storage.stat(ref, viewer);
    expect(info.permissions).toMatchObject({ read: true, write: false, delete: false });
    const download = await storage.download(ref, viewer);
    download.body.resume();
    await expect(storage.upload(ref, body('x'), { size: 1 }, viewer)).rejects.toBeInstanceOf(
      StoragePermissionDeniedError,
    );
    await expect(
      storage.setLock(ref, { lockId: 'L', appName: APP, expiresAt: later() }, viewer),
    ).rejects.toBeInstanceOf(StoragePermissionDeniedError);
    double.setRole('stranger', 'none');
    const stranger = credentialsFor(double, { opaqueId: 'stranger' });
    await expect(storage.stat(ref, stranger)).rejects.toBeInstanceOf(StorageNotFoundError);
    expect((await double.readFile('/docs/a.docx')).toString()).toBe('original');
  });

  it('should say who a token belongs to, public-link users as guests', async () => {
    expect(await storage.whoAmI(creds)).toMatchObject({
      id: { opaqueId: double.owner.opaqueId, type: 'primary' },
      username: 'einstein',
      displayName: 'Albert Einstein',
      mail: 'einstein@example.org',
      isGuest: false,
    });
    const link = credentialsFor(double, { opaqueId: 'link-user', publicLinkRole: 'viewer' });
    expect((await storage.whoAmI(link)).isGuest).toBe(true);
  });
});
