import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatResourceId } from '../../src/tokens/resource-id';
import { startCs3Double, type Cs3Double } from '../support/cs3-double';
import { cs3ServerEnv } from '../support/cs3-storage';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';
import { CLI, jsonLines, run, spawnServer, type ServerProcess } from '../support/processes';
import { cs3WopiFixture, type Cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { EditorClient } from '../support/wopi/editor-client';
import { type WopiResponse } from '../support/wopi/wopi-http';

const MiB = 1024 * 1024;

/** A WOPI request that gives up after `ms` like an editor does (Collabora's default is 60 s). */
function withClientTimeout(request: Promise<WopiResponse>, ms: number): Promise<WopiResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the client gave up after ${String(ms)} ms`));
    }, ms);
  });
  return Promise.race([request, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

describe('WOPI on the CS3 storage when the gateway fails', () => {
  describe('the gateway goes down and comes back (server process)', () => {
    let double: Cs3Double | undefined;
    let server: ServerProcess | undefined;

    afterEach(async () => {
      await server?.kill('SIGKILL');
      server = undefined;
      await double?.dispose();
      double = undefined;
    });

    it('should answer 503 with Retry-After and a logged request id, fail /readyz, and recover without a restart', async () => {
      double = await startCs3Double();
      const id = await double.createFile('/Documents/letter.docx', 'the stored letter');
      const [http, debug] = [await freePort(), await freePort()];
      const debugUrl = `http://127.0.0.1:${String(debug)}`;
      const env = cs3ServerEnv(double, {
        COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
        COLLABORATION_GRPC_ADDR: `127.0.0.1:${String(await freePort())}`,
        COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
        COLLABORATION_WOPI_SRC: `http://127.0.0.1:${String(http)}`,
        COLLABORATION_CS3_TIMEOUT: '2s',
      });
      const opened = await run(CLI, ['open', formatResourceId(id), '--json'], {
        ...env,
        COLLABORATION_REVA_TOKEN: double.mintToken(),
      });
      expect(opened.code).toBe(0);
      const { fileId, accessToken } = JSON.parse(opened.stdout) as {
        fileId: string;
        accessToken: string;
      };
      server = await spawnServer(env, debugUrl);
      const editor = new EditorClient(`http://127.0.0.1:${String(http)}`, fileId, accessToken);
      const before = await editor.checkFileInfo();
      expect(before.status).toBe(200);

      await double.stop();
      const requestIds = ['cfi-down', 'get-down', 'lock-down', 'put-down'];
      const down = [
        await editor.checkFileInfo({ 'X-Request-ID': 'cfi-down' }),
        await editor.getFile({ 'X-Request-ID': 'get-down' }),
        await editor.lock('L1', { 'X-Request-ID': 'lock-down' }),
        await editor.putFile('new bytes', { 'X-WOPI-Lock': 'L1', 'X-Request-ID': 'put-down' }),
      ];
      expect(down.map((r) => r.status)).toEqual([503, 503, 503, 503]);
      expect(down.map((r) => r.header('retry-after'))).toEqual(['5', '5', '5', '5']);
      expect(down.map((r) => r.header('x-request-id'))).toEqual(requestIds);
      expect(down.map((r) => r.json()['requestId'])).toEqual(requestIds);
      const readiness = await fetch(`${debugUrl}/readyz`);
      expect(readiness.status).toBe(503);
      const logged = await eventually(
        () =>
          jsonLines(server?.stdout() ?? '').filter((line) => line['msg'] === 'storage unavailable'),
        (lines) => lines.length >= requestIds.length,
      );
      expect(logged.map((line) => line['requestId'])).toEqual(requestIds);
      for (const line of logged) {
        expect(line).toMatchObject({ level: 40, context: 'WopiExceptionFilter', status: 503 });
        expect(String(line['reason'])).toContain(`CS3 gateway ${double.gatewayAddr}`);
      }
      expect(server.stdout()).not.toContain(accessToken);

      await double.restart();
      const back = await eventually(
        () => editor.checkFileInfo(),
        (response) => response.status === 200,
      );
      expect(back.status).toBe(200);
      expect(back.json()['Version']).toBe(before.json()['Version']);
      expect((await fetch(`${debugUrl}/readyz`)).status).toBe(200);
      expect((await editor.lock('L1')).status).toBe(200);
      expect((await editor.putFile('new bytes', { 'X-WOPI-Lock': 'L1' })).status).toBe(200);
      expect((await double.readFile('/Documents/letter.docx')).toString()).toBe('new bytes');
      expect(server.child.exitCode).toBeNull();
    });
  });

  describe('in-process server on the double', () => {
    let f: Cs3WopiFixture | undefined;

    afterEach(async () => {
      vi.restoreAllMocks();
      await f?.dispose();
      f = undefined;
    });

    async function open(
      name: string,
      content: string | Buffer,
    ): Promise<{ fixture: Cs3WopiFixture; editor: EditorClient }> {
      f = await cs3WopiFixture({ COLLABORATION_CS3_TIMEOUT: '1s' });
      const fileId = await f.createFile(name, content);
      return { fixture: f, editor: new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId)) };
    }

    it('should answer a slow gateway with 504 at its own deadline, before the client gives up', async () => {
      const { fixture, editor } = await open('slow.docx', 'v1');
      const warn = vi.spyOn(Logger.prototype, 'warn');
      fixture.double.faults.delayMs = 30_000;
      const answers = [
        await withClientTimeout(editor.checkFileInfo({ 'X-Request-ID': 'slow-cfi' }), 10_000),
        await withClientTimeout(editor.lock('L1', { 'X-Request-ID': 'slow-lock' }), 10_000),
        await withClientTimeout(editor.putFile('v2', { 'X-Request-ID': 'slow-put' }), 10_000),
      ];
      expect(answers.map((r) => r.status)).toEqual([504, 504, 504]);
      for (const requestId of ['slow-cfi', 'slow-lock', 'slow-put']) {
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({
            requestId,
            status: 504,
            reason: expect.stringMatching(/did not answer \w+ within 1000 ms/) as unknown,
          }),
          'storage timed out',
        );
      }
      fixture.double.faults.reset();
      expect((await fixture.readStored('slow.docx'))?.toString()).toBe('v1');
      expect((await editor.checkFileInfo()).status).toBe(200);
    });

    it('should keep the stored file as it was when the data gateway cuts an upload mid-stream', async () => {
      const original = Buffer.from('the original document, which must survive');
      const { fixture, editor } = await open('cut.docx', original);
      const before = (await editor.checkFileInfo()).json();
      expect((await editor.lock('L1')).status).toBe(200);
      const body = Buffer.alloc(4 * MiB, 1);

      fixture.double.faults.refuseUploadAfter(MiB);
      const known = await editor.putFile(body, { 'X-WOPI-Lock': 'L1' });
      fixture.double.faults.refuseUploadAfter(MiB);
      const chunked = await editor.putFile(Readable.from([body.subarray(0, 2 * MiB), body]), {
        'X-WOPI-Lock': 'L1',
      });
      fixture.double.faults.refuseUploadAfter(MiB);
      const relative = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': 'copy.docx', 'X-WOPI-Size': String(body.length) },
        body,
      );

      expect([known.status, chunked.status, relative.status]).toEqual([503, 503, 503]);
      const cut = fixture.double.transfers.filter((t) => t.method === 'PUT');
      expect(cut).toHaveLength(3);
      expect(cut.every((t) => t.status === 0)).toBe(true);
      expect((await fixture.readStored('cut.docx'))?.equals(original)).toBe(true);
      expect(await fixture.storedNames()).toEqual(['cut.docx']);
      const after = (await editor.checkFileInfo()).json();
      expect(after['Version']).toBe(before['Version']);
      expect(after['Size']).toBe(original.length);
      expect((await editor.getLock()).header('x-wopi-lock')).toBe('L1');
      // The next save goes through.
      expect((await editor.putFile(body, { 'X-WOPI-Lock': 'L1' })).status).toBe(200);
      expect((await fixture.readStored('cut.docx'))?.equals(body)).toBe(true);
    });
  });
});
