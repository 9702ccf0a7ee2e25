import * as grpc from '@grpc/grpc-js';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppError } from '../common/errors/app-error';
import { AppConfig, type Cs3Settings } from '../config/app-config';
import {
  StorageInternalError,
  StorageNotFoundError,
  StoragePermissionDeniedError,
  StorageTimeoutError,
  StorageUnauthenticatedError,
  StorageUnavailableError,
} from '../storage/storage.errors';
import type { HealthReport } from '../storage/storage.types';
import { codeOf } from './cs3-status';
import { GatewayAddressResolver, isGrpcTarget } from './gateway-address-resolver.port';
import { cs3Method, GATEWAY_SERVICE } from './proto/cs3-proto';
import type { GatewayMethod, GatewayRequest, GatewayResponse } from './proto/cs3.messages';

/** Calls that change nothing (or can be repeated safely) and may be retried. */
const IDEMPOTENT: ReadonlySet<GatewayMethod> = new Set([
  'Stat',
  'GetLock',
  'WhoAmI',
  'InitiateFileDownload',
  'AddAppProvider',
]);
const MAX_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 100;
const HEALTH_TIMEOUT_MS = 2500;
/** Time an attempt needs at least; a retry that would get less is not made. */
const MIN_ATTEMPT_MS = 50;
/** How often the channel watch re-checks (and retries a gateway name that did not resolve). */
const WATCH_RETRY_MS = 5000;

/** 100 ms, then 200 ms, with ±25 % jitter. */
function backoffFor(attempt: number): number {
  return FIRST_BACKOFF_MS * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
}

/** gRPC metadata key reva reads the user's token from (reva's ctx.TokenHeader). */
export const TOKEN_METADATA = 'x-access-token';

export interface CallOptions {
  /** The reva token, sent as x-access-token metadata. */
  token?: string;
  signal?: AbortSignal;
  /** Milliseconds; default COLLABORATION_CS3_TIMEOUT. One deadline covers every attempt. */
  timeout?: number;
  /** Retry an idempotent call that met an unavailable gateway (default true). */
  retry?: boolean;
}

/**
 * The gRPC client of the CS3 gateway (cs3.gateway.v1beta1.GatewayAPI). It resolves the gateway
 * address (host:port, or a registry name through GatewayAddressResolver), sends the reva token as
 * x-access-token, puts a deadline on every call, retries idempotent calls with a bounded backoff
 * while the gateway is unavailable, and turns gRPC-level failures into domain errors. CS3 statuses
 * in the responses are left to the caller (see cs3-status.ts).
 */
@Injectable()
export class Cs3GatewayClient implements OnModuleDestroy {
  private readonly logger = new Logger(Cs3GatewayClient.name);
  private readonly settings: Cs3Settings;
  private channelCredentials?: grpc.ChannelCredentials;
  private client?: { target: string; grpc: grpc.Client };
  private reachable = true;
  private readonly connectedListeners = new Set<() => void>();
  private watching = false;
  private closed = false;

  constructor(
    config: AppConfig,
    private readonly resolver: GatewayAddressResolver,
  ) {
    this.settings = config.cs3;
  }

  /** The configured gateway: a host:port or a service name. */
  get gateway(): string {
    return this.settings.gateway;
  }

  /** Throws when the TLS settings cannot be used (e.g. the CA file is unreadable). */
  credentials(): grpc.ChannelCredentials {
    this.channelCredentials ??= credentialsFor(this.settings);
    return this.channelCredentials;
  }

