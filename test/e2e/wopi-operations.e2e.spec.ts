import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import { StorageTimeoutError, StorageUnavailableError } from '../../src/storage/storage.errors';
import type { WopiOperationRecord } from '../../src/wopi/wopi-operation-record';
import { WopiOperationObserver } from '../../src/wopi/wopi-operation.observer';
import { EditorClient } from '../support/wopi/editor-client';
import { localWopiFixture, type LocalWopiFixture } from '../support/wopi/local-wopi-fixture';
import { wopi } from '../support/wopi/wopi-http';

const MiB = 1024 * 1024;

async function fetchMetrics(fixture: LocalWopiFixture): Promise<string> {
  return (await fetch(`${fixture.server.debugUrl}/metrics`)).text();
}

/** The value of collaboration_wopi_operations_total for one label pair (0 when absent). */
function operationCount(metrics: string, operation: string, outcome: string): number {
  const line = metrics
    .split('\n')
    .find((l) =>
      l.startsWith(
        `collaboration_wopi_operations_total{operation="${operation}",outcome="${outcome}"}`,
      ),
    );
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('WOPI operations', () => {
  let f: LocalWopiFixture | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await f?.dispose();
    f = undefined;
  });

  async function open(
    name: string,
    content: string | Buffer,
    env: Record<string, string> = {},
    options: Parameters<LocalWopiFixture['mintToken']>[1] = {},
  ): Promise<{ fixture: LocalWopiFixture; editor: EditorClient }> {
    f ??= await localWopiFixture(env);
    const fileId = await f.createFile(name, content);
    return {
      fixture: f,
      editor: new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId, options)),
    };
  }

  describe('templates', () => {
    it('should point an empty file at its template and serve the template', async () => {
      const { fixture, editor } = await open('new.docx', '');
      const templateId = await fixture.createFile('letter.dotx', 'template bytes');
      const token = await fixture.mintToken(editor.fileId, {
        templateFileId: templateId,
        app: 'Collabora',
      });
      const withTemplate = new EditorClient(fixture.wopiSrc, editor.fileId, token);
      const info = (await withTemplate.checkFileInfo()).json();
      const source = String(info['TemplateSource']);
      expect(source).toBe(
        `${fixture.wopiSrc}/wopi/templates/${templateId}?access_token=${encodeURIComponent(token)}`,
      );
      const template = await wopi({ url: source });
      expect(template.status).toBe(200);
      expect(template.text()).toBe('template bytes');
      expect(template.header('x-wopi-itemversion')).toMatch(/^v\d+$/);
      // Collabora then saves the template into the empty file with a normal PutFile.
      expect((await withTemplate.putFile(template.body)).status).toBe(200);
      expect((await fixture.readStored('new.docx'))?.toString()).toBe('template bytes');
      expect((await withTemplate.checkFileInfo()).json()).not.toHaveProperty('TemplateSource');
    });

    it('should refuse the template route to tokens without that template', async () => {
      const { fixture, editor } = await open('plain.docx', '');
      const templateId = await fixture.createFile('t.dotx', 'template');
      const url = (fileId: string): string =>
        `${fixture.wopiSrc}/wopi/templates/${fileId}?access_token=${editor.token}`;
      expect((await wopi({ url: url(templateId) })).status).toBe(401);
      expect((await wopi({ url: url(editor.fileId) })).status).toBe(401);
      // A token with a template opens the template on /wopi/templates only.
      const withTemplate = new EditorClient(
        fixture.wopiSrc,
        templateId,
        await fixture.mintToken(editor.fileId, { templateFileId: templateId }),
      );
      expect((await withTemplate.checkFileInfo()).status).toBe(401);
      expect((await withTemplate.putFile('overwrite the template')).status).toBe(401);
      expect((await fixture.readStored('t.dotx'))?.toString()).toBe('template');
      expect((await editor.checkFileInfo()).json()).not.toHaveProperty('TemplateSource');
    });
  });

  describe('view modes', () => {
    it('should tell editors what a view-only session may do, per flavour', async () => {
      const { fixture, editor } = await open(
        'secret.docx',
        'x',
        {},
        { mode: 'view', displayName: 'Eve', mail: 'eve@example.org' },
      );
      const collabora = new EditorClient(
        fixture.wopiSrc,
        editor.fileId,
        await fixture.mintToken(editor.fileId, {
          mode: 'view',
          app: 'collabora',
          displayName: 'Eve',
          mail: 'eve@example.org',
        }),
      );
      expect((await collabora.checkFileInfo()).json()).toMatchObject({
        UserCanWrite: false,
        UserCanRename: false,
        UserCanNotWriteRelative: true,
        DisablePrint: true,
        DisableExport: true,
        DisableCopy: true,
        WatermarkText: 'Eve eve@example.org',
      });
      expect((await editor.checkFileInfo()).json()).toMatchObject({
        ReadOnly: true,
        DisablePrint: true,
        DisableExport: true,
        DisableCopy: true,
        CopyPasteRestrictions: 'BlockAll',
        WatermarkText: 'Eve eve@example.org',
      });
      // User info is the user's, not the file's: a view-only session may store it.
      expect((await editor.post('PUT_USER_INFO', {}, 'seen')).status).toBe(200);
    });
  });

  describe('operation records, metrics and logs', () => {
    it('should record every operation with its details for observers and count it', async () => {
      const { fixture, editor } = await open('report.docx', 'v1', {}, { app: 'OnlyOffice' });
      const records: WopiOperationRecord[] = [];
      fixture.server.app.get(WopiOperationObserver).subscribe((record) => {
        records.push(record);
      });
      const flagsLog = vi.spyOn(Logger.prototype, 'log');
      const before = await fetchMetrics(fixture);
      await editor.checkFileInfo();
      await editor.lock('L1');
      await editor.putFile('v2', {
        'X-WOPI-Lock': 'L1',
        'X-LOOL-WOPI-IsModifiedByUser': 'true',
        'X-LOOL-WOPI-IsAutosave': 'false',
        'X-COOL-WOPI-IsExitSave': 'True',
      });
      await editor.lock('L9');
      await editor.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': 'copy.docx' }, 'copy');
      await editor.post('RENAME_FILE', { 'X-WOPI-Lock': 'L1', 'X-WOPI-RequestedName': 'final' });
      await editor.post('GET_SHARE_URL');
      await new EditorClient(fixture.wopiSrc, editor.fileId, 'garbage').getFile();

      expect(records.map((r) => [r.operation, r.outcome, r.status])).toEqual([
        ['CheckFileInfo', 'ok', 200],
        ['Lock', 'ok', 200],
        ['PutFile', 'ok', 200],
        ['Lock', 'LOCK_CONFLICT', 409],
        ['PutRelativeFile', 'ok', 200],
        ['RenameFile', 'ok', 200],
        ['Unknown', 'NOT_IMPLEMENTED', 501],
        ['GetFile', 'UNAUTHORIZED', 401],
      ]);
      const [check, lock, put, conflict, relative, rename, , refused] = records as [
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
        WopiOperationRecord,
      ];
      expect(check).toMatchObject({
        fileId: editor.fileId,
        app: 'OnlyOffice',
        mode: 'write',
        user: { username: 'alice' },
        clientAddress: '127.0.0.1',
        details: { file: { name: 'report.docx', path: '/report.docx', fileId: editor.fileId } },
      });
      expect(check.sessionId).toBeTruthy();
      expect(check.requestId).toBeTruthy();
      expect(lock.details.lockId).toBe('L1');
      expect(put.details).toMatchObject({
        lockId: 'L1',
        editorFlags: { modifiedByUser: true, autosave: false, exitSave: true },
        bytes: 2,
      });
      expect(conflict.details).toMatchObject({ lockId: 'L9', currentLockId: 'L1' });
      expect(relative.details.newFile).toMatchObject({ name: 'copy.docx', path: '/copy.docx' });
      expect(rename.details).toMatchObject({ oldName: 'report.docx', newName: 'final.docx' });
      expect(refused.sessionId).toBeUndefined();
      expect(flagsLog).toHaveBeenCalledWith(
        expect.objectContaining({
          modifiedByUser: true,
          autosave: false,
          exitSave: true,
          fileId: editor.fileId,
        }),
        'PutFile editor flags',
      );
      const after = await fetchMetrics(fixture);
      const counted = (operation: string, outcome: string): number =>
        operationCount(after, operation, outcome) - operationCount(before, operation, outcome);
      expect(counted('PutFile', 'ok')).toBe(1);
      expect(counted('Lock', 'ok')).toBe(1);
      expect(counted('Lock', 'LOCK_CONFLICT')).toBe(1);
      expect(counted('GetFile', 'UNAUTHORIZED')).toBe(1);
    });

    it('should keep answering when an observer throws', async () => {
      const { fixture, editor } = await open('a.docx', 'x');
      fixture.server.app.get(WopiOperationObserver).subscribe(() => {
        throw new Error('audit is broken');
      });
      expect((await editor.checkFileInfo()).status).toBe(200);
    });
  });

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
      let sent = 0;
      const endless = new Readable({
        read() {
          sent += 64 * 1024;
          this.push(sent > 8 * MiB ? null : Buffer.alloc(64 * 1024, 1));
        },
      });
      const put = await editor.putFile(endless).catch((error: unknown) => error);
      if (!(put instanceof Error)) {
        expect((put as { status: number }).status).toBe(413);
      }
      expect(sent).toBeLessThan(8 * MiB);
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
      vi.spyOn(storage, 'setLock').mockRejectedValue(new StorageTimeoutError('deadline exceeded'));
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
