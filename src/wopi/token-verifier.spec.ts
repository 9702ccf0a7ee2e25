import { describe, expect, it, vi } from 'vitest';
import { AccessTokenService, InvalidTokenError } from '../tokens/access-token.service';
import type { AccessContext } from '../tokens/access-token.types';
import { wopiFileId } from '../tokens/resource-id';
import { WopiSecret } from '../tokens/wopi-secret';
import { TokenVerifier } from './token-verifier';

const context: AccessContext = {
  resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'f1' },
  user: {
    id: { idp: 'idp', opaqueId: 'alice' },
    username: 'alice',
    displayName: 'Alice',
    isGuest: false,
  },
  mode: 'write',
  sessionId: 'session',
};
const fileId = wopiFileId(context.resourceId);

describe(TokenVerifier.name, () => {
  it('should verify a token once per file and answer repeats from memory', async () => {
    const tokens = new AccessTokenService(
      new WopiSecret('a-secret-of-at-least-16-chars', 'config'),
    );
    const verify = vi.spyOn(tokens, 'verify');
    const verifier = new TokenVerifier(tokens);
    const { token } = await tokens.mint(context, Date.now() + 60_000);
    const first = await verifier.verify(token, fileId);
    expect(await verifier.verify(token, fileId)).toBe(first);
    expect(verify).toHaveBeenCalledTimes(1);
    await expect(
      verifier.verify(token, wopiFileId({ ...context.resourceId, opaqueId: 'other' })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('should verify again once a remembered token expired, and never remember refusals', async () => {
    const tokens = new AccessTokenService(
      new WopiSecret('a-secret-of-at-least-16-chars', 'config'),
    );
    const verifier = new TokenVerifier(tokens);
    const { token } = await tokens.mint(context, Date.now() + 1500);
    await verifier.verify(token, fileId);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await expect(verifier.verify(token, fileId)).rejects.toMatchObject({ reason: 'expired' });
    const verify = vi.spyOn(tokens, 'verify');
    await expect(verifier.verify('garbage', fileId)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify('garbage', fileId)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
