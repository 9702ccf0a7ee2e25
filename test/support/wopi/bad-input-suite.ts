import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EditorClient } from './editor-client';
import type { WopiFixture, WopiFixtureFactory } from './wopi-fixture';
import { fileUrl, wopi, type WopiResponse } from './wopi-http';

const ORIGINAL = Buffer.from('the original bytes, never to be changed by bad requests');

/**
 * Requests no editor should send: bad tokens, lock ids, names, headers, methods; every one is
 * refused with the right status and leaves the stored bytes, names and locks as they were. Runs
 * against any server the factory provides (local adapter, CS3...).
 */
export function describeWopiBadInput(adapter: string, makeFixture: WopiFixtureFactory): void {
  describe(`WOPI bad input: ${adapter}`, () => {
    let f: WopiFixture;
    let fileId: string;
    let token: string;
    let editor: EditorClient;
    let counter = 0;
    /** Every name the folder should hold: the files these tests made, nothing else. */
    const expected = new Set<string>();

    async function create(name: string, content: Buffer | string): Promise<string> {
      expected.add(name);
      return f.createFile(name, content);
    }

    beforeAll(async () => {
      f = await makeFixture();
    });

    afterAll(async () => {
      await f.dispose();
    });

    beforeEach(async () => {
      counter++;
      fileId = await create(`doc-${String(counter)}.docx`, ORIGINAL);
      token = await f.mintToken(fileId);
      editor = new EditorClient(f.wopiSrc, fileId, token);
    });

    async function expectUnchanged(): Promise<void> {
      expect((await f.readStored(`doc-${String(counter)}.docx`))?.equals(ORIGINAL)).toBe(true);
      expect(await f.storedNames()).toEqual([...expected].sort());
      const lock = await editor.getLock();
      expect(lock.header('x-wopi-lock')).toBe('');
    }

    function tampered(good: string): string {
      const [header, payload, signature] = good.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      claims['m'] = 'write';
      claims['u'] = { i: 'mallory', p: 'https://idp.example', n: 'mallory', d: 'Mallory' };
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    }

    async function everyOperation(with401: EditorClient): Promise<WopiResponse[]> {
      return [
        await with401.checkFileInfo(),
        await with401.getFile(),
        await with401.putFile('overwritten', { 'X-WOPI-Lock': 'L' }),
        await with401.lock('L'),
        await with401.unlock('L'),
        await with401.refreshLock('L'),
        await with401.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'renamed' }),
        await with401.post('DELETE'),
        await with401.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': 'copy.docx' }, 'copy'),
      ];
    }

    describe('tokens', () => {
      it('should answer 401 to a tampered token on every operation and change nothing', async () => {
        const responses = await everyOperation(
          new EditorClient(f.wopiSrc, fileId, tampered(token)),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(401));
        await expectUnchanged();
      });

      it('should answer 401 to an expired token and change nothing', async () => {
        const expired = await f.mintToken(fileId, { expiresAt: Date.now() - 60_000 });
        const responses = await everyOperation(new EditorClient(f.wopiSrc, fileId, expired));
        expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(401));
        await expectUnchanged();
      });

      it('should answer 401 to a token for another file and change nothing', async () => {
        const otherId = await create('other.docx', 'other');
        const other = await f.mintToken(otherId);
        const responses = await everyOperation(new EditorClient(f.wopiSrc, fileId, other));
        expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(401));
        expect((await f.readStored('other.docx'))?.toString()).toBe('other');
        await expectUnchanged();
      });

      it('should answer 401 without an access_token, with garbage, and to the Authorization header alone', async () => {
        const url = `${f.wopiSrc}/wopi/files/${fileId}`;
        expect((await wopi({ url })).status).toBe(401);
        expect((await wopi({ url: `${url}?access_token=` })).status).toBe(401);
        expect((await wopi({ url: `${url}?access_token=not.a.jwt` })).status).toBe(401);
        expect((await wopi({ url: `${url}?access_token=%E0%A4%A` })).status).toBe(401);
        expect((await wopi({ url, headers: { Authorization: `Bearer ${token}` } })).status).toBe(
          401,
        );
        await expectUnchanged();
      });

      it('should answer 401 to view-only and read-only tokens on every write and change nothing', async () => {
        for (const mode of ['view', 'read'] as const) {
          const viewer = new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId, { mode }));
          const responses = [
            await viewer.putFile('overwritten'),
            await viewer.lock('L'),
            await viewer.unlock('L'),
            await viewer.refreshLock('L'),
            await viewer.unlockAndRelock('L', 'M'),
            await viewer.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'renamed' }),
            await viewer.post('DELETE'),
            await viewer.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': 'copy.docx' }, 'copy'),
          ];
          expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(401));
          expect((await viewer.checkFileInfo()).status).toBe(200);
          expect((await viewer.getFile()).body.equals(ORIGINAL)).toBe(true);
        }
        await expectUnchanged();
      });
    });

    describe('lock ids', () => {
      it('should answer 400 to a lock id over 1024 characters on every lock operation and PutFile', async () => {
        const long = 'L'.repeat(1025);
        expect((await editor.lock(long)).status).toBe(400);
        expect((await editor.unlock(long)).status).toBe(400);
        expect((await editor.refreshLock(long)).status).toBe(400);
        expect((await editor.unlockAndRelock('L', long)).status).toBe(400);
        expect((await editor.unlockAndRelock(long, 'L')).status).toBe(400);
        expect((await editor.putFile('x', { 'X-WOPI-Lock': long })).status).toBe(400);
        await expectUnchanged();
      });

      it('should answer 400 to a missing or empty lock id where one is needed', async () => {
        expect((await editor.post('LOCK')).status).toBe(400);
        expect((await editor.lock('')).status).toBe(400);
        expect((await editor.post('UNLOCK')).status).toBe(400);
        expect((await editor.post('REFRESH_LOCK', { 'X-WOPI-Lock': '' })).status).toBe(400);
        expect((await editor.unlockAndRelock('', 'L')).status).toBe(400);
        await expectUnchanged();
      });
    });

    describe('file names', () => {
      const invalidUtf7 = [
        '+',
        '+!bad',
        'a+AGF-.docx',
        '+2D3-.docx',
        'caf\u00e9.docx',
        'tab\there',
      ];

      it('should answer 400 to invalid UTF-7 in every name header', async () => {
        for (const name of invalidUtf7) {
          const relative = await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-RelativeTarget': name },
            'x',
          );
          expect(relative.status, name).toBe(400);
          const suggested = await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-SuggestedTarget': name },
            'x',
          );
          expect(suggested.status, name).toBe(400);
          const rename = await editor.post('RENAME_FILE', { 'X-WOPI-RequestedName': name });
          expect(rename.status, name).toBe(400);
          expect(rename.header('x-wopi-invalidfilenameerror')).toBeTruthy();
        }
        await expectUnchanged();
      });

      it('should answer 400 to path-like exact names and requested names', async () => {
        for (const name of ['../x.docx', 'a/b.docx', 'a\\b.docx', '..', 'x..y.docx']) {
          const relative = await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-RelativeTarget': name },
            'x',
          );
          expect(relative.status, name).toBe(400);
        }
        for (const name of ['../x', 'a/b', 'a\\b', '..', '']) {
          const rename = await editor.post('RENAME_FILE', { 'X-WOPI-RequestedName': name });
          expect(rename.status, name).toBe(400);
        }
        await expectUnchanged();
      });

      it('should strip path parts from a suggested name and keep the new file in the same folder', async () => {
        const response = await editor.post(
          'PUT_RELATIVE',
          { 'X-WOPI-SuggestedTarget': '../../escape/evil.docx' },
          'copy',
        );
        expect(response.status).toBe(200);
        expect(response.json()['Name']).toBe('evil.docx');
        expect((await f.readStored('evil.docx'))?.toString()).toBe('copy');
        const created = EditorClient.fromUrl(response.json()['Url'] as string);
        expect((await created.post('DELETE')).status).toBe(200);
        await expectUnchanged();
      });

      it('should answer 400 to names longer than 250 characters', async () => {
        const long = `${'n'.repeat(530)}.docx`;
        expect(
          (await editor.post('PUT_RELATIVE', { 'X-WOPI-RelativeTarget': long }, 'x')).status,
        ).toBe(400);
        expect(
          (await editor.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'n'.repeat(251) })).status,
        ).toBe(400);
        await expectUnchanged();
      });
    });

    describe('missing headers, unknown operations, wrong methods', () => {
      it('should answer 400 when a required header is missing', async () => {
        const responses = [
          await wopi({ method: 'POST', url: editor.url, body: Buffer.alloc(0) }),
          await wopi({ method: 'POST', url: fileUrl(f.wopiSrc, fileId, token, true), body: 'x' }),
          await editor.post('PUT_RELATIVE', {}, 'x'),
          await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-SuggestedTarget': 'a.docx', 'X-WOPI-RelativeTarget': 'b.docx' },
            'x',
          ),
          await editor.post('RENAME_FILE'),
          await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-SuggestedTarget': 'a.docx', 'X-WOPI-Size': 'ten' },
            'x',
          ),
          await editor.post(
            'PUT_RELATIVE',
            { 'X-WOPI-SuggestedTarget': 'a.docx', 'X-WOPI-Size': '3' },
            'four',
          ),
        ];
        expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(400));
        await expectUnchanged();
      });

      it('should answer 501 to overrides it does not implement', async () => {
        for (const override of ['GET_SHARE_URL', 'ADD_ACTIVITIES', 'COBALT', 'PUT']) {
          expect((await editor.post(override)).status, override).toBe(501);
        }
        expect((await editor.putFile('x', { 'X-WOPI-Override': 'LOCK' })).status).toBe(501);
        await expectUnchanged();
      });

      it('should answer 405 with Allow to methods WOPI does not use', async () => {
        for (const method of ['PUT', 'DELETE', 'PATCH']) {
          for (const url of [editor.url, fileUrl(f.wopiSrc, fileId, token, true)]) {
            const response = await wopi({ method, url, body: 'x' });
            expect(response.status, `${method} ${url}`).toBe(405);
            expect(response.header('allow')).toBe('GET, POST');
          }
        }
        await expectUnchanged();
      });

      it('should answer 404 for a file that is gone, for every operation', async () => {
        expect((await editor.post('DELETE')).status).toBe(200);
        const responses = [
          await editor.checkFileInfo(),
          await editor.getFile(),
          await editor.putFile('x'),
          await editor.lock('L'),
          await editor.getLock(),
          await editor.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'again' }),
          await editor.post('DELETE'),
          await editor.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': 'copy.docx' }, 'x'),
        ];
        expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(404));
        expect(await f.readStored(`doc-${String(counter)}.docx`)).toBeUndefined();
        expected.delete(`doc-${String(counter)}.docx`);
        expect(await f.storedNames()).toEqual([...expected].sort());
      });
    });
  });
}
