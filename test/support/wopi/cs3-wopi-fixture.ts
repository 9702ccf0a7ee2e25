import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageGateway } from '../../../src/storage/storage-gateway.port';
import type { ResourceId } from '../../../src/storage/storage.types';
import { AccessTokenService } from '../../../src/tokens/access-token.service';
import { wopiFileId } from '../../../src/tokens/resource-id';
import { revaTokenExpiry } from '../../../src/tokens/reva-token';
import { startCs3Double, type Cs3Double, type Cs3DoubleUser } from '../cs3-double';
import { cs3ServerEnv } from '../cs3-storage';
import { tempDir } from '../temp';
import { startTestServer, type TestServer } from '../test-server';
import { editorAppsYaml } from './local-wopi-fixture';
import type { ServerWopiFixture, TokenOptions } from './wopi-fixture';

/** The folder of the double's space the CS3 fixture's files live in. */
export const CS3_TEST_FOLDER = '/Documents';

export interface Cs3WopiFixture extends ServerWopiFixture {
  double: Cs3Double;
}

/** A user of the double for a fixture user id (the WOPI suites' users: alice, bob...). */
function doubleUser(options: TokenOptions): Cs3DoubleUser {
  const userId = options.userId ?? 'alice';
  return {
    opaqueId: userId,
    username: userId,
    displayName: options.displayName ?? userId.charAt(0).toUpperCase() + userId.slice(1),
    mail: options.mail ?? `${userId}@example.org`,
  };
}

/**
 * The in-process server on the CS3 adapter against a CS3 gateway double, configured with
 * EDITOR_APPS plus `env`. Files live in CS3_TEST_FOLDER of the double's space; tokens are minted as
 * OpenInApp (and `cli open` in CS3 mode) mint them: the user from the gateway's WhoAmI, the user's
 * reva token sealed inside, the expiry of the reva token, and for view mode a view-only token as
 * the gateway makes one (the space owner's, role viewer).
 */
export async function cs3WopiFixture(env: Record<string, string> = {}): Promise<Cs3WopiFixture> {
  const double = await startCs3Double();
  const configDir = await tempDir('wopi-config-');
  const configFile = join(configDir.dir, 'config.yaml');
  await writeFile(configFile, editorAppsYaml());
  await double.createFolder(CS3_TEST_FOLDER);
  let server: TestServer;
  try {
    server = await startTestServer(
      cs3ServerEnv(double, { COLLABORATION_CONFIG_FILE: configFile, ...env }),
    );
  } catch (error) {
    await double.dispose();
    await configDir.remove();
    throw error;
  }
  const storage = server.app.get(StorageGateway);
  if (storage.driver !== 'cs3') {
    throw new Error('the CS3 WOPI fixture needs the CS3 storage adapter');
  }
  const tokens = server.app.get(AccessTokenService);
  const pathOf = (name: string): string => `${CS3_TEST_FOLDER}/${name}`;
  const ids = new Map<string, ResourceId>();
  const remember = (resourceId: ResourceId): string => {
    const fileId = wopiFileId(resourceId);
    ids.set(fileId, resourceId);
    return fileId;
  };
  const resourceIdOf = (fileId: string): ResourceId => {
    const known = ids.get(fileId);
    if (known) {
      return known;
    }
    // A file made through WOPI (PutRelativeFile): find it in the folder.
    for (const name of double.list(CS3_TEST_FOLDER)) {
      const resourceId = double.resourceIdOf(pathOf(name));
      if (remember(resourceId) === fileId) {
        return resourceId;
      }
    }
    throw new Error(`unknown file id ${fileId}`);
  };
  return {
    server,
    double,
    wopiSrc: server.config.wopi.src.replace(/\/+$/, ''),
    storagePath: pathOf,
    createFile: async (name, content) => remember(await double.createFile(pathOf(name), content)),
    mintToken: async (fileId, options: TokenOptions = {}) => {
      const user = doubleUser(options);
      const expiresAt = options.expiresAt ?? Date.now() + 3_600_000;
      const revaToken = double.mintToken(user, { expiresAt });
      // WhoAmI needs a live token; an expired one is only for the token under test.
      const identity = await storage.whoAmI({
        user: { id: { idp: '', opaqueId: '' }, username: '', displayName: '', isGuest: false },
        token: expiresAt > Date.now() ? revaToken : double.mintToken(user),
      });
      const mode = options.mode ?? 'write';
      const viewOnlyToken =
        mode === 'view'
          ? double.mintToken(
              { ...double.owner, displayName: `View Only user for ${user.username ?? ''}` },
              { expiresAt, role: 'viewer' },
            )
          : undefined;
      const minted = await tokens.mint(
        {
          resourceId: resourceIdOf(fileId),
          templateId:
            options.templateFileId === undefined ? undefined : resourceIdOf(options.templateFileId),
          user: identity,
          mode,
          app: options.app,
          revaToken,
          ...(viewOnlyToken === undefined ? {} : { viewOnlyToken }),
          sessionId: AccessTokenService.newSessionId(),
        },
        revaTokenExpiry(revaToken) ?? expiresAt,
      );
      return minted.token;
    },
    readStored: async (name) => {
      try {
        return await double.readFile(pathOf(name));
      } catch {
        return undefined;
      }
    },
    // Another client of the space (a desktop sync) that ignores locks: a new version of the file.
    modifyStored: async (name, content) => {
      await double.createFile(pathOf(name), content);
    },
    storedNames: () => Promise.resolve(double.list(CS3_TEST_FOLDER)),
    dispose: async () => {
      await server.dispose();
      await double.dispose();
      await configDir.remove();
    },
  };
}
