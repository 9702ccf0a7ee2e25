/**
 * 1 GiB PutFile and GetFile through the built server, watching its RSS.
 * Run: npm run bench:wopi-stream [-- <size in MiB>]
 */
import { fork } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cpuMsOf, freePort, mib, MiB, openFile, rssOf, sampleRss, startBuiltServer } from './lib';

const sizeMiB = Number(process.argv[2] ?? 1024);
const size = sizeMiB * MiB;

/** `size` bytes in 1 MiB chunks, generated (never held whole). */
function body(): Readable {
  const chunk = Buffer.alloc(MiB, 0x5a);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      sent += MiB;
      this.push(chunk);
    },
  });
}

async function putFile(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'PUT', 'Content-Length': String(size) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    void pipeline(body(), req).catch(reject);
  });
}

async function getFile(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let bytes = 0;
      void pipeline(
        res,
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            callback();
          },
        }),
      ).then(() => {
        resolve({ status: res.statusCode ?? 0, bytes });
      }, reject);
    })
      .on('error', reject)
      .end();
  });
}

interface Phase {
  status: number;
  bytesOk: boolean;
  seconds: string;
  mibPerSecond: string;
  serverCpuMs: string;
  baselineRssMiB: string;
  maxRssMiB: string;
  growthMiB: string;
  /** RSS when a quarter, half, three quarters and all of the body had moved. */
  rssAtQuartersMiB: string[];
}

interface Target {
  pid: number;
  root: string;
  /** The URL bodies go to and come from. */
  contents(): Promise<string>;
  stop(): Promise<void>;
}

/** The built server, one file opened through the CLI. */
async function ours(): Promise<Target> {
  const server = await startBuiltServer({ COLLABORATION_HTTP_MAX_UPLOAD_SIZE: '4GiB' });
  return {
    pid: server.pid,
    root: server.root,
    contents: async () => {
      const file = await openFile(server, 'big.bin');
      await fetch(`${file.wopiSrc}?access_token=${file.accessToken}`);
      return `${file.wopiSrc}/contents?access_token=${file.accessToken}`;
    },
    stop: () => server.stop(),
  };
}

/** bare-stream-server.ts: node:http piping to and from a file, nothing else. */
async function bare(): Promise<Target> {
  const root = await mkdtemp(join(tmpdir(), 'collab-bare-stream-'));
  const port = await freePort();
  const child = fork(join(__dirname, 'bare-stream-server.js'), [
    String(port),
    join(root, 'big.bin'),
  ]);
  await new Promise((resolve) => child.once('message', resolve));
  return {
    pid: child.pid ?? 0,
    root,
    contents: () => Promise.resolve(`http://127.0.0.1:${String(port)}/contents`),
    stop: async () => {
      child.kill();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Runs one transfer on a fresh server, sampling its RSS. */
async function phase(
  start: () => Promise<Target>,
  prepare: (root: string) => void,
  transfer: (file: { contents: string }) => Promise<{ status: number; bytes: number }>,
): Promise<Phase> {
  const server = await start();
  try {
    prepare(server.root);
    const contents = await server.contents();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const baseline = rssOf(server.pid);
    const cpu = cpuMsOf(server.pid);
    const started = Date.now();
    const sampler = sampleRss(server.pid, 20);
    const result = await transfer({ contents });
    const ms = Date.now() - started;
    const samples = sampler.stop();
    const quarter = (q: number): string =>
      mib(samples[Math.min(samples.length - 1, Math.floor((samples.length * q) / 4))] ?? 0);
    const max = Math.max(...samples);
    return {
      status: result.status,
      bytesOk: result.bytes === size,
      seconds: (ms / 1000).toFixed(2),
      mibPerSecond: (sizeMiB / (ms / 1000)).toFixed(0),
      serverCpuMs: (cpuMsOf(server.pid) - cpu).toFixed(0),
      baselineRssMiB: mib(baseline),
      maxRssMiB: mib(max),
      growthMiB: mib(max - baseline),
      rssAtQuartersMiB: [1, 2, 3, 4].map(quarter),
    };
  } finally {
    await server.stop();
  }
}

function emptyFile(root: string): void {
  writeFileSync(join(root, 'big.bin'), '');
}

function fullFile(root: string): void {
  const chunk = Buffer.alloc(MiB, 0x5a);
  const fd = openSync(join(root, 'big.bin'), 'w');
  for (let i = 0; i < sizeMiB; i++) {
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

async function main(): Promise<void> {
  const put = async ({ contents }: { contents: string }) => ({
    status: await putFile(contents),
    bytes: size,
  });
  const get = ({ contents }: { contents: string }) => getFile(contents);
  const report = {
    node: process.version,
    sizeMiB,
    putFile: await phase(ours, emptyFile, put),
    getFile: await phase(ours, fullFile, get),
    barePutFile: await phase(bare, emptyFile, put),
    bareGetFile: await phase(bare, fullFile, get),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (!report.putFile.bytesOk || report.putFile.status !== 200 || !report.getFile.bytesOk) {
    process.exitCode = 1;
  }
}

void main();
