import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../storage/storage.types';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { checkFileInfoFacts, wopiUserId, type FactsInput } from './file-info-facts';
import { CHECK_FILE_INFO_FLAVOURS } from './flavours';
import { hostUrls } from './host-urls';

const info: FileInfo = {
  resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'f1' },
  parentId: { storageId: 's', spaceId: 'sp', opaqueId: 'd1' },
  type: 'file',
  name: 'Report.docx',
  path: '/Projects/Report.docx',
  size: 1234,
  mtime: { seconds: 1_735_689_600, nanos: 123_456_789 },
  etag: 'e',
  version: 'v1735689600123456789',
  mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  owner: { idp: 'https://idp', opaqueId: 'owner' },
  permissions: { read: true, write: true, move: true, delete: true, createChild: false },
  spaceName: 'Personal',
};

const token = {
  resourceId: info.resourceId,
  user: {
    id: { idp: 'https://idp', opaqueId: 'alice' },
    username: 'alice',
    displayName: 'Alice',
    mail: 'alice@example.org',
    isGuest: false,
  },
  mode: 'write',
  sessionId: 'session-1',
  fileId: 'f',
  expiresAt: 0,
} as VerifiedToken;

function input(overrides: Partial<FactsInput> = {}): FactsInput {
  return { info, token, urls: {}, licenseCheck: false, ...overrides };
}

const ALWAYS = {
  collabora: [
    'BaseFileName',
    'BreadcrumbDocName',
    'DisableCopy',
    'DisableExport',
    'DisablePrint',
    'EnableInsertRemoteImage',
    'EnableOwnerTermination',
    'IsAdminUser',
    'LastModifiedTime',
    'OwnerId',
    'Size',
    'SupportsLocks',
    'SupportsRename',
    'UserCanNotWriteRelative',
    'UserCanRename',
    'UserCanWrite',
    'UserExtraInfo',
    'UserFriendlyName',
    'UserId',
  ],
  onlyoffice: [
    'BaseFileName',
    'BreadcrumbDocName',
    'BreadcrumbFolderName',
    'DisablePrint',
    'EnableInsertRemoteImage',
    'FileExtension',
    'FileNameMaxLength',
    'IsAnonymousUser',
    'LastModifiedTime',
    'ReadOnly',
    'Size',
    'SupportsLocks',
    'SupportsRename',
    'SupportsUpdate',
    'UserCanNotWriteRelative',
    'UserCanRename',
    'UserCanWrite',
    'UserFriendlyName',
    'UserId',
    'Version',
  ],
  microsoft: [
    'BaseFileName',
    'BreadcrumbDocName',
    'BreadcrumbFolderName',
    'DisablePrint',
    'FileExtension',
    'FileNameMaxLength',
    'IsAnonymousUser',
    'LastModifiedTime',
    'LicenseCheckForEditIsEnabled',
    'OwnerId',
    'ReadOnly',
    'Size',
    'SupportsContainers',
    'SupportsDeleteFile',
    'SupportsExtendedLockLength',
    'SupportsGetLock',
    'SupportsLocks',
    'SupportsRename',
    'SupportsUpdate',
    'SupportsUserInfo',
    'UserCanNotWriteRelative',
    'UserCanRename',
    'UserCanWrite',
    'UserFriendlyName',
    'UserId',
    'Version',
  ],
};

