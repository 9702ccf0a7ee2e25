// Smoke test of the single executable (npm run smoke:binary, after npm run build:binary).
//
// Copies build/bin/ocis-collaboration ALONE into an empty temp folder (no node_modules in it or
// above it), starts it there with local storage on free ports and a clean environment, and checks:
// /healthz, /readyz, /metrics without a token, `healthcheck`, a token from the binary's `open`
// command, WOPI CheckFileInfo and GetFile, the built-in editor and its assets, a CoOPS join and an
// edit, OpenInApp over gRPC, SIGTERM -> exit 0, and the edit written to the file at shutdown. With a nats-server on the
// machine (NATS_SERVER_BIN or PATH) it runs a second round on NATS: JetStream revision log, audit
// to `main-queue`, registration in the service registry.
//
// Prints one JSON line with what it measured; exits 1 on the first failed check.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const DiffMatchPatch = require('diff-match-patch');

const READY_WITHIN_MS = 10_000;
const EXIT_WITHIN_MS = 15_000;
const source = process.argv[2] ?? join(root, 'build', 'bin', 'ocis-collaboration');
const results = {};
const cleanups = [];

function check(condition, message) {
  if (!condition) {
    throw new Error(`smoke: ${message}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An empty folder with no node_modules in it or in any folder above it. */
function isolatedDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ocis-collaboration-smoke-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (let at = dir; ; at = dirname(at)) {
    check(!existsSync(join(at, 'node_modules')), `${at} has a node_modules folder`);
    if (at === parse(at).root) {
      break;
    }
  }
  return dir;
}

/** Only what the binary needs: no NODE_OPTIONS, NODE_PATH or anything from this checkout. */
function cleanEnv(extra) {
  return { PATH: '/usr/bin:/bin', HOME: tmpdir(), TZ: 'UTC', ...extra };
}

function runCli(binary, cwd, env, args) {
  return execFileSync(binary, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function cliStatus(binary, cwd, env, args) {
  try {
    runCli(binary, cwd, env, args);
    return 0;
  } catch (error) {
    return error.status ?? -1;
  }
}

async function get(url, init) {
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, text: body.toString('utf8') };
}

async function waitReady(debugUrl, child, started) {
  while (Date.now() - started < READY_WITHIN_MS) {
    check(
      child.exitCode === null,
      `the binary exited with ${String(child.exitCode)} before it was ready`,
    );
    try {
      if ((await get(`${debugUrl}/readyz`)).status === 200) {
        return Date.now() - started;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`smoke: not ready within ${String(READY_WITHIN_MS)} ms`);
}

function waitExit(child) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(
      () => reject(new Error('smoke: no exit after SIGTERM')),
      EXIT_WITHIN_MS,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** A dmp patch the way the built-in editor makes one. */
function makePatch(from, to) {
  const dmp = new DiffMatchPatch();
  const diffs = dmp.diff_main(from, to);
  dmp.diff_cleanupEfficiency(diffs);
  return dmp.patch_toText(dmp.patch_make(from, diffs));
}

async function startNats() {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/bin/nats-server', '/usr/sbin/nats-server'];
  let bin = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!bin) {
    try {
      bin = execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  }
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'ocis-collaboration-smoke-nats-'));
  cleanups.push(() => rmSync(store, { recursive: true, force: true }));
  const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
    stdio: 'ignore',
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const url = `nats://127.0.0.1:${String(port)}`;
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) {
      return { url, stop: () => child.kill('SIGTERM') };
    }
    await sleep(100);
  }
  throw new Error('smoke: nats-server did not start');
}

function canConnect(port) {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  });
}

