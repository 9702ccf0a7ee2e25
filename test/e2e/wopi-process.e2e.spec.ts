import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { CLI, jsonLines, run, spawnServer, type ServerProcess } from '../support/processes';
import { tempDir } from '../support/temp';
import { EditorClient } from '../support/wopi/editor-client';

describe('WOPI in the server process', () => {
  let root: { dir: string; remove: () => Promise<void> };
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    root = await tempDir();
  });

  afterEach(async () => {
    await server?.kill('SIGTERM');
    server = undefined;
    await root.remove();
  });

  it('should log each save with the editor flags and never log tokens or proofs', async () => {
    const http = await freePort();
    const debug = await freePort();
    const env = {
      COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
      COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
      COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
      COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
      COLLABORATION_LOCAL_ROOT: root.dir,
      COLLABORATION_LOG_LEVEL: 'debug',
    };
    await writeFile(join(root.dir, 'letter.odt'), 'v1');
    const opened = await run(CLI, ['open', 'letter.odt', '--json'], env);
    const { fileId, accessToken } = JSON.parse(opened.stdout) as {
      fileId: string;
      accessToken: string;
    };
    server = await spawnServer(env, `http://127.0.0.1:${String(debug)}`);
    const editor = new EditorClient(`http://127.0.0.1:${String(http)}`, fileId, accessToken, {
      Authorization: `Bearer ${accessToken}`,
      'X-WOPI-Proof': 'PROOFSECRET',
    });
    expect((await editor.lock('cool-lock1')).status).toBe(200);
    const save = await editor.putFile('v2', {
      'X-WOPI-Lock': 'cool-lock1',
      'X-COOL-WOPI-IsModifiedByUser': 'true',
      'X-COOL-WOPI-IsAutosave': 'true',
      'X-COOL-WOPI-IsExitSave': 'false',
    });
    expect(save.status).toBe(200);
    expect(
      (await new EditorClient(editor.wopiSrc, fileId, `${accessToken}x`).getFile()).status,
    ).toBe(401);
    const stopped = server;
    server = undefined;
    await stopped.kill('SIGTERM');
    const output = stopped.stdout() + stopped.stderr();
    expect(output).not.toContain(accessToken);
    expect(output).not.toContain(accessToken.split('.')[2]);
    expect(output).not.toContain('PROOFSECRET');
    const lines = jsonLines(stopped.stdout());
    expect(lines.find((line) => line['msg'] === 'PutFile editor flags')).toMatchObject({
      fileId,
      outcome: 'ok',
      modifiedByUser: true,
      autosave: true,
      exitSave: false,
      requestId: expect.any(String) as unknown,
    });
    expect(lines.find((line) => line['msg'] === 'WOPI request refused')).toMatchObject({
      level: 40,
      status: 401,
      reason: 'signature',
      operation: 'GetFile',
    });
  });
});
