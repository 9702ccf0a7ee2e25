import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../paths';
import type { PreparedStorage, StorageMode } from './storage-modes';

/** Where the .wopitest file lives in the double's space: a folder, as a user's files would be. */
export const CS3_VALIDATOR_FOLDER = '/Validator';
const START_TIMEOUT_MS = 60_000;

/** The first line `npm run cs3-double` prints. */
interface DoubleStarted {
  gatewayAddr: string;
  revaToken: string;
  files: Record<string, string>;
}

/**
 * The server on its CS3 adapter against the CS3 gateway double, run as a process
 * (`node scripts/cs3-double.mjs`, what `npm run cs3-double` runs) holding the empty .wopitest file.
 * The CLI opens the file by resource id with the owner's reva token, as OpenInApp would.
 */
export const cs3StorageMode: StorageMode = {
  name: 'cs3',
  async prepare(dir, file) {
    const local = join(dir, file);
    await writeFile(local, '');
    const spacePath = `${CS3_VALIDATOR_FOLDER}/${file}`;
    const root = projectRoot();
    const child = spawn(
      process.execPath,
      [join(root, 'scripts', 'cs3-double.mjs'), '--file', `${spacePath}=${local}`],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    };
    try {
      const started = await firstLine(child.stdout, exited, () => stderr);
      const resourceId = started.files[spacePath];
      if (resourceId === undefined) {
        throw new Error(`the CS3 double did not report ${spacePath}`);
      }
      return cs3Prepared(started, resourceId, stop);
    } catch (error) {
      await stop();
      throw error;
    }
  },
};

function cs3Prepared(
  started: DoubleStarted,
  resourceId: string,
  stop: () => Promise<void>,
): PreparedStorage {
  return {
    env: {
      COLLABORATION_STORAGE: 'cs3',
      COLLABORATION_CS3_GATEWAY: started.gatewayAddr,
      // CS3 mode needs an explicit secret: one per run, shared by the CLI and the server.
      COLLABORATION_WOPI_SECRET: randomBytes(32).toString('base64url'),
    },
    openPath: resourceId,
    openArgs: ['--reva-token', started.revaToken],
    description: `CS3 double on ${started.gatewayAddr}, ${resourceId}`,
    stop,
  };
}

/** The double's JSON line, or an error when it exits (or stays silent) first. */
async function firstLine(
  stdout: NodeJS.ReadableStream,
  exited: Promise<[number | null, NodeJS.Signals | null]>,
  stderr: () => string,
): Promise<DoubleStarted> {
  const lines = createInterface({ input: stdout });
  let timer: NodeJS.Timeout | undefined;
  try {
    const line = await Promise.race([
      once(lines, 'line').then(([text]) => String(text)),
      exited.then(([code]) => {
        throw new Error(`the CS3 double exited with ${String(code)}: ${stderr()}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`the CS3 double did not start within ${String(START_TIMEOUT_MS)} ms`));
        }, START_TIMEOUT_MS);
      }),
    ]);
    return JSON.parse(line) as DoubleStarted;
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
