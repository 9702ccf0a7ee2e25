import { Injectable } from '@nestjs/common';
import { AccessTokenService } from '../tokens/access-token.service';
import type { VerifiedToken } from '../tokens/access-token.types';

/** Verified tokens kept; editors send the same token with every request of a session. */
const MAX_ENTRIES = 10_000;

/**
 * Verifies access tokens for the WOPI routes, remembering successful verifications (per token and
 * file id) until the token expires. An editor sends the same token on every request, and the
 * signature check (HS256 through WebCrypto) plus unsealing the reva token were the largest cost of
 * CheckFileInfo; refusals are never cached.
 */
@Injectable()
export class TokenVerifier {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly tokens: AccessTokenService) {}

  async verify(token: string | undefined, fileId: string): Promise<VerifiedToken> {
    const key = token === undefined ? undefined : `${fileId} ${token}`;
    const cached = key === undefined ? undefined : this.verified.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) {
      return cached;
    }
    const verified = await this.tokens.verify(token, fileId);
    if (key !== undefined) {
      if (this.verified.size >= MAX_ENTRIES) {
        // Drop the oldest entry (Map keeps insertion order).
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) {
          this.verified.delete(oldest);
        }
      }
      this.verified.set(key, verified);
    }
    return verified;
  }
}
