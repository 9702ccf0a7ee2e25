import type { StorageCredentials } from '../storage/storage.types';
import type { VerifiedToken } from '../tokens/access-token.types';

/**
 * What a WOPI request acts on the storage with: the token's user and reva token. Reads of a
 * view-only session use the view-only token when the token carries one (oCIS hands one out because
 * a view-only user may not download).
 */
export function storageCredentials(
  token: VerifiedToken,
  access: 'read' | 'write',
): StorageCredentials {
  const revaToken =
    access === 'read' && token.mode === 'view' && token.viewOnlyToken !== undefined
      ? token.viewOnlyToken
      : token.revaToken;
  return revaToken === undefined ? { user: token.user } : { user: token.user, token: revaToken };
}
