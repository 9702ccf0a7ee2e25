/**
 * go-micro's registry records (go-micro.dev/v4/registry), as oCIS writes and reads them. Field order
 * matches Go's encoding/json output of the structs.
 */
export interface MicroNode {
  metadata: Record<string, string> | null;
  id: string;
  address: string;
}

export interface MicroEndpoint {
  request: unknown;
  response: unknown;
  metadata: Record<string, string> | null;
  name: string;
}

export interface MicroService {
  name: string;
  version: string;
  metadata: Record<string, string> | null;
  endpoints: MicroEndpoint[] | null;
  nodes: MicroNode[] | null;
}

/** oCIS's gRPC service name of a collaboration app: `com.owncloud.api.collaboration.<app name>`. */
export const COLLABORATION_SERVICE_PREFIX = 'com.owncloud.api.collaboration';

export function collaborationServiceName(appName?: string): string {
  return appName === undefined
    ? COLLABORATION_SERVICE_PREFIX
    : `${COLLABORATION_SERVICE_PREFIX}.${appName}`;
}
