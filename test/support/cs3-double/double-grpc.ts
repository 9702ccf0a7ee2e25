import * as grpc from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { codeOf } from '../../../src/cs3/cs3-status';
import {
  APP_PROVIDER_SERVICE,
  cs3Method,
  cs3Service,
  GATEWAY_SERVICE,
  plainEntry,
} from '../../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import type { DoubleContext, RecordedCall } from './double-context';
import { Cs3Fail } from './double-fail';
import { DoubleStorageApi } from './double-storage-api';
import type { Caller } from './double-store';
import { mintRevaToken, readRevaToken, verifyJwt } from './double-tokens';

type Handler = (request: never, caller: Caller, token: string) => Promise<cs3.Cs3Response>;

/** Methods reva's gateway serves without a user token. */
const UNPROTECTED: ReadonlySet<cs3.GatewayMethod> = new Set(['WhoAmI', 'AddAppProvider']);

/** The gRPC service object of the double's cs3.gateway.v1beta1.GatewayAPI. */
export function gatewayService(ctx: DoubleContext): grpc.UntypedServiceImplementation {
  const storage = new DoubleStorageApi(ctx);
  const handlers: Record<cs3.GatewayMethod, Handler> = {
    Stat: (req: cs3.StatRequest, caller) => storage.Stat(req, caller),
    InitiateFileDownload: (req: cs3.InitiateFileDownloadRequest) =>
      storage.InitiateFileDownload(req),
    InitiateFileUpload: (req: cs3.InitiateFileUploadRequest, caller) =>
      storage.InitiateFileUpload(req, caller),
    SetLock: (req: cs3.SetLockRequest, caller) => storage.SetLock(req, caller),
    GetLock: (req: cs3.GetLockRequest, caller) => storage.GetLock(req, caller),
    RefreshLock: (req: cs3.RefreshLockRequest, caller) => storage.RefreshLock(req, caller),
    Unlock: (req: cs3.UnlockRequest, caller) => storage.Unlock(req, caller),
    Move: (req: cs3.MoveRequest, caller) => storage.Move(req, caller),
    Delete: (req: cs3.DeleteRequest, caller) => storage.Delete(req, caller),
    TouchFile: (req: cs3.TouchFileRequest, caller) => storage.TouchFile(req, caller),
    CreateContainer: (req: cs3.CreateContainerRequest, caller) =>
      storage.CreateContainer(req, caller),
    WhoAmI: (req: cs3.WhoAmIRequest) => whoAmI(ctx, req),
    AddAppProvider: (req: cs3.AddAppProviderRequest) => addAppProvider(ctx, req),
    OpenInApp: (req: cs3.GatewayOpenInAppRequest, caller, token) =>
      openInApp(ctx, storage, req, caller, token),
  };
  return Object.fromEntries(
    Object.keys(cs3Service(GATEWAY_SERVICE)).map((method) => [
      method,
      unary(ctx, method as cs3.GatewayMethod, handlers[method as cs3.GatewayMethod]),
    ]),
  );
}

/** Faults, recording, authentication (gRPC UNAUTHENTICATED, as reva's interceptor) and statuses. */
function unary(
  ctx: DoubleContext,
  method: cs3.GatewayMethod,
  handler: Handler,
): grpc.handleUnaryCall<unknown, cs3.Cs3Response> {
  return (call, callback) => {
    const token = call.metadata.get('x-access-token')[0]?.toString();
    const record: RecordedCall = {
      method,
      request: call.request,
      token,
      outcome: '',
      at: Date.now(),
    };
    ctx.calls.push(record);
    const fail = (code: grpc.status, details: string): void => {
      record.outcome = `grpc:${grpc.status[code]}`;
      callback({ code, details });
    };
    void (async () => {
      if (ctx.faults.unavailable) {
        fail(grpc.status.UNAVAILABLE, 'the gateway is unavailable (injected)');
        return;
      }
      if (ctx.faults.delayMs > 0) {
        await sleep(ctx.faults.delayMs, undefined, { signal: ctx.stopping() }).catch(
          () => undefined,
        );
      }
      if (call.cancelled) {
        record.outcome = 'cancelled';
        return;
      }
      const planned = ctx.faults.takeFailure(method);
      if (planned) {
        record.outcome = planned.code;
        callback(null, { status: planned });
        return;
      }
      const caller = token ? readRevaToken(ctx.jwtSecret, token) : undefined;
      if (!caller && !UNPROTECTED.has(method)) {
        fail(grpc.status.UNAUTHENTICATED, token ? 'invalid token' : 'core access token not found');
        return;
      }
      try {
        const response = await handler(
          call.request as never,
          caller ?? { user: {}, role: 'none' },
          token ?? '',
        );
        record.outcome = String(codeOf(response.status));
        callback(null, response);
      } catch (error) {
        if (error instanceof Cs3Fail) {
          record.outcome = error.code;
          callback(null, { status: { code: error.code, message: error.message } });
        } else {
          fail(grpc.status.INTERNAL, error instanceof Error ? error.message : String(error));
        }
      }
    })();
  };
}

