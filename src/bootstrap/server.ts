import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { parseHostPort } from '../config/units';
import { DebugModule } from '../health/debug.module';
import { HealthRegistry } from '../health/health-registry';
import { installHttpMetrics } from '../metrics/http-metrics';
import { collectProcessMetrics } from '../metrics/metrics';
import { NatsService } from '../nats/nats.service';
import { SharedNatsServer } from '../operator/shared-nats.server';
import { createHttpAdapter } from './fastify';

export interface RunningServer {
  app: NestFastifyApplication;
  debug: NestFastifyApplication;
  /** Where the HTTP listener really listens (port 0 in the config is resolved). */
  httpUrl: string;
  debugUrl: string;
  /** Stops accepting, drains in-flight requests (bounded), closes everything. Idempotent. */
  stop(): Promise<void>;
}

export async function startServer(config: AppConfig): Promise<RunningServer> {
  const httpAddr = parseHostPort(config.http.addr);
  const debugAddr = parseHostPort(config.debug.addr);
  if (!httpAddr || !debugAddr) {
    throw new Error('listener addresses were not validated');
  }
  const adapter = createHttpAdapter();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  installHttpMetrics(adapter.getInstance());
  startNatsTransport(app, config);
  await app.listen(httpAddr.port, httpAddr.host);
  collectProcessMetrics();

  const registry = app.get(HealthRegistry);
  const debug = await NestFactory.create<NestFastifyApplication>(
    DebugModule.forRoot({ registry, config }),
    new FastifyAdapter({ forceCloseConnections: true }),
    { logger: false, abortOnError: false },
  );
  debug.useLogger(logger);
  try {
    await debug.listen(debugAddr.port, debugAddr.host);
  } catch (error) {
    await app.close();
    throw error;
  }

  const httpUrl = urlOf(app);
  const debugUrl = urlOf(debug);
  new NestLogger('Server').log(
    { http: httpUrl, debug: debugUrl, wopiSrc: config.wopi.src, storage: config.storage.driver },
    'collaboration server started',
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= drain(app, debug, registry, config.http.shutdownTimeout);
    return stopping;
  };
  return { app, debug, httpUrl, debugUrl, stop };
}

async function drain(
  app: NestFastifyApplication,
  debug: NestFastifyApplication,
  registry: HealthRegistry,
  timeoutMs: number,
): Promise<void> {
  const logger = new NestLogger('Server');
  registry.markDraining();
  const fastify = app.getHttpAdapter().getInstance();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    fastify.close().then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(true);
      }, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    logger.warn(
      { timeoutMs },
      'in-flight requests did not finish in time; closing their connections',
    );
    fastify.server.closeAllConnections();
  }
  await app.close();
  await debug.close();
  logger.log('collaboration server stopped');
}

/**
 * Hybrid app: the operator API and oCIS's events on the Nest NATS transport, on the shared
 * connection (ADR 0072). Not awaited: with NATS down the service starts and serves WOPI anyway;
 * the handlers subscribe once NATS is reachable.
 */
function startNatsTransport(app: NestFastifyApplication, config: AppConfig): void {
  if (config.nats.url === undefined) {
    return;
  }
  app.connectMicroservice<MicroserviceOptions>({
    strategy: new SharedNatsServer(app.get(NatsService)),
  });
  app.startAllMicroservices().catch((error: unknown) => {
    new NestLogger('Server').error(
      { error: error instanceof Error ? error.message : String(error) },
      'the NATS transport (operator API, oCIS events) did not start',
    );
  });
}

function urlOf(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${String(address.port)}`;
}