  async call<M extends GatewayMethod>(
    method: M,
    request: GatewayRequest<M>,
    options: CallOptions = {},
  ): Promise<GatewayResponse<M>> {
    const timeout = options.timeout ?? this.settings.timeout;
    const deadline = Date.now() + timeout;
    const retry = (options.retry ?? true) && IDEMPOTENT.has(method);
    for (let attempt = 1; ; attempt++) {
      const target = await this.target().catch((error: unknown) => {
        this.markUnresolvable(error as Error);
        throw error;
      });
      try {
        const response = await this.once(target, method, request, deadline, options);
        this.markReachable(target);
        const wait = backoffFor(attempt);
        if (
          retry &&
          codeOf(response.status) === 'CODE_UNAVAILABLE' &&
          this.mayRetry(attempt, wait, deadline)
        ) {
          await sleep(wait, undefined, { signal: options.signal });
          continue;
        }
        return response;
      } catch (error) {
        if (options.signal?.aborted) {
          throw options.signal.reason;
        }
        const failure = error as grpc.ServiceError;
        if (failure.code === grpc.status.UNAVAILABLE) {
          this.markUnreachable(target, failure);
        }
        // CANCELLED without our abort: the connection died under the call (a gateway restart).
        const transient =
          failure.code === grpc.status.UNAVAILABLE || failure.code === grpc.status.CANCELLED;
        const wait = backoffFor(attempt);
        if (transient && retry && this.mayRetry(attempt, wait, deadline)) {
          await sleep(wait, undefined, { signal: options.signal });
          continue;
        }
        throw transportError(method, target, failure, timeout);
      }
    }
  }

  /** Readiness: the gateway answers a call (any CS3 status counts; reva needs no token for it). */
  async health(): Promise<HealthReport> {
    const report = { driver: 'cs3', gateway: this.settings.gateway };
    try {
      const timeout = Math.min(HEALTH_TIMEOUT_MS, this.settings.timeout);
      await this.call('WhoAmI', { token: '' }, { timeout, retry: false });
      return { status: 'up', ...report, target: this.client?.target };
    } catch (error) {
      const appError = error as AppError;
      if (appError instanceof StorageUnauthenticatedError) {
        return { status: 'up', ...report, target: this.client?.target };
      }
      return { status: 'down', ...report, error: appError.message };
    }
  }

