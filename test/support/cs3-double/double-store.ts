import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mimeTypeOf } from '../../../src/common/mime';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import { Cs3Fail } from './double-fail';
import { DoubleLocks } from './double-locks';
import type { Cs3Role } from './double-tokens';

/** oCIS's storage-users provider id, so resource ids look like oCIS's. */
export const DOUBLE_STORAGE_ID = '1284d238-aa92-42ce-bdc4-0b0000009157';

export interface DoubleNode {
  id: string;
  parentId?: string;
  name: string;
  folder: boolean;
  /** Nanoseconds since the epoch; strictly increasing over all writes. */
  mtimeNs: bigint;
  processing: boolean;
}

/** Who calls: the token's user and the role the token grants. */
export interface Caller {
  user: cs3.User;
  role: Cs3Role;
}

/** A reference resolved: the node, or (for "./name" of a missing child) its parent and name. */
export interface Resolved {
  node?: DoubleNode;
  parent?: DoubleNode;
  name: string;
  relative: boolean;
}

const READ_PERMS: (keyof cs3.ResourcePermissions)[] = [
  'stat',
  'get_path',
  'get_quota',
  'initiate_file_download',
  'list_container',
  'list_file_versions',
];

/**
 * The space of the double: one personal space in a folder on disk (the tree is the real files),
 * ids, mtimes and locks in memory. Permissions as decomposedfs reports them: without `stat` a
 * resource is NOT_FOUND, with `stat` but without the needed permission PERMISSION_DENIED.
 */
export class DoubleStore {
  readonly spaceId = randomUUID();
  readonly locks = new DoubleLocks();
  /** Role per user opaque id; users without an entry get `defaultRole`. */
  readonly roles = new Map<string, Cs3Role>();
  defaultRole: Cs3Role = 'editor';
  private readonly nodes = new Map<string, DoubleNode>();
  private lastMtime = 0n;

  constructor(
    readonly filesDir: string,
    readonly owner: cs3.User,
    readonly spaceName = 'Personal',
  ) {
    this.nodes.set(this.spaceId, {
      id: this.spaceId,
      name: '',
      folder: true,
      mtimeNs: this.nextMtime(),
      processing: false,
    });
  }

  get root(): DoubleNode {
    return this.nodes.get(this.spaceId)!;
  }

  resourceId(node: DoubleNode): cs3.ResourceId {
    return { storage_id: DOUBLE_STORAGE_ID, space_id: this.spaceId, opaque_id: node.id };
  }

  node(id: string): DoubleNode | undefined {
    return this.nodes.get(id);
  }

