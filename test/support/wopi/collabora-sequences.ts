import { describe, expect, it } from 'vitest';
import { EditorClient } from './editor-client';
import {
  cfi,
  collaboraHeaders,
  DOCX,
  DOCX_V2,
  expectOkWithoutLock,
  ISO,
  type SequenceContext,
} from './sequence-helpers';

/** Collabora Online's sequences (wopi-clients.md §1). */
export function collaboraSequences(context: SequenceContext): void {
  const session = context.session.bind(context);
  const f = context.fixture.bind(context);
  describe('Collabora Online', () => {
    const app = 'Collabora';

    it('should open a document for viewing: CheckFileInfo, GetFile, no lock', async () => {
      const fileId = await f().createFile('view.odt', DOCX);
      const editor = await session(fileId, app, collaboraHeaders, { mode: 'read' });
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({
        BaseFileName: 'view.odt',
        Size: DOCX.length,
        UserCanWrite: false,
        SupportsLocks: true,
        UserFriendlyName: 'Alice',
      });
      expect(info['LastModifiedTime']).toMatch(ISO);
      expect(typeof info['UserId']).toBe('string');
      expect(info).not.toHaveProperty('Version');
      const file = await editor.getFile();
      expect(file.status).toBe(200);
      expect(file.body.equals(DOCX)).toBe(true);
      expect(file.header('content-length')).toBe(String(DOCX.length));
      expect(file.header('x-wopi-itemversion')).toMatch(/^v\d+$/);
      // A read-only session cannot take a lock, and nothing changes.
      expect((await editor.lock('cool-lock1234abcd')).status).toBe(401);
      const writer = await session(fileId, app, collaboraHeaders);
      const lock = await writer.getLock();
      expect(lock.status).toBe(200);
      expect(lock.header('x-wopi-lock')).toBe('');
      expect((await f().readStored('view.odt'))?.equals(DOCX)).toBe(true);
    });

    it('should edit: lock, load, autosave, refresh by re-locking, exit save, unlock', async () => {
      const fileId = await f().createFile('edit.odt', DOCX);
      const editor = await session(fileId, app, collaboraHeaders);
      const info = cfi(await editor.checkFileInfo());
      expect(info).toMatchObject({
        UserCanWrite: true,
        SupportsLocks: true,
        SupportsRename: true,
      });
      const lockId = 'cool-lock5f3a9c21';
      expectOkWithoutLock(await editor.lock(lockId, { 'Content-Length': '0' }));
      const loaded = await editor.getFile();
      expect(loaded.body.equals(DOCX)).toBe(true);

      // A second user joins: CheckFileInfo with their token shows the same LastModifiedTime.
      const joiner = await session(fileId, app, collaboraHeaders, { userId: 'bob' });
      expect(cfi(await joiner.checkFileInfo())['LastModifiedTime']).toBe(info['LastModifiedTime']);

      const autosave = await editor.putFile(DOCX_V2, {
        'Content-Type': 'application/octet-stream',
        'X-WOPI-Lock': lockId,
        'X-COOL-WOPI-IsModifiedByUser': 'true',
        'X-COOL-WOPI-IsAutosave': 'true',
        'X-COOL-WOPI-IsExitSave': 'false',
        'X-COOL-WOPI-Timestamp': String(info['LastModifiedTime']),
      });
      expect(autosave.status).toBe(200);
      const saved = autosave.json() as { LastModifiedTime: string };
      expect(saved.LastModifiedTime).toMatch(ISO);
      expect(saved.LastModifiedTime).not.toBe(info['LastModifiedTime']);
      expect((await f().readStored('edit.odt'))?.equals(DOCX_V2)).toBe(true);
      expect(cfi(await editor.checkFileInfo())['LastModifiedTime']).toBe(saved.LastModifiedTime);

      // Collabora refreshes its lock by sending LOCK again with the same id.
      expectOkWithoutLock(await editor.lock(lockId));

      const final = Buffer.from('final words');
      const exitSave = await editor.putFile(final, {
        'X-WOPI-Lock': lockId,
        'X-COOL-WOPI-IsModifiedByUser': 'true',
        'X-COOL-WOPI-IsAutosave': 'false',
        'X-COOL-WOPI-IsExitSave': 'true',
        'X-COOL-WOPI-Timestamp': saved.LastModifiedTime,
        Connection: 'close',
      });
      expect(exitSave.status).toBe(200);
      expect((await f().readStored('edit.odt'))?.equals(final)).toBe(true);
      expectOkWithoutLock(await editor.unlock(lockId));
      expect((await editor.getLock()).header('x-wopi-lock')).toBe('');
    });

    it('should save as a new file from a UTF-7 suggested name, reachable through the returned Url', async () => {
      const fileId = await f().createFile('letter.odt', DOCX);
      const editor = await session(fileId, app, collaboraHeaders);
      const pdf = Buffer.from('%PDF-1.7 converted letter');
      const response = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': 'hello world+ACU-1.pdf', 'X-WOPI-Size': String(pdf.length) },
        pdf,
      );
      expect(response.status).toBe(200);
      const answer = response.json() as { Name: string; Url: string };
      expect(answer.Name).toBe('hello world%1.pdf');
      expect(new URL(answer.Url).searchParams.get('access_token')).toBeTruthy();
      expect((await f().readStored('hello world%1.pdf'))?.equals(pdf)).toBe(true);
      expect((await f().readStored('letter.odt'))?.equals(DOCX)).toBe(true);
      const created = EditorClient.fromUrl(answer.Url);
      expect(cfi(await created.checkFileInfo())['BaseFileName']).toBe('hello world%1.pdf');
      expect((await created.getFile()).body.equals(pdf)).toBe(true);

      // The same suggestion again gets a new free name; the first copy stays.
      const again = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': 'hello world+ACU-1.pdf', 'X-WOPI-Size': '3' },
        'two',
      );
      expect(again.status).toBe(200);
      const second = (again.json() as { Name: string }).Name;
      expect(second).not.toBe('hello world%1.pdf');
      expect(second).toMatch(/\.pdf$/);
      expect((await f().readStored(second))?.toString()).toBe('two');
      expect((await f().readStored('hello world%1.pdf'))?.equals(pdf)).toBe(true);
    });

    it('should rename to a UTF-7 name, keep the extension, the file id and the lock, ignore the body', async () => {
      const fileId = await f().createFile('draft.odt', DOCX);
      const editor = await session(fileId, app, collaboraHeaders);
      const lockId = 'cool-lock0badf00d';
      expectOkWithoutLock(await editor.lock(lockId));
      const unicode = 'Ḽơᶉëᶆ ȋṕšᶙṁ ḍỡḽǭᵳ ʂǐť';
      const response = await editor.post(
        'RENAME_FILE',
        {
          'X-WOPI-RequestedName': '+HjwBoR2JAOsdhg +AgseVQFhHZkeQQ +Hg0e4R49Ae0dcw +AoIB0AFl-',
          'X-WOPI-Lock': lockId,
        },
        Buffer.from('the whole document, which Collabora sends along'),
      );
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ Name: unicode });
      expect(await f().readStored('draft.odt')).toBeUndefined();
      expect((await f().readStored(`${unicode}.odt`))?.equals(DOCX)).toBe(true);
      expect(cfi(await editor.checkFileInfo())['BaseFileName']).toBe(`${unicode}.odt`);
      expect((await editor.getLock()).header('x-wopi-lock')).toBe(lockId);
      expectOkWithoutLock(await editor.unlock(lockId));
    });

    it('should refuse a save over a file changed in storage with COOLStatusCode 1010, then overwrite on request', async () => {
      const fileId = await f().createFile('shared.odt', DOCX);
      const editor = await session(fileId, app, collaboraHeaders);
      const info = cfi(await editor.checkFileInfo());
      const lockId = 'cool-lock77777777';
      expectOkWithoutLock(await editor.lock(lockId));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const external = Buffer.from('changed by the desktop client');
      await f().modifyStored('shared.odt', external);
      const stale = await editor.putFile(DOCX_V2, {
        'X-WOPI-Lock': lockId,
        'X-COOL-WOPI-IsModifiedByUser': 'true',
        'X-COOL-WOPI-IsAutosave': 'false',
        'X-COOL-WOPI-IsExitSave': 'false',
        'X-COOL-WOPI-Timestamp': String(info['LastModifiedTime']),
      });
      expect(stale.status).toBe(409);
      expect(stale.json()['COOLStatusCode']).toBe(1010);
      expect((await f().readStored('shared.odt'))?.equals(external)).toBe(true);
      expect(cfi(await editor.checkFileInfo())['LastModifiedTime']).not.toBe(
        info['LastModifiedTime'],
      );
      // The user chose "overwrite": the same save without the timestamp.
      const forced = await editor.putFile(DOCX_V2, {
        'X-WOPI-Lock': lockId,
        'X-COOL-WOPI-IsModifiedByUser': 'true',
      });
      expect(forced.status).toBe(200);
      expect((await f().readStored('shared.odt'))?.equals(DOCX_V2)).toBe(true);
    });
  });
}