function whoAmI(ctx: DoubleContext, req: cs3.WhoAmIRequest): Promise<cs3.WhoAmIResponse> {
  const caller = readRevaToken(ctx.jwtSecret, req.token);
  if (!caller) {
    throw new Cs3Fail('CODE_UNAUTHENTICATED', 'error dismantling token');
  }
  return Promise.resolve({ status: { code: 'CODE_OK' }, user: caller.user });
}

function addAppProvider(
  ctx: DoubleContext,
  req: cs3.AddAppProviderRequest,
): Promise<cs3.Cs3Response> {
  const index = ctx.appProviders.findIndex((p) => p.name === req.provider.name);
  ctx.appProviders.splice(
    index < 0 ? ctx.appProviders.length : index,
    index < 0 ? 0 : 1,
    req.provider,
  );
  return Promise.resolve({ status: { code: 'CODE_OK' } });
}

/**
 * The gateway's OpenInApp: Stat the file, pick the registered app (by name, else by MIME type),
 * mint a view-only token for VIEW_ONLY, call ProviderAPI/OpenInApp on the app's address (host:port).
 */
async function openInApp(
  ctx: DoubleContext,
  storage: DoubleStorageApi,
  req: cs3.GatewayOpenInAppRequest,
  caller: Caller,
  token: string,
): Promise<cs3.OpenInAppResponse> {
  const { info } = await storage.Stat({ ref: req.ref }, caller);
  const app = ctx.appProviders.find((p) =>
    req.app ? p.name === req.app : p.mime_types?.includes(info?.mime_type ?? ''),
  );
  if (!app?.address) {
    throw new Cs3Fail('CODE_NOT_FOUND', 'app provider not found');
  }
  const perms = info?.permission_set ?? {};
  const viewMode =
    typeof req.view_mode === 'string' && req.view_mode !== 'VIEW_MODE_INVALID'
      ? req.view_mode
      : perms.initiate_file_upload === true
        ? 'VIEW_MODE_READ_WRITE'
        : 'VIEW_MODE_READ_ONLY';
  const opaque = { map: { ...(req.opaque?.map ?? {}) } };
  if (viewMode === 'VIEW_MODE_VIEW_ONLY') {
    const exp = verifyJwt(token, ctx.jwtSecret)?.['exp'] as number;
    const viewer = {
      ...ctx.store.owner,
      display_name: `View Only user for ${caller.user.username ?? ''}`,
    };
    opaque.map['viewOnlyToken'] = plainEntry(
      mintRevaToken(ctx.jwtSecret, viewer, 'viewer', exp * 1000),
    );
  }
  const request: cs3.OpenInAppRequest = {
    opaque,
    resource_info: info,
    view_mode: viewMode,
    access_token: token,
  };
  const method = cs3Method(APP_PROVIDER_SERVICE, 'OpenInApp');
  const client = new grpc.Client(app.address, grpc.credentials.createInsecure());
  try {
    return await new Promise<cs3.OpenInAppResponse>((resolve, reject) => {
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + 10_000 },
        (error, response) => {
          if (error) {
            reject(
              new Cs3Fail('CODE_INTERNAL', `app provider ${app.address ?? ''}: ${error.message}`),
            );
          } else {
            resolve(response as cs3.OpenInAppResponse);
          }
        },
      );
    });
  } finally {
    client.close();
  }
}
