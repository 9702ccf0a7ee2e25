/**
 * 1 GiB PutFile and GetFile through the built server, watching its RSS.
 * Run: npm run bench:wopi-stream [-- <size in MiB>]
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cpuMsOf, mib, MiB, openFile, rssOf, sampleRss, startBuiltServer } from './lib';

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

/** Runs one transfer on a fresh server, sampling its RSS. */
async function phase(
  prepare: (root: string) => void,
  transfer: (file: { contents: string }) => Promise<{ status: number; bytes: number }>,
): Promise<Phase> {
  const server = await startBuiltServer({ COLLABORATION_HTTP_MAX_UPLOAD_SIZE: '4GiB' });
  try {
    prepare(server.root);
    const file = await openFile(server, 'big.bin');
    const contents = `${file.wopiSrc}/contents?access_token=${file.accessToken}`;
    await fetch(`${file.wopiSrc}?access_token=${file.accessToken}`);
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

async function main(): Promise<void> {
  const putFilePhase = await phase(
    (root) => {
      writeFileSync(join(root, 'big.bin'), '');
    },
    async ({ contents }) => ({ status: await putFile(contents), bytes: size }),
  );
  const getFilePhase = await phase(
    (root) => {
      const chunk = Buffer.alloc(MiB, 0x5a);
      const fd = openSync(join(root, 'big.bin'), 'w');
      for (let i = 0; i < sizeMiB; i++) {
        writeSync(fd, chunk);
      }
      closeSync(fd);
    },
    ({ contents }) => getFile(contents),
  );
  const report = { node: process.version, sizeMiB, putFile: putFilePhase, getFile: getFilePhase };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (!putFilePhase.bytesOk || putFilePhase.status !== 200 || !getFilePhase.bytesOk) {
    process.exitCode = 1;
  }
}

void main();
