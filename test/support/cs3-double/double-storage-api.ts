import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { readPlain } from '../../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import {
  finishEmptyUpload,
  tmpFile,
  type DoubleContext,
  type UploadSession,
} from './double-context';
import { Cs3Fail } from './double-fail';
import type { Caller, DoubleNode } from './double-store';
import { signJwt } from './double-tokens';

const OK = { status: { code: 'CODE_OK' as const } };
const TRANSFER_TTL_MS = 5 * 60_000;

/** Storage methods of the gateway, with reva's storage provider + decomposedfs semantics. */
export class DoubleStorageApi {
  constructor(private readonly ctx: DoubleContext) {}

  private get store() {
    return this.ctx.store;
  }

  async Stat(req: cs3.StatRequest, caller: Caller): Promise<cs3.StatResponse> {
    const resolved = this.store.resolve(req.ref);
    const node = this.store.existing(resolved);
    this.store.require(caller, node, 'stat');
    return { ...OK, info: await this.store.info(node, caller, resolved.relative) };
  }

  /** As reva: no check of the file here; the GET finds out (404, 403, 425). */
  InitiateFileDownload(
    req: cs3.InitiateFileDownloadRequest,
  ): Promise<cs3.InitiateFileDownloadResponse> {
    const space = req.ref.resource_id?.space_id;
    if (space !== undefined && space !== this.store.spaceId) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'space not found');
    }
    const relative = req.ref.resource_id !== undefined && (req.ref.path ?? '').startsWith('.');
    const token = signJwt(
      {
        target: `download:${JSON.stringify(req.ref)}`,
        exp: Math.floor((Date.now() + TRANSFER_TTL_MS) / 1000),
      },
      this.ctx.transferSecret,
    );
    return Promise.resolve({
      ...OK,
      protocols: [
        { protocol: relative ? 'spaces' : 'simple', download_endpoint: this.ctx.dataUrl(), token },
      ],
    });
  }

  /** reva's storage provider (Stat, if_not_exist, if_match) then decomposedfs's InitiateUpload. */
  async InitiateFileUpload(
    req: cs3.InitiateFileUploadRequest,
    caller: Caller,
  ): Promise<cs3.InitiateFileUploadResponse> {
    let current: DoubleNode | undefined;
    try {
      current = this.store.existing(this.store.resolve(req.ref));
      this.store.require(caller, current, 'stat');
    } catch (error) {
      if (!(error instanceof Cs3Fail && error.code === 'CODE_NOT_FOUND')) {
        throw error;
      }
      current = undefined;
    }
    if (current && req.if_not_exist) {
      throw new Cs3Fail('CODE_ALREADY_EXISTS', 'already exists');
    }
    if (req.if_match && req.if_match !== (current ? this.store.etag(current) : '')) {
      throw new Cs3Fail('CODE_FAILED_PRECONDITION', 'etag mismatch');
    }
    const lengthText = readPlain(req.opaque, 'Upload-Length') ?? '0';
    if (!/^\d+$/.test(lengthText)) {
      throw new Cs3Fail('CODE_INTERNAL', 'error parsing upload length');
    }
    const session = this.newSession(req, caller, Number(lengthText));
    if (session.length === 0) {
      await finishEmptyUpload(this.ctx, session, req.lock_id ?? '');
    }
    const token = signJwt(
      { target: `upload:${session.id}`, exp: Math.floor((Date.now() + TRANSFER_TTL_MS) / 1000) },
      this.ctx.transferSecret,
    );
    const endpoint = this.ctx.dataUrl();
    return {
      ...OK,
      ...(session.nodeId === undefined
        ? { opaque: { map: { created: { decoder: 'plain', value: Buffer.from('true') } } } }
        : {}),
      // reva offers tus too; clients must pick simple/spaces.
      protocols: [
        { protocol: 'tus', upload_endpoint: `${endpoint}/tus`, token },
        { protocol: 'simple', upload_endpoint: endpoint, token },
      ],
    };
  }

  SetLock(req: cs3.SetLockRequest, caller: Caller): Promise<cs3.Cs3Response> {
    const node = this.store.existing(this.store.resolve(req.ref));
    this.store.require(caller, node, 'initiate_file_upload');
    this.store.locks.set(node.id, req.lock);
    return Promise.resolve(OK);
  }

  GetLock(req: cs3.GetLockRequest, caller: Caller): Promise<cs3.GetLockResponse> {
    const node = this.store.existing(this.store.resolve(req.ref));
    this.store.require(caller, node, 'initiate_file_download');
    const lock = this.store.locks.read(node.id);
    if (!lock) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'get lock: no lock found');
    }
    return Promise.resolve({ ...OK, lock });
  }

  RefreshLock(req: cs3.RefreshLockRequest, caller: Caller): Promise<cs3.Cs3Response> {
    if (!req.lock.lock_id) {
      throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'refresh lock: missing lockid');
    }
    const node = this.store.existing(this.store.resolve(req.ref));
    this.store.require(caller, node, 'initiate_file_upload');
    this.store.locks.refresh(node.id, req.lock, req.existing_lock_id ?? '', caller.user.id ?? {});
    return Promise.resolve(OK);
  }

  Unlock(req: cs3.UnlockRequest, caller: Caller): Promise<cs3.Cs3Response> {
    if (!req.lock.lock_id) {
      throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'unlock: missing lockid');
    }
    const node = this.store.existing(this.store.resolve(req.ref));
    this.store.require(caller, node, 'initiate_file_upload');
    this.store.locks.unlock(node.id, req.lock, caller.user.id ?? {});
    return Promise.resolve(OK);
  }

  async Move(req: cs3.MoveRequest, caller: Caller): Promise<cs3.Cs3Response> {
    const node = this.store.existing(this.store.resolve(req.source));
    this.store.require(caller, node, 'move');
    const target = this.store.resolve(req.destination);
    if (target.node) {
      throw new Cs3Fail('CODE_ALREADY_EXISTS', `${target.name} already exists`);
    }
    if (!target.parent) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'target folder not found');
    }
    this.store.require(
      caller,
      target.parent,
      node.folder ? 'create_container' : 'initiate_file_upload',
    );
    this.store.locks.check(node.id, req.lock_id ?? '');
    await this.store.move(node, target.parent, target.name);
    return OK;
  }

  async Delete(req: cs3.DeleteRequest, caller: Caller): Promise<cs3.Cs3Response> {
    const node = this.store.existing(this.store.resolve(req.ref));
    this.store.require(caller, node, 'stat');
    if (node.processing) {
      return {
        status: { code: 'CODE_TOO_EARLY', message: 'file is processing' },
        opaque: { map: { status: { decoder: 'plain', value: Buffer.from('processing') } } },
      };
    }
    this.store.require(caller, node, 'delete');
    this.store.locks.check(node.id, req.lock_id ?? '');
    await this.store.remove(node);
    return OK;
  }

  async TouchFile(req: cs3.TouchFileRequest, caller: Caller): Promise<cs3.Cs3Response> {
    const target = this.store.resolve(req.ref);
    if (target.node) {
      throw new Cs3Fail('CODE_ALREADY_EXISTS', `${target.name} already exists`);
    }
    if (!target.parent) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'parent not found');
    }
    this.store.require(caller, target.parent, 'initiate_file_upload');
    const file = tmpFile(this.ctx);
    await writeFile(file, '');
    await this.store.commit({ parent: target.parent, name: target.name }, file);
    return OK;
  }

  async CreateContainer(req: cs3.CreateContainerRequest, caller: Caller): Promise<cs3.Cs3Response> {
    const target = this.store.resolve(req.ref);
    if (target.node) {
      throw new Cs3Fail('CODE_ALREADY_EXISTS', `${target.name} already exists`);
    }
    if (!target.parent) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'parent not found');
    }
    this.store.require(caller, target.parent, 'create_container');
    await this.store.mkdir(target.parent, target.name);
    return OK;
  }

  /** decomposedfs InitiateUpload: the checks, in its order and with its codes. */
  private newSession(
    req: cs3.InitiateFileUploadRequest,
    caller: Caller,
    length: number,
  ): UploadSession {
    let resolved;
    try {
      resolved = this.store.resolve(req.ref);
    } catch (error) {
      throw error instanceof Cs3Fail && error.code === 'CODE_NOT_FOUND'
        ? new Cs3Fail('CODE_FAILED_PRECONDITION', error.message)
        : error;
    }
    const { node, parent, name } = resolved;
    const checked = node ?? parent;
    if (!checked || !parent) {
      throw new Cs3Fail('CODE_INTERNAL', "can't upload to mount path");
    }
    if (this.store.permissions(caller, checked).initiate_file_upload !== true) {
      throw new Cs3Fail('CODE_PERMISSION_DENIED', 'permission denied');
    }
    if (node?.folder) {
      throw new Cs3Fail('CODE_FAILED_PRECONDITION', 'resource is not a file');
    }
    try {
      if (node) {
        this.store.locks.check(node.id, req.lock_id ?? '');
      } else if (req.lock_id) {
        throw new Cs3Fail('CODE_ABORTED', 'not locked');
      }
    } catch (error) {
      // reva's InitiateFileUpload has no case for errtypes.Aborted: it becomes INTERNAL.
      throw error instanceof Cs3Fail && error.code === 'CODE_ABORTED'
        ? new Cs3Fail('CODE_INTERNAL', `error getting upload id: ${error.message}`)
        : error;
    }
    const session: UploadSession = {
      id: randomUUID(),
      ...(node ? { nodeId: node.id } : {}),
      parentId: parent.id,
      name,
      length,
      ...(req.if_match ? { ifMatch: req.if_match } : {}),
      caller,
    };
    this.ctx.uploads.set(session.id, session);
    return session;
  }
}
