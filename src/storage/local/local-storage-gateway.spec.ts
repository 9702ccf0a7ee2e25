import { lstat, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStorageContract } from '../../../test/support/storage-contract';
import { tempDir } from '../../../test/support/temp';
import { StorageInvalidArgumentError, StorageNotFoundError } from '../storage.errors';
import type { FileRef, StorageCredentials } from '../storage.types';
import { LocalStorageGateway } from './local-storage-gateway.adapter';

const credentials: StorageCredentials = {
  user: {
    id: { idp: 'local', opaqueId: 'tester' },
    username: 'tester',
    displayName: 'Tester',
    isGuest: false,
  },
};

describeStorageContract('local', async () => {
  const temp = await tempDir();
  const storage = await LocalStorageGateway.create(temp.dir, 'owner');
  await mkdir(join(temp.dir, 'docs'));
  const folder = { resourceId: (await storage.statPath('/docs')).resourceId };
  return {
    storage,
    credentials,
    folder,
    createFile: async (name, content) => {
      await writeFile(join(temp.dir, 'docs', name), content);
      return { resourceId: (await storage.statPath(`/docs/${name}`)).resourceId };
    },
    readStored: (name) => readFile(join(temp.dir, 'docs', name)),
    reopen: () => LocalStorageGateway.create(temp.dir, 'owner'),
    dispose: temp.remove,
  };
});

describe(LocalStorageGateway.name, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let storage: LocalStorageGateway;

  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    storage = await LocalStorageGateway.create(join(dir, 'root'), 'owner');
    await writeFile(join(dir, 'outside.txt'), 'secret outside the root');
  });

  afterEach(async () => {
    await remove();
  });

  async function refOf(name: string, content = 'x'): Promise<FileRef> {
    await writeFile(join(storage.root.dir, name), content);
    return { resourceId: (await storage.statPath(`/${name}`)).resourceId };
  }

  it('should keep every path inside the root', async () => {
    expect(() => storage.root.fromUserPath('../outside.txt')).toThrow(StorageInvalidArgumentError);
    expect(() => storage.root.fromUserPath(join(dir, 'outside.txt'))).toThrow(
      StorageInvalidArgumentError,
    );
    expect(() => storage.root.absolute('/a/../../outside.txt')).toThrow(
      StorageInvalidArgumentError,
    );
    const folder = { resourceId: (await storage.statPath('/')).resourceId };
    for (const path of ['./../outside.txt', '../outside.txt', './a\\..\\b', './.collaboration']) {
      await expect(
        storage.upload({ ...folder, path }, Readable.from([Buffer.from('x')]), {}, credentials),
      ).rejects.toBeInstanceOf(StorageInvalidArgumentError);
    }
    expect((await readFile(join(dir, 'outside.txt'))).toString()).toBe('secret outside the root');
  });

  it('should not follow symlinks out of the root', async () => {
    await symlink(join(dir, 'outside.txt'), join(storage.root.dir, 'escape.txt'));
    await symlink(dir, join(storage.root.dir, 'escape-dir'));
    await expect(storage.statPath('/escape.txt')).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(storage.statPath('/escape-dir/outside.txt')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
  });

  it('should hide its own state folder', async () => {
    await expect(storage.statPath('/.collaboration/secret')).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
    await expect(storage.statPath('/.collaboration')).rejects.toBeInstanceOf(StorageNotFoundError);
    expect(() => storage.root.fromUserPath('.collaboration/ids.jsonl')).toThrow(
      StorageNotFoundError,
    );
  });

  it('should refuse names longer than the file system allows', async () => {
    const folder = { resourceId: (await storage.statPath('/')).resourceId };
    const target = { ...folder, path: `./${'n'.repeat(256)}.docx` };
    await expect(
      storage.upload(target, Readable.from([Buffer.from('x')]), {}, credentials),
    ).rejects.toThrow('name too long');
  });

  it('should keep the id when the file is renamed or replaced from outside', async () => {
    const ref = await refOf('a.docx', 'first');
    await rename(join(storage.root.dir, 'a.docx'), join(storage.root.dir, 'b.docx'));
    expect((await storage.stat(ref, credentials)).name).toBe('b.docx');
    await writeFile(join(storage.root.dir, 'replacement.tmp'), 'second version');
    await rename(join(storage.root.dir, 'replacement.tmp'), join(storage.root.dir, 'b.docx'));
    const info = await storage.stat(ref, credentials);
    expect(info).toMatchObject({ name: 'b.docx', size: 14 });
    expect((await storage.statPath('/b.docx')).resourceId).toEqual(ref.resourceId);
  });

  it('should see outside changes at once', async () => {
    const ref = await refOf('a.txt', 'one');
    const before = await storage.stat(ref, credentials);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(join(storage.root.dir, 'a.txt'), 'two and more');
    const after = await storage.stat(ref, credentials);
    expect(after.size).toBe(12);
    expect(after.version).not.toBe(before.version);
  });

  it('should share ids with another process on the same root', async () => {
    const other = await LocalStorageGateway.create(storage.root.dir, 'owner');
    const ref = await refOf('shared.docx');
    expect((await other.stat(ref, credentials)).name).toBe('shared.docx');
    expect((await other.statPath('/shared.docx')).resourceId).toEqual(ref.resourceId);
  });

  it('should keep the mode of a file it rewrites', async () => {
    const ref = await refOf('private.txt');
    const { chmod } = await import('node:fs/promises');
    await chmod(join(storage.root.dir, 'private.txt'), 0o600);
    await storage.upload(ref, Readable.from([Buffer.from('new')]), {}, credentials);
    expect((await lstat(join(storage.root.dir, 'private.txt'))).mode & 0o777).toBe(0o600);
  });

  it('should refuse references from another storage or with invalid ids', async () => {
    const ref = await refOf('a.txt');
    await expect(
      storage.stat({ resourceId: { ...ref.resourceId, storageId: 'cs3' } }, credentials),
    ).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(
      storage.stat({ resourceId: { ...ref.resourceId, opaqueId: '../../etc' } }, credentials),
    ).rejects.toBeInstanceOf(StorageNotFoundError);
  });
});
