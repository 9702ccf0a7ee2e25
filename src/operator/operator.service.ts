import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { CoopsDocumentsControl } from '../coops/coops-documents.control';
import { StorageGateway } from '../storage/storage-gateway.port';
import type {
  LockInfo,
  ResourceId,
  StorageCredentials,
  StorageUser,
} from '../storage/storage.types';
import { AccessTokenService } from '../tokens/access-token.service';
import { formatResourceId, parseResourceId, wopiFileId } from '../tokens/resource-id';
import { OpenSessions } from './open-sessions.port';

/** One open document as the operator sees it. */
export interface OpenDocument {
  fileId: string;
  resourceId?: string;
  path?: string;
  /** WOPI sessions (one per editor session) and CoOPS clients on this document. */
  sessions: { sessionId: string; app?: string; mode: string; user: string; lastSeen: string }[];
  coops?: { revision: number; clients: number; dirty: boolean };
  /** The storage lock, when one could be read with the credentials of an open session. */
  lock?: { lockId: string; appName: string; expiresAt: string } | null;
}

export interface UnlockCommand {
  /** storage$space!opaque, or the WOPI file id of an open document. */
  resourceId?: string;
  fileId?: string;
  /** CS3: a reva token allowed to unlock; else the credentials of an open session are used. */
  revaToken?: string;
  /** A WOPI access token of the file, instead of a reva token. */
  accessToken?: string;
}

const OPERATOR_USER: StorageUser = {
  id: { idp: '', opaqueId: '' },
  username: 'operator',
  displayName: 'Operator',
  isGuest: false,
};

/**
 * The operator API's logic (served over NATS request-reply): the open documents with their
 * locks, forcing a stale lock off a file (ocis-collaboration §7.4), flushing CoOPS documents.
 */
@Injectable()
export class OperatorService {
  private readonly logger = new Logger(OperatorService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly tokens: AccessTokenService,
    private readonly sessions: OpenSessions,
    private readonly coops: CoopsDocumentsControl,
  ) {}

  async documents(): Promise<OpenDocument[]> {
    const byFile = new Map<
      string,
      OpenDocument & { credentials?: StorageCredentials; ref?: ResourceId }
    >();
    const entry = (fileId: string) => {
      let doc = byFile.get(fileId);
      if (!doc) {
        doc = { fileId, sessions: [] };
        byFile.set(fileId, doc);
      }
      return doc;
    };
    for (const session of await this.sessions.list()) {
      const doc = entry(session.fileId);
      if (session.resourceId) {
        doc.resourceId = formatResourceId(session.resourceId);
        doc.ref = session.resourceId;
      }
      doc.path ??= session.path;
      doc.sessions.push({
        sessionId: session.sessionId,
        ...(session.app ? { app: session.app } : {}),
        mode: session.mode,
        user: session.user.username,
        lastSeen: session.lastSeen,
      });
    }
    for (const open of this.coops.list()) {
      const doc = entry(open.fileId);
      doc.ref ??= open.resourceId;
      doc.resourceId ??= formatResourceId(open.resourceId);
      doc.path ??= open.path;
      doc.coops = { revision: open.revision, clients: open.clients, dirty: open.dirty };
      doc.credentials = open.credentials;
    }
    const documents = [...byFile.values()];
    await Promise.all(
      documents.map(async (doc) => {
        const credentials = doc.credentials ?? this.localCredentials();
        if (doc.ref && credentials) {
          doc.lock = await this.storage
            .getLock({ resourceId: doc.ref }, credentials)
            .then(lockView, () => undefined);
        }
        delete doc.credentials;
        delete doc.ref;
      }),
    );
    return documents;
  }

  /** Removes whatever lock the file has (the lock left by a crashed editor). */
  async forceUnlock(command: UnlockCommand): Promise<{ fileId: string; removed: LockView | null }> {
    const resourceId = await this.resourceOf(command);
    const credentials = await this.credentialsFor(resourceId, command);
    const ref = { resourceId };
    const lock = await this.storage.getLock(ref, credentials);
    if (lock) {
      await this.storage.unlock(ref, { lockId: lock.lockId, appName: lock.appName }, credentials);
      this.logger.warn(
        { fileId: wopiFileId(resourceId), lockId: lock.lockId, appName: lock.appName },
        'lock removed by the operator',
      );
    }
    return { fileId: wopiFileId(resourceId), removed: lock ? lockView(lock) : null };
  }

  /** Saves open CoOPS documents now (all, or one file id). */
  async flush(fileId?: string): Promise<{ flushed: string[] }> {
    return { flushed: await this.coops.flush(fileId) };
  }

  private async resourceOf(command: UnlockCommand): Promise<ResourceId> {
    if (command.resourceId) {
      const id = parseResourceId(command.resourceId);
      if (!id) {
        throw new BadRequestError(`${command.resourceId} is not a resource id`);
      }
      return id;
    }
    if (command.fileId) {
      const known = (await this.sessions.list()).find((s) => s.fileId === command.fileId);
      const coops = this.coops.list().find((d) => d.fileId === command.fileId);
      const id = known?.resourceId ?? coops?.resourceId;
      if (!id) {
        throw new NotFoundError(`${command.fileId} is not open here; give its resourceId`);
      }
      return id;
    }
    throw new BadRequestError('unlock needs resourceId or fileId');
  }

  private async credentialsFor(
    resourceId: ResourceId,
    command: UnlockCommand,
  ): Promise<StorageCredentials> {
    if (command.accessToken) {
      const token = await this.tokens.verify(command.accessToken, wopiFileId(resourceId));
      return { user: token.user, ...(token.revaToken ? { token: token.revaToken } : {}) };
    }
    if (command.revaToken) {
      return { user: OPERATOR_USER, token: command.revaToken };
    }
    const open = this.coops.list().find((d) => d.fileId === wopiFileId(resourceId));
    const credentials = open?.credentials ?? this.localCredentials();
    if (!credentials) {
      throw new BadRequestError('unlock on the CS3 storage needs a revaToken or an accessToken');
    }
    return credentials;
  }

  /** Local storage needs no token: the local owner acts. */
  private localCredentials(): StorageCredentials | undefined {
    if (this.storage.driver !== 'local') {
      return undefined;
    }
    const owner = this.config.storage.localOwner;
    return {
      user: { ...OPERATOR_USER, id: { idp: 'local', opaqueId: owner }, username: owner },
    };
  }
}

export interface LockView {
  lockId: string;
  appName: string;
  expiresAt: string;
}

function lockView(lock: LockInfo | undefined): LockView | null {
  return lock
    ? {
        lockId: lock.lockId,
        appName: lock.appName,
        expiresAt: new Date(lock.expiresAt).toISOString(),
      }
    : null;
}
