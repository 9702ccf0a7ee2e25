import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const MAIN = join(PROJECT_ROOT, 'dist', 'main.js');
export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built entry point to completion with exactly the given environment (plus PATH). */
export function run(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = PROJECT_ROOT,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal and waits for the exit. */
  kill(
    signal?: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `node dist/main.js` and waits until its readiness probe answers 200. */
export async function spawnServer(
  env: Record<string, string>,
  debugUrl: string,
  cwd = PROJECT_ROOT,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const handle: ServerProcess = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        const started = Date.now();
        if (child.exitCode !== null) {
          resolve({ code: child.exitCode, signal: null, ms: 0 });
          return;
        }
        child.once('exit', (code, exitSignal) => {
          resolve({ code, signal: exitSignal, ms: Date.now() - started });
        });
        child.kill(signal);
      }),
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${String(child.exitCode)}: ${stderr}${stdout}`);
    }
    const ready = await fetch(`${debugUrl}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) {
      return handle;
    }
    if (Date.now() > deadline) {
      await handle.kill('SIGKILL');
      throw new Error(`server not ready within 15s: ${stderr}${stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lines of JSON logs. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
