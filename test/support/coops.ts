import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoopsAddressService } from '../../src/coops/address/coops-address.service';
import type { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import type { ViewMode } from '../../src/tokens/access-token.types';
import type { TestServer } from './test-server';

export interface OpenedCoops {
  fileId: string;
  coopsUrl: string;
  editorUrl?: string;
  accessToken: string;
}

/** Writes `name` into the server's local root (when content is given) and opens it for a user. */
export async function openCoops(
  server: TestServer,
  name: string,
  options: { content?: string; user?: string; mode?: ViewMode; ttlMs?: number } = {},
): Promise<OpenedCoops> {
  if (options.content !== undefined) {
    await writeFile(join(server.root, name), options.content);
  }
  const storage = server.app.get<StorageGateway, LocalStorageGateway>(StorageGateway);
  const info = await storage.statPath(storage.root.fromUserPath(name));
  const user = options.user ?? 'alice';
  const minted = await server.app.get(AccessTokenService).mint(
    {
      resourceId: info.resourceId,
      user: {
        id: { idp: 'local', opaqueId: user, type: 'primary' },
        username: user,
        displayName: user.charAt(0).toUpperCase() + user.slice(1),
        mail: `${user}@example.com`,
        isGuest: false,
      },
      mode: options.mode ?? 'write',
      sessionId: AccessTokenService.newSessionId(),
    },
    Date.now() + (options.ttlMs ?? 3_600_000),
  );
  const links = server.app.get(CoopsAddressService).links(minted.token, minted.fileId, info.name);
  return { fileId: minted.fileId, accessToken: minted.token, ...links };
}