describe('CheckFileInfo flavours', () => {
  it('should emit exactly the keys each editor reads', () => {
    const facts = checkFileInfoFacts(input());
    for (const flavour of ['collabora', 'onlyoffice', 'microsoft'] as const) {
      expect(Object.keys(CHECK_FILE_INFO_FLAVOURS[flavour](facts)).sort(), flavour).toEqual(
        [...ALWAYS[flavour]].sort(),
      );
    }
    expect(Object.keys(CHECK_FILE_INFO_FLAVOURS.default(facts)).sort()).toEqual(
      ALWAYS.microsoft.filter((key) => key !== 'LicenseCheckForEditIsEnabled').sort(),
    );
  });

  it('should add the host URLs, template and user info where a flavour reads them, and nothing empty', () => {
    const facts = checkFileInfoFacts(
      input({
        urls: hostUrls('https://cloud.example.com', 'Collabora', info),
        templateSource: 'http://wopi/wopi/templates/t?access_token=x',
        userInfo: 'stored',
      }),
    );
    const microsoft = CHECK_FILE_INFO_FLAVOURS.microsoft(facts);
    expect(microsoft).toMatchObject({
      HostViewUrl: expect.stringMatching(/^https:\/\/cloud\.example\.com\//) as unknown,
      HostEditUrl: expect.stringMatching(/view_mode=write$/) as unknown,
      BreadcrumbFolderUrl: 'https://cloud.example.com/f/s$sp!d1',
      FileSharingUrl: 'https://cloud.example.com/f/s$sp!f1?details=sharing',
      FileVersionUrl: 'https://cloud.example.com/f/s$sp!f1?details=versions',
      PostMessageOrigin: 'https://cloud.example.com',
      UserInfo: 'stored',
    });
    expect(microsoft).not.toHaveProperty('TemplateSource');
    expect(CHECK_FILE_INFO_FLAVOURS.collabora(facts)).toMatchObject({
      TemplateSource: 'http://wopi/wopi/templates/t?access_token=x',
      PostMessageOrigin: 'https://cloud.example.com',
    });
    expect(CHECK_FILE_INFO_FLAVOURS.collabora(facts)).not.toHaveProperty('HostEditUrl');
    expect(CHECK_FILE_INFO_FLAVOURS.onlyoffice(facts)).toMatchObject({
      HostEditUrl: expect.any(String) as unknown,
      TemplateSource: expect.any(String) as unknown,
    });
    expect(CHECK_FILE_INFO_FLAVOURS.default(facts)['TemplateSource']).toBeDefined();
    for (const body of Object.values(CHECK_FILE_INFO_FLAVOURS).map((build) => build(facts))) {
      for (const value of Object.values(body)) {
        expect(value).not.toBeNull();
        expect(value).not.toBe('');
      }
    }
  });

  it('should say what each view mode allows', () => {
    const write = checkFileInfoFacts(input());
    expect(write).toMatchObject({
      userCanWrite: true,
      userCanRename: true,
      userCanNotWriteRelative: false,
      viewOnly: false,
    });
    expect(write.watermarkText).toBeUndefined();
    const read = checkFileInfoFacts(input({ token: { ...token, mode: 'read' } }));
    expect(read).toMatchObject({
      userCanWrite: false,
      userCanRename: false,
      userCanNotWriteRelative: true,
      viewOnly: false,
    });
    const view = checkFileInfoFacts(input({ token: { ...token, mode: 'view' } }));
    expect(CHECK_FILE_INFO_FLAVOURS.collabora(view)).toMatchObject({
      UserCanWrite: false,
      DisablePrint: true,
      DisableExport: true,
      DisableCopy: true,
      WatermarkText: 'Alice alice@example.org',
    });
    expect(CHECK_FILE_INFO_FLAVOURS.onlyoffice(view)).toMatchObject({
      ReadOnly: true,
      DisablePrint: true,
      CopyPasteRestrictions: 'BlockAll',
    });
    const noWrite = checkFileInfoFacts(
      input({ info: { ...info, permissions: { ...info.permissions, write: false } } }),
    );
    expect(noWrite.userCanWrite).toBe(false);
  });

  it('should identify users the way oCIS does and keep guests anonymous', () => {
    const facts = checkFileInfoFacts(input());
    expect(facts.userId).toBe(Buffer.from('alice@https://idp').toString('hex'));
    expect(facts.ownerId).toBe(wopiUserId({ idp: 'https://idp', opaqueId: 'owner' }));
    expect(facts.lastModifiedTime).toBe('2025-01-01T00:00:00.1234567Z');
    expect(facts.breadcrumbFolderName).toBe('Projects');
    const guest = checkFileInfoFacts(
      input({
        token: { ...token, mode: 'view', user: { ...token.user, isGuest: true, displayName: '' } },
      }),
    );
    expect(guest).toMatchObject({ isAnonymousUser: true, userFriendlyName: 'Guest session-' });
    expect(guest.userId).toBe(Buffer.from('guest-session-1').toString('hex'));
    expect(guest.watermarkText).toBeUndefined();
    expect(guest.userMail).toBeUndefined();
    const atRoot = checkFileInfoFacts(input({ info: { ...info, path: '/Report.docx' } }));
    expect(atRoot.breadcrumbFolderName).toBe('Personal');
  });
});

describe('hostUrls', () => {
  it('should build oCIS web URLs under a path prefix and encode what needs it', () => {
    const urls = hostUrls('https://cloud.example.com/ocis/', 'OnlyOffice', {
      ...info,
      path: '/My Files/a#b.docx',
    });
    expect(urls.hostViewUrl).toBe(
      'https://cloud.example.com/ocis/external-onlyoffice/My%20Files/a%23b.docx?fileId=s%24sp%21f1&view_mode=view',
    );
    expect(urls.breadcrumbFolderUrl).toBe('https://cloud.example.com/ocis/f/s$sp!d1');
    expect(urls.postMessageOrigin).toBe('https://cloud.example.com');
    expect(hostUrls('https://c.example', undefined, info).hostEditUrl).toMatch(
      /^https:\/\/c\.example\/external\/Projects\/Report\.docx\?/,
    );
  });

  it('should put the space alias before the path, as oCIS web finds the space by it', () => {
    const urls = hostUrls('https://cloud.example.com', 'Collabora', {
      ...info,
      path: '/Projects/Report.docx',
      spaceAlias: 'personal/einstein',
    });
    expect(urls.hostEditUrl).toBe(
      'https://cloud.example.com/external-collabora/personal/einstein/Projects/Report.docx?fileId=s%24sp%21f1&view_mode=write',
    );
    expect(urls.fileSharingUrl).toBe('https://cloud.example.com/f/s$sp!f1?details=sharing');
  });

  it('should build nothing without OCIS_URL', () => {
    expect(hostUrls(undefined, 'Collabora', info)).toEqual({});
  });
});
