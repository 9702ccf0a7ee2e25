import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../../storage/local/local-root';
import type { UserId } from '../../storage/storage.types';
import { UserInfoStore, userInfoKey } from './user-info-store.port';

/**
 * One small file per user under `<local root>/.collaboration/userinfo/`, written atomically and
 * cached in memory (CheckFileInfo reads it on every call; only this process writes it).
 */
export class LocalUserInfoStore extends UserInfoStore {
  readonly kind = 'local';
  private readonly cache = new Map<string, string | undefined>();

  private constructor(private readonly dir: string) {
    super();
  }

  static async open(stateDir: string): Promise<LocalUserInfoStore> {
    const dir = join(stateDir, 'userinfo');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new LocalUserInfoStore(dir);
  }

  async get(user: UserId): Promise<string | undefined> {
    const key = userInfoKey(user);
    if (this.cache.has(key)) {
      return this.cache.get(key);
    }
    let value: string | undefined;
    try {
      value = await readFile(join(this.dir, key), 'utf8');
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) {
        throw error;
      }
    }
    this.cache.set(key, value);
    return value;
  }

  async put(user: UserId, info: string): Promise<void> {
    const tmp = join(this.dir, `.tmp-${randomUUID()}`);
    await writeFile(tmp, info, { mode: 0o600 });
    const key = userInfoKey(user);
    await rename(tmp, join(this.dir, key));
    this.cache.set(key, info);
  }
}
