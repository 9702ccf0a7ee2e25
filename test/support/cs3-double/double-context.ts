import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import { Cs3Fail } from './double-fail';
import type { Cs3DoubleFaults } from './double-faults';
import type { Caller, DoubleNode, DoubleStore } from './double-store';

/** One gRPC call the double received, for assertions. */
export interface RecordedCall {
  method: cs3.GatewayMethod;
  /** The decoded request (proto field names). */
  request: unknown;
  /** The x-access-token metadata, if any. */
  token?: string;
  /** The CS3 status code answered, or the gRPC error (`grpc:UNAVAILABLE`, ...). */
  outcome: string;
  at: number;
}

/** One request the data gateway received. */
export interface RecordedTransfer {
  method: string;
  /** X-Lock-Id of a PUT. */
  lockId?: string;
  /** Content-Length of a PUT. */
  length?: number;
  /** The answer's HTTP status (0 when the connection was cut). */
  status: number;
  at: number;
}

/** An upload between InitiateFileUpload and its PUT. */
export interface UploadSession {
  id: string;
  /** Set when the upload replaces an existing file. */
  nodeId?: string;
  parentId: string;
  name: string;
  length: number;
  ifMatch?: string;
  caller: Caller;
}

/** What the gRPC gateway and the data gateway of the double share. */
export interface DoubleContext {
  store: DoubleStore;
  faults: Cs3DoubleFaults;
  /** Signs reva tokens (as OCIS_JWT_SECRET). */
  jwtSecret: string;
  /** Signs transfer tokens (as the gateway's transfer secret). */
  transferSecret: string;
  dataUrl(): string;
  tmpDir: string;
  uploads: Map<string, UploadSession>;
  calls: RecordedCall[];
  transfers: RecordedTransfer[];
  appProviders: cs3.ProviderInfo[];
  /** Aborted when the double stops, to end delayed handlers. */
  stopping(): AbortSignal;
}

export function tmpFile(ctx: DoubleContext): string {
  return join(ctx.tmpDir, `upload-${randomUUID()}`);
}

/**
 * Ends an upload the way decomposedfs finishes one: the target must still be there, the lock id of
 * the PUT (X-Lock-Id) must fit the lock, the if-match etag of the initiate must still hold.
 */
export async function finishUpload(
  ctx: DoubleContext,
  session: UploadSession,
  file: string,
  lockId: string,
): Promise<DoubleNode> {
  try {
    const parent = ctx.store.node(session.parentId);
    const node =
      session.nodeId === undefined
        ? parent && ctx.store.child(parent.id, session.name)
        : ctx.store.node(session.nodeId);
    if (!parent || (session.nodeId !== undefined && !node)) {
      throw new Cs3Fail('CODE_NOT_FOUND', 'upload target is gone');
    }
    if (node) {
      ctx.store.locks.check(node.id, lockId);
      if (session.ifMatch !== undefined && session.ifMatch !== ctx.store.etag(node)) {
        throw new Cs3Fail('CODE_ABORTED', 'etag mismatch');
      }
    }
    return await ctx.store.commit({ node, parent, name: session.name }, file);
  } finally {
    ctx.uploads.delete(session.id);
    await rm(file, { force: true });
  }
}

/** An empty upload, finished at initiate time as decomposedfs does for Upload-Length 0. */
export async function finishEmptyUpload(
  ctx: DoubleContext,
  session: UploadSession,
  lockId: string,
): Promise<DoubleNode> {
  const file = tmpFile(ctx);
  await writeFile(file, '');
  return finishUpload(ctx, session, file, lockId);
}
