import { Injectable } from '@nestjs/common';
import { StorageUnavailableError } from '../storage/storage.errors';

/**
 * Turns a gateway service name (OCIS_REVA_GATEWAY's default `com.owncloud.api.gateway`) into a gRPC
 * target (`host:port`). oCIS resolves it in its service registry (NATS KV, go-micro format); the
 * registry module provides that adapter. Called before every gateway call: cache inside.
 */
export abstract class GatewayAddressResolver {
  abstract resolve(serviceName: string): Promise<string>;
}

/** Used when no service registry is configured: names cannot be resolved, host:port must be set. */
@Injectable()
export class NoGatewayAddressResolver extends GatewayAddressResolver {
  resolve(serviceName: string): Promise<string> {
    return Promise.reject(
      new StorageUnavailableError(
        `the CS3 gateway "${serviceName}" is a service name, but no service registry is configured to ` +
          'resolve it: set COLLABORATION_CS3_GATEWAY (or OCIS_REVA_GATEWAY) to host:port',
      ),
    );
  }
}

/**
 * True when the gateway setting is already a gRPC target: `host:port`, `[v6]:port`, or a target
 * with a scheme grpc-js understands (`dns:`, `unix:`, `ipv4:`, `ipv6:`).
 */
export function isGrpcTarget(gateway: string): boolean {
  return (
    /^(dns|unix|unix-abstract|ipv4|ipv6):/.test(gateway) ||
    /^(\[[\d:a-fA-F.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(gateway)
  );
}