async function round(name, natsUrl) {
  const dir = isolatedDir();
  const binary = join(dir, 'ocis-collaboration');
  copyFileSync(source, binary);
  execFileSync('chmod', ['755', binary]);
  const data = join(dir, 'data');
  mkdirSync(data);
  const original = 'Hello from the single executable.\n';
  writeFileSync(join(data, 'notes.txt'), original);
  writeFileSync(join(data, 'report.docx'), Buffer.from('PK\u0003\u0004 not really a document'));

  const [httpPort, grpcPort, debugPort] = [await freePort(), await freePort(), await freePort()];
  const httpUrl = `http://127.0.0.1:${String(httpPort)}`;
  const debugUrl = `http://127.0.0.1:${String(debugPort)}`;
  const env = cleanEnv({
    COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(httpPort)}`,
    COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(grpcPort)}`,
    COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debugPort)}`,
    COLLABORATION_WOPI_SRC: httpUrl,
    COLLABORATION_WOPI_SECRET: createHash('sha256').update(`smoke ${name}`).digest('hex'),
    COLLABORATION_LOCAL_ROOT: data,
    ...(natsUrl
      ? {
          COLLABORATION_NATS_URL: natsUrl,
          COLLABORATION_COOPS_LOG: 'jetstream',
          COLLABORATION_AUDIT_SINK: 'nats',
          MICRO_REGISTRY: 'nats-js-kv',
        }
      : {}),
  });
  const r = (results[name] = {});

  // The CLI from the binary, before the server runs (it needs no server).
  const help = runCli(binary, dir, env, ['help']);
  check(help.includes('open <file>'), 'help does not list open');
  const reference = runCli(binary, dir, env, ['config-reference']);
  check(reference.includes('`COLLABORATION_HTTP_ADDR`'), 'config-reference lists no settings');
  const opened = JSON.parse(runCli(binary, dir, env, ['open', 'notes.txt', '--json']));
  check(typeof opened.accessToken === 'string', 'open printed no accessToken');
  check(
    opened.wopiSrc.startsWith(`${httpUrl}/wopi/files/`),
    `open printed wopiSrc ${opened.wopiSrc}`,
  );
  check(
    typeof opened.coopsUrl === 'string' && typeof opened.editorUrl === 'string',
    'no CoOPS links',
  );
  check(
    cliStatus(binary, dir, env, ['healthcheck']) === 1,
    'healthcheck said healthy with no server',
  );

  const started = Date.now();
  // The NATS round starts it as `serve`, the other without arguments: both mean the server.
  const args = natsUrl ? ['serve'] : [];
  const child = spawn(binary, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    r.readyMs = await waitReady(debugUrl, child, started);

    const healthz = await get(`${debugUrl}/healthz`);
    check(healthz.status === 200, `/healthz answered ${String(healthz.status)}`);
    const readyz = await get(`${debugUrl}/readyz`);
    check(readyz.status === 200, `/readyz answered ${String(readyz.status)}: ${readyz.text}`);
    if (natsUrl) {
      check(
        JSON.parse(readyz.text).info?.nats?.status === 'up',
        `NATS not up in /readyz: ${readyz.text}`,
      );
    }
    const metrics = await get(`${debugUrl}/metrics`);
    check(metrics.status === 200, `/metrics answered ${String(metrics.status)} without a token`);
    check(metrics.text.includes('# TYPE collaboration_'), '/metrics has no collaboration_ metrics');
    check(cliStatus(binary, dir, env, ['healthcheck']) === 0, 'healthcheck failed');
    check(
      cliStatus(binary, dir, env, ['healthcheck', '--ready']) === 0,
      'healthcheck --ready failed',
    );

    // WOPI: CheckFileInfo and GetFile with the token the binary's `open` minted.
    const token = encodeURIComponent(opened.accessToken);
    const info = await get(`${opened.wopiSrc}?access_token=${token}`);
    check(info.status === 200, `CheckFileInfo answered ${String(info.status)}: ${info.text}`);
    const fileInfo = JSON.parse(info.text);
    check(fileInfo.BaseFileName === 'notes.txt', `BaseFileName ${String(fileInfo.BaseFileName)}`);
    check(fileInfo.Size === Buffer.byteLength(original), `Size ${String(fileInfo.Size)}`);
    const contents = await get(`${opened.wopiSrc}/contents?access_token=${token}`);
    check(contents.status === 200 && contents.text === original, 'GetFile did not return the file');
    const docx = JSON.parse(runCli(binary, dir, env, ['open', 'report.docx', '--json']));
    const docxInfo = await get(
      `${docx.wopiSrc}?access_token=${encodeURIComponent(docx.accessToken)}`,
    );
    check(docxInfo.status === 200, `CheckFileInfo (docx) answered ${String(docxInfo.status)}`);

    // The built-in editor and its assets (diff-match-patch comes from inside the binary).
    const page = await get(opened.editorUrl);
    check(
      page.status === 200 && page.text.includes('<html'),
      `editor page answered ${String(page.status)}`,
    );
    const dmp = await get(`${httpUrl}/coops/_editor/diff-match-patch.js`);
    check(
      dmp.status === 200 && dmp.text.includes('diff_match_patch'),
      'diff-match-patch.js missing',
    );

    // CoOPS: join, then one edit.
    const join = await get(`${opened.coopsUrl}/join?algorithm=dmp&protocolVersion=1.0.0`);
    check(join.status === 200, `CoOPS join answered ${String(join.status)}: ${join.text}`);
    const joined = JSON.parse(join.text);
    check(joined.content === original, 'CoOPS join content is not the file');
    const edited = `${original}Edited through CoOPS.\n`;
    const patch = await get(opened.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch(original, edited),
        properties: null,
        extensions: null,
      }),
    });
    check(patch.status === 204, `CoOPS PATCH answered ${String(patch.status)}: ${patch.text}`);

    // gRPC: OpenInApp without a token is refused with a CS3 status, over real gRPC.
    const openInApp = await callOpenInApp(`127.0.0.1:${String(grpcPort)}`);
    check(
      openInApp.error === null,
      `OpenInApp failed on the gRPC level: ${String(openInApp.error)}`,
    );
    check(openInApp.bytes[0] === 0x0a, 'OpenInApp answered without a CS3 status');

    if (natsUrl) {
      r.registered = await registered(natsUrl, `127.0.0.1:${String(grpcPort)}`);
      check(r.registered, 'the gRPC service is not in the NATS service registry');
      r.auditEvents = await auditEvents(natsUrl);
      check(r.auditEvents > 0, 'no audit event reached JetStream main-queue');
    }
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
    }
  }
  const exit = await waitExit(child);
  check(
    exit.code === 0,
    `exit after SIGTERM: code ${String(exit.code)} signal ${String(exit.signal)}\n${output}`,
  );
  check(output.includes('collaboration server stopped'), 'no "stopped" log line');
  check(
    readFileSync(join(data, 'notes.txt'), 'utf8') === `${original}Edited through CoOPS.\n`,
    'the CoOPS edit was not saved at shutdown',
  );
  check(!output.includes(opened.accessToken), 'the access token appeared in the log');
  r.ok = true;
}

/** An empty OpenInAppRequest to the app provider; the answer's raw protobuf bytes. */
function callOpenInApp(address) {
  const grpc = require('@grpc/grpc-js');
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/cs3.app.provider.v1beta1.ProviderAPI/OpenInApp',
      () => Buffer.alloc(0),
      (bytes) => bytes,
      Buffer.alloc(0),
      { deadline: Date.now() + 10_000 },
      (error, bytes) => {
        client.close();
        resolve({ error: error ?? null, bytes: bytes ?? Buffer.alloc(0) });
      },
    );
  });
}

/** How many events the JetStream stream `main-queue` holds (waits up to 10 s for the first). */
async function auditEvents(natsUrl) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (let i = 0; i < 50; i++) {
      try {
        const info = await jsm.streams.info('main-queue');
        if (info.state.messages > 0) {
          return info.state.messages;
        }
      } catch {
        // not created yet
      }
      await sleep(200);
    }
    return 0;
  } finally {
    await nc.close();
  }
}

/** A go-micro registry value: a JSON envelope whose `data` is the base64 of the service's JSON. */
function recordText(value) {
  try {
    const envelope = JSON.parse(Buffer.from(value).toString('utf8'));
    return Buffer.from(String(envelope.data), 'base64').toString('utf8');
  } catch {
    return '';
  }
}

/** Whether some service in the registry has a node at `address` (go-micro records in KV). */
async function registered(natsUrl, address) {
  const { connect } = await import('@nats-io/transport-node');
  const { Kvm } = await import('@nats-io/kv');
  const nc = await connect({ servers: natsUrl });
  try {
    const kv = await new Kvm(nc).open('service-registry');
    for (let i = 0; i < 100; i++) {
      for await (const key of await kv.keys()) {
        const entry = await kv.get(key);
        if (entry?.value && recordText(entry.value).includes(`"address":"${address}"`)) {
          return true;
        }
      }
      await sleep(200);
    }
    return false;
  } finally {
    await nc.close();
  }
}

async function main() {
  check(existsSync(source), `${source} is missing: run npm run build:binary first`);
  const bytes = readFileSync(source);
  check(!bytes.includes(Buffer.from(root)), `the binary contains the build path ${root}`);
  results.sizeBytes = bytes.length;
  await round('local');
  const nats = await startNats();
  if (nats) {
    await round('nats', nats.url);
    nats.stop();
  } else {
    results.nats = 'skipped: no nats-server';
  }
  process.stdout.write(`${JSON.stringify({ smoke: 'ok', ...results })}\n`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
}
