import { StorageInternalError, StorageUnauthenticatedError } from '../storage/storage.errors';
import type { FileInfo, LockInfo, StorageCredentials } from '../storage/storage.types';
import type { Cs3GatewayClient } from './cs3-gateway.client';
import { fromLock, liveLock, toFileInfo } from './cs3-mapping';
import { resolveOutcome, resolveStatus, type FailureScope } from './cs3-outcomes';
import { codeOf, dataStatusOutcome, type Cs3Operation } from './cs3-status';
import type * as cs3 from './proto/cs3.messages';

/** Transfer protocols this adapter speaks, as oCIS picks them (reva also offers "tus"). */
const PROTOCOLS = ['simple', 'spaces'];

type WriteMethod = 'Move' | 'Delete' | 'InitiateFileUpload';

/**
 * Gateway calls with their answers read through the status table: a non-OK status becomes the
 * domain error it means, after asking GetLock/Stat where oCIS's code is ambiguous.
 */
export class Cs3Calls {
  constructor(private readonly gateway: Cs3GatewayClient) {}

  /** A call whose non-OK status is an error. */
  async call<M extends cs3.GatewayMethod>(
    operation: Cs3Operation,
    method: M,
    request: cs3.GatewayRequest<M>,
    token: string,
    ours?: FailureScope['ours'],
  ): Promise<cs3.GatewayResponse<M>> {
    const response = await this.gateway.call(method, request, { token });
    if (codeOf(response.status) === 'CODE_OK') {
      return response;
    }
    const ref = 'ref' in request ? request.ref : undefined;
    const resolution = await resolveStatus(
      operation,
      method,
      response.status,
      this.scope(ref, token, ours),
    );
    throw 'error' in resolution
      ? resolution.error
      : new StorageInternalError(`${method}: unexpected answer`);
  }

  /**
   * A write that carries a lock id. decomposedfs refuses a lock id on an unlocked file while the
   * port ignores it, so such a write is sent once more without one.
   */
  async write<M extends WriteMethod>(
    operation: Cs3Operation,
    method: M,
    request: cs3.GatewayRequest<M>,
    token: string,
    lockId: string | undefined,
  ): Promise<{ response: cs3.GatewayResponse<M>; lockId: string | undefined }> {
    const withLock = lockId === undefined ? request : { ...request, lock_id: lockId };
    const response = await this.gateway.call(method, withLock, { token });
    if (codeOf(response.status) === 'CODE_OK') {
      return { response, lockId };
    }
    const ref = 'ref' in request ? request.ref : request.source;
    const scope = this.scope(ref, token, { lockId }, lockId !== undefined);
    const resolution = await resolveStatus(operation, method, response.status, scope);
    if ('retryWithoutLockId' in resolution) {
      return this.write(operation, method, request, token, undefined);
    }
    throw 'error' in resolution
      ? resolution.error
      : new StorageInternalError(`${method}: unexpected answer`);
  }

  /** The error a data-gateway HTTP status means. */
  async dataFailure(
    status: number,
    what: 'download' | 'upload',
    ref: cs3.Reference,
    token: string,
    lockId?: string,
  ): Promise<Error> {
    const message = `data gateway answered ${String(status)} to the ${what}`;
    const scope = this.scope(ref, token, { lockId });
    const resolution = await resolveOutcome(dataStatusOutcome(status), message, scope);
    return 'error' in resolution ? resolution.error : new StorageInternalError(message);
  }

  /** The state a failure resolution may look at. */
  scope(
    ref: cs3.Reference | undefined,
    token: string,
    ours?: FailureScope['ours'],
    mayRetry = false,
  ): FailureScope {
    return {
      ours,
      mayRetry,
      currentLock: () => (ref ? this.currentLock(ref, token) : Promise.resolve(undefined)),
      exists: async () => {
        if (!ref) {
          return true;
        }
        const res = await this.gateway.call('Stat', { ref }, { token });
        return codeOf(res.status) !== 'CODE_NOT_FOUND';
      },
    };
  }

  /** GetLock for disambiguation: the live lock, or undefined (also when GetLock itself fails). */
  async currentLock(ref: cs3.Reference, token: string): Promise<LockInfo | undefined> {
    const res = await this.gateway.call('GetLock', { ref }, { token });
    return codeOf(res.status) === 'CODE_OK' ? liveLock(fromLock(res.lock)) : undefined;
  }

  async statRaw(ref: cs3.Reference, token: string): Promise<cs3.ResourceInfo> {
    const res = await this.call('stat', 'Stat', { ref }, token);
    if (!res.info) {
      throw new StorageInternalError('Stat answered without a resource');
    }
    return res.info;
  }

  /** Stat by id gives the full path; a relative reference ("./name") only the base name. */
  async statFull(ref: cs3.Reference, token: string): Promise<FileInfo> {
    const info = await this.statRaw(ref, token);
    if (info.path?.startsWith('/') || !info.id?.opaque_id) {
      return toFileInfo(info);
    }
    return toFileInfo(await this.statRaw({ resource_id: info.id, path: '' }, token));
  }
}

export function tokenOf(credentials: StorageCredentials): string {
  if (!credentials.token) {
    throw new StorageUnauthenticatedError(
      'no reva token: the CS3 storage needs one in the credentials',
    );
  }
  return credentials.token;
}

/** The first transfer protocol this adapter speaks that has an endpoint. */
export function pickProtocol<P extends { protocol?: string }>(
  protocols: P[] | undefined,
  endpoint: keyof P,
): P {
  const found = protocols?.find((p) => PROTOCOLS.includes(p.protocol ?? '') && p[endpoint]);
  if (!found) {
    const offered = protocols?.map((p) => p.protocol).join(', ') ?? '';
    throw new StorageInternalError(
      `the gateway offered no simple/spaces transfer (offered: ${offered === '' ? 'none' : offered})`,
    );
  }
  return found;
}
