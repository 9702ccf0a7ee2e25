import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStorageGateway } from '../../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../../src/storage/storage-gateway.port';
import type { ResourceId } from '../../../src/storage/storage.types';
import { AccessTokenService } from '../../../src/tokens/access-token.service';
import { wopiFileId } from '../../../src/tokens/resource-id';
import { tempDir } from '../temp';
import { startTestServer } from '../test-server';
import { EDITOR_APPS, type ServerWopiFixture, type TokenOptions } from './wopi-fixture';

/** The YAML `apps:` list of EDITOR_APPS. */
export function editorAppsYaml(): string {
  return `apps:\n${EDITOR_APPS.map((app) => `  - name: ${app.name}\n    product: ${app.product}\n`).join('')}`;
}

export type LocalWopiFixture = ServerWopiFixture;

/** The in-process server on the local adapter, configured with EDITOR_APPS plus `env`. */
export async function localWopiFixture(
  env: Record<string, string> = {},
): Promise<LocalWopiFixture> {
  const configDir = await tempDir('wopi-config-');
  const configFile = join(configDir.dir, 'config.yaml');
  await writeFile(configFile, editorAppsYaml());
  const server = await startTestServer({ COLLABORATION_CONFIG_FILE: configFile, ...env });
  const storage = server.app.get(StorageGateway);
  if (!(storage instanceof LocalStorageGateway)) {
    throw new Error('the local WOPI fixture needs the local storage adapter');
  }
  const tokens = server.app.get(AccessTokenService);
  const ids = new Map<string, ResourceId>();
  const remember = (resourceId: ResourceId): string => {
    const fileId = wopiFileId(resourceId);
    ids.set(fileId, resourceId);
    return fileId;
  };
  const resourceIdOf = async (fileId: string): Promise<ResourceId> => {
    const known = ids.get(fileId);
    if (known) {
      return known;
    }
    // A file made through WOPI (PutRelativeFile): find it among the root's files.
    for (const name of await readdir(server.root)) {
      if (!name.startsWith('.')) {
        const info = await storage.statPath(`/${name}`);
        if (remember(info.resourceId) === fileId) {
          return info.resourceId;
        }
      }
    }
    throw new Error(`unknown file id ${fileId}`);
  };
  return {
    server,
    wopiSrc: server.config.wopi.src.replace(/\/+$/, ''),
    storagePath: (name) => `/${name}`,
    createFile: async (name, content) => {
      await writeFile(join(server.root, name), content);
      return remember((await storage.statPath(`/${name}`)).resourceId);
    },
    mintToken: async (fileId, options: TokenOptions = {}) => {
      const userId = options.userId ?? 'alice';
      const minted = await tokens.mint(
        {
          resourceId: await resourceIdOf(fileId),
          templateId:
            options.templateFileId === undefined
              ? undefined
              : await resourceIdOf(options.templateFileId),
          user: {
            id: { idp: 'https://idp.example', opaqueId: userId, type: 'primary' },
            username: userId,
            displayName: options.displayName ?? userId.charAt(0).toUpperCase() + userId.slice(1),
            mail: options.mail ?? `${userId}@example.org`,
            isGuest: false,
          },
          mode: options.mode ?? 'write',
          app: options.app,
          sessionId: AccessTokenService.newSessionId(),
        },
        options.expiresAt ?? Date.now() + 3_600_000,
      );
      return minted.token;
    },
    readStored: async (name) => {
      try {
        return await readFile(join(server.root, name));
      } catch {
        return undefined;
      }
    },
    modifyStored: async (name, content) => {
      // As a desktop sync client does: a new file renamed over the old one.
      const tmp = join(server.root, `.${name}.sync-tmp`);
      await writeFile(tmp, content);
      await rename(tmp, join(server.root, name));
    },
    storedNames: async () =>
      (await readdir(server.root)).filter((name) => !name.startsWith('.')).sort(),
    dispose: async () => {
      await server.dispose();
      await configDir.remove();
    },
  };
}
