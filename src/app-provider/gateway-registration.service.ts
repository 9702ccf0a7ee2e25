import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { coopsEditorMimeTypes } from '../coops/address/coops-address.service';
import { Cs3GatewayClient } from '../cs3/cs3-gateway.client';
import { describeStatus } from '../cs3/cs3-status';
import type { ProviderInfo } from '../cs3/proto/cs3.messages';
import { EditorAppsService } from '../discovery/editor-apps.service';
import { HealthRegistry } from '../health/health-registry';
import { advertisedAddress } from '../registry/advertised-address';
import { collaborationServiceName } from '../registry/micro-service';
import { ServiceRegistry } from '../registry/service-registry.port';
import type { HealthReport } from '../storage/storage.types';
import { listenerOf } from './app-listeners';

interface AppState {
  lastSuccess?: number;
  lastError?: string;
}

/**
 * Registers every configured app with the CS3 gateway (`AddAppProvider`: name, description, icon,
 * MIME types from discovery, address, product name), at start, again on every
 * COLLABORATION_APP_REGISTRATION_INTERVAL, and at once whenever the gateway connection comes back
 * (a restarted gateway or app registry has forgotten us; oCIS registers once, we don't).
 */
@Injectable()
export class GatewayRegistrationService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(GatewayRegistrationService.name);
  private readonly state = new Map<string, AppState>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly config: AppConfig,
    private readonly gateway: Cs3GatewayClient,
    private readonly apps: EditorAppsService,
    private readonly registry: ServiceRegistry,
    private readonly health: HealthRegistry,
  ) {}

  /** Registration with the gateway happens when oCIS is the storage (COLLABORATION_STORAGE=cs3). */
  get enabled(): boolean {
    return this.config.storage.driver === 'cs3' && this.config.apps.length > 0;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      return;
    }
    this.health.register('appRegistration', () => Promise.resolve(this.report()));
    this.registerAll();
    this.timer = setInterval(() => {
      this.registerAll();
    }, this.config.registry.appRegistrationInterval);
    this.timer.unref();
    this.unsubscribe = this.gateway.onConnected(() => {
      this.logger.log({ gateway: this.gateway.gateway }, 'gateway connected; registering apps');
      this.registerAll();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    await this.running;
  }

  /** What AddAppProvider sends for an app. */
  async providerInfo(app: string): Promise<ProviderInfo> {
    const described = await this.apps.describe(app);
    const mimeTypes = described.product === 'CoOPS' ? coopsEditorMimeTypes() : described.mimeTypes;
    return {
      name: described.name,
      description: described.description,
      icon: described.icon,
      mime_types: mimeTypes,
      address: this.addressOf(described.name),
      product_name: described.product === 'generic' ? '' : described.product,
    };
  }

  /**
   * The address the gateway dials: the registry name as oCIS registers it when a service registry
   * is configured (the gateway resolves it there), else the app's listener.
   */
  addressOf(app: string): string {
    return this.registry.enabled
      ? collaborationServiceName(app)
      : advertisedAddress(listenerOf(this.config, app));
  }

  /** Registers every app now (coalesced: a call while one runs makes it run once more). */
  registerAll(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.registerAll();
      }
    });
  }

  /** Settles once the registration in progress (if any) is done. */
  async settled(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private async runOnce(): Promise<void> {
    await Promise.all(this.config.apps.map((app) => this.registerApp(app.name)));
  }

  private async registerApp(name: string): Promise<void> {
    const state = this.state.get(name) ?? {};
    this.state.set(name, state);
    try {
      const provider = await this.providerInfo(name);
      if (provider.mime_types?.length === 0) {
        throw new Error(`the discovery of ${name} has not answered yet: no MIME types to register`);
      }
      const response = await this.gateway.call('AddAppProvider', { provider }, { retry: true });
      if (response.status?.code !== 'CODE_OK') {
        throw new Error(describeStatus('AddAppProvider', response.status));
      }
      if (state.lastSuccess === undefined || state.lastError !== undefined) {
        this.logger.log(
          { app: name, address: provider.address, mimeTypes: provider.mime_types?.length },
          'registered with the gateway (AddAppProvider)',
        );
      }
      state.lastSuccess = Date.now();
      state.lastError = undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== state.lastError) {
        this.logger.warn({ app: name, error: message }, 'AddAppProvider failed; will retry');
      }
      state.lastError = message;
    }
  }

  private report(): HealthReport {
    const apps = this.config.apps.map((app) => {
      const state = this.state.get(app.name) ?? {};
      return {
        app: app.name,
        registered: state.lastSuccess !== undefined && state.lastError === undefined,
        ...(state.lastSuccess === undefined
          ? {}
          : { lastRegistered: new Date(state.lastSuccess).toISOString() }),
        ...(state.lastError === undefined ? {} : { error: state.lastError }),
      };
    });
    return { status: apps.every((a) => a.registered) ? 'up' : 'degraded', apps };
  }
}
