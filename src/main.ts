import { Logger } from '@nestjs/common';
import 'reflect-metadata';
import { startServer } from './bootstrap/server';
import { ConfigError } from './config/config.errors';
import { loadProcessConfig } from './config/process-config';

/** Extra time after the drain timeout before the process gives up waiting and exits anyway. */
const EXIT_GRACE_MS = 1500;

async function main(): Promise<void> {
  let config;
  try {
    config = loadProcessConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config);
  const shutdown = (signal: NodeJS.Signals): void => {
    new Logger('Server').log({ signal }, 'shutting down');
    setTimeout(() => process.exit(0), config.http.shutdownTimeout + EXIT_GRACE_MS).unref();
    void server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown after ${signal} failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `collaboration server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
