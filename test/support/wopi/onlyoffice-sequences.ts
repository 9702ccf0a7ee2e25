import { describe, expect, it } from 'vitest';
import { EditorClient } from './editor-client';
import {
  cfi,
  DOCX,
  DOCX_V2,
  expectOkWithoutLock,
  ISO,
  onlyOfficeHeaders,
  type SequenceContext,
} from './sequence-helpers';

/** ONLYOFFICE's sequences in WOPI mode (wopi-clients.md §2). */
export function onlyOfficeSequences(context: SequenceContext): void {
  const session = context.session.bind(context);
  const f = context.fixture.bind(context);
  describe('ONLYOFFICE', () => {
    const app = 'OnlyOffice';

    it('should open a document for viewing: CheckFileInfo, GetFile with X-WOPI-MaxExpectedSize, no lock', async () => {
      const fileId = await f().createFile('view.docx', DOCX);
      const editor = await session(fileId, app, onlyOfficeHeaders, { mode: 'read' });
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({
        BaseFileName: 'view.docx',
        ReadOnly: true,
        UserCanWrite: false,
        SupportsLocks: true,
        SupportsUpdate: true,
        FileExtension: '.docx',
      });
      expect(info['Version']).toMatch(/^v\d+$/);
      expect(info['LastModifiedTime']).toMatch(ISO);
      const file = await editor.getFile({ 'X-WOPI-MaxExpectedSize': '104857600' });
      expect(file.status).toBe(200);
      expect(file.body.equals(DOCX)).toBe(true);
      expect(file.header('x-wopi-itemversion')).toBe(info['Version']);
      expect((await editor.refreshLock('anything')).status).toBe(401);
    });

    it('should edit a new empty document: template PutFile before the lock, co-editor locks, refresh, save, unlock', async () => {
      const fileId = await f().createFile('new.docx', '');
      const editor = await session(fileId, app, () => onlyOfficeHeaders());
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({ Size: 0, UserCanWrite: true, ReadOnly: false });
      const blank = Buffer.from('PK\u0003\u0004 blank template');
      const template = await editor.putFile(blank, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'X-WOPI-Lock': 'undefined',
        'X-LOOL-WOPI-IsModifiedByUser': 'false',
        'X-LOOL-WOPI-IsAutosave': 'false',
        'X-LOOL-WOPI-IsExitSave': 'false',
      });
      expect(template.status).toBe(200);
      expect((await f().readStored('new.docx'))?.equals(blank)).toBe(true);

      // ONLYOFFICE's lock id is the document id, the same for every co-editor.
      const lockId = fileId;
      expectOkWithoutLock(await editor.lock(lockId));
      expect((await editor.getFile()).body.equals(blank)).toBe(true);
      const coEditor = await session(fileId, app, () => onlyOfficeHeaders(), { userId: 'bob' });
      cfi(await coEditor.checkFileInfo());
      expectOkWithoutLock(await coEditor.lock(lockId));
      expectOkWithoutLock(await editor.refreshLock(lockId));

      const current = cfi(await editor.checkFileInfo());
      const edited = Buffer.from('PK\u0003\u0004 text typed by alice and bob');
      const save = await editor.putFile(edited, {
        'X-WOPI-Lock': lockId,
        'X-WOPI-Editors': String(current['UserId']),
        'X-LOOL-WOPI-IsModifiedByUser': 'true',
        'X-LOOL-WOPI-IsAutosave': 'false',
        'X-LOOL-WOPI-IsExitSave': 'true',
        'X-LOOL-WOPI-Timestamp': String(current['LastModifiedTime']),
      });
      expect(save.status).toBe(200);
      const saved = save.json() as { LastModifiedTime: string };
      expect(save.header('x-wopi-itemversion')).not.toBe(current['Version']);
      expect(cfi(await editor.checkFileInfo())).toMatchObject({
        LastModifiedTime: saved.LastModifiedTime,
        Version: save.header('x-wopi-itemversion'),
      });
      expect((await f().readStored('new.docx'))?.equals(edited)).toBe(true);
      expectOkWithoutLock(await editor.unlock(lockId));
      expect((await editor.getLock()).header('x-wopi-lock')).toBe('');
    });

    it('should save as from an extension-only suggestion', async () => {
      const fileId = await f().createFile('budget.xlsx', DOCX);
      const editor = await session(fileId, app, () => onlyOfficeHeaders());
      const pdf = Buffer.from('%PDF-1.7 the budget');
      const response = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': '.pdf', 'Content-Type': 'application/pdf' },
        pdf,
      );
      expect(response.status).toBe(200);
      const answer = response.json() as { Name: string; Url: string };
      expect(answer.Name).toBe('budget.pdf');
      expect((await f().readStored('budget.pdf'))?.equals(pdf)).toBe(true);
      const created = EditorClient.fromUrl(answer.Url);
      expect(cfi(await created.checkFileInfo())['BaseFileName']).toBe('budget.pdf');
    });

    it('should rename a locked document with its lock id', async () => {
      const fileId = await f().createFile('notes.docx', DOCX);
      const editor = await session(fileId, app, () => onlyOfficeHeaders());
      expectOkWithoutLock(await editor.lock(fileId));
      const response = await editor.post('RENAME_FILE', {
        'X-WOPI-Lock': fileId,
        'X-WOPI-RequestedName': 'Meeting notes',
      });
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ Name: 'Meeting notes' });
      expect((await f().readStored('Meeting notes.docx'))?.equals(DOCX)).toBe(true);
      expect(await f().readStored('notes.docx')).toBeUndefined();
      expect(cfi(await editor.checkFileInfo())['BaseFileName']).toBe('Meeting notes.docx');
    });

    it('should refuse a save with a stale X-LOOL-WOPI-Timestamp with COOLStatusCode 1010', async () => {
      const fileId = await f().createFile('report.docx', DOCX);
      const editor = await session(fileId, app, () => onlyOfficeHeaders());
      const info = cfi(await editor.checkFileInfo());
      expectOkWithoutLock(await editor.lock(fileId));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const external = Buffer.from('someone else saved this');
      await f().modifyStored('report.docx', external);
      const stale = await editor.putFile(DOCX_V2, {
        'X-WOPI-Lock': fileId,
        'X-LOOL-WOPI-IsModifiedByUser': 'true',
        'X-LOOL-WOPI-IsAutosave': 'false',
        'X-LOOL-WOPI-IsExitSave': 'true',
        'X-LOOL-WOPI-Timestamp': String(info['LastModifiedTime']),
      });
      expect(stale.status).toBe(409);
      expect(stale.json()['COOLStatusCode']).toBe(1010);
      expect((await f().readStored('report.docx'))?.equals(external)).toBe(true);
      const reopened = cfi(await editor.checkFileInfo());
      expect(reopened['Version']).not.toBe(info['Version']);
    });
  });
}
