import { Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { UnauthorizedError } from '../common/errors/app-error';
import type { StorageUser, UserType } from '../storage/storage.types';
import {
  VIEW_MODES,
  type AccessContext,
  type MintedToken,
  type VerifiedToken,
  type ViewMode,
} from './access-token.types';
import { formatResourceId, parseResourceId, wopiFileId } from './resource-id';
import { deriveKey, open, seal } from './token-crypto';
import { WopiSecret } from './wopi-secret';

/** Why a token was refused; for logs only (clients just get 401). */
export class InvalidTokenError extends UnauthorizedError {
  constructor(
    readonly reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'claims' | 'file mismatch',
  ) {
    super(`invalid access token (${reason})`);
  }
}

interface Claims {
  v: 1;
  /** Resource id, formatted. */
  r: string;
  /** Template resource id, formatted. */
  t?: string;
  /** User: id, idp, type, username, display name, mail, guest. */
  u: { i: string; p: string; y?: UserType; n: string; d: string; m?: string; g?: true };
  m: ViewMode;
  a?: string;
  /** Sealed reva token and view-only token. */
  rt?: string;
  vt?: string;
  sid: string;
}

const ISSUER = 'ocis-collaboration';

/** Verified tokens remembered at most (one per editor session in flight). */
const VERIFIED_CACHE_SIZE = 10_000;

/** Mints and verifies WOPI access tokens (HS256 JWTs; URL-safe, so editors sign them verbatim). */
@Injectable()
export class AccessTokenService {
  private readonly signingKey: Uint8Array;
  private readonly sealingKey: Buffer;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(secret: WopiSecret) {
    this.signingKey = deriveKey(secret.value, 'jwt-hs256');
    this.sealingKey = deriveKey(secret.value, 'reva-token');
  }

  /** A new editor session id. */
  static newSessionId(): string {
    return randomUUID();
  }

  async mint(context: AccessContext, expiresAt: number): Promise<MintedToken> {
    const { user } = context;
    const claims: Claims = {
      v: 1,
      r: formatResourceId(context.resourceId),
      u: {
        i: user.id.opaqueId,
        p: user.id.idp,
        n: user.username,
        d: user.displayName,
        ...(user.id.type ? { y: user.id.type } : {}),
        ...(user.mail ? { m: user.mail } : {}),
        ...(user.isGuest ? { g: true } : {}),
      },
      m: context.mode,
      sid: context.sessionId,
      ...(context.templateId ? { t: formatResourceId(context.templateId) } : {}),
      ...(context.app ? { a: context.app } : {}),
      ...(context.revaToken ? { rt: seal(this.sealingKey, context.revaToken) } : {}),
      ...(context.viewOnlyToken ? { vt: seal(this.sealingKey, context.viewOnlyToken) } : {}),
    };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.signingKey);
    return {
      token,
      expiresAt: Math.floor(expiresAt / 1000) * 1000,
      fileId: wopiFileId(context.resourceId),
    };
  }

  /**
   * Verifies signature and expiry; with `fileId`, also that the token opens that file (or its
   * template). Editors send the same token with every request of a session, and the signature check
   * plus unsealing the reva token were the largest cost of a WOPI request, so successful
   * verifications are remembered until the token expires (bounded; refusals are never remembered).
   */
  async verify(token: string | undefined, fileId?: string): Promise<VerifiedToken> {
    if (token === undefined || token === '') {
      throw new InvalidTokenError('missing');
    }
    let verified = this.remembered(token);
    if (verified === undefined) {
      verified = this.decode(await this.checkSignature(token));
      this.remember(token, verified);
    }
    if (
      fileId !== undefined &&
      fileId !== verified.fileId &&
      (verified.templateId === undefined || fileId !== wopiFileId(verified.templateId))
    ) {
      throw new InvalidTokenError('file mismatch');
    }
    return verified;
  }

  private async checkSignature(token: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, this.signingKey, {
        algorithms: ['HS256'],
        issuer: ISSUER,
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new InvalidTokenError('expired');
      }
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        throw new InvalidTokenError('signature');
      }
      throw new InvalidTokenError('malformed');
    }
  }

  private remembered(token: string): VerifiedToken | undefined {
    const known = this.verified.get(token);
    if (known === undefined || known.expiresAt > Date.now()) {
      return known;
    }
    this.verified.delete(token);
    return undefined;
  }

  private remember(token: string, verified: VerifiedToken): void {
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Drop the oldest entry (a Map keeps insertion order).
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) {
        this.verified.delete(oldest);
      }
    }
    this.verified.set(token, verified);
  }

  private decode(payload: Record<string, unknown>): VerifiedToken {
    const claims = payload as unknown as Partial<Claims> & { exp?: number };
    const resourceId = typeof claims.r === 'string' ? parseResourceId(claims.r) : undefined;
    const templateId = typeof claims.t === 'string' ? parseResourceId(claims.t) : undefined;
    const u = claims.u;
    const mode = claims.m;
    if (
      claims.v !== 1 ||
      resourceId === undefined ||
      (claims.t !== undefined && templateId === undefined) ||
      u === undefined ||
      typeof u.i !== 'string' ||
      typeof u.p !== 'string' ||
      mode === undefined ||
      !VIEW_MODES.includes(mode) ||
      typeof claims.sid !== 'string' ||
      typeof claims.exp !== 'number'
    ) {
      throw new InvalidTokenError('claims');
    }
    const user: StorageUser = {
      id: { idp: u.p, opaqueId: u.i, ...(u.y ? { type: u.y } : {}) },
      username: u.n,
      displayName: u.d,
      isGuest: u.g === true,
      ...(u.m ? { mail: u.m } : {}),
    };
    let revaToken: string | undefined;
    let viewOnlyToken: string | undefined;
    try {
      revaToken = claims.rt === undefined ? undefined : open(this.sealingKey, claims.rt);
      viewOnlyToken = claims.vt === undefined ? undefined : open(this.sealingKey, claims.vt);
    } catch {
      throw new InvalidTokenError('claims');
    }
    return {
      resourceId,
      templateId,
      user,
      mode,
      app: claims.a,
      revaToken,
      viewOnlyToken,
      sessionId: claims.sid,
      fileId: wopiFileId(resourceId),
      expiresAt: claims.exp * 1000,
    };
  }
}
