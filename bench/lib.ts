import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root (build/bench/bench/*.js → ../../..). */
export const ROOT = join(__dirname, '..', '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface BenchServer {
  child: ChildProcess;
  pid: number;
  wopiSrc: string;
  root: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the built server (`node dist/main.js`) on free ports with a fresh local root. */
export async function startBuiltServer(
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  const root = await mkdtemp(join(tmpdir(), 'collab-bench-'));
  const http = await freePort();
  const debug = await freePort();
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
    COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
    COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
    COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
    COLLABORATION_LOCAL_ROOT: root,
    COLLABORATION_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${String(debug)}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) {
      break;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('server did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    pid: child.pid ?? 0,
    wopiSrc: env['COLLABORATION_WOPI_SRC'] ?? '',
    root,
    env,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      });
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** `ocis-collaboration open <path>` against the server's root: the file id and a write token. */
export async function openFile(
  server: Pick<BenchServer, 'env'>,
  path: string,
  app?: string,
): Promise<{ fileId: string; accessToken: string; wopiSrc: string }> {
  const args = [join(ROOT, 'dist', 'cli.js'), 'open', path, '--mode', 'write', '--json'];
  if (app !== undefined) {
    args.push('--app', app);
  }
  const child = spawn(process.execPath, args, {
    env: server.env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as { fileId: string; accessToken: string; wopiSrc: string };
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** User + system CPU time of a process so far, in milliseconds (Linux /proc). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

/** Samples RSS every `everyMs` until stopped; returns the samples. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number[] } {
  const samples: number[] = [rssOf(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(rssOf(pid));
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

export const MiB = 1024 * 1024;

export function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}
