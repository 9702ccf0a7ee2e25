import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import { formatResourceId } from '../../src/tokens/resource-id';
import { startCs3Double, type Cs3Double } from '../support/cs3-double';
import { cs3WopiFixture, type Cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { EditorClient } from '../support/wopi/editor-client';

const OCIS_URL = 'https://cloud.example.com';

/** The query of oCIS's host URLs, encoded as Go's url.Values does ("$" and "!" escaped). */
function query(fileId: string, viewMode: string): string {
  return new URLSearchParams({ fileId, view_mode: viewMode }).toString();
}

/** What only the CS3 storage has: reva tokens, space aliases, permissions the gateway decides. */
describe('WOPI on the CS3 storage', () => {
  let f: Cs3WopiFixture;

  beforeEach(async () => {
    f = await cs3WopiFixture({ OCIS_URL });
  });

  afterEach(async () => {
    await f.dispose();
  });

  it("should point oCIS web at the file through its space alias, as oCIS's CheckFileInfo and PutRelativeFile do", async () => {
    const fileId = await f.createFile('plan.docx', 'x');
    const editor = new EditorClient(
      f.wopiSrc,
      fileId,
      await f.mintToken(fileId, { app: 'Office365' }),
    );
    const alias = `personal/${f.double.owner.username ?? ''}`;
    const id = formatResourceId(f.double.resourceIdOf('/Documents/plan.docx'));
    const info = (await editor.checkFileInfo()).json();
    expect(info['HostEditUrl']).toBe(
      `${OCIS_URL}/external-office365/${alias}/Documents/plan.docx?${query(id, 'write')}`,
    );
    expect(info['HostViewUrl']).toBe(
      `${OCIS_URL}/external-office365/${alias}/Documents/plan.docx?${query(id, 'view')}`,
    );
    const relative = await editor.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': '.pdf' }, 'pdf');
    expect(relative.status).toBe(200);
    const copyId = formatResourceId(f.double.resourceIdOf('/Documents/plan.pdf'));
    expect(relative.json()['HostEditUrl']).toBe(
      `${OCIS_URL}/external-office365/${alias}/Documents/plan.pdf?${query(copyId, 'write')}`,
    );
  });

  it('should act with the reva token sealed in the access token, and read with the view-only token in view mode', async () => {
    const fileId = await f.createFile('sealed.docx', 'x');
    const writer = new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId));
    const tokens = f.server.app.get(AccessTokenService);
    const { revaToken } = await tokens.verify(writer.token);
    f.double.clearCalls();
    expect((await writer.lock('L1')).status).toBe(200);
    expect((await writer.putFile('y', { 'X-WOPI-Lock': 'L1' })).status).toBe(200);
    expect(f.double.calls.length).toBeGreaterThan(0);
    expect(f.double.calls.every((call) => call.token === revaToken)).toBe(true);
    expect(writer.token).not.toContain(revaToken);

    const viewer = new EditorClient(
      f.wopiSrc,
      fileId,
      await f.mintToken(fileId, { mode: 'view', userId: 'bob' }),
    );
    const view = await tokens.verify(viewer.token);
    f.double.clearCalls();
    expect((await viewer.checkFileInfo()).status).toBe(200);
    expect((await viewer.getFile()).text()).toBe('y');
    expect(f.double.calls.length).toBeGreaterThan(0);
    expect(f.double.calls.every((call) => call.token === view.viewOnlyToken)).toBe(true);
  });

  it('should answer 401 when the gateway refuses the reva token, and change nothing', async () => {
    const fileId = await f.createFile('foreign.docx', 'original');
    const other: Cs3Double = await startCs3Double();
    try {
      const tokens = f.server.app.get(AccessTokenService);
      const good = await tokens.verify(await f.mintToken(fileId));
      const { fileId: _id, expiresAt, ...context } = good;
      // A reva token from another oCIS (another JWT secret): valid-looking, refused by this gateway.
      const minted = await tokens.mint({ ...context, revaToken: other.mintToken() }, expiresAt);
      const editor = new EditorClient(f.wopiSrc, fileId, minted.token);
      const statuses = [
        (await editor.checkFileInfo()).status,
        (await editor.getFile()).status,
        (await editor.lock('L')).status,
        (await editor.putFile('overwritten', { 'X-WOPI-Lock': 'L' })).status,
        (await editor.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'renamed' })).status,
        (await editor.post('DELETE')).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
      expect((await f.readStored('foreign.docx'))?.toString()).toBe('original');
      expect(await f.storedNames()).toEqual(['foreign.docx']);
      expect(f.double.lockOf('/Documents/foreign.docx')).toBeUndefined();
    } finally {
      await other.dispose();
    }
  });

  it("should follow the gateway's permissions: a space viewer cannot write, a stranger finds nothing", async () => {
    const fileId = await f.createFile('shared.docx', 'original');
    f.double.setRole('vera', 'viewer');
    f.double.setRole('nora', 'none');
    // A write token (as a stale OpenInApp might give) does not beat the storage's permissions.
    const vera = new EditorClient(
      f.wopiSrc,
      fileId,
      await f.mintToken(fileId, { userId: 'vera', app: 'Collabora' }),
    );
    expect((await vera.checkFileInfo()).json()).toMatchObject({
      UserCanWrite: false,
      UserCanRename: false,
    });
    expect((await vera.getFile()).text()).toBe('original');
    const refused = [
      await vera.lock('L'),
      await vera.post('RENAME_FILE', { 'X-WOPI-RequestedName': 'renamed' }),
      await vera.post('DELETE'),
      await vera.post('PUT_RELATIVE', { 'X-WOPI-SuggestedTarget': '.pdf' }, 'copy'),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    const nora = new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId, { userId: 'nora' }));
    const hidden = [
      await nora.checkFileInfo(),
      await nora.getFile(),
      await nora.lock('L'),
      await nora.getLock(),
    ];
    expect(hidden.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect((await f.readStored('shared.docx'))?.toString()).toBe('original');
    expect(await f.storedNames()).toEqual(['shared.docx']);
  });
});
