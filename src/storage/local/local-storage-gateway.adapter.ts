import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream, type BigIntStats } from 'node:fs';
import { access, chmod, lstat, open, rename, rm, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KeyedMutex } from '../../common/concurrency/keyed-mutex';
import { mimeTypeOf } from '../../common/mime';
import { StorageGateway, type Download } from '../storage-gateway.port';
import {
  StorageAlreadyExistsError,
  StorageInvalidArgumentError,
  StorageLockedError,
  StorageNotFoundError,
  StorageNotLockedError,
  StoragePreconditionError,
} from '../storage.errors';
import {
  versionOf,
  type FileInfo,
  type FileRef,
  type HealthReport,
  type LockInfo,
  type LockRequest,
  type StorageCredentials,
  type StorageUser,
  type Timestamp,
  type UploadOptions,
  type UserId,
} from '../storage.types';
import { IdIndex } from './id-index';
import { LocalRoot, checkName, isErrno } from './local-root';
import { LockStore } from './lock-store';

export const LOCAL_STORAGE_ID = 'local';

/** 1 MiB stream buffers move large files at about twice the speed of Node's 64 KiB default. */
const STREAM_BUFFER = 1024 * 1024;

const ID_PATTERN = /^[0-9a-f-]{36}$/;

interface Existing {
  kind: 'existing';
  id: string;
  spacePath: string;
  abs: string;
  stat: BigIntStats;
}

interface Missing {
  kind: 'new';
  spacePath: string;
  abs: string;
}

type Resolved = Existing | Missing;

/** Files in a folder of the local machine. The embedded default; see StorageGateway for the contract. */
export class LocalStorageGateway extends StorageGateway {
  readonly driver = 'local';
  private readonly mutex = new KeyedMutex();

  constructor(
    readonly root: LocalRoot,
    private readonly index: IdIndex,
    private readonly locks: LockStore,
    private readonly owner: UserId,
  ) {
    super();
  }

  static async create(
    rootDir: string,
    ownerId: string,
    now: () => number = Date.now,
  ): Promise<LocalStorageGateway> {
    const root = await LocalRoot.open(rootDir);
    return new LocalStorageGateway(root, new IdIndex(root), new LockStore(root, now), {
      idp: 'local',
      opaqueId: ownerId,
      type: 'primary',
    });
  }

  /** Info of a file given by its space path (how the CLI opens files); assigns an id when needed. */
  async statPath(spacePath: string): Promise<FileInfo> {
    const abs = this.root.absolute(spacePath);
    const real = await this.root.confine(abs);
    const stat = await lstat(real, { bigint: true });
    const path = this.root.spacePath(real);
    return this.info(await this.index.idFor(path, stat.ino), path, stat);
  }

  async stat(ref: FileRef, _credentials?: StorageCredentials): Promise<FileInfo> {
    const target = this.existing(await this.resolve(ref));
    return this.info(target.id, target.spacePath, target.stat);
  }

