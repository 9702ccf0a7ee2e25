import type { ResourceId, StorageUser } from '../storage/storage.types';

/** oCIS view modes: view-only (no download, watermark), read-only, read-write. */
export const VIEW_MODES = ['view', 'read', 'write'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

/** Everything a request needs, carried by the access token (the service keeps no session state). */
export interface AccessContext {
  /** The file the token opens. */
  resourceId: ResourceId;
  /** Template to create the file from (empty target + TemplateSource). */
  templateId?: ResourceId;
  user: StorageUser;
  mode: ViewMode;
  /** The editor app the token was minted for. */
  app?: string;
  /** Reva token to act on the storage with (CS3 mode); encrypted inside the JWT. */
  revaToken?: string;
  /** Reva token scoped to view-only access (CS3 mode); encrypted inside the JWT. */
  viewOnlyToken?: string;
  /** One id per editor session: shared by every request of the session. */
  sessionId: string;
}

export interface MintedToken {
  token: string;
  /** Epoch milliseconds (what WOPI hosts pass as access_token_ttl). */
  expiresAt: number;
  /** The WOPI file id of the token's file. */
  fileId: string;
}

export interface VerifiedToken extends AccessContext {
  fileId: string;
  expiresAt: number;
}
