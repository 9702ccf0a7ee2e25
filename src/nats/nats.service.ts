import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import type { HealthReport } from '../storage/storage.types';

const RETRY_MS = 1000;

interface Link {
  servers: string[];
  connection?: NatsConnection;
  connected: boolean;
  lastError?: string;
  waiters: ((connection: NatsConnection) => void)[];
}

/**
 * The shared NATS connections: one per address (COLLABORATION_NATS_URL, and OCIS_EVENTS_ENDPOINT or
 * MICRO_REGISTRY_ADDRESS when they point elsewhere). Connecting never blocks start-up: it is retried
 * in the background until it works, and nats.js reconnects by itself afterwards. Readiness shows a
 * missing connection as degraded; features that cannot work without NATS report their own checks.
 */
@Injectable()
export class NatsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NatsService.name);
  private readonly links = new Map<string, Link>();
  private closed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthRegistry,
  ) {}

  /** Whether a default NATS address is configured. */
  get configured(): boolean {
    return this.config.nats.url !== undefined;
  }

  onModuleInit(): void {
    if (this.config.nats.url !== undefined) {
      this.link(this.config.nats.url);
    }
    this.health.register('nats', () => Promise.resolve(this.report()));
  }

  /** The live connection to `address` (default COLLABORATION_NATS_URL), or undefined while down. */
  current(address?: string): NatsConnection | undefined {
    const link = this.link(address);
    return link.connected ? link.connection : undefined;
  }

  /** Resolves with the connection once it is up; rejects after `timeoutMs`. */
  connected(address?: string, timeoutMs = 5000): Promise<NatsConnection> {
    const link = this.link(address);
    if (link.connected && link.connection) {
      return Promise.resolve(link.connection);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        link.waiters = link.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`NATS ${link.servers.join(',')} not reachable within ${String(timeoutMs)}ms`),
        );
      }, timeoutMs);
      const waiter = (connection: NatsConnection): void => {
        clearTimeout(timer);
        resolve(connection);
      };
      link.waiters.push(waiter);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.links.values()].map(async (link) => {
        if (link.connection && !link.connection.isClosed()) {
          await Promise.race([link.connection.drain().catch(() => undefined), delay(2000)]);
          await link.connection.close().catch(() => undefined);
        }
      }),
    );
  }

  private isClosed(): boolean {
    return this.closed;
  }

  private link(address?: string): Link {
    const key = address ?? this.config.nats.url;
    if (key === undefined) {
      throw new Error('NATS is not configured (COLLABORATION_NATS_URL)');
    }
    let link = this.links.get(key);
    if (!link) {
      link = {
        servers: key
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        connected: false,
        waiters: [],
      };
      this.links.set(key, link);
      void this.connectLoop(link);
    }
    return link;
  }

  private async connectLoop(link: Link): Promise<void> {
    while (!this.isClosed()) {
      try {
        const connection = await connect({
          servers: link.servers,
          name: 'ocis-collaboration',
          user: this.config.nats.username,
          pass: this.config.nats.password,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: RETRY_MS,
          timeout: 2000,
        });
        if (this.isClosed()) {
          await connection.close();
          return;
        }
        link.connection = connection;
        link.connected = true;
        link.lastError = undefined;
        this.logger.log({ servers: link.servers }, 'connected to NATS');
        for (const waiter of link.waiters.splice(0)) {
          waiter(connection);
        }
        void this.watch(link, connection);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (link.lastError !== message) {
          this.logger.warn(
            { servers: link.servers, error: message },
            'NATS not reachable; retrying',
          );
        }
        link.lastError = message;
        await delay(RETRY_MS);
      }
    }
  }

  private async watch(link: Link, connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        link.connected = false;
        link.lastError = 'disconnected';
        this.logger.warn({ servers: link.servers }, 'NATS connection lost; reconnecting');
      } else if (status.type === 'reconnect') {
        link.connected = true;
        link.lastError = undefined;
        this.logger.log({ servers: link.servers }, 'NATS connection restored');
      }
    }
    link.connected = false;
  }

  private report(): HealthReport {
    if (this.links.size === 0) {
      return { status: 'up', configured: false };
    }
    const links = [...this.links.values()].map((link) => ({
      servers: link.servers.join(','),
      connected: link.connected,
      ...(link.lastError ? { error: link.lastError } : {}),
    }));
    return { status: links.every((l) => l.connected) ? 'up' : 'degraded', connections: links };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
