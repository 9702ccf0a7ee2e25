import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import { formatResourceId, wopiFileId } from '../../src/tokens/resource-id';
import { WopiSecret } from '../../src/tokens/wopi-secret';
import { startCs3Double, type Cs3Double } from '../support/cs3-double';
import { CS3_TEST_SECRET, cs3ServerEnv } from '../support/cs3-storage';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';
import {
  CLI,
  jsonLines,
  PROJECT_ROOT,
  run,
  spawnServer,
  type ServerProcess,
} from '../support/processes';
import { tempDir } from '../support/temp';
import { startTestServer, type TestServer } from '../support/test-server';

const SECRET = CS3_TEST_SECRET;

interface Readiness {
  status: string;
  details?: Record<string, { status: string; error?: string; driver?: string }>;
  error?: Record<string, { status: string; error?: string }>;
}

async function readiness(debugUrl: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${debugUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

function readinessBecomes(debugUrl: string, status: number) {
  return eventually(
    () => readiness(debugUrl),
    (answer) => answer.status === status,
  );
}

function cs3Env(double: Cs3Double): Record<string, string> {
  return cs3ServerEnv(double, { COLLABORATION_CS3_TIMEOUT: '2s' });
}

describe('the service on the CS3 storage', () => {
  let double: Cs3Double;
  let server: TestServer | undefined;
  let serverProcess: ServerProcess | undefined;

  beforeEach(async () => {
    double = await startCs3Double();
  });

  afterEach(async () => {
    await serverProcess?.kill('SIGKILL');
    serverProcess = undefined;
    await server?.dispose();
    server = undefined;
    await double.dispose();
  });

  it('should be ready when the gateway answers and report the CS3 storage', async () => {
    server = await startTestServer(cs3Env(double));
    const ready = await readiness(server.debugUrl);
    expect(ready.status).toBe(200);
    expect(ready.body.details?.['storage']).toMatchObject({
      status: 'up',
      driver: 'cs3',
      target: double.gatewayAddr,
    });
  });

  it('should fail readiness while the gateway is down, log it clearly, and recover without a restart', async () => {
    const http = await freePort();
    const debug = await freePort();
    const debugUrl = `http://127.0.0.1:${String(debug)}`;
    serverProcess = await spawnServer(
      {
        ...cs3Env(double),
        COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
        COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
        COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
        COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
      },
      debugUrl,
    );
    await double.stop();
    const down = await readinessBecomes(debugUrl, 503);
    expect(down.status).toBe(503);
    expect(down.body.error?.['storage']?.status).toBe('down');
    expect(down.body.error?.['storage']?.error).toContain(
      `CS3 gateway ${double.gatewayAddr} is unavailable`,
    );
    const logLines = (start: string) => () =>
      jsonLines(serverProcess?.stdout() ?? '').filter((line) =>
        String(line['msg']).startsWith(start),
      );
    const unavailable = `CS3 gateway ${double.gatewayAddr} is unavailable`;
    const outage = await eventually(logLines(unavailable), (lines) => lines.length > 0);
    expect(outage).toEqual([
      expect.objectContaining({
        level: 50,
        context: 'Cs3GatewayClient',
        target: double.gatewayAddr,
      }),
    ]);

    await double.restart();
    const up = await readinessBecomes(debugUrl, 200);
    expect(up.status).toBe(200);
    const back = `CS3 gateway ${double.gatewayAddr} is reachable again`;
    expect(await eventually(logLines(back), (lines) => lines.length > 0)).toHaveLength(1);
    expect(logLines(unavailable)()).toHaveLength(1);
    expect(serverProcess.child.exitCode).toBeNull();
  });

  it('should let the CLI open a file by resource id with a reva token, as OpenInApp would', async () => {
    const id = await double.createFile('/docs/letter.docx', 'hello');
    const revaToken = double.mintToken();
    const result = await run(CLI, ['open', formatResourceId(id), '--json'], {
      ...cs3Env(double),
      COLLABORATION_WOPI_SRC: 'https://wopi.example.com',
      COLLABORATION_REVA_TOKEN: revaToken,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const opened = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(opened).toMatchObject({
      fileId: wopiFileId(id),
      wopiSrc: `https://wopi.example.com/wopi/files/${wopiFileId(id)}`,
      path: '/docs/letter.docx',
      userId: double.owner.opaqueId,
    });
    const verified = await new AccessTokenService(new WopiSecret(SECRET, 'config')).verify(
      String(opened['accessToken']),
      wopiFileId(id),
    );
    expect(verified.revaToken).toBe(revaToken);

    const missing = await run(CLI, ['open', formatResourceId(id)], cs3Env(double));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--reva-token or COLLABORATION_REVA_TOKEN');
  });

  it('should run the double as a process that the CLI and the server can use (npm run cs3-double)', async () => {
    const temp = await tempDir();
    const local = join(temp.dir, 'letter.docx');
    await writeFile(local, 'from disk');
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'scripts', 'cs3-double.mjs'), '--file', `/docs/letter.docx=${local}`],
      { cwd: PROJECT_ROOT },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const started = JSON.parse(line) as {
        gatewayAddr: string;
        revaToken: string;
        files: Record<string, string>;
      };
      const file = started.files['/docs/letter.docx'] ?? '';
      const opened = await run(CLI, ['open', file, '--json'], {
        COLLABORATION_STORAGE: 'cs3',
        COLLABORATION_CS3_GATEWAY: started.gatewayAddr,
        COLLABORATION_WOPI_SECRET: SECRET,
        COLLABORATION_REVA_TOKEN: started.revaToken,
      });
      expect(opened.code).toBe(0);
      expect(JSON.parse(opened.stdout)).toMatchObject({ path: '/docs/letter.docx' });
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await temp.remove();
    }
  });
});