  /**
   * Calls `listener` whenever the channel to the gateway becomes ready after it was not: the first
   * connection and every reconnection (a gateway restart). Keeps the channel connecting meanwhile.
   * Returns the unsubscribe function.
   */
  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    if (!this.watching) {
      this.watching = true;
      this.watchChannel();
    }
    return () => {
      this.connectedListeners.delete(listener);
    };
  }

  onModuleDestroy(): void {
    this.close();
  }

  close(): void {
    this.closed = true;
    this.client?.grpc.close();
    this.client = undefined;
  }

  private watchChannel(): void {
    if (this.closed || this.connectedListeners.size === 0) {
      this.watching = false;
      return;
    }
    this.target().then(
      () => {
        const client = this.client?.grpc;
        if (client) {
          this.watchState(client, undefined);
        }
      },
      () => {
        setTimeout(() => {
          this.watchChannel();
        }, WATCH_RETRY_MS).unref();
      },
    );
  }

  private watchState(client: grpc.Client, last: grpc.connectivityState | undefined): void {
    if (this.closed || this.client?.grpc !== client) {
      this.watchChannel();
      return;
    }
    const channel = client.getChannel();
    const state = channel.getConnectivityState(true);
    if (state === grpc.connectivityState.READY && last !== grpc.connectivityState.READY) {
      for (const listener of this.connectedListeners) {
        listener();
      }
    }
    if (state === grpc.connectivityState.SHUTDOWN) {
      this.watchChannel();
      return;
    }
    channel.watchConnectivityState(state, Date.now() + WATCH_RETRY_MS, () => {
      this.watchState(client, state);
    });
  }

  private async target(): Promise<string> {
    const target = isGrpcTarget(this.settings.gateway)
      ? this.settings.gateway
      : await this.resolver.resolve(this.settings.gateway);
    if (this.client?.target !== target) {
      this.client?.grpc.close();
      this.client = { target, grpc: new grpc.Client(target, this.credentials(), CHANNEL_OPTIONS) };
    }
    return target;
  }

  private once<M extends GatewayMethod>(
    target: string,
    method: M,
    request: GatewayRequest<M>,
    deadline: number,
    options: CallOptions,
  ): Promise<GatewayResponse<M>> {
    const definition = cs3Method(GATEWAY_SERVICE, method);
    const metadata = new grpc.Metadata();
    if (options.token) {
      metadata.set(TOKEN_METADATA, options.token);
    }
    const client = this.client?.target === target ? this.client.grpc : undefined;
    if (!client) {
      return Promise.reject(new Error('gateway client closed'));
    }
    return new Promise((resolve, reject) => {
      const call = client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        metadata,
        { deadline },
        (error, response) => {
          options.signal?.removeEventListener('abort', cancel);
          if (error) {
            reject(error);
          } else {
            resolve(response as GatewayResponse<M>);
          }
        },
      );
      const cancel = (): void => {
        call.cancel();
      };
      options.signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Another attempt only if it still has time to get an answer before the deadline. */
  private mayRetry(attempt: number, wait: number, deadline: number): boolean {
    return attempt < MAX_ATTEMPTS && Date.now() + wait + MIN_ATTEMPT_MS < deadline;
  }

  private markUnreachable(target: string, error: grpc.ServiceError): void {
    if (this.reachable) {
      this.reachable = false;
      this.logger.error(
        { gateway: this.settings.gateway, target, grpcCode: 'UNAVAILABLE', details: error.details },
        `CS3 gateway ${target} is unavailable: ${error.details}`,
      );
    }
  }

  private markUnresolvable(error: Error): void {
    if (this.reachable) {
      this.reachable = false;
      this.logger.error({ gateway: this.settings.gateway }, error.message);
    }
  }

  private markReachable(target: string): void {
    if (!this.reachable) {
      this.reachable = true;
      this.logger.log(
        { gateway: this.settings.gateway, target },
        `CS3 gateway ${target} is reachable again`,
      );
    }
  }
}

/** Reconnect quickly after an outage (grpc-js backs off up to 120 s by default). */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 5000,
  'grpc.primary_user_agent': 'ocis-collaboration',
};

function credentialsFor(settings: Cs3Settings): grpc.ChannelCredentials {
  switch (settings.tlsMode) {
    case 'off':
      return grpc.credentials.createInsecure();
    case 'insecure':
      return grpc.credentials.createSsl(null, null, null, {
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
    case 'on': {
      let ca: Buffer | null = null;
      if (settings.tlsCaCert !== undefined) {
        try {
          ca = readFileSync(settings.tlsCaCert);
        } catch (error) {
          throw new StorageInternalError(
            `cannot read the CS3 gateway CA certificate ${settings.tlsCaCert}: ${(error as Error).message}`,
          );
        }
      }
      return grpc.credentials.createSsl(ca);
    }
  }
}

function transportError(
  method: string,
  target: string,
  error: grpc.ServiceError,
  timeout: number,
): AppError {
  const detail = error.details === '' ? error.message : error.details;
  const what = `${method}: ${detail}`;
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the rest is internal
  switch (error.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return new StorageTimeoutError(
        `CS3 gateway ${target} did not answer ${method} within ${String(timeout)} ms`,
      );
    case grpc.status.UNAVAILABLE:
    case grpc.status.CANCELLED:
      return new StorageUnavailableError(`CS3 gateway ${target} is unavailable (${what})`);
    case grpc.status.UNAUTHENTICATED:
      return new StorageUnauthenticatedError(`CS3 gateway refused the token (${what})`);
    case grpc.status.PERMISSION_DENIED:
      return new StoragePermissionDeniedError(`CS3 gateway denied ${what}`);
    case grpc.status.NOT_FOUND:
      return new StorageNotFoundError(`CS3 gateway: ${what}`);
    default:
      return new StorageInternalError(
        `CS3 gateway ${target} failed ${method} (gRPC ${grpc.status[error.code]}: ${detail})`,
      );
  }
}
