import { randomUUID } from 'node:crypto';
import { appendFile, lstat, mkdir, open, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalRoot } from './local-root';
import { STATE_DIR_NAME, isErrno } from './local-root';

interface Entry {
  id: string;
  path: string;
  ino: string;
}

interface Record_ {
  id: string;
  path?: string;
  ino?: string;
  deleted?: true;
}

/**
 * Stable ids for the files and folders of the local root. The ids survive renames (ours, and outside
 * ones: the inode finds the file again) and restarts. Stored as an append-only JSON-lines log so
 * several processes on one root (the server and the CLI) share it: each reads what the others
 * appended, and new ids are assigned under a lock folder.
 */
export class IdIndex {
  private readonly byId = new Map<string, Entry>();
  private readonly byPath = new Map<string, string>();
  private offset = 0;
  private pending = '';

  constructor(private readonly root: LocalRoot) {}

  private get file(): string {
    return join(this.root.stateDir, 'ids.jsonl');
  }

  /** The id of the file at `spacePath` (with inode `ino`), assigning one if it has none yet. */
  async idFor(spacePath: string, ino: bigint): Promise<string> {
    if (spacePath === '/') {
      return this.root.spaceId;
    }
    const inode = ino.toString();
    const known = await this.findForPath(spacePath, inode);
    if (known !== undefined) {
      return known;
    }
    return this.withAssignLock(async () => {
      await this.catchUp();
      const again = await this.findForPath(spacePath, inode);
      if (again !== undefined) {
        return again;
      }
      const id = randomUUID();
      await this.append({ id, path: spacePath, ino: inode });
      return id;
    });
  }

  /** The path this process last saw for an id, without looking at the file system. */
  knownPathOf(id: string): string | undefined {
    return id === this.root.spaceId ? '/' : this.byId.get(id)?.path;
  }

  /** Space path of an id, following outside moves by inode; undefined when the file is gone. */
  async pathOf(id: string): Promise<string | undefined> {
    if (id === this.root.spaceId) {
      return '/';
    }
    let entry = this.byId.get(id);
    if (entry === undefined) {
      await this.catchUp();
      entry = this.byId.get(id);
    }
    if (entry === undefined) {
      return undefined;
    }
    if (await this.exists(entry.path)) {
      return entry.path;
    }
    const moved = await this.findByInode(entry.ino);
    if (moved === undefined || this.byPath.get(moved) !== undefined) {
      return undefined;
    }
    await this.append({ id, path: moved, ino: entry.ino });
    return moved;
  }

  async recordMove(id: string, path: string, ino: bigint): Promise<void> {
    await this.append({ id, path, ino: ino.toString() });
  }

  async recordInode(id: string, ino: bigint): Promise<void> {
    const entry = this.byId.get(id);
    if (entry && entry.ino !== ino.toString()) {
      await this.append({ id, path: entry.path, ino: ino.toString() });
    }
  }

  async recordDelete(id: string): Promise<void> {
    await this.append({ id, deleted: true });
  }

  private async findForPath(spacePath: string, inode: string): Promise<string | undefined> {
    let id = this.byPath.get(spacePath);
    if (id === undefined) {
      await this.catchUp();
      id = this.byPath.get(spacePath);
    }
    if (id !== undefined) {
      // Same path, new inode: replaced in place (an atomic save); the file keeps its id.
      if (this.byId.get(id)?.ino !== inode) {
        await this.append({ id, path: spacePath, ino: inode });
      }
      return id;
    }
    // Same inode under a new path: moved from outside.
    for (const entry of this.byId.values()) {
      if (entry.ino === inode && !(await this.exists(entry.path))) {
        await this.append({ id: entry.id, path: spacePath, ino: inode });
        return entry.id;
      }
    }
    return undefined;
  }

  private async exists(spacePath: string): Promise<boolean> {
    try {
      await lstat(this.root.absolute(spacePath));
      return true;
    } catch {
      return false;
    }
  }

  private async findByInode(inode: string): Promise<string | undefined> {
    const walk = async (dir: string): Promise<string | undefined> => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return undefined;
      }
      for (const name of names) {
        if (dir === this.root.dir && name === STATE_DIR_NAME) {
          continue;
        }
        const full = join(dir, name);
        const info = await lstat(full, { bigint: true }).catch(() => undefined);
        if (info === undefined) {
          continue;
        }
        if (info.ino.toString() === inode) {
          return this.root.spacePath(full);
        }
        if (info.isDirectory()) {
          const found = await walk(full);
          if (found !== undefined) {
            return found;
          }
        }
      }
      return undefined;
    };
    return walk(this.root.dir);
  }

  private async append(record: Record_): Promise<void> {
    await appendFile(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    await this.catchUp();
  }

  /** Reads whatever was appended since the last read (by this or another process). */
  private async catchUp(): Promise<void> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) {
        return;
      }
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) {
        return;
      }
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const text = this.pending + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() !== '') {
          this.apply(JSON.parse(line) as Record_);
        }
      }
    } finally {
      await handle.close();
    }
  }

  private apply(record: Record_): void {
    const previous = this.byId.get(record.id);
    if (previous && this.byPath.get(previous.path) === record.id) {
      this.byPath.delete(previous.path);
    }
    if (record.deleted) {
      this.byId.delete(record.id);
      return;
    }
    if (record.path === undefined || record.ino === undefined) {
      return;
    }
    this.byId.set(record.id, { id: record.id, path: record.path, ino: record.ino });
    this.byPath.set(record.path, record.id);
  }

  private async withAssignLock<T>(section: () => Promise<T>): Promise<T> {
    const lockDir = join(this.root.stateDir, 'ids.lock');
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await mkdir(lockDir);
        break;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) {
          throw error;
        }
        const age = await stat(lockDir).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > 10_000 || Date.now() > deadline) {
          await rmdir(lockDir).catch(() => undefined);
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    try {
      return await section();
    } finally {
      await rmdir(lockDir).catch(() => undefined);
    }
  }
}
