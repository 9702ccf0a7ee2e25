import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { AccessTokenService } from '../../../src/tokens/access-token.service';
import type { WopiOperationRecord } from '../../../src/wopi/wopi-operation-record';
import { WopiOperationObserver } from '../../../src/wopi/wopi-operation.observer';
import { EditorClient } from './editor-client';
import { openFilesPerTest } from './open-file';
import type { ServerWopiFixture, ServerWopiFixtureFactory } from './wopi-fixture';
import { wopi } from './wopi-http';

async function fetchMetrics(fixture: ServerWopiFixture): Promise<string> {
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

/**
 * Templates, save as, view modes, and what every operation leaves behind (records, metrics, logs),
 * against any server the factory provides (local adapter, CS3...).
 */
export function describeWopiOperations(
  adapter: string,
  makeFixture: ServerWopiFixtureFactory,
): void {
  describe(`WOPI operations: ${adapter}`, () => {
    const open = openFilesPerTest(makeFixture);

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

    describe('save as', () => {
      it("should mint the new file's token from the request's context", async () => {
        const { fixture, editor } = await open(
          'a.docx',
          'x',
          {},
          { app: 'Collabora', userId: 'erin' },
        );
        const tokens = fixture.server.app.get(AccessTokenService);
        const original = await tokens.verify(editor.token);
        const answer = (
          await editor.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': 'b.docx' }, 'y')
        ).json();
        const created = EditorClient.fromUrl(String(answer['Url']));
        const minted = await tokens.verify(created.token, created.fileId);
        expect(minted).toMatchObject({
          user: original.user,
          mode: 'write',
          app: 'Collabora',
          sessionId: original.sessionId,
          expiresAt: original.expiresAt,
        });
        expect(minted.resourceId).not.toEqual(original.resourceId);
        expect(created.fileId).not.toBe(editor.fileId);
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
          details: {
            file: {
              name: 'report.docx',
              path: fixture.storagePath('report.docx'),
              fileId: editor.fileId,
            },
          },
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
        expect(relative.details.newFile).toMatchObject({
          name: 'copy.docx',
          path: fixture.storagePath('copy.docx'),
        });
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
  });
}
