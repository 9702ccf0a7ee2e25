import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fromResourceId } from '../../../src/cs3/cs3-mapping';
import { cs3Service, GATEWAY_SERVICE } from '../../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import type { ResourceId } from '../../../src/storage/storage.types';
import { tempDir } from '../temp';
import {
  tmpFile,
  type DoubleContext,
  type RecordedCall,
  type RecordedTransfer,
} from './double-context';
import { dataHandler } from './double-data';
import { Cs3DoubleFaults } from './double-faults';
import { gatewayService } from './double-grpc';
import { DOUBLE_STORAGE_ID, DoubleStore } from './double-store';
import { cs3UserOf, mintRevaToken, type Cs3DoubleUser, type Cs3Role } from './double-tokens';

export type { RecordedCall, RecordedTransfer } from './double-context';
export { Cs3DoubleFaults } from './double-faults';
export { DOUBLE_STORAGE_ID } from './double-store';
export type { Cs3DoubleUser, Cs3Role } from './double-tokens';

/** The owner of the double's space unless the options name another one. */
export const EINSTEIN: Cs3DoubleUser = {
  opaqueId: '4c510ada-c86b-4815-8820-42cdf82c3d51',
  username: 'einstein',
  displayName: 'Albert Einstein',
  mail: 'einstein@example.org',
};

export interface Cs3DoubleOptions {
  /** Owner of the one (personal) space; default EINSTEIN. */
  owner?: Cs3DoubleUser;
  /** Default "Personal". */
  spaceName?: string;
  /** Role of users other than the owner that setRole() did not name; default "editor". */
  defaultRole?: Cs3Role;
  /** Serve gRPC over TLS with this key and certificate (PEM); default plain text. */
  tls?: { key: Buffer; cert: Buffer };
}

export interface MintOptions {
  /** Lifetime in seconds (default 3600), unless `expiresAt` (epoch ms) is given. */
  ttlSeconds?: number;
  expiresAt?: number;
  /** "viewer" makes a view-only token (no upload, lock, move or delete); default "editor". */
  role?: Cs3Role;
}

/**
 * A CS3 gateway that behaves like oCIS's (reva gateway + storage provider + decomposedfs) for the
 * calls this service makes: a real gRPC server on loopback (cs3.gateway.v1beta1.GatewayAPI) and its
 * HTTP data gateway, backed by a temporary folder (one personal space; the tree is real files).
 */
export interface Cs3Double {
  /** host:port of the gRPC gateway: what COLLABORATION_CS3_GATEWAY should be. */
  readonly gatewayAddr: string;
  /** Base URL of the data gateway the upload/download protocols point at. */
  readonly dataUrl: string;
  readonly storageId: string;
  readonly spaceId: string;
  /** Owner of the space; the owner is always an editor. */
  readonly owner: Cs3DoubleUser;
  /** Secret the reva tokens are signed with (OCIS_JWT_SECRET of this "oCIS"). */
  readonly jwtSecret: string;
  /** Injected misbehaviour: unavailable, slow, a status on a call, an upload cut mid-stream. */
  readonly faults: Cs3DoubleFaults;
  /** Every gRPC call received, in order (method, decoded request, token, outcome). */
  readonly calls: RecordedCall[];
  /** Every data-gateway request received (method, X-Lock-Id, Content-Length, status). */
  readonly transfers: RecordedTransfer[];
  /** What AddAppProvider registered (one entry per app name; the latest wins). */
  readonly appProviders: cs3.ProviderInfo[];

  /**
   * A reva-like token (HS256 JWT with exp and the CS3 user claim) for `user` (default the owner; a
   * string is an opaque id).
   */
  mintToken(user?: Cs3DoubleUser | string, options?: MintOptions): string;
  /** Creates or replaces a file at an absolute path of the space (parents made); its resource id. */
  createFile(path: string, content: string | Buffer): Promise<ResourceId>;
  createFolder(path: string): Promise<ResourceId>;
  /** The bytes stored at a path, read from disk. */
  readFile(path: string): Promise<Buffer>;
  /** Resource id of an existing path; throws when there is none. */
  resourceIdOf(path: string): ResourceId;
  /** Names in the folder at a path, sorted; throws when there is no folder. */
  list(path: string): string[];
  /** The live lock of a path, as stored (CS3 Lock). */
  lockOf(path: string): cs3.Lock | undefined;
  /** Gives a user (opaque id) a role on the space: editor, viewer or none (NOT_FOUND everywhere). */
  setRole(userOpaqueId: string, role: Cs3Role): void;
  /** Marks a file as post-processing: Delete answers TOO_EARLY, GET 425, Stat shows it. */
  setProcessing(path: string, processing: boolean): void;
  callsOf(method: cs3.GatewayMethod): RecordedCall[];
  clearCalls(): void;
  /** Closes both listeners (clients see the gateway down); state is kept. */
  stop(): Promise<void>;
  /** Listens again on the same ports. */
  restart(): Promise<void>;
  /** Stops and removes the temporary folder. */
  dispose(): Promise<void>;
}

