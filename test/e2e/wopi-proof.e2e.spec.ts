import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import { startTestServer, type TestServer } from '../support/test-server';
import { EditorSimulator, type SimulatedProduct } from '../support/wopi-client';

const PRODUCT_SETTING: Record<SimulatedProduct, string> = {
  Collabora: 'Collabora',
  OnlyOffice: 'OnlyOffice',
  Microsoft: 'Microsoft365',
};

/**
 * A signed editor session against the real WOPI routes. The routes come with the WOPI host (issue 3);
 * until they are merged and wired with WopiProofGuard this suite skips itself.
 */
describe('proof keys on the WOPI routes', () => {
  let server: TestServer | undefined;
  let editor: EditorSimulator | undefined;

  afterEach(async () => {
    await server?.dispose();
    await editor?.close();
    server = undefined;
    editor = undefined;
  });

  async function session(product: SimulatedProduct) {
    editor = await EditorSimulator.start({ product });
    server = await startTestServer({
      COLLABORATION_APP_NAME: product,
      COLLABORATION_APP_PRODUCT: PRODUCT_SETTING[product],
      COLLABORATION_APP_ADDR: editor.url,
    });
    const probe = await fetch(`${server.httpUrl}/wopi/files/0000?access_token=x`);
    if (probe.status === 404 && (await probe.text()).includes('Cannot GET')) {
      return undefined;
    }
    await writeFile(join(server.root, 'letter.docx'), 'original');
    const storage = server.app.get(StorageGateway);
    if (!(storage instanceof LocalStorageGateway)) {
      throw new Error('the test server runs on the local storage');
    }
    const info = await storage.statPath('/letter.docx');
    const minted = await server.app.get(AccessTokenService).mint(
      {
        resourceId: info.resourceId,
        user: {
          id: { idp: 'local', opaqueId: 'alice', type: 'primary' },
          username: 'alice',
          displayName: 'Alice',
          isGuest: false,
        },
        mode: 'write',
        app: product,
        sessionId: AccessTokenService.newSessionId(),
      },
      Date.now() + 3_600_000,
    );
    return {
      client: editor.client(),
      call: {
        wopiSrc: `${server.config.wopi.src}/wopi/files/${minted.fileId}`,
        token: minted.token,
      },
      content: () => readFile(join(server!.root, 'letter.docx'), 'utf8'),
    };
  }

  it.for(['Collabora', 'OnlyOffice', 'Microsoft'] as const)(
    'should let a %s session through and refuse unsigned or wrongly signed requests with 500',
    async (product, { skip }) => {
      const s = await session(product);
      if (!s) {
        skip('the WOPI routes are not part of this build yet');
        return;
      }
      const stranger = await EditorSimulator.start({ product, down: true });
      const put = { path: '/contents' as const, method: 'POST' as const, body: 'changed' };
      expect((await s.client.send(s.call)).status).toBe(200);
      const lock = {
        method: 'POST' as const,
        headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'L1' },
      };
      expect((await s.client.send({ ...s.call, ...lock })).status).toBe(200);
      const putHeaders = { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': 'L1' };
      const unsigned = await s.client.send({
        ...s.call,
        ...put,
        headers: putHeaders,
        signWith: false,
      });
      expect(unsigned.status).toBe(500);
      const wrong = await s.client.send({
        ...s.call,
        ...put,
        headers: putHeaders,
        signWith: stranger.keys.published(),
      });
      expect(wrong.status).toBe(500);
      const stale = await s.client.send({
        ...s.call,
        ...put,
        headers: putHeaders,
        at: Date.now() - 3_600_000,
      });
      expect(stale.status).toBe(500);
      expect(await s.content()).toBe('original');
      expect((await s.client.send({ ...s.call, ...put, headers: putHeaders })).status).toBe(200);
      expect(await s.content()).toBe('changed');
    },
  );
});
