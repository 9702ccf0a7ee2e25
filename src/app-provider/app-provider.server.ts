import * as grpc from '@grpc/grpc-js';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_PROVIDER_SERVICE, cs3Service } from '../cs3/proto/cs3-proto';
import { appListeners, type AppListener } from './app-listeners';
import { openInAppHandler } from './open-in-app.grpc';
import { OpenInAppService } from './open-in-app.service';

const SHUTDOWN_GRACE_MS = 2000;

interface Bound {
  listener: AppListener;
  server: grpc.Server;
  port: number;
}

/**
 * The gRPC listeners of `cs3.app.provider.v1beta1.ProviderAPI`, one per app (see appListeners),
 * on @grpc/grpc-js directly with the compiled CS3 descriptor (no .proto file read at run time).
 */
@Injectable()
export class AppProviderServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AppProviderServer.name);
  private bound: Bound[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly service: OpenInAppService,
  ) {}

  /** Where each app's listener really listens (port 0 resolved). */
  addresses(): { app: string | undefined; addr: string }[] {
    return this.bound.map(({ listener, port }) => ({
      app: listener.app,
      addr: `${listener.addr.slice(0, listener.addr.lastIndexOf(':'))}:${String(port)}`,
    }));
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const listener of appListeners(this.config)) {
        this.bound.push(await this.listen(listener));
      }
    } catch (error) {
      await this.stopAll(true);
      throw error;
    }
    this.logger.log({ listeners: this.addresses() }, 'OpenInApp listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll(false);
  }

  private async listen(listener: AppListener): Promise<Bound> {
    const server = new grpc.Server();
    server.addService(cs3Service(APP_PROVIDER_SERVICE), {
      OpenInApp: openInAppHandler(this.service, listener.app),
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(listener.addr, grpc.ServerCredentials.createInsecure(), (error, bound) => {
        if (error) {
          reject(new Error(`cannot listen on ${listener.addr} (OpenInApp): ${error.message}`));
        } else {
          resolve(bound);
        }
      });
    });
    return { listener, server, port };
  }

  private stopAll(force: boolean): Promise<void> {
    const servers = this.bound.splice(0).map((b) => b.server);
    return Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (force) {
              server.forceShutdown();
              resolve();
              return;
            }
            const timer = setTimeout(() => {
              server.forceShutdown();
              resolve();
            }, SHUTDOWN_GRACE_MS);
            server.tryShutdown(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    ).then(() => undefined);
  }
}
