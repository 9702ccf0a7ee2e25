import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { StorageGateway } from '../../../src/storage/storage-gateway.port';
import { StorageTimeoutError, StorageUnavailableError } from '../../../src/storage/storage.errors';
import { openFilesPerTest } from './open-file';
import type { ServerWopiFixtureFactory } from './wopi-fixture';
import { wopi } from './wopi-http';

const MiB = 1024 * 1024;

/**
 * File bodies (streaming, size limits, X-WOPI-MaxExpectedSize) and how storage failures reach
 * editors, against any server the factory provides (local adapter, CS3...).
 */
export function describeWopiBodies(adapter: string, makeFixture: ServerWopiFixtureFactory): void {
  describe(`WOPI bodies and storage failures: ${adapter}`, () => {
    const open = openFilesPerTest(makeFixture);

    describe('bodies', () => {
      it('should stream a multi-MiB body without a Content-Type both ways', async () => {
        const { fixture, editor } = await open('big.bin', '');
        const body = Buffer.alloc(5 * MiB, 7);
        body.write('start');
        body.write('end', body.length - 3);
        const put = await editor.putFile(body);
        expect(put.status).toBe(200);
        expect((await fixture.readStored('big.bin'))?.equals(body)).toBe(true);
        const got = await editor.getFile();
        expect(got.header('content-length')).toBe(String(body.length));
        expect(got.body.equals(body)).toBe(true);
      });

      it('should refuse an announced size over the limit before reading, and keep the file', async () => {
        const limit = { COLLABORATION_HTTP_MAX_UPLOAD_SIZE: '1MiB' };
        const { fixture, editor } = await open('doc.docx', 'original', limit);
        const put = await editor.putFile(Buffer.alloc(MiB + 1));
        expect(put.status).toBe(413);
        expect(put.header('connection')).toBe('close');
        const relative = await wopi({
          method: 'POST',
          url: editor.url,
          headers: {
            'X-WOPI-Override': 'PUT_RELATIVE',
            'X-WOPI-SuggestedTarget': 'copy.docx',
            'X-WOPI-Size': String(2 * MiB),
          },
          body: Readable.from([Buffer.alloc(2 * MiB)]),
        });
        expect(relative.status).toBe(413);
        expect((await fixture.readStored('doc.docx'))?.toString()).toBe('original');
        expect(await fixture.storedNames()).toEqual(['doc.docx']);
      });

      it('should cut off a chunked body when it passes the limit, and keep the file', async () => {
        const limit = { COLLABORATION_HTTP_MAX_UPLOAD_SIZE: '1MiB' };
        const { fixture, editor } = await open('doc.docx', '', limit);
        // Far more than loopback's socket buffers can park while the server works on other things
        // (tcp_rmem max + tcp_wmem max: 36 MiB with Debian's defaults; 6-8 MiB get parked in
        // practice): only a body this long shows that the server stopped reading it.
        const endlessBytes = 256 * MiB;
        let sent = 0;
        const endless = new Readable({
          read() {
            sent += 64 * 1024;
            this.push(sent > endlessBytes ? null : Buffer.alloc(64 * 1024, 1));
          },
        });
        const put = await editor.putFile(endless).catch((error: unknown) => error);
        if (!(put instanceof Error)) {
          expect((put as { status: number }).status).toBe(413);
        }
        expect(sent).toBeLessThan(endlessBytes);
        expect((await fixture.readStored('doc.docx'))?.length).toBe(0);
        expect(await fixture.storedNames()).toEqual(['doc.docx']);
        expect((await editor.checkFileInfo()).json()['Size']).toBe(0);
      });

      it('should answer 412 when the file is larger than X-WOPI-MaxExpectedSize', async () => {
        const { editor } = await open('doc.docx', '0123456789');
        const refused = await editor.getFile({ 'X-WOPI-MaxExpectedSize': '9' });
        expect(refused.status).toBe(412);
        const fits = await editor.getFile({ 'X-WOPI-MaxExpectedSize': '10' });
        expect(fits.text()).toBe('0123456789');
      });
    });

    describe('storage failures', () => {
      it('should answer 503 with Retry-After when the storage is unavailable and log the request id', async () => {
        const { fixture, editor } = await open('doc.docx', 'x');
        const storage = fixture.server.app.get(StorageGateway);
        vi.spyOn(storage, 'stat').mockRejectedValue(new StorageUnavailableError('gateway down'));
        const warn = vi.spyOn(Logger.prototype, 'warn');
        const response = await editor.checkFileInfo({ 'X-Request-ID': 'req-unavailable-1' });
        expect(response.status).toBe(503);
        expect(response.header('retry-after')).toBe('5');
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ requestId: 'req-unavailable-1', status: 503 }),
          'storage unavailable',
        );
      });

      it('should answer 504 when the storage times out and log the request id', async () => {
        const { fixture, editor } = await open('doc.docx', 'x');
        const storage = fixture.server.app.get(StorageGateway);
        vi.spyOn(storage, 'setLock').mockRejectedValue(
          new StorageTimeoutError('deadline exceeded'),
        );
        const warn = vi.spyOn(Logger.prototype, 'warn');
        const response = await editor.lock('L', { 'X-Request-ID': 'req-timeout-1' });
        expect(response.status).toBe(504);
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ requestId: 'req-timeout-1', status: 504 }),
          'storage timed out',
        );
      });
    });
  });
}
