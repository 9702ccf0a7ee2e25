import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AppConfig, type EditorAppSettings } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { AppDiscovery } from './app-discovery';
import { Clock } from './clock';
import { DiscoveryFetcher } from './discovery-fetcher';

/** Deadline of one discovery fetch, redirects and body included. */
export const DISCOVERY_TIMEOUT_MS = 10_000;

/** `{addr}/hosting/discovery` of an app. */
export function discoveryUrl(addr: string): string {
  return `${addr.replace(/\/+$/, '')}/hosting/discovery`;
}

/**
 * The discovery of every configured WOPI app that has an address (CoOPS editors have none): one
 * AppDiscovery each, started with the application, stopped with it, and one readiness check each
 * (`discovery:<name>`).
 */
@Injectable()
export class DiscoveryService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DiscoveryService.name);
  private readonly apps = new Map<string, AppDiscovery>();

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthRegistry,
    private readonly fetcher: DiscoveryFetcher,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    for (const app of this.config.apps) {
      if (app.addr === undefined || app.product === 'CoOPS') {
        if (app.product !== 'CoOPS') {
          this.logger.warn(
            { app: app.name, product: app.product },
            `app ${app.name} has no address (COLLABORATION_APP_ADDR): no discovery, no editor URLs, no proof keys`,
          );
        }
        continue;
      }
      const discovery = this.create(app, app.addr);
      this.apps.set(app.name.toLowerCase(), discovery);
      this.health.register(`discovery:${app.name}`, () => discovery.health());
    }
  }

  onApplicationBootstrap(): void {
    for (const discovery of this.apps.values()) {
      discovery.start();
    }
  }

  onModuleDestroy(): void {
    for (const discovery of this.apps.values()) {
      discovery.stop();
    }
  }

  /** The settings of a configured app (names compare case-insensitively). */
  settings(name: string): EditorAppSettings | undefined {
    const key = name.toLowerCase();
    return this.config.apps.find((app) => app.name.toLowerCase() === key);
  }

  /** The discovery of an app; undefined when the app is unknown or has no address. */
  forApp(name: string): AppDiscovery | undefined {
    return this.apps.get(name.toLowerCase());
  }

  private create(app: EditorAppSettings, addr: string): AppDiscovery {
    const url = discoveryUrl(addr);
    return new AppDiscovery({
      name: app.name,
      url,
      load: () =>
        this.fetcher.fetch(url, { insecure: app.insecure, timeoutMs: DISCOVERY_TIMEOUT_MS }),
      refreshInterval: app.proofDuration,
      now: () => this.clock.now(),
    });
  }
}