  async download(ref: FileRef, _credentials?: StorageCredentials): Promise<Download> {
    const target = this.existing(await this.resolve(ref));
    if (target.stat.isDirectory()) {
      throw new StorageInvalidArgumentError('is a folder');
    }
    const handle = await open(target.abs, 'r');
    try {
      const stat = await handle.stat({ bigint: true });
      const info = await this.info(target.id, target.spacePath, stat);
      const body = createReadStream('', {
        fd: handle,
        highWaterMark: STREAM_BUFFER,
        autoClose: true,
      });
      return { info, body };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async upload(
    ref: FileRef,
    body: Readable,
    options: UploadOptions,
    _credentials?: StorageCredentials,
  ): Promise<FileInfo> {
    const first = await this.resolve(ref);
    await this.checkWritable(first, options);
    const tmp = join(this.root.stateDir, 'tmp', `upload-${randomUUID()}`);
    try {
      let written = 0;
      const limit = options.size;
      await pipeline(
        body,
        async function* count(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            written += chunk.length;
            if (limit !== undefined && written > limit) {
              throw new StorageInvalidArgumentError(
                `body is longer than the announced ${String(limit)} bytes`,
              );
            }
            yield chunk;
          }
        },
        createWriteStream(tmp, {
          flags: 'wx',
          mode: 0o644,
          highWaterMark: STREAM_BUFFER,
          flush: true,
        }),
        { signal: options.signal },
      );
      if (limit !== undefined && written !== limit) {
        throw new StorageInvalidArgumentError(
          `body has ${String(written)} bytes, ${String(limit)} announced`,
        );
      }
      const key = first.kind === 'existing' ? first.id : `path:${first.spacePath}`;
      return await this.mutex.run(key, async () => {
        const target = await this.resolve(ref);
        await this.checkWritable(target, options);
        if (target.kind === 'existing') {
          await chmod(tmp, Number(target.stat.mode) & 0o7777);
        }
        await rename(tmp, target.abs);
        let stat = await lstat(target.abs, { bigint: true });
        if (target.kind === 'existing') {
          stat = await this.ensureNewerMtime(target.abs, stat, target.stat.mtimeNs);
          await this.index.recordInode(target.id, stat.ino);
          return this.info(target.id, target.spacePath, stat);
        }
        return this.info(
          await this.index.idFor(target.spacePath, stat.ino),
          target.spacePath,
          stat,
        );
      });
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async setLock(ref: FileRef, lock: LockRequest, credentials: StorageCredentials): Promise<void> {
    const target = this.existing(await this.resolve(ref));
    await this.mutex.run(target.id, async () => {
      const current = await this.locks.get(target.id);
      if (current) {
        throw new StorageLockedError('file is locked', current);
      }
      await this.locks.put(target.id, { ...lock, user: credentials.user.id });
    });
  }

  async getLock(ref: FileRef, _credentials?: StorageCredentials): Promise<LockInfo | undefined> {
    const target = this.existing(await this.resolve(ref));
    return this.locks.get(target.id);
  }

  async refreshLock(
    ref: FileRef,
    lock: LockRequest,
    credentials: StorageCredentials,
    existingLockId?: string,
  ): Promise<void> {
    const target = this.existing(await this.resolve(ref));
    await this.mutex.run(target.id, async () => {
      const current = await this.heldLock(target.id, existingLockId ?? lock.lockId, lock.appName);
      await this.locks.put(target.id, { ...lock, user: current.user ?? credentials.user.id });
    });
  }

  async unlock(
    ref: FileRef,
    lock: Pick<LockRequest, 'lockId' | 'appName'>,
    _credentials?: StorageCredentials,
  ): Promise<void> {
    const target = this.existing(await this.resolve(ref));
    await this.mutex.run(target.id, async () => {
      await this.heldLock(target.id, lock.lockId, lock.appName);
      await this.locks.remove(target.id);
    });
  }

  async move(
    source: FileRef,
    destination: FileRef,
    _credentials: StorageCredentials,
    lockId?: string,
  ): Promise<FileInfo> {
    const from = this.existing(await this.resolve(source));
    return this.mutex.run(from.id, async () => {
      await this.checkLock(from.id, lockId);
      const to = await this.resolve(destination);
      if (to.kind === 'existing') {
        throw new StorageAlreadyExistsError('target exists');
      }
      await rename(from.abs, to.abs);
      const stat = await lstat(to.abs, { bigint: true });
      await this.index.recordMove(from.id, to.spacePath, stat.ino);
      return this.info(from.id, to.spacePath, stat);
    });
  }

  async delete(ref: FileRef, _credentials: StorageCredentials, lockId?: string): Promise<void> {
    const target = this.existing(await this.resolve(ref));
    if (target.stat.isDirectory()) {
      throw new StorageInvalidArgumentError('is a folder');
    }
    await this.mutex.run(target.id, async () => {
      await this.checkLock(target.id, lockId);
      await unlink(target.abs);
      await this.locks.remove(target.id);
      await this.index.recordDelete(target.id);
    });
  }

  whoAmI(credentials: StorageCredentials): Promise<StorageUser> {
    return Promise.resolve(credentials.user);
  }

  async health(): Promise<HealthReport> {
    try {
      await access(this.root.dir, constants.R_OK | constants.W_OK);
      await access(this.root.stateDir, constants.R_OK | constants.W_OK);
      return { status: 'up', driver: 'local', root: this.root.dir };
    } catch (error) {
      return {
        status: 'down',
        driver: 'local',
        root: this.root.dir,
        error: (error as Error).message,
      };
    }
  }

  private existing(target: Resolved): Existing {
    if (target.kind !== 'existing') {
      throw new StorageNotFoundError('no such file');
    }
    return target;
  }

  private async resolve(ref: FileRef): Promise<Resolved> {
    const { storageId, spaceId, opaqueId } = ref.resourceId;
    if (storageId !== LOCAL_STORAGE_ID || spaceId !== this.root.spaceId) {
      throw new StorageNotFoundError('no such file');
    }
    if (opaqueId !== this.root.spaceId && !ID_PATTERN.test(opaqueId)) {
      throw new StorageNotFoundError('no such file');
    }
    const relative = (ref.path ?? '.').split('/').filter((part) => part !== '' && part !== '.');
    if (relative.length === 0) {
      const known = await this.atKnownPath(opaqueId);
      if (known !== undefined) {
        return known;
      }
    }
    const base = await this.index.pathOf(opaqueId);
    if (base === undefined) {
      throw new StorageNotFoundError('no such file');
    }
    relative.forEach(checkName);
    const spacePath = posix.join(base, ...relative);
    const abs = this.root.absolute(spacePath);
    if (relative.length > 0) {
      const parent = await this.root.confine(dirname(abs));
      if (!(await lstat(parent)).isDirectory()) {
        throw new StorageNotFoundError('parent is not a folder');
      }
    }
    let stat: BigIntStats;
    try {
      stat = await lstat(abs, { bigint: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT') && relative.length > 0) {
        return { kind: 'new', spacePath, abs };
      }
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) {
        throw new StorageNotFoundError('no such file');
      }
      throw error;
    }
    if (stat.isSymbolicLink()) {
      const real = await this.root.confine(abs);
      stat = await lstat(real, { bigint: true });
    }
    const id = relative.length === 0 ? opaqueId : await this.index.idFor(spacePath, stat.ino);
    return { kind: 'existing', id, spacePath, abs, stat };
  }

  /**
   * The hot path of stat by id: the file is still where the index last saw it (one lstat instead
   * of the index's existence check plus ours). Undefined sends the caller down the full path
   * (moved or replaced from outside, symlinks).
   */
  private async atKnownPath(id: string): Promise<Existing | undefined> {
    const spacePath = this.index.knownPathOf(id);
    if (spacePath === undefined) {
      return undefined;
    }
    const abs = this.root.absolute(spacePath);
    const stat = await lstat(abs, { bigint: true }).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) {
        return undefined;
      }
      throw error;
    });
    return stat === undefined || stat.isSymbolicLink()
      ? undefined
      : { kind: 'existing', id, spacePath, abs, stat };
  }