  /** Resolves a CS3 reference: an id with "", "." or "./a/b", or an absolute path of the space. */
  resolve(ref: cs3.Reference | undefined): Resolved {
    const id = ref?.resource_id;
    let base: DoubleNode | undefined;
    let path = ref?.path ?? '';
    if (id) {
      const storageOk = !id.storage_id || id.storage_id === DOUBLE_STORAGE_ID;
      base =
        storageOk && id.space_id === this.spaceId
          ? this.nodes.get(
              id.opaque_id === undefined || id.opaque_id === '' ? this.spaceId : id.opaque_id,
            )
          : undefined;
      if (path.startsWith('/')) {
        throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'absolute path with a resource id');
      }
    } else if (path.startsWith('/')) {
      base = this.root;
      path = `.${path}`;
    }
    if (!base) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'resource not found');
    }
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.some((part) => part === '..')) {
      throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'invalid path');
    }
    let node: DoubleNode | undefined = base;
    let parent: DoubleNode | undefined = this.parentOf(base);
    for (const part of parts) {
      if (!node?.folder) {
        throw new Cs3Fail('CODE_NOT_FOUND', 'parent not found');
      }
      parent = node;
      node = this.child(node.id, part);
    }
    const name = parts.at(-1) ?? base.name;
    // reva answers relative references ("./name" under an id) with the base name as path.
    return { node, parent, name, relative: id !== undefined && parts.length > 0 };
  }

  pathOf(node: DoubleNode): string {
    const names: string[] = [];
    for (let n: DoubleNode | undefined = node; n?.parentId !== undefined; n = this.parentOf(n)) {
      names.unshift(n.name);
    }
    return `/${names.join('/')}`;
  }

  abs(node: DoubleNode): string {
    return join(this.filesDir, this.pathOf(node));
  }

  permissions(caller: Caller, node: DoubleNode): cs3.ResourcePermissions {
    const user = caller.user.id?.opaque_id ?? '';
    const isOwner = user === this.owner.id?.opaque_id;
    const userRole = isOwner ? 'editor' : (this.roles.get(user) ?? this.defaultRole);
    const role =
      userRole === 'none' || caller.role === 'none'
        ? 'none'
        : userRole === 'viewer' || caller.role === 'viewer'
          ? 'viewer'
          : 'editor';
    if (role === 'none') {
      return {};
    }
    const perms: cs3.ResourcePermissions = Object.fromEntries(READ_PERMS.map((p) => [p, true]));
    if (role === 'editor') {
      const isRoot = node.id === this.spaceId;
      Object.assign(perms, {
        initiate_file_upload: true,
        create_container: true,
        delete: !isRoot,
        move: !isRoot,
        restore_file_version: true,
        list_recycle: true,
      });
    }
    return perms;
  }

  /** decomposedfs: no stat permission → NOT_FOUND; stat but not `permission` → PERMISSION_DENIED. */
  require(caller: Caller, node: DoubleNode, permission: keyof cs3.ResourcePermissions): void {
    const perms = this.permissions(caller, node);
    if (perms[permission] !== true) {
      throw perms.stat === true
        ? new Cs3Fail('CODE_PERMISSION_DENIED', `${permission} not allowed`)
        : new Cs3Fail('CODE_NOT_FOUND', 'resource not found');
    }
  }

  existing(resolved: Resolved): DoubleNode {
    if (!resolved.node) {
      throw new Cs3Fail('CODE_NOT_FOUND', `${resolved.name} not found`);
    }
    return resolved.node;
  }

  /** decomposedfs's etag: md5 of id and mtime, quoted. */
  etag(node: DoubleNode): string {
    return `"${createHash('md5')
      .update(`${node.id}:${String(node.mtimeNs)}`)
      .digest('hex')}"`;
  }

  async info(node: DoubleNode, caller: Caller, relative: boolean): Promise<cs3.ResourceInfo> {
    const size = node.folder ? 0 : (await stat(this.abs(node))).size;
    const lock = node.folder ? undefined : this.locks.read(node.id);
    const opaque: Record<string, cs3.OpaqueEntry> = {};
    if (node.processing) {
      opaque['status'] = { decoder: 'plain', value: Buffer.from('processing') };
    }
    if (lock) {
      opaque['lock'] = { decoder: 'json', value: Buffer.from(JSON.stringify(lock)) };
    }
    const root = node.id === this.spaceId;
    return {
      ...(Object.keys(opaque).length > 0 ? { opaque: { map: opaque } } : {}),
      type: node.folder ? 'RESOURCE_TYPE_CONTAINER' : 'RESOURCE_TYPE_FILE',
      id: this.resourceId(node),
      etag: this.etag(node),
      mime_type: node.folder ? 'httpd/unix-directory' : mimeTypeOf(node.name),
      mtime: {
        seconds: Number(node.mtimeNs / 1_000_000_000n),
        nanos: Number(node.mtimeNs % 1_000_000_000n),
      },
      path: root ? '.' : relative ? node.name : this.pathOf(node),
      permission_set: this.permissions(caller, node),
      size,
      owner: this.owner.id,
      ...(lock ? { lock } : {}),
      ...(node.parentId
        ? {
            parent_id: {
              storage_id: DOUBLE_STORAGE_ID,
              space_id: this.spaceId,
              opaque_id: node.parentId,
            },
          }
        : {}),
      name: node.name,
      space: {
        id: { opaque_id: this.spaceId },
        owner: this.owner,
        root: this.resourceId(this.root),
        name: this.spaceName,
        space_type: 'personal',
        opaque: {
          map: {
            spaceAlias: {
              decoder: 'plain',
              value: Buffer.from(`personal/${this.owner.username ?? ''}`),
            },
          },
        },
      },
    };
  }

  /** Puts `tmpFile` at the target (replacing content, keeping the id), with a newer mtime. */
  async commit(
    target: { node?: DoubleNode; parent: DoubleNode; name: string },
    tmpFile: string,
  ): Promise<DoubleNode> {
    const node = target.node ?? {
      id: randomUUID(),
      parentId: target.parent.id,
      name: target.name,
      folder: false,
      mtimeNs: 0n,
      processing: false,
    };
    await rename(tmpFile, join(this.abs(target.parent), node.name));
    node.mtimeNs = this.nextMtime();
    this.nodes.set(node.id, node);
    return node;
  }

  async mkdir(parent: DoubleNode, name: string): Promise<DoubleNode> {
    const node: DoubleNode = {
      id: randomUUID(),
      parentId: parent.id,
      name,
      folder: true,
      mtimeNs: this.nextMtime(),
      processing: false,
    };
    await mkdir(join(this.abs(parent), name));
    this.nodes.set(node.id, node);
    return node;
  }

  async move(node: DoubleNode, parent: DoubleNode, name: string): Promise<void> {
    await rename(this.abs(node), join(this.abs(parent), name));
    node.parentId = parent.id;
    node.name = name;
  }

  async remove(node: DoubleNode): Promise<void> {
    await rm(this.abs(node), { recursive: true, force: true });
    for (const other of [...this.nodes.values()]) {
      if (other === node || this.isBelow(other, node)) {
        this.nodes.delete(other.id);
        this.locks.remove(other.id);
      }
    }
  }

  /** The folder at an absolute path of the space, made (with its parents) when missing. */
  async folderAt(path: string): Promise<DoubleNode> {
    let folder = this.root;
    for (const part of path.split('/').filter((p) => p !== '')) {
      folder = this.child(folder.id, part) ?? (await this.mkdir(folder, part));
      if (!folder.folder) {
        throw new Error(`${path} is not a folder`);
      }
    }
    return folder;
  }

  /** Creates (or replaces) a file at an absolute path of the space, making parent folders. */
  async putPath(path: string, content: Buffer, tmpFile: string): Promise<DoubleNode> {
    const parts = path.split('/').filter((part) => part !== '');
    const name = parts.pop();
    if (name === undefined) {
      throw new Error('a file path needs a name');
    }
    const parent = await this.folderAt(parts.join('/'));
    await writeFile(tmpFile, content);
    return this.commit({ node: this.child(parent.id, name), parent, name }, tmpFile);
  }

  /** A strictly increasing wall-clock mtime, so every write changes the version. */
  nextMtime(): bigint {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.lastMtime = now > this.lastMtime ? now : this.lastMtime + 1n;
    return this.lastMtime;
  }

  children(parentId: string): DoubleNode[] {
    return [...this.nodes.values()].filter((node) => node.parentId === parentId);
  }

  child(parentId: string, name: string): DoubleNode | undefined {
    for (const node of this.nodes.values()) {
      if (node.parentId === parentId && node.name === name) {
        return node;
      }
    }
    return undefined;
  }

  private parentOf(node: DoubleNode): DoubleNode | undefined {
    return node.parentId === undefined ? undefined : this.nodes.get(node.parentId);
  }

  private isBelow(node: DoubleNode, ancestor: DoubleNode): boolean {
    for (let n = this.parentOf(node); n; n = this.parentOf(n)) {
      if (n === ancestor) {
        return true;
      }
    }
    return false;
  }
}
