import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EditorClient } from './editor-client';
import type { WopiFixture, WopiFixtureFactory } from './wopi-fixture';
import type { WopiResponse } from './wopi-http';

/** ISO 8601 UTC as CheckFileInfo and PutFile answer it (the editors compare it verbatim). */
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const DOCX = Buffer.from('PK\u0003\u0004 a word document, version 1');
const DOCX_V2 = Buffer.from('PK\u0003\u0004 a word document, version 2 (edited)');

function cfi(response: WopiResponse): Record<string, unknown> {
  expect(response.status).toBe(200);
  expect(response.header('content-type')).toMatch(/^application\/json/);
  const body = response.json();
  for (const [key, value] of Object.entries(body)) {
    expect(value, key).not.toBeNull();
    expect(value, key).not.toBe('');
  }
  return body;
}

function expectOkWithoutLock(response: WopiResponse): void {
  expect(response.status).toBe(200);
  expect(response.header('x-wopi-lock')).toBeUndefined();
  expect(response.header('x-wopi-itemversion')).toMatch(/^v\d+$/);
}

function expectLockConflict(response: WopiResponse, currentLock: string): void {
  expect(response.status).toBe(409);
  expect(response.header('x-wopi-lock')).toBe(currentLock);
  expect(response.header('x-wopi-lockfailurereason')).toBeTruthy();
}

/** Collabora Online's request headers (wsd/wopi/WopiStorage.cpp): Bearer token and its server id. */
function collaboraHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-COOL-WOPI-ServerId': 'a1b2c3d4' };
}

/** ONLYOFFICE's request headers (wopiUtils.js fillStandardHeaders): no Authorization. */
function onlyOfficeHeaders(): Record<string, string> {
  return {
    'X-WOPI-TimeStamp': String(BigInt(Date.now()) * 10_000n + 621_355_968_000_000_000n),
    'X-WOPI-ClientVersion': '8.3.0.100',
    'X-WOPI-CorrelationId': randomUUID(),
    'X-WOPI-SessionId': randomUUID(),
  };
}

/** Microsoft 365 for the web's request headers (common_headers.rst). */
function microsoftHeaders(token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'X-WOPI-CorrelationId': randomUUID(),
    'X-WOPI-SessionId': randomUUID(),
    'X-WOPI-ClientVersion': '16.0.19000.10000',
  };
}

/** Microsoft's JSON lock ids (validator LockFormatValidation). */
function msLock(): string {
  return JSON.stringify({
    S: randomUUID(),
    E: 2,
    M: 'DE997C5AC4E6',
    P: randomUUID().toUpperCase(),
  });
}

/**
 * The real request sequences of Collabora, OnlyOffice and Microsoft 365 for the web
 * (../shared/reference/wopi-clients.md): open for view; open for edit, autosave, close; save as;
 * rename; the file changed in storage while open. Runs against any server the factory provides
 * (local adapter, CS3...), checking statuses, headers, bodies and the bytes in the storage.
 */
