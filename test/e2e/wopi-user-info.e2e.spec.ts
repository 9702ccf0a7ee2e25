import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { tempDir } from '../support/temp';
import { EditorClient } from '../support/wopi/editor-client';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';

describe('WOPI PutUserInfo storage', () => {
  let nats: NatsServerHandle;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    await nats.dispose();
  });

  it('should keep user info in the local root across a restart', async () => {
    const root = await tempDir();
    try {
      const env = { COLLABORATION_LOCAL_ROOT: root.dir };
      const first = await localWopiFixture(env);
      const fileId = await first.createFile('a.docx', 'x');
      const token = await first.mintToken(fileId);
      const editor = new EditorClient(first.wopiSrc, fileId, token);
      expect((await editor.post('PUT_USER_INFO', {}, 'before restart')).status).toBe(200);
      await first.dispose();
      const second = await localWopiFixture(env);
      try {
        const again = new EditorClient(second.wopiSrc, fileId, await second.mintToken(fileId));
        expect((await again.checkFileInfo()).json()['UserInfo']).toBe('before restart');
      } finally {
        await second.dispose();
      }
    } finally {
      await root.remove();
    }
  });

  it('should share user info between two replicas through NATS KV', async () => {
    const root = await tempDir();
    const env = {
      COLLABORATION_LOCAL_ROOT: root.dir,
      COLLABORATION_WOPI_SECRET: 'a-shared-secret-for-both-replicas',
      COLLABORATION_NATS_URL: nats.url,
    };
    const [a, b] = await Promise.all([localWopiFixture(env), localWopiFixture(env)]);
    try {
      const fileId = await a.createFile('shared.docx', 'x');
      const token = await a.mintToken(fileId, { userId: 'carol' });
      const viaA = new EditorClient(a.wopiSrc, fileId, token);
      const viaB = new EditorClient(b.wopiSrc, fileId, token);
      expect((await viaA.post('PUT_USER_INFO', {}, '{"seen":["tour"]}')).status).toBe(200);
      expect((await viaB.checkFileInfo()).json()['UserInfo']).toBe('{"seen":["tour"]}');
      const other = new EditorClient(
        b.wopiSrc,
        fileId,
        await b.mintToken(fileId, { userId: 'dave' }),
      );
      expect((await other.checkFileInfo()).json()).not.toHaveProperty('UserInfo');
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
      await root.remove();
    }
  });
});
