import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCs3Double, type Cs3Double } from '../../test/support/cs3-double';
import { cs3StorageFor, type Cs3Storage } from '../../test/support/cs3-storage';
import { FileOpenerService } from '../app-provider/file-opener.service';
import { BadRequestError } from '../common/errors/app-error';
import { CoopsAddressService } from '../coops/address/coops-address.service';
import { SystemClock } from '../discovery/clock';
import { DiscoveryFetcher } from '../discovery/discovery-fetcher';
import { DiscoveryService } from '../discovery/discovery.service';
import { EditorUrlService } from '../discovery/editor-url.service';
import { HealthRegistry } from '../health/health-registry';
import { StorageUnauthenticatedError } from '../storage/storage.errors';
import { AccessTokenService } from '../tokens/access-token.service';
import { formatResourceId, wopiFileId } from '../tokens/resource-id';
import { revaTokenExpiry } from '../tokens/reva-token';
import { WopiSecret } from '../tokens/wopi-secret';
import { OpenService } from './open.service';

describe(`${OpenService.name} on the CS3 storage`, () => {
  let double: Cs3Double;
  let adapter: Cs3Storage;
  let tokens: AccessTokenService;
  let service: OpenService;

  beforeEach(async () => {
    double = await startCs3Double();
    adapter = cs3StorageFor(double, {
      COLLABORATION_WOPI_SRC: 'https://wopi.example.com',
      COLLABORATION_APP_NAME: 'Collabora',
    });
    const secret = new WopiSecret('a-secret-of-at-least-16-chars', 'config');
    tokens = new AccessTokenService(secret);
    const discovery = new DiscoveryService(
      adapter.config,
      new HealthRegistry(),
      new DiscoveryFetcher(),
      new SystemClock(),
    );
    discovery.onModuleInit();
    service = new OpenService(
      adapter.config,
      adapter.storage,
      new FileOpenerService(
        adapter.config,
        tokens,
        new EditorUrlService(adapter.config, discovery),
        new CoopsAddressService(adapter.config, tokens, secret),
      ),
    );
  });

  afterEach(async () => {
    adapter.close();
    await double.dispose();
  });

  it('should open a file by resource id as OpenInApp would: WhoAmI user, sealed reva token, its expiry', async () => {
    const id = await double.createFile('/docs/letter.docx', 'hello');
    const revaToken = double.mintToken(double.owner, { ttlSeconds: 600 });
    const opened = await service.open({ path: formatResourceId(id), mode: 'write', revaToken });
    expect(opened).toMatchObject({
      fileId: wopiFileId(id),
      wopiSrc: `https://wopi.example.com/wopi/files/${wopiFileId(id)}`,
      path: '/docs/letter.docx',
      mode: 'write',
      userId: double.owner.opaqueId,
      app: 'Collabora',
      resourceId: formatResourceId(id),
    });
    expect(opened.accessTokenTtl).toBe(revaTokenExpiry(revaToken));
    const verified = await tokens.verify(opened.accessToken, opened.fileId);
    expect(verified).toMatchObject({
      resourceId: id,
      revaToken,
      mode: 'write',
      app: 'Collabora',
      user: { username: 'einstein', displayName: 'Albert Einstein' },
    });
    expect(double.callsOf('WhoAmI')).toHaveLength(1);
  });

  it('should open a file by absolute path and carry a view-only token in view mode', async () => {
    const id = await double.createFile('/docs/sheet.xlsx', 'x');
    const revaToken = double.mintToken();
    const viewOnlyToken = double.mintToken(double.owner, { role: 'viewer' });
    const opened = await service.open({
      path: '/docs/sheet.xlsx',
      mode: 'view',
      revaToken,
      viewOnlyToken,
    });
    expect(opened.fileId).toBe(wopiFileId(id));
    expect(await tokens.verify(opened.accessToken)).toMatchObject({ mode: 'view', viewOnlyToken });
  });

  it('should refuse without a reva token, with an expired one, for folders and for unknown targets', async () => {
    const id = await double.createFile('/docs/a.docx', 'x');
    const file = formatResourceId(id);
    await expect(service.open({ path: file, mode: 'write' })).rejects.toThrow(
      'needs the reva token of the user: --reva-token or COLLABORATION_REVA_TOKEN',
    );
    const expired = double.mintToken(double.owner, { expiresAt: Date.now() - 1000 });
    await expect(
      service.open({ path: file, mode: 'write', revaToken: expired }),
    ).rejects.toBeInstanceOf(StorageUnauthenticatedError);
    const revaToken = double.mintToken();
    await expect(service.open({ path: '/docs', mode: 'write', revaToken })).rejects.toThrow(
      '/docs is a folder',
    );
    await expect(
      service.open({ path: 'docs/a.docx', mode: 'write', revaToken }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
