import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import { WopiSecret } from '../../src/tokens/wopi-secret';
import { freePort } from '../support/ports';
import { CLI, MAIN, jsonLines, run, spawnServer, type ServerProcess } from '../support/processes';
import { tempDir } from '../support/temp';

async function serverEnv(
  root: string,
): Promise<{ env: Record<string, string>; http: string; debug: string }> {
  const http = await freePort();
  const debug = await freePort();
  return {
    env: {
      COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
      COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
      COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
      COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
      COLLABORATION_LOCAL_ROOT: root,
    },
    http: `http://127.0.0.1:${String(http)}`,
    debug: `http://127.0.0.1:${String(debug)}`,
  };
}

describe('the server process', () => {
  let root: string;
  let remove: () => Promise<void>;
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    ({ dir: root, remove } = await tempDir());
  });

  afterEach(async () => {
    await server?.kill('SIGKILL');
    server = undefined;
    await remove();
  });

  it('should exit non-zero on a bad config, naming every bad value without a stack trace', async () => {
    const result = await run(MAIN, [], {
      COLLABORATION_HTTP_ADDR: 'not-an-address',
      COLLABORATION_STORAGE: 'ftp',
      COLLABORATION_DEBUG_ADDR: '127.0.0.1:99999',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid configuration: 3 problems');
    expect(result.stderr).toContain('COLLABORATION_HTTP_ADDR = "not-an-address"');
    expect(result.stderr).toContain('COLLABORATION_STORAGE = "ftp": expected local or cs3');
    expect(result.stderr).toContain('COLLABORATION_DEBUG_ADDR = "127.0.0.1:99999"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('should start on the embedded defaults, drain on SIGTERM and exit 0', async () => {
    const { env, http, debug } = await serverEnv(root);
    server = await spawnServer(env, debug);
    expect((await fetch(`${debug}/healthz`)).status).toBe(200);
    expect((await fetch(`${debug}/readyz`)).status).toBe(200);
    // A request that is still sending its body when SIGTERM arrives must get its answer.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        `${http}/no-such-route`,
        { method: 'POST', headers: { 'content-length': '4' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.write('ab');
      setTimeout(() => req.end('cd'), 600);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = server.kill('SIGTERM');
    expect(await inFlight).toBe(404);
    const { code, ms } = await exit;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    server = undefined;
  });

  it('should log JSON with request ids, echo X-Request-ID and never log secrets', async () => {
    const { env, http, debug } = await serverEnv(root);
    server = await spawnServer({ ...env, COLLABORATION_LOG_LEVEL: 'debug' }, debug);
    const response = await fetch(`${http}/wopi/unknown/abc?access_token=TOPSECRET-TOKEN`, {
      headers: {
        'X-Request-ID': 'req-test-42',
        Authorization: 'Bearer TOPSECRET-BEARER',
        'X-WOPI-Proof': 'PROOFSECRET',
        'X-WOPI-Override': 'LOCK',
      },
    });
    expect(response.headers.get('x-request-id')).toBe('req-test-42');
    const body = (await response.json()) as { requestId: string; message: string };
    expect(body.requestId).toBe('req-test-42');
    expect(JSON.stringify(body)).not.toContain('TOPSECRET');
    const generated = await fetch(`${http}/anything`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const stopped = server;
    server = undefined;
    await stopped.kill('SIGTERM');
    const output = stopped.stdout() + stopped.stderr();
    expect(output).not.toContain('TOPSECRET');
    expect(output).not.toContain('PROOFSECRET');
    const lines = jsonLines(stopped.stdout());
    expect(lines.length).toBeGreaterThan(3);
    const rejected = lines.find((line) => line['requestId'] === 'req-test-42');
    expect(rejected).toMatchObject({ level: 40, status: 404, msg: 'request rejected' });
    expect(String(rejected?.['reason'])).toContain('access_token=[REDACTED]');
  });
});

describe('the CLI', () => {
  let root: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ dir: root, remove } = await tempDir());
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'letter.docx'), 'a letter');
  });

  afterEach(async () => {
    await remove();
  });

  const env = (): Record<string, string> => ({
    COLLABORATION_LOCAL_ROOT: root,
    COLLABORATION_WOPI_SRC: 'https://wopi.example.com',
  });

  it('should print exactly one JSON object that opens the file', async () => {
    const result = await run(
      CLI,
      ['open', 'docs/letter.docx', '--mode', 'view', '--user', 'marie', '--json'],
      env(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const opened = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(opened).toMatchObject({ path: '/docs/letter.docx', mode: 'view', userId: 'marie' });
    expect(opened['wopiSrc']).toBe(
      `https://wopi.example.com/wopi/files/${String(opened['fileId'])}`,
    );
    expect(opened['fileId']).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof opened['accessTokenTtl']).toBe('number');
    expect(opened['accessTokenTtl']).toBeGreaterThan(Date.now());
    const secret = (await readFile(join(root, '.collaboration', 'secret'), 'utf8')).trim();
    expect((await stat(join(root, '.collaboration', 'secret'))).mode & 0o777).toBe(0o600);
    const verified = await new AccessTokenService(new WopiSecret(secret, 'config')).verify(
      String(opened['accessToken']),
      String(opened['fileId']),
    );
    expect(verified).toMatchObject({ mode: 'view', user: { id: { opaqueId: 'marie' } } });
  });

  it('should give the same file id on every open and a new one per file', async () => {
    const first = JSON.parse(
      (await run(CLI, ['open', 'docs/letter.docx', '--json'], env())).stdout,
    ) as { fileId: string };
    const again = JSON.parse(
      (await run(CLI, ['open', join(root, 'docs', 'letter.docx'), '--json'], env())).stdout,
    ) as { fileId: string };
    expect(again.fileId).toBe(first.fileId);
    await writeFile(join(root, 'docs', 'other.docx'), 'x');
    const other = JSON.parse(
      (await run(CLI, ['open', 'docs/other.docx', '--json'], env())).stdout,
    ) as { fileId: string };
    expect(other.fileId).not.toBe(first.fileId);
  });

  it('should fail clearly, with nothing on stdout, for bad input', async () => {
    for (const args of [
      ['open', 'docs/missing.docx'],
      ['open', '../escape.docx'],
      ['open', 'docs/letter.docx', '--mode', 'admin'],
      ['open'],
      ['frobnicate'],
    ]) {
      const result = await run(CLI, args, env());
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });
});
