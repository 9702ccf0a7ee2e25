import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../shared';
import { EditorClient } from './editor-client';
import type { ServerWopiFixture, ServerWopiFixtureFactory } from './wopi-fixture';

/**
 * The host rules of Microsoft's WOPI validator (../shared/reference/wopi-validator.md §10, §11), as
 * its test cases send them: no Content-Type, "True"/"False", empty X-WOPI-Lock on RenameFile,
 * UTF-7 names. Tokens name no app: the default flavour is what the validator runs against, with
 * OCIS_URL set so PutRelativeFile answers HostViewUrl and HostEditUrl. Runs against any server the
 * factory provides (local adapter, CS3...).
 */
export function describeWopiValidatorRules(
  adapter: string,
  makeFixture: ServerWopiFixtureFactory,
): void {
  describe(`WOPI validator rules: ${adapter}`, () => {
    let f: ServerWopiFixture;
    let editor: EditorClient;
    let n = 0;

    beforeAll(async () => {
      f = await makeFixture({ OCIS_URL: 'https://cloud.example.com' });
    });

    afterAll(async () => {
      await f.dispose();
    });

    beforeEach(async () => {
      n++;
      const fileId = await f.createFile(`test-${String(n)}.wopitest`, 'validator test file');
      editor = new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId));
    });

    const schemaFile = sharedPath('wopi-validator', 'JsonSchemas', 'CsppCheckFileInfoSchema.json');

    it.skipIf(schemaFile === undefined)(
      'should answer CheckFileInfo that passes the CSPP schema, with no WOPI+ keys (needs ../shared)',
      async () => {
        const schema = JSON.parse(
          readFileSync(schemaFile ?? '', 'utf8').replace(/^\uFEFF/, ''),
        ) as object;
        const ajv = new Ajv({ strict: false });
        addFormats(ajv);
        const validate = ajv.compile(schema);
        const info = (await editor.checkFileInfo()).json();
        expect(validate(info), JSON.stringify(validate.errors)).toBe(true);
        expect(info).toMatchObject({
          SupportsUpdate: true,
          SupportsLocks: true,
          SupportsGetLock: true,
          SupportsExtendedLockLength: true,
          SupportsRename: true,
          SupportsDeleteFile: true,
          SupportsUserInfo: true,
          UserCanWrite: true,
          UserCanRename: true,
          UserCanNotWriteRelative: false,
        });
        expect(String(info['BaseFileName'])).toMatch(/\.wopitest$/);
        for (const key of ['HostViewUrl', 'HostEditUrl', 'FileSharingUrl', 'BreadcrumbFolderUrl']) {
          expect(new URL(String(info[key])).protocol, key).toBe('https:');
        }
      },
    );

    it('should run the lock sequences: double lock, relock, mismatches, unlocked unlock', async () => {
      expect((await editor.lock('L1')).status).toBe(200);
      expect((await editor.lock('L1')).status).toBe(200);
      for (const response of [
        await editor.lock('L2'),
        await editor.unlock('L2'),
        await editor.refreshLock('L2'),
        await editor.unlockAndRelock('L2', 'L3'),
        await editor.putFile('x', { 'X-WOPI-Lock': 'L2' }),
      ]) {
        expect(response.status).toBe(409);
        expect(response.header('x-wopi-lock')).toBe('L1');
      }
      expect((await editor.unlockAndRelock('L1', 'L4')).status).toBe(200);
      const stale = await editor.unlock('L1');
      expect(stale.status).toBe(409);
      expect(stale.header('x-wopi-lock')).toBe('L4');
      expect((await editor.getLock()).header('x-wopi-lock')).toBe('L4');
      expect((await editor.unlock('L4')).status).toBe(200);
      const unlocked = await editor.unlock('L4');
      expect(unlocked.status).toBe(409);
      expect(unlocked.header('x-wopi-lock')).toBe('');
      const none = await editor.getLock();
      expect(none.status).toBe(200);
      expect(none.header('x-wopi-lock')).toBe('');
    });

    it('should keep 1024-character and JSON lock ids verbatim', async () => {
      const long = `{"S":"${'x'.repeat(1000)}","E":2}`.padEnd(1024, 'y');
      expect((await editor.lock(long)).status).toBe(200);
      expect((await editor.getLock()).header('x-wopi-lock')).toBe(long);
      expect((await editor.unlock(long)).status).toBe(200);
    });

    it('should put into an unlocked file only while it is empty', async () => {
      expect((await editor.lock('L')).status).toBe(200);
      expect((await editor.putFile(Buffer.alloc(0), { 'X-WOPI-Lock': 'L' })).status).toBe(200);
      expect((await editor.unlock('L')).status).toBe(200);
      expect((await editor.putFile('WordBlankDocument')).status).toBe(200);
      expect((await editor.getFile()).text()).toBe('WordBlankDocument');
      const refused = await editor.putFile('again');
      expect(refused.status).toBe(409);
      expect(refused.header('x-wopi-lock')).toBe('');
      expect((await editor.getFile()).text()).toBe('WordBlankDocument');
    });

    it('should keep one version through locks and reads and make a new one on every PutFile', async () => {
      const version = (await editor.checkFileInfo()).json()['Version'];
      expect((await editor.getFile()).header('x-wopi-itemversion')).toBe(version);
      expect((await editor.lock('L')).header('x-wopi-itemversion')).toBe(version);
      const first = await editor.putFile('same bytes', { 'X-WOPI-Lock': 'L' });
      const second = await editor.putFile('same bytes', { 'X-WOPI-Lock': 'L' });
      expect(first.header('x-wopi-itemversion')).not.toBe(version);
      expect(second.header('x-wopi-itemversion')).not.toBe(first.header('x-wopi-itemversion'));
      const unlocked = await editor.unlock('L');
      expect(unlocked.header('x-wopi-itemversion')).toBe(second.header('x-wopi-itemversion'));
      const info = (await editor.checkFileInfo()).json();
      expect(info['Version']).toBe(second.header('x-wopi-itemversion'));
      expect(info['LastModifiedTime']).toBe(
        (second.json() as { LastModifiedTime: string }).LastModifiedTime,
      );
    });

    it('should store user info and return it in CheckFileInfo', async () => {
      expect((await editor.post('PUT_USER_INFO', {}, 'PutUserInfoTest')).status).toBe(200);
      expect((await editor.checkFileInfo()).json()['UserInfo']).toBe('PutUserInfoTest');
    });

    it('should put relative files as the validator does, with absolute host URLs', async () => {
      const suggested = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-SuggestedTarget': 'new+AF8-file.wopitest', 'X-WOPI-Size': '3' },
        'new',
      );
      expect(suggested.status).toBe(200);
      const answer = suggested.json();
      expect(answer['Name']).toBe('new_file.wopitest');
      for (const key of ['Url', 'HostViewUrl', 'HostEditUrl']) {
        expect(new URL(String(answer[key])).href, key).toBe(String(answer[key]));
      }
      expect(new URL(String(answer['Url'])).searchParams.get('access_token')).toBeTruthy();

      const exact = { 'X-WOPI-RelativeTarget': 'madeup+AF8-name.wopitestx', 'X-WOPI-Size': '1' };
      const created = await editor.post('PUT_RELATIVE', exact, 'a');
      expect(created.json()['Name']).toBe('madeup_name.wopitestx');
      expect((await editor.post('PUT_RELATIVE', exact, 'b')).status).toBe(409);
      const noOverwrite = { ...exact, 'X-WOPI-OverwriteRelativeTarget': 'False' };
      expect((await editor.post('PUT_RELATIVE', noOverwrite, 'c')).status).toBe(409);
      const target = EditorClient.fromUrl(String(created.json()['Url']));
      expect((await target.lock('TargetLock')).status).toBe(200);
      const locked = await editor.post(
        'PUT_RELATIVE',
        { ...exact, 'X-WOPI-OverwriteRelativeTarget': 'True' },
        'd',
      );
      expect(locked.status).toBe(409);
      expect(locked.header('x-wopi-lock')).toBe('TargetLock');
      expect((await target.unlock('TargetLock')).status).toBe(200);
      const overwritten = await editor.post(
        'PUT_RELATIVE',
        { ...exact, 'X-WOPI-OverwriteRelativeTarget': 'True' },
        'e',
      );
      expect(overwritten.status).toBe(200);
      expect((await f.readStored('madeup_name.wopitestx'))?.toString()).toBe('e');
      for (const url of [answer['Url'], created.json()['Url']]) {
        expect((await EditorClient.fromUrl(String(url)).post('DELETE')).status).toBe(200);
      }
    });

    it('should rename a put-relative file and refuse to rename it once deleted', async () => {
      const created = await editor.post(
        'PUT_RELATIVE',
        { 'X-WOPI-RelativeTarget': 'ValidatorTestFile.wopitest', 'X-WOPI-Size': '1' },
        'v',
      );
      const file = EditorClient.fromUrl(String(created.json()['Url']));
      expect((await file.checkFileInfo()).json()).toMatchObject({
        SupportsRename: true,
        UserCanRename: true,
      });
      const renamed = await file.post('RENAME_FILE', {
        'X-WOPI-RequestedName': 'ValidatorTestFileRenamed',
        'X-WOPI-Lock': '',
        'X-WOPI-CoauthLockId': '',
      });
      expect(renamed.json()).toEqual({ Name: 'ValidatorTestFileRenamed' });
      expect((await file.checkFileInfo()).json()['BaseFileName']).toBe(
        'ValidatorTestFileRenamed.wopitest',
      );
      expect((await file.post('DELETE')).status).toBe(200);
      const gone = await file.post('RENAME_FILE', {
        'X-WOPI-RequestedName': 'x',
        'X-WOPI-Lock': '',
      });
      expect(gone.status).toBe(404);
    });

    it('should answer 401 to an INVALID token on CheckFileInfo, GetFile, PutFile, Lock and Unlock', async () => {
      const invalid = new EditorClient(f.wopiSrc, editor.fileId, 'INVALID');
      const statuses = [
        (await invalid.checkFileInfo()).status,
        (await invalid.getFile()).status,
        (await invalid.putFile('x')).status,
        (await invalid.lock('L')).status,
        (await invalid.unlock('L')).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
    });
  });
}
