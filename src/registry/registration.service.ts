import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { listenerOf } from '../app-provider/app-listeners';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import type { HealthReport } from '../storage/storage.types';
import { SERVICE_VERSION } from '../version';
import { advertisedAddress } from './advertised-address';
import { collaborationServiceName, type MicroService } from './micro-service';
import { ServiceRegistry } from './service-registry.port';

/** go-micro's server.DefaultId: one id per process, part of every key this process registers. */
export const PROCESS_ID = randomUUID();

const DEREGISTER_TIMEOUT_MS = 2000;

/**
 * Announces this process's gRPC listener in oCIS's service registry, once per configured app
 * (`com.owncloud.api.collaboration.<app>`; the bare prefix when no app is configured), refreshes it
 * before the TTL runs out, keeps trying while NATS is away, and removes it on shutdown.
 */
@Injectable()
export class RegistrationService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RegistrationService.name);
  private timer: NodeJS.Timeout | undefined;
  private lastSuccess: number | undefined;
  private lastError: string | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: ServiceRegistry,
    private readonly health: HealthRegistry,
  ) {}

  /** The service records this process registers. */
  services(): MicroService[] {
    const names =
      this.config.apps.length === 0 ? [undefined] : this.config.apps.map((app) => app.name);
    return names.map((appName) => {
      const name = collaborationServiceName(appName);
      return {
        name,
        version: SERVICE_VERSION,
        metadata: null,
        endpoints: [],
        nodes: [
          {
            metadata: {
              registry: 'nats-js-kv',
              server: 'grpc',
              transport: 'grpc',
              protocol: 'grpc',
            },
            id: `${name}-${PROCESS_ID}`,
            address: advertisedAddress(listenerOf(this.config, appName)),
          },
        ],
      };
    });
  }

  onApplicationBootstrap(): void {
    if (!this.registry.enabled) {
      return;
    }
    this.health.register('registry', () => Promise.resolve(this.report()));
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
    }, this.config.registry.interval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.registry.enabled) {
      return;
    }
    await this.beating;
    const removal = Promise.all(
      this.services().map((service) => this.registry.deregister(service)),
    );
    const outcome = await Promise.race([
      removal.then(() => 'done' as const),
      new Promise<'timeout'>((resolve) =>
        setTimeout(() => {
          resolve('timeout');
        }, DEREGISTER_TIMEOUT_MS),
      ),
    ]).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (outcome === 'done') {
      this.logger.log(
        { services: this.services().map((s) => s.name) },
        'deregistered from the service registry',
      );
    } else {
      this.logger.warn(
        { outcome },
        'could not deregister; the entries expire with the registry TTL',
      );
    }
  }

  private beat(): void {
    if (this.beating) {
      return;
    }
    this.beating = this.registerAll().finally(() => {
      this.beating = undefined;
    });
  }

  private async registerAll(): Promise<void> {
    try {
      await Promise.all(this.services().map((service) => this.registry.register(service)));
      if (this.lastSuccess === undefined || this.lastError !== undefined) {
        this.logger.log(
          {
            services: this.services().map((s) => s.name),
            addresses: this.services().map((s) => s.nodes?.[0]?.address),
          },
          'registered in the service registry',
        );
      }
      this.lastSuccess = Date.now();
      this.lastError = undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.lastError) {
        this.logger.warn({ error: message }, 'service registry not reachable; will retry');
      }
      this.lastError = message;
    }
  }

  private report(): HealthReport {
    const fresh =
      this.lastSuccess !== undefined && Date.now() - this.lastSuccess < this.config.registry.ttl;
    return {
      status: fresh && this.lastError === undefined ? 'up' : 'degraded',
      services: this.services().map((s) => s.name),
      ...(this.lastSuccess === undefined
        ? {}
        : { lastRegistered: new Date(this.lastSuccess).toISOString() }),
      ...(this.lastError === undefined ? {} : { error: this.lastError }),
    };
  }
}
