import { startServer, type RunningServer } from '../../src/bootstrap/server';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { freePort, freePortBlock } from './ports';
import { tempDir } from './temp';

export interface TestServer extends RunningServer {
  config: AppConfig;
  /** Local root of the server's files. */
  root: string;
  /** Stops the server and removes its temporary root. */
  dispose(): Promise<void>;
}

/**
 * The whole service in this process on free ports, on the local adapter with a fresh root,
 * configured through the same environment variables a deployment uses.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const temp = env['COLLABORATION_LOCAL_ROOT'] === undefined ? await tempDir() : undefined;
  const httpPort = await freePort();
  const config = loadConfig({
    env: {
      COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(httpPort)}`,
      // Room for one OpenInApp listener per app (the fixtures configure up to four).
      COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePortBlock(4))}`,
      COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(await freePort())}`,
      COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(httpPort)}`,
      COLLABORATION_LOG_LEVEL: 'silent',
      ...(temp ? { COLLABORATION_LOCAL_ROOT: temp.dir } : {}),
      ...env,
    },
  });
  const server = await startServer(config);
  return {
    ...server,
    config,
    root: config.storage.localRoot,
    dispose: async () => {
      await server.stop();
      await temp?.remove();
    },
  };
}