export function describeWopiEditorSequences(name: string, makeFixture: WopiFixtureFactory): void {
  describe(`WOPI editor sequences: ${name}`, () => {
    let f: WopiFixture;

    beforeEach(async () => {
      f = await makeFixture();
    });

    afterEach(async () => {
      await f.dispose();
    });

    async function session(
      fileId: string,
      app: string,
      headers: (token: string) => Record<string, string>,
      options: { mode?: 'view' | 'read' | 'write'; userId?: string } = {},
    ): Promise<EditorClient> {
      const token = await f.mintToken(fileId, { app, mode: options.mode, userId: options.userId });
      return new EditorClient(f.wopiSrc, fileId, token, headers(token));
    }

    describe('Collabora Online', () => {
      const app = 'Collabora';

      it('should open a document for viewing: CheckFileInfo, GetFile, no lock', async () => {
        const fileId = await f.createFile('view.odt', DOCX);
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
        expect((await f.readStored('view.odt'))?.equals(DOCX)).toBe(true);
      });

      it('should edit: lock, load, autosave, refresh by re-locking, exit save, unlock', async () => {
        const fileId = await f.createFile('edit.odt', DOCX);
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
        expect(cfi(await joiner.checkFileInfo())['LastModifiedTime']).toBe(
          info['LastModifiedTime'],
        );

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
        expect((await f.readStored('edit.odt'))?.equals(DOCX_V2)).toBe(true);
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
        expect((await f.readStored('edit.odt'))?.equals(final)).toBe(true);
        expectOkWithoutLock(await editor.unlock(lockId));
        expect((await editor.getLock()).header('x-wopi-lock')).toBe('');
      });

      it('should save as a new file from a UTF-7 suggested name, reachable through the returned Url', async () => {
        const fileId = await f.createFile('letter.odt', DOCX);
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
        expect((await f.readStored('hello world%1.pdf'))?.equals(pdf)).toBe(true);
        expect((await f.readStored('letter.odt'))?.equals(DOCX)).toBe(true);
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
        expect((await f.readStored(second))?.toString()).toBe('two');
        expect((await f.readStored('hello world%1.pdf'))?.equals(pdf)).toBe(true);
      });

      it('should rename to a UTF-7 name, keep the extension, the file id and the lock, ignore the body', async () => {
        const fileId = await f.createFile('draft.odt', DOCX);
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
        expect(await f.readStored('draft.odt')).toBeUndefined();
        expect((await f.readStored(`${unicode}.odt`))?.equals(DOCX)).toBe(true);
        expect(cfi(await editor.checkFileInfo())['BaseFileName']).toBe(`${unicode}.odt`);
        expect((await editor.getLock()).header('x-wopi-lock')).toBe(lockId);
        expectOkWithoutLock(await editor.unlock(lockId));
      });

      it('should refuse a save over a file changed in storage with COOLStatusCode 1010, then overwrite on request', async () => {
        const fileId = await f.createFile('shared.odt', DOCX);
        const editor = await session(fileId, app, collaboraHeaders);
        const info = cfi(await editor.checkFileInfo());
        const lockId = 'cool-lock77777777';
        expectOkWithoutLock(await editor.lock(lockId));
        await new Promise((resolve) => setTimeout(resolve, 20));
        const external = Buffer.from('changed by the desktop client');
        await f.modifyStored('shared.odt', external);
        const stale = await editor.putFile(DOCX_V2, {
          'X-WOPI-Lock': lockId,
          'X-COOL-WOPI-IsModifiedByUser': 'true',
          'X-COOL-WOPI-IsAutosave': 'false',
          'X-COOL-WOPI-IsExitSave': 'false',
          'X-COOL-WOPI-Timestamp': String(info['LastModifiedTime']),
        });
        expect(stale.status).toBe(409);
        expect(stale.json()['COOLStatusCode']).toBe(1010);
        expect((await f.readStored('shared.odt'))?.equals(external)).toBe(true);
        expect(cfi(await editor.checkFileInfo())['LastModifiedTime']).not.toBe(
          info['LastModifiedTime'],
        );
        // The user chose "overwrite": the same save without the timestamp.
        const forced = await editor.putFile(DOCX_V2, {
          'X-WOPI-Lock': lockId,
          'X-COOL-WOPI-IsModifiedByUser': 'true',
        });
        expect(forced.status).toBe(200);
        expect((await f.readStored('shared.odt'))?.equals(DOCX_V2)).toBe(true);
      });
    });

    describe('ONLYOFFICE', () => {
      const app = 'OnlyOffice';

      it('should open a document for viewing: CheckFileInfo, GetFile with X-WOPI-MaxExpectedSize, no lock', async () => {
        const fileId = await f.createFile('view.docx', DOCX);
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
        const fileId = await f.createFile('new.docx', '');
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
        expect((await f.readStored('new.docx'))?.equals(blank)).toBe(true);

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
        expect((await f.readStored('new.docx'))?.equals(edited)).toBe(true);
        expectOkWithoutLock(await editor.unlock(lockId));
        expect((await editor.getLock()).header('x-wopi-lock')).toBe('');
      });

      it('should save as from an extension-only suggestion', async () => {
        const fileId = await f.createFile('budget.xlsx', DOCX);
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
        expect((await f.readStored('budget.pdf'))?.equals(pdf)).toBe(true);
        const created = EditorClient.fromUrl(answer.Url);
        expect(cfi(await created.checkFileInfo())['BaseFileName']).toBe('budget.pdf');
      });

      it('should rename a locked document with its lock id', async () => {
        const fileId = await f.createFile('notes.docx', DOCX);
        const editor = await session(fileId, app, () => onlyOfficeHeaders());
        expectOkWithoutLock(await editor.lock(fileId));
        const response = await editor.post('RENAME_FILE', {
          'X-WOPI-Lock': fileId,
          'X-WOPI-RequestedName': 'Meeting notes',
        });
        expect(response.status).toBe(200);
        expect(response.json()).toEqual({ Name: 'Meeting notes' });
        expect((await f.readStored('Meeting notes.docx'))?.equals(DOCX)).toBe(true);
        expect(await f.readStored('notes.docx')).toBeUndefined();
        expect(cfi(await editor.checkFileInfo())['BaseFileName']).toBe('Meeting notes.docx');
      });

      it('should refuse a save with a stale X-LOOL-WOPI-Timestamp with COOLStatusCode 1010', async () => {
        const fileId = await f.createFile('report.docx', DOCX);
        const editor = await session(fileId, app, () => onlyOfficeHeaders());
        const info = cfi(await editor.checkFileInfo());
        expectOkWithoutLock(await editor.lock(fileId));
        await new Promise((resolve) => setTimeout(resolve, 20));
        const external = Buffer.from('someone else saved this');
        await f.modifyStored('report.docx', external);
        const stale = await editor.putFile(DOCX_V2, {
          'X-WOPI-Lock': fileId,
          'X-LOOL-WOPI-IsModifiedByUser': 'true',
          'X-LOOL-WOPI-IsAutosave': 'false',
          'X-LOOL-WOPI-IsExitSave': 'true',
          'X-LOOL-WOPI-Timestamp': String(info['LastModifiedTime']),
        });
        expect(stale.status).toBe(409);
        expect(stale.json()['COOLStatusCode']).toBe(1010);
        expect((await f.readStored('report.docx'))?.equals(external)).toBe(true);
        const reopened = cfi(await editor.checkFileInfo());
        expect(reopened['Version']).not.toBe(info['Version']);
      });
    });

    describe('Microsoft 365 for the web', () => {
      const app = 'Office365';

      it('should open a document for viewing with the version in every answer', async () => {
        const fileId = await f.createFile('view.pptx', DOCX);
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
        const fileId = await f.createFile('edit.docx', DOCX);
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
        expect((await f.readStored('edit.docx'))?.equals(DOCX_V2)).toBe(true);
        expectLockConflict(await editor.unlock(newLock), '');
      });

      it('should save as with exact names: new, conflict, overwrite, and a suggested extension', async () => {
        const fileId = await f.createFile('report.docx', DOCX);
        const editor = await session(fileId, app, microsoftHeaders);
        const first = await editor.post(
          'PUT_RELATIVE',
          { 'X-WOPI-RelativeTarget': 'report+AF8-copy.docx', 'X-WOPI-Size': '5' },
          'first',
        );
        expect(first.status).toBe(200);
        const answer = first.json() as { Name: string; Url: string };
        expect(answer.Name).toBe('report_copy.docx');
        expect((await f.readStored('report_copy.docx'))?.toString()).toBe('first');

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
        expect((await f.readStored('report_copy.docx'))?.toString()).toBe('first');

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
        expect((await f.readStored('report_copy.docx'))?.toString()).toBe('third');

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
        expect(await f.readStored('report_copy.docx')).toBeUndefined();
        expect((await copy.checkFileInfo()).status).toBe(404);
      });

      it('should rename without a lock, keep the file id, and refuse a wrong lock', async () => {
        const fileId = await f.createFile('old.xlsx', DOCX);
        const editor = await session(fileId, app, microsoftHeaders);
        const renamed = await editor.post('RENAME_FILE', {
          'X-WOPI-RequestedName': 'renamed+AF8-sheet',
          'X-WOPI-Lock': '',
        });
        expect(renamed.status).toBe(200);
        expect(renamed.json()).toEqual({ Name: 'renamed_sheet' });
        expect((await f.readStored('renamed_sheet.xlsx'))?.equals(DOCX)).toBe(true);
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
        expect(await f.readStored('other.xlsx')).toBeUndefined();
      });

      it('should protect a file open for editing with its lock and show changes made in storage by a new version', async () => {
        const fileId = await f.createFile('locked.docx', DOCX);
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
        expect((await f.readStored('locked.docx'))?.equals(DOCX)).toBe(true);

        await new Promise((resolve) => setTimeout(resolve, 20));
        const external = Buffer.from('changed outside the editor');
        await f.modifyStored('locked.docx', external);
        const changed = cfi(await editor.checkFileInfo());
        expect(changed['Version']).not.toBe(info['Version']);
        expect(changed['Size']).toBe(external.length);
        const file = await editor.getFile();
        expect(file.body.equals(external)).toBe(true);
        expect(file.header('x-wopi-itemversion')).toBe(changed['Version']);
        expectOkWithoutLock(await editor.unlock(lock));
      });
    });
  });
}
