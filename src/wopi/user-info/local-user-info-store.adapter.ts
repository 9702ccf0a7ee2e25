import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../../storage/local/local-root';
import type { UserId } from '../../storage/storage.types';
import { UserInfoStore, userInfoKey } from './user-info-store.port';

/** One small file per user under `<local root>/.collaboration/userinfo/`, written atomically. */
export class LocalUserInfoStore extends UserInfoStore {
  readonly kind = 'local';

  private constructor(private readonly dir: string) {
    super();
  }

  static async open(stateDir: string): Promise<LocalUserInfoStore> {
    const dir = join(stateDir, 'userinfo');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new LocalUserInfoStore(dir);
  }

  async get(user: UserId): Promise<string | undefined> {
    try {
      return await readFile(this.file(user), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) {
        return undefined;
      }
      throw error;
    }
  }

  async put(user: UserId, info: string): Promise<void> {
    const tmp = join(this.dir, `.tmp-${randomUUID()}`);
    await writeFile(tmp, info, { mode: 0o600 });
    await rename(tmp, this.file(user));
  }

  private file(user: UserId): string {
    return join(this.dir, userInfoKey(user));
  }
}
