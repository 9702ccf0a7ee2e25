import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, waitForPort } from './ports';

/** Finds the nats-server binary: $NATS_SERVER_BIN, then PATH, then Debian's /usr/sbin. */
export function findNatsServer(): string {
  const candidates = [
    process.env['NATS_SERVER_BIN'],
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'nats-server')),
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
  ];
  const found = candidates.find(
    (candidate): candidate is string => candidate !== undefined && existsSync(candidate),
  );
  if (found === undefined) {
    throw new Error(
      'nats-server not found: install it (Debian: apt-get install nats-server) or set NATS_SERVER_BIN',
    );
  }
  return found;
}

export interface NatsServerHandle {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL) and keeps its store, so `start` brings the same data back. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store after `stop`. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  dispose(): Promise<void>;
}

/**
 * A real nats-server with JetStream on a free loopback port and a temporary store, for tests.
 * Nothing is shared with a NATS that may already run on the machine.
 */
export async function startNatsServer(): Promise<NatsServerHandle> {
  const binary = findNatsServer();
  const port = await freePort();
  const store = await mkdtemp(join(tmpdir(), 'collab-nats-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const output: string[] = [];
    child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<never>((_resolve, reject) => {
      child?.once('exit', (code) => {
        reject(new Error(`nats-server exited with ${String(code)}: ${output.join('')}`));
      });
    });
    await Promise.race([waitForPort(port, 10_000), exited]);
    exited.catch(() => undefined);
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running?.exitCode !== null) {
      return;
    }
    const gone = new Promise<void>((resolve) => {
      running.once('exit', () => {
        resolve();
      });
    });
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `nats://127.0.0.1:${String(port)}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(store, { recursive: true, force: true });
    },
  };
}