  private async checkWritable(target: Resolved, options: UploadOptions): Promise<void> {
    if (target.kind === 'new') {
      if (options.ifMatch !== undefined) {
        throw new StoragePreconditionError('file does not exist');
      }
      return;
    }
    if (target.stat.isDirectory()) {
      throw new StorageInvalidArgumentError('is a folder');
    }
    if (options.ifNotExists) {
      throw new StorageAlreadyExistsError('target exists');
    }
    await this.checkLock(target.id, options.lockId);
    if (options.ifMatch !== undefined && options.ifMatch !== versionOf(timestampOf(target.stat))) {
      throw new StoragePreconditionError('file changed');
    }
  }

  private async checkLock(id: string, lockId: string | undefined): Promise<void> {
    const current = await this.locks.get(id);
    if (current && current.lockId !== lockId) {
      throw new StorageLockedError(
        lockId === undefined ? 'file is locked' : 'lock mismatch',
        current,
      );
    }
  }

  private async heldLock(id: string, lockId: string, appName: string): Promise<LockInfo> {
    const current = await this.locks.get(id);
    if (!current) {
      throw new StorageNotLockedError('file is not locked');
    }
    if (current.lockId !== lockId || current.appName !== appName) {
      throw new StorageLockedError('lock mismatch', current);
    }
    return current;
  }

  /** Every write gets a later mtime than the one before, so the version always changes. */
  private async ensureNewerMtime(
    abs: string,
    stat: BigIntStats,
    previousNs: bigint,
  ): Promise<BigIntStats> {
    let current = stat;
    for (let attempt = 1; current.mtimeNs <= previousNs && attempt <= 3; attempt++) {
      const targetMs = Number(previousNs / 1_000_000n) + attempt;
      await utimes(abs, current.atime, new Date(targetMs));
      current = await lstat(abs, { bigint: true });
    }
    return current;
  }

  private async info(id: string, spacePath: string, stat: BigIntStats): Promise<FileInfo> {
    const mtime = timestampOf(stat);
    const version = versionOf(mtime);
    const isFolder = stat.isDirectory();
    let parentId: FileInfo['parentId'];
    if (spacePath !== '/') {
      const parentPath = posix.dirname(spacePath);
      // The root's id is the space id; no need to look at the root folder for it.
      const parentStat =
        parentPath === '/'
          ? undefined
          : await lstat(this.root.absolute(parentPath), { bigint: true });
      parentId = this.resourceId(
        parentStat === undefined
          ? this.root.spaceId
          : await this.index.idFor(parentPath, parentStat.ino),
      );
    }
    return {
      resourceId: this.resourceId(id),
      parentId,
      type: isFolder ? 'folder' : 'file',
      name: spacePath === '/' ? '' : basename(spacePath),
      path: spacePath,
      size: isFolder ? 0 : Number(stat.size),
      mtime,
      etag: version,
      version,
      mimeType: isFolder ? 'httpd/unix-directory' : mimeTypeOf(spacePath),
      owner: this.owner,
      lock: isFolder ? undefined : await this.locks.get(id),
      permissions: {
        read: true,
        write: true,
        move: spacePath !== '/',
        delete: spacePath !== '/',
        createChild: isFolder,
      },
      spaceName: 'Local',
    };
  }

  private resourceId(opaqueId: string): FileInfo['resourceId'] {
    return { storageId: LOCAL_STORAGE_ID, spaceId: this.root.spaceId, opaqueId };
  }
}

function timestampOf(stat: BigIntStats): Timestamp {
  return {
    seconds: Number(stat.mtimeNs / 1_000_000_000n),
    nanos: Number(stat.mtimeNs % 1_000_000_000n),
  };
}
