import { posix } from 'node:path';
import { extensionOf } from '../../common/mime';
import type { FileInfo, StorageUser, UserId } from '../../storage/storage.types';
import { isoTimestamp } from '../../storage/storage.types';
import type { VerifiedToken } from '../../tokens/access-token.types';
import type { HostUrls } from './host-urls';

/** Longest file name (characters) editors are told to use; rename limits follow it. */
export const FILE_NAME_MAX_LENGTH = 250;

/** Everything any flavour of CheckFileInfo says, computed once; the flavours pick their keys. */
export interface CheckFileInfoFacts {
  baseFileName: string;
  /** ".docx", or "" when the name has no extension. */
  fileExtension: string;
  ownerId: string;
  userId: string;
  userFriendlyName: string;
  userMail?: string;
  isAnonymousUser: boolean;
  size: number;
  version: string;
  lastModifiedTime: string;
  breadcrumbDocName: string;
  breadcrumbFolderName?: string;
  userCanWrite: boolean;
  userCanRename: boolean;
  userCanNotWriteRelative: boolean;
  /** A view-only session: no export, copy or print, and a watermark. */
  viewOnly: boolean;
  watermarkText?: string;
  urls: HostUrls;
  templateSource?: string;
  userInfo?: string;
  licenseCheck: boolean;
}

export interface FactsInput {
  info: FileInfo;
  token: VerifiedToken;
  urls: HostUrls;
  templateSource?: string;
  userInfo?: string;
  licenseCheck: boolean;
}

/** WOPI user ids: hex of `<opaque id>@<idp>`, as oCIS makes them (only [0-9a-f], stable). */
export function wopiUserId(id: UserId): string {
  return Buffer.from(`${id.opaqueId}@${id.idp}`, 'utf8').toString('hex');
}

export function checkFileInfoFacts(input: FactsInput): CheckFileInfoFacts {
  const { info, token } = input;
  const user: StorageUser = token.user;
  const guest = user.isGuest;
  const userCanWrite = token.mode === 'write' && info.permissions.write;
  const extension = extensionOf(info.name);
  const viewOnly = token.mode === 'view';
  const folder = posix.basename(posix.dirname(info.path));
  return {
    baseFileName: info.name,
    fileExtension: extension === '' ? '' : `.${extension}`,
    ownerId: info.owner ? wopiUserId(info.owner) : '',
    userId: guest
      ? Buffer.from(`guest-${token.sessionId}`, 'utf8').toString('hex')
      : wopiUserId(user.id),
    userFriendlyName:
      user.displayName !== '' ? user.displayName : `Guest ${token.sessionId.slice(0, 8)}`,
    userMail: guest ? undefined : user.mail,
    isAnonymousUser: guest,
    size: info.size,
    version: info.version,
    lastModifiedTime: isoTimestamp(info.mtime),
    breadcrumbDocName: info.name,
    breadcrumbFolderName: folder !== '' && folder !== '/' ? folder : info.spaceName,
    userCanWrite,
    userCanRename: userCanWrite && info.permissions.move,
    userCanNotWriteRelative: token.mode !== 'write',
    viewOnly,
    watermarkText:
      viewOnly && !guest ? `${user.displayName} ${user.mail ?? ''}`.trim() || undefined : undefined,
    urls: input.urls,
    templateSource: input.templateSource,
    userInfo: input.userInfo,
    licenseCheck: input.licenseCheck,
  };
}