/** Starts a CS3 gateway double on free loopback ports. */
export async function startCs3Double(options: Cs3DoubleOptions = {}): Promise<Cs3Double> {
  const temp = await tempDir('cs3-double-');
  const filesDir = join(temp.dir, 'files');
  await mkdir(filesDir);
  await mkdir(join(temp.dir, 'tmp'));
  const owner = options.owner ?? EINSTEIN;
  const store = new DoubleStore(filesDir, cs3UserOf(owner), options.spaceName);
  store.defaultRole = options.defaultRole ?? 'editor';
  let grpcPort = 0;
  let dataPort = 0;
  let controller = new AbortController();
  const ctx: DoubleContext = {
    store,
    faults: new Cs3DoubleFaults(),
    jwtSecret: randomBytes(24).toString('base64url'),
    transferSecret: randomBytes(24).toString('base64url'),
    dataUrl: () => `http://127.0.0.1:${String(dataPort)}/data`,
    tmpDir: join(temp.dir, 'tmp'),
    uploads: new Map(),
    calls: [],
    transfers: [],
    appProviders: [],
    stopping: () => controller.signal,
  };
  let http: Server | undefined;
  let server: grpc.Server | undefined;
  const serverCredentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        null,
        [{ private_key: options.tls.key, cert_chain: options.tls.cert }],
        false,
      )
    : grpc.ServerCredentials.createInsecure();

  const listen = async (): Promise<void> => {
    controller = new AbortController();
    http = createServer(dataHandler(ctx));
    const started = http;
    await new Promise<void>((resolve, reject) => {
      started.once('error', reject);
      started.listen(dataPort, '127.0.0.1', resolve);
    });
    dataPort = (started.address() as AddressInfo).port;
    server = new grpc.Server();
    server.addService(cs3Service(GATEWAY_SERVICE), gatewayService(ctx));
    const bound = server;
    grpcPort = await new Promise<number>((resolve, reject) => {
      bound.bindAsync(`127.0.0.1:${String(grpcPort)}`, serverCredentials, (error, port) => {
        if (error) {
          reject(error);
        } else {
          resolve(port);
        }
      });
    });
  };
  const stop = async (): Promise<void> => {
    controller.abort();
    server?.forceShutdown();
    server = undefined;
    const closing = http;
    http = undefined;
    if (closing) {
      closing.closeAllConnections();
      await new Promise<void>((resolve) => {
        closing.close(() => {
          resolve();
        });
      });
    }
  };
  const existing = (path: string) =>
    store.existing(store.resolve({ path: `/${path.replace(/^\/+/, '')}` }));

  await listen();
  return {
    gatewayAddr: `127.0.0.1:${String(grpcPort)}`,
    get dataUrl() {
      return ctx.dataUrl();
    },
    storageId: DOUBLE_STORAGE_ID,
    spaceId: store.spaceId,
    owner,
    jwtSecret: ctx.jwtSecret,
    faults: ctx.faults,
    calls: ctx.calls,
    transfers: ctx.transfers,
    appProviders: ctx.appProviders,
    mintToken: (user = owner, mint = {}) => {
      const who = typeof user === 'string' ? { opaqueId: user } : user;
      const expiresAt = mint.expiresAt ?? Date.now() + (mint.ttlSeconds ?? 3600) * 1000;
      return mintRevaToken(ctx.jwtSecret, cs3UserOf(who), mint.role ?? 'editor', expiresAt);
    },
    createFile: async (path, content) => {
      const node = await store.putPath(path, Buffer.from(content), tmpFile(ctx));
      return fromResourceId(store.resourceId(node));
    },
    createFolder: async (path) => fromResourceId(store.resourceId(await store.folderAt(path))),
    readFile: (path) => readFile(store.abs(existing(path))),
    resourceIdOf: (path) => fromResourceId(store.resourceId(existing(path))),
    list: (path) => {
      const folder = existing(path);
      if (!folder.folder) {
        throw new Error(`${path} is not a folder`);
      }
      return store
        .children(folder.id)
        .map((node) => node.name)
        .sort();
    },
    lockOf: (path) => store.locks.read(existing(path).id),
    setRole: (user, role) => {
      store.roles.set(user, role);
    },
    setProcessing: (path, processing) => {
      existing(path).processing = processing;
    },
    callsOf: (method) => ctx.calls.filter((call) => call.method === method),
    clearCalls: () => {
      ctx.calls.length = 0;
      ctx.transfers.length = 0;
    },
    stop,
    restart: listen,
    dispose: async () => {
      await stop();
      await temp.remove();
    },
  };
}
