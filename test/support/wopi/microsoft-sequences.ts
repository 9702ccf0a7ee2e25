import { describe, expect, it } from 'vitest';
import { EditorClient } from './editor-client';
import {
  cfi,
  DOCX,
  DOCX_V2,
  expectLockConflict,
  expectOkWithoutLock,
  microsoftHeaders,
  msLock,
  type SequenceContext,
} from './sequence-helpers';

/** Microsoft 365 for the web's sequences (wopi-clients.md §3, the validator's flows). */
export function microsoftSequences(context: SequenceContext): void {
  const session = context.session.bind(context);
  const f = context.fixture.bind(context);
  describe('Microsoft 365 for the web', () => {
    const app = 'Office365';

    it('should open a document for viewing with the version in every answer', async () => {
      const fileId = await f().createFile('view.pptx', DOCX);
      const editor = await session(fileId, app, microsoftHeaders, { mode: 'read' });
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({
        BaseFileName: 'view.pptx',
        Size: DOCX.length,
        ReadOnly: true,
        UserCanWrite: false,
        SupportsLocks: true,
        SupportsGetLock: true,
        SupportsUpdate: true,
        SupportsExtendedLockLength: true,
        FileExtension: '.pptx',
      });
      for (const key of ['OwnerId', 'UserId', 'Version']) {
        expect(typeof info[key], key).toBe('string');
      }
      const file = await editor.getFile();
      expect(file.body.equals(DOCX)).toBe(true);
      expect(file.header('x-wopi-itemversion')).toBe(info['Version']);
    });

    it('should edit: Lock, GetFile, PutFile, GetLock, RefreshLock, UnlockAndRelock, Unlock', async () => {
      const fileId = await f().createFile('edit.docx', DOCX);
      const editor = await session(fileId, app, microsoftHeaders);
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({ UserCanWrite: true, SupportsUpdate: true });
      const lock = msLock();
      const locked = await editor.lock(lock);
      expectOkWithoutLock(locked);
      expect(locked.header('x-wopi-itemversion')).toBe(info['Version']);
      const file = await editor.getFile();
      expect(file.header('x-wopi-itemversion')).toBe(info['Version']);
      const put = await editor.putFile(DOCX_V2, { 'X-WOPI-Lock': lock });
      expect(put.status).toBe(200);
      const v2 = put.header('x-wopi-itemversion');
      expect(v2).not.toBe(info['Version']);
      expect(cfi(await editor.checkFileInfo())['Version']).toBe(v2);
      const current = await editor.getLock();
      expect(current.status).toBe(200);
      expect(current.header('x-wopi-lock')).toBe(lock);
      expectOkWithoutLock(await editor.refreshLock(lock));
      const newLock = msLock();
      expectOkWithoutLock(await editor.unlockAndRelock(lock, newLock));
      expectLockConflict(await editor.unlock(lock), newLock);
      // The same bytes again still make a new version.
      const same = await editor.putFile(DOCX_V2, { 'X-WOPI-Lock': newLock });
      expect(same.status).toBe(200);
      expect(same.header('x-wopi-itemversion')).not.toBe(v2);
      const unlocked = await editor.unlock(newLock);
      expectOkWithoutLock(unlocked);
      expect(unlocked.header('x-wopi-itemversion')).toBe(same.header('x-wopi-itemversion'));
      expect((await f().readStored('edit.docx'))?.equals(DOCX_V2)).toBe(true);
      expectLockConflict(await editor.unlock(newLock), '');
    });

    it('should save as with exact names: new, conflict, overwrite, and a suggested extension', async () => {
      const fileId = await f().createFile('report.docx', DOCX);
      const editor = await session(fileId, app, microsoftHeaders);
      const first = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-RelativeTarget': 'report+AF8-copy.docx', 'X-WOPI-Size': '5' },
        'first',
      );
      expect(first.status).toBe(200);
      const answer = first.json() as { Name: string; Url: string };
      expect(answer.Name).toBe('report_copy.docx');
      expect((await f().readStored('report_copy.docx'))?.toString()).toBe('first');

      const conflict = await editor.post(
        'PUT_RELATIVE',
        {
          'X-WOPI-RelativeTarget': 'report+AF8-copy.docx',
          'X-WOPI-OverwriteRelativeTarget': 'False',
          'X-WOPI-Size': '6',
        },
        'second',
      );
      expect(conflict.status).toBe(409);
      expect(conflict.header('x-wopi-validrelativetarget')).toBeTruthy();
      expect((await f().readStored('report_copy.docx'))?.toString()).toBe('first');

      const overwrite = await editor.post(
        'PUT_RELATIVE',
        {
          'X-WOPI-RelativeTarget': 'report+AF8-copy.docx',
          'X-WOPI-OverwriteRelativeTarget': 'True',
          'X-WOPI-Size': '5',
        },
        'third',
      );
      expect(overwrite.status).toBe(200);
      expect((await f().readStored('report_copy.docx'))?.toString()).toBe('third');

      const suggested = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': '.pdf', 'X-WOPI-Size': '3' },
        'pdf',
      );
      expect(suggested.status).toBe(200);
      expect(suggested.json()['Name']).toBe('report.pdf');
      // The new file can be deleted through its Url.
      const copy = EditorClient.fromUrl(answer.Url);
      expect((await copy.post('DELETE')).status).toBe(200);
      expect(await f().readStored('report_copy.docx')).toBeUndefined();
      expect((await copy.checkFileInfo()).status).toBe(404);
    });

    it('should rename without a lock, keep the file id, and refuse a wrong lock', async () => {
      const fileId = await f().createFile('old.xlsx', DOCX);
      const editor = await session(fileId, app, microsoftHeaders);
      const renamed = await editor.post('RENAME_FILE', {
        'X-WOPI-RequestedName': 'renamed+AF8-sheet',
        'X-WOPI-Lock': '',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.json()).toEqual({ Name: 'renamed_sheet' });
      expect((await f().readStored('renamed_sheet.xlsx'))?.equals(DOCX)).toBe(true);
      expect(cfi(await editor.checkFileInfo())).toMatchObject({
        BaseFileName: 'renamed_sheet.xlsx',
        FileExtension: '.xlsx',
      });
      const lock = msLock();
      expectOkWithoutLock(await editor.lock(lock));
      expectLockConflict(
        await editor.post('RENAME_FILE', {
          'X-WOPI-RequestedName': 'other',
          'X-WOPI-Lock': msLock(),
        }),
        lock,
      );
      expect(await f().readStored('other.xlsx')).toBeUndefined();
    });

    it('should protect a file open for editing with its lock and show changes made in storage by a new version', async () => {
      const fileId = await f().createFile('locked.docx', DOCX);
      const editor = await session(fileId, app, microsoftHeaders);
      const info = cfi(await editor.checkFileInfo());
      const lock = msLock();
      expectOkWithoutLock(await editor.lock(lock));
      const other = await session(fileId, app, microsoftHeaders, { userId: 'bob' });
      expectLockConflict(await other.putFile('not without the lock'), lock);
      expectLockConflict(
        await other.putFile('nor with another', { 'X-WOPI-Lock': msLock() }),
        lock,
      );
      expect((await f().readStored('locked.docx'))?.equals(DOCX)).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 20));
      const external = Buffer.from('changed outside the editor');
      await f().modifyStored('locked.docx', external);
      const changed = cfi(await editor.checkFileInfo());
      expect(changed['Version']).not.toBe(info['Version']);
      expect(changed['Size']).toBe(external.length);
      const file = await editor.getFile();
      expect(file.body.equals(external)).toBe(true);
      expect(file.header('x-wopi-itemversion')).toBe(changed['Version']);
      expectOkWithoutLock(await editor.unlock(lock));
    });
  });
}
