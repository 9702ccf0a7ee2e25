import { Injectable } from '@nestjs/common';
import { AccessTokenService } from '../tokens/access-token.service';
import type { VerifiedToken } from '../tokens/access-token.types';

/** Verifies access tokens for the WOPI routes. */
@Injectable()
export class TokenVerifier {
  constructor(private readonly tokens: AccessTokenService) {}

  verify(token: string | undefined, fileId: string): Promise<VerifiedToken> {
    return this.tokens.verify(token, fileId);
  }
}
