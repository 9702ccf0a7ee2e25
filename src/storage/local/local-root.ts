import { randomUUID } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StorageInvalidArgumentError, StorageNotFoundError } from '../storage.errors';
import { readOrCreateStateFile } from './state-file';

/** Name of the server's own folder inside the local root; invisible to users and never addressable. */
export const STATE_DIR_NAME = '.collaboration';

/** Bytes a single path component may have (ext4 and most file systems). */
export const MAX_NAME_BYTES = 255;

/**
 * The local root: where the user's files are, where the server keeps its own state, and the rules
 * that keep every path inside it (no traversal, no symlink escape, no access to the state folder).
 */
export class LocalRoot {
  private constructor(
    /** Real path of the root, symlinks resolved. */
    readonly dir: string,
    readonly spaceId: string,
  ) {}

  get stateDir(): string {
    return join(this.dir, STATE_DIR_NAME);
  }

  static async open(configured: string): Promise<LocalRoot> {
    const absolute = resolve(configured);
    await mkdir(absolute, { recursive: true });
    const dir = await realpath(absolute);
    const state = join(dir, STATE_DIR_NAME);
    await mkdir(join(state, 'tmp'), { recursive: true, mode: 0o700 });
    await mkdir(join(state, 'locks'), { recursive: true, mode: 0o700 });
    const spaceId = await readOrCreateStateFile(join(state, 'space-id'), () => randomUUID());
    return new LocalRoot(dir, spaceId.value);
  }

  /** Absolute path of a space path ("/a/b.txt"); rejects anything that would leave the root. */
  absolute(spacePath: string): string {
    const parts = spacePath.split('/').filter((part) => part !== '' && part !== '.');
    for (const part of parts) {
      if (part === '..' || part.includes('\\') || part.includes('\0')) {
        throw new StorageInvalidArgumentError(`path ${JSON.stringify(spacePath)} leaves the root`);
      }
    }
    if (parts[0] === STATE_DIR_NAME) {
      throw new StorageNotFoundError('no such file');
    }
    return join(this.dir, ...parts);
  }

  /** Space path ("/a/b.txt") of an absolute path inside the root. */
  spacePath(absolutePath: string): string {
    const rel = relative(this.dir, absolutePath);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new StorageInvalidArgumentError('path is outside the root');
    }
    return rel === '' ? '/' : `/${rel.split(sep).join('/')}`;
  }

  /**
   * Resolves symlinks of an existing path and checks the result is still inside the root and not in
   * the state folder. Returns the real path.
   */
  async confine(absolutePath: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(absolutePath);
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) {
        throw new StorageNotFoundError('no such file');
      }
      throw error;
    }
    if (real !== this.dir && !real.startsWith(this.dir + sep)) {
      throw new StorageNotFoundError('no such file');
    }
    if (real === this.stateDir || real.startsWith(this.stateDir + sep)) {
      throw new StorageNotFoundError('no such file');
    }
    return real;
  }

  /** Resolves a path given on the command line: relative to the root, or absolute inside it. */
  fromUserPath(userPath: string): string {
    if (isAbsolute(userPath)) {
      const rel = relative(this.dir, resolve(userPath));
      if (rel.startsWith('..') || isAbsolute(rel)) {
        throw new StorageInvalidArgumentError(
          `${userPath} is not inside the local root ${this.dir}`,
        );
      }
      return this.spacePath(join(this.dir, rel));
    }
    return this.spacePath(this.absolute(userPath));
  }
}

/** Checks one file or folder name; returns it unchanged or throws. */
export function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new StorageInvalidArgumentError(`invalid name ${JSON.stringify(name)}`);
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new StorageInvalidArgumentError('name too long');
  }
  if (name === STATE_DIR_NAME) {
    throw new StorageInvalidArgumentError('reserved name');
  }
  return name;
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
