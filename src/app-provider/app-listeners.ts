import type { AppConfig } from '../config/app-config';
import { parseHostPort } from '../config/units';

/** One OpenInApp listener: the app it answers for (undefined when no app is configured). */
export interface AppListener {
  app: string | undefined;
  addr: string;
}

/**
 * Where each app's OpenInApp listens. The gateway calls the address an app registered and the
 * request does not name the app, so every app has a listener of its own: its `grpcAddr`, else
 * COLLABORATION_GRPC_ADDR for the first app and the same host with the port + n for the n-th.
 */
export function appListeners(config: AppConfig): AppListener[] {
  if (config.apps.length === 0) {
    return [{ app: undefined, addr: config.grpc.addr }];
  }
  const base = parseHostPort(config.grpc.addr);
  return config.apps.map((app, index) => {
    if (app.grpcAddr !== undefined) {
      return { app: app.name, addr: app.grpcAddr };
    }
    if (index === 0 || base === undefined || base.port === 0) {
      return { app: app.name, addr: config.grpc.addr };
    }
    const host = config.grpc.addr.slice(0, config.grpc.addr.lastIndexOf(':'));
    return { app: app.name, addr: `${host}:${String(base.port + index)}` };
  });
}

/** The listener address of an app (or of the app-less listener). */
export function listenerOf(config: AppConfig, app: string | undefined): string {
  return appListeners(config).find((l) => l.app === app)?.addr ?? config.grpc.addr;
}
