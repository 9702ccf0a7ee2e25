import type { Flavour } from '../wopi-apps';
import type { CheckFileInfoFacts } from './file-info-facts';

export type CheckFileInfoBody = Record<string, string | number | boolean | object>;

/** Adds optional properties, leaving out the ones without a value (never null, never ""). */
function optional(body: CheckFileInfoBody, values: Record<string, string | object | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') {
      body[key] = value;
    }
  }
  return body;
}

/** Collabora Online (wsd/wopi/WopiStorage.cpp, CheckFileInfo.cpp). No Version: it compares LastModifiedTime. */
export function collaboraCheckFileInfo(f: CheckFileInfoFacts): CheckFileInfoBody {
  return optional(
    {
      BaseFileName: f.baseFileName,
      BreadcrumbDocName: f.breadcrumbDocName,
      UserId: f.userId,
      UserFriendlyName: f.userFriendlyName,
      IsAdminUser: false,
      Size: f.size,
      LastModifiedTime: f.lastModifiedTime,
      UserCanWrite: f.userCanWrite,
      UserCanNotWriteRelative: f.userCanNotWriteRelative,
      UserCanRename: f.userCanRename,
      SupportsLocks: true,
      SupportsRename: true,
      EnableOwnerTermination: true,
      EnableInsertRemoteImage: true,
      DisablePrint: f.viewOnly,
      DisableExport: f.viewOnly,
      DisableCopy: f.viewOnly,
    },
    {
      OwnerId: f.ownerId,
      WatermarkText: f.watermarkText,
      PostMessageOrigin: f.urls.postMessageOrigin,
      TemplateSource: f.templateSource,
      UserExtraInfo: f.userMail === undefined ? undefined : { mail: f.userMail },
    },
  );
}

/** ONLYOFFICE Docs in WOPI mode (DocService wopiClient.js, web-apps editor-wopi.ejs). */
export function onlyOfficeCheckFileInfo(f: CheckFileInfoFacts): CheckFileInfoBody {
  return optional(
    {
      BaseFileName: f.baseFileName,
      Version: f.version,
      LastModifiedTime: f.lastModifiedTime,
      Size: f.size,
      FileNameMaxLength: 250,
      BreadcrumbDocName: f.breadcrumbDocName,
      UserId: f.userId,
      UserFriendlyName: f.userFriendlyName,
      IsAnonymousUser: f.isAnonymousUser,
      ReadOnly: !f.userCanWrite,
      UserCanWrite: f.userCanWrite,
      UserCanRename: f.userCanRename,
      UserCanNotWriteRelative: f.userCanNotWriteRelative,
      SupportsLocks: true,
      SupportsRename: true,
      SupportsUpdate: true,
      DisablePrint: f.viewOnly,
      EnableInsertRemoteImage: true,
    },
    {
      FileExtension: f.fileExtension,
      BreadcrumbFolderName: f.breadcrumbFolderName,
      BreadcrumbFolderUrl: f.urls.breadcrumbFolderUrl,
      HostEditUrl: f.urls.hostEditUrl,
      FileSharingUrl: f.urls.fileSharingUrl,
      FileVersionUrl: f.urls.fileVersionUrl,
      PostMessageOrigin: f.urls.postMessageOrigin,
      CopyPasteRestrictions: f.viewOnly ? 'BlockAll' : undefined,
      TemplateSource: f.templateSource,
    },
  );
}

/** Microsoft 365 for the web (CheckFileInfo.rst, CsppCheckFileInfoSchema.json); no WOPI+ keys. */
export function microsoftCheckFileInfo(f: CheckFileInfoFacts): CheckFileInfoBody {
  return optional(
    {
      BaseFileName: f.baseFileName,
      OwnerId: f.ownerId,
      Size: f.size,
      UserId: f.userId,
      Version: f.version,
      LastModifiedTime: f.lastModifiedTime,
      FileNameMaxLength: 250,
      UserFriendlyName: f.userFriendlyName,
      IsAnonymousUser: f.isAnonymousUser,
      BreadcrumbDocName: f.breadcrumbDocName,
      ReadOnly: !f.userCanWrite,
      UserCanWrite: f.userCanWrite,
      UserCanRename: f.userCanRename,
      UserCanNotWriteRelative: f.userCanNotWriteRelative,
      SupportsUpdate: true,
      SupportsLocks: true,
      SupportsGetLock: true,
      SupportsExtendedLockLength: true,
      SupportsRename: true,
      SupportsDeleteFile: true,
      SupportsUserInfo: true,
      SupportsContainers: false,
      LicenseCheckForEditIsEnabled: f.licenseCheck,
      DisablePrint: f.viewOnly,
    },
    {
      FileExtension: f.fileExtension,
      UserInfo: f.userInfo,
      BreadcrumbFolderName: f.breadcrumbFolderName,
      BreadcrumbFolderUrl: f.urls.breadcrumbFolderUrl,
      HostViewUrl: f.urls.hostViewUrl,
      HostEditUrl: f.urls.hostEditUrl,
      FileSharingUrl: f.urls.fileSharingUrl,
      FileVersionUrl: f.urls.fileVersionUrl,
      PostMessageOrigin: f.urls.postMessageOrigin,
      CopyPasteRestrictions: f.viewOnly ? 'BlockAll' : undefined,
    },
  );
}

/**
 * No app or an unknown app: the Microsoft keys (which the WOPI validator checks) plus the template
 * and view-only properties every other editor understands.
 */
export function defaultCheckFileInfo(f: CheckFileInfoFacts): CheckFileInfoBody {
  const body = microsoftCheckFileInfo(f);
  delete body['LicenseCheckForEditIsEnabled'];
  if (f.viewOnly) {
    body['DisableExport'] = true;
    body['DisableCopy'] = true;
  }
  return optional(body, { TemplateSource: f.templateSource, WatermarkText: f.watermarkText });
}

export const CHECK_FILE_INFO_FLAVOURS: Record<
  Flavour,
  (facts: CheckFileInfoFacts) => CheckFileInfoBody
> = {
  collabora: collaboraCheckFileInfo,
  onlyoffice: onlyOfficeCheckFileInfo,
  microsoft: microsoftCheckFileInfo,
  default: defaultCheckFileInfo,
};

/** Flavours that show the user info stored by PutUserInfo. */
export const FLAVOURS_WITH_USER_INFO: ReadonlySet<Flavour> = new Set<Flavour>([
  'microsoft',
  'default',
]);
