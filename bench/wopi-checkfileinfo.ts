/**
 * CheckFileInfo throughput and server CPU per request: the built server against a bare node:http
 * server doing the same minimum work (bare-checkfileinfo-server.ts), same load, same machine.
 * Run: npm run bench:wopi-checkfileinfo [-- <seconds> <connections>]
 */
import { fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMsOf, freePort, openFile, startBuiltServer } from './lib';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 64);

interface Result {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  requestsPerSecond: number;
  serverCpuMsPerRequest: number;
  serverCpuPercent: number;
}

async function load(pid: number, url: string): Promise<Result> {
  // Warm up (JIT, caches), then measure.
  await runLoad(url, 2);
  const cpu = cpuMsOf(pid);
  const started = Date.now();
  const out = await runLoad(url, seconds);
  const elapsed = (Date.now() - started) / 1000;
  const cpuMs = cpuMsOf(pid) - cpu;
  return {
    ...out,
    requestsPerSecond: Math.round(out.requests / elapsed),
    serverCpuMsPerRequest: Number((cpuMs / out.requests).toFixed(4)),
    serverCpuPercent: Math.round(cpuMs / elapsed / 10),
  };
}

function runLoad(
  url: string,
  duration: number,
): Promise<{ requests: number; errors: number; statuses: Record<string, number> }> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'load.js'), url, String(connections), String(duration)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve(
        JSON.parse(out) as { requests: number; errors: number; statuses: Record<string, number> },
      );
    });
  });
}

async function ours(app: string | undefined): Promise<Result> {
  const server = await startBuiltServer(
    app === undefined ? {} : { COLLABORATION_APP_NAME: app, COLLABORATION_APP_PRODUCT: app },
  );
  try {
    writeFileSync(join(server.root, 'bench.docx'), 'x'.repeat(10_000));
    const file = await openFile(server, 'bench.docx', app);
    return await load(server.pid, `${file.wopiSrc}?access_token=${file.accessToken}`);
  } finally {
    await server.stop();
  }
}

async function bare(): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'collab-bare-'));
  const file = join(dir, 'bench.docx');
  writeFileSync(file, 'x'.repeat(10_000));
  const secret = 'bench-secret-of-sufficient-length';
  const { createHmac } = await import('node:crypto');
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }),
  ).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  const port = await freePort();
  const child = fork(join(__dirname, 'bare-checkfileinfo-server.js'), [String(port), file, secret]);
  await new Promise((resolve) => child.once('message', resolve));
  try {
    return await load(
      child.pid ?? 0,
      `http://127.0.0.1:${String(port)}/wopi/files/x?access_token=${header}.${payload}.${signature}`,
    );
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const baseline = await bare();
  const defaultFlavour = await ours(undefined);
  const collabora = await ours('Collabora');
  const ratio = (result: Result): string =>
    (baseline.serverCpuMsPerRequest / result.serverCpuMsPerRequest).toFixed(2);
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        seconds,
        connections,
        bare: baseline,
        checkFileInfoDefault: { ...defaultFlavour, efficiencyVsBare: ratio(defaultFlavour) },
        checkFileInfoCollabora: { ...collabora, efficiencyVsBare: ratio(collabora) },
      },
      null,
      2,
    )}\n`,
  );
}

void main();
