import type { FileInfo, ResourceId } from '../../storage/storage.types';
import { formatResourceId } from '../../tokens/resource-id';

/** The oCIS web URLs CheckFileInfo and PutRelativeFile point editors to. */
export interface HostUrls {
  hostViewUrl?: string;
  hostEditUrl?: string;
  breadcrumbFolderUrl?: string;
  fileSharingUrl?: string;
  fileVersionUrl?: string;
  postMessageOrigin?: string;
}

/**
 * Built from OCIS_URL the way oCIS does: `<ocis>/external-<app>/<space alias>/<path>?fileId=<id>&
 * view_mode=…` for HostViewUrl/HostEditUrl (oCIS web finds the space by its alias, e.g.
 * "personal/einstein"), `<ocis>/f/<id>` for folders, sharing and versions. Without OCIS_URL there is
 * nothing to point at and every property is omitted.
 */
export function hostUrls(
  ocisUrl: string | undefined,
  appName: string | undefined,
  info: Pick<FileInfo, 'resourceId' | 'parentId' | 'path' | 'spaceAlias'>,
): HostUrls {
  if (ocisUrl === undefined) {
    return {};
  }
  const base = new URL(ocisUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const external = appName === undefined ? 'external' : `external-${appName.toLowerCase()}`;
  const hostUrl = (mode: 'view' | 'write'): string => {
    const url = new URL(base.href);
    const segments = [external, info.spaceAlias ?? '', info.path].flatMap((part) =>
      part.split('/').filter((segment) => segment !== ''),
    );
    url.pathname = `${basePath}/${segments.join('/')}`;
    url.search = '';
    url.searchParams.set('fileId', formatResourceId(info.resourceId));
    url.searchParams.set('view_mode', mode);
    return url.href;
  };
  const privateLink = (id: ResourceId, details?: string): string => {
    const url = new URL(base.href);
    url.pathname = `${basePath}/f/${formatResourceId(id)}`;
    url.search = details === undefined ? '' : `?details=${details}`;
    return url.href;
  };
  return {
    hostViewUrl: hostUrl('view'),
    hostEditUrl: hostUrl('write'),
    breadcrumbFolderUrl: info.parentId ? privateLink(info.parentId) : undefined,
    fileSharingUrl: privateLink(info.resourceId, 'sharing'),
    fileVersionUrl: privateLink(info.resourceId, 'versions'),
    postMessageOrigin: base.origin,
  };
}
