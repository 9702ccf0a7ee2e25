import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockInfo } from '../storage.types';
import type { LocalRoot } from './local-root';
import { isErrno } from './local-root';

/** Locks of the local root, one small JSON file per file id, so they survive restarts and renames. */
export class LockStore {
  constructor(
    private readonly root: LocalRoot,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live lock of a file; expired locks are removed and reported as absent. */
  async get(id: string): Promise<LockInfo | undefined> {
    // Most files are not locked, and every stat asks. A failed async open throws an ENOENT error
    // with a stack: the single largest cost of CheckFileInfo. A sync stat that does not throw is a
    // microsecond on the state folder.
    if (statSync(this.file(id), { throwIfNoEntry: false }) === undefined) {
      return undefined;
    }
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) {
        return undefined;
      }
      throw error;
    }
    const lock = JSON.parse(text) as LockInfo;
    if (lock.expiresAt <= this.now()) {
      await this.remove(id);
      return undefined;
    }
    return lock;
  }

  async put(id: string, lock: LockInfo): Promise<void> {
    const tmp = join(this.root.stateDir, 'tmp', `lock-${randomUUID()}`);
    await writeFile(tmp, JSON.stringify(lock), { mode: 0o600 });
    await rename(tmp, this.file(id));
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  private file(id: string): string {
    return join(this.root.stateDir, 'locks', `${id}.json`);
  }
}
