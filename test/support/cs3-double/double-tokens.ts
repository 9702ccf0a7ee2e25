import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';

/** What a token lets its user do: all (editor), read (viewer), or nothing at all (none). */
export type Cs3Role = 'editor' | 'viewer' | 'none';

/** A user of the double, as the tests describe it. */
export interface Cs3DoubleUser {
  opaqueId: string;
  /** Default: the double's idp (https://ocis.double.test). */
  idp?: string;
  /** Default: the opaque id. */
  username?: string;
  displayName?: string;
  mail?: string;
  /** Marks a public-link user the way oCIS does (opaque "public-share-role"). */
  publicLinkRole?: string;
}

export const DOUBLE_IDP = 'https://ocis.double.test';

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** An HS256 JWT, by hand (synchronous, no library). */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const body = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The payload of a valid, unexpired HS256 JWT signed with `secret`, else undefined. */
export function verifyJwt(token: string, secret: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) {
    return undefined;
  }
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    return typeof claims['exp'] === 'number' && claims['exp'] * 1000 > Date.now()
      ? claims
      : undefined;
  } catch {
    return undefined;
  }
}

/** The CS3 user a double user stands for. */
export function cs3UserOf(user: Cs3DoubleUser): cs3.User {
  return {
    id: { idp: user.idp ?? DOUBLE_IDP, opaque_id: user.opaqueId, type: 'USER_TYPE_PRIMARY' },
    username: user.username ?? user.opaqueId,
    display_name: user.displayName ?? user.username ?? user.opaqueId,
    ...(user.mail ? { mail: user.mail } : {}),
    ...(user.publicLinkRole
      ? {
          opaque: {
            map: {
              'public-share-role': {
                decoder: 'plain',
                value: Buffer.from(user.publicLinkRole),
              },
            },
          },
        }
      : {}),
  };
}

/**
 * A reva-like token: HS256 with exp, iat, iss (the idp), aud ["reva"], and the CS3 user as Go's
 * encoding/json writes it (snake_case, enums as numbers, bytes as base64). `role` is the double's
 * stand-in for reva's token scopes (a view-only token is a viewer token).
 */
export function mintRevaToken(
  secret: string,
  user: cs3.User,
  role: Cs3Role,
  expiresAtMs: number,
): string {
  const opaque = user.opaque?.map
    ? {
        map: Object.fromEntries(
          Object.entries(user.opaque.map).map(([key, entry]) => [
            key,
            { decoder: entry.decoder, value: Buffer.from(entry.value ?? []).toString('base64') },
          ]),
        ),
      }
    : undefined;
  return signJwt(
    {
      exp: Math.floor(expiresAtMs / 1000),
      iat: Math.floor(Date.now() / 1000),
      iss: user.id?.idp,
      aud: ['reva'],
      user: {
        id: { idp: user.id?.idp, opaque_id: user.id?.opaque_id, type: 1 },
        username: user.username,
        mail: user.mail,
        display_name: user.display_name,
        ...(opaque ? { opaque } : {}),
      },
      scope: { user: { resource: { decoder: 'json', value: b64('{"path":"/"}') }, role: 1 } },
      role,
    },
    secret,
  );
}

/** The user and role of a valid reva token of this double, else undefined. */
export function readRevaToken(
  secret: string,
  token: string,
): { user: cs3.User; role: Cs3Role } | undefined {
  const claims = verifyJwt(token, secret);
  const user = claims?.['user'] as
    | {
        id?: { idp?: string; opaque_id?: string };
        username?: string;
        mail?: string;
        display_name?: string;
        opaque?: { map?: Record<string, { decoder?: string; value?: string }> };
      }
    | undefined;
  if (!user?.id?.opaque_id) {
    return undefined;
  }
  const opaqueMap = user.opaque?.map;
  return {
    role: (claims?.['role'] as Cs3Role | undefined) ?? 'editor',
    user: {
      id: { idp: user.id.idp, opaque_id: user.id.opaque_id, type: 'USER_TYPE_PRIMARY' },
      username: user.username,
      display_name: user.display_name,
      ...(user.mail ? { mail: user.mail } : {}),
      ...(opaqueMap
        ? {
            opaque: {
              map: Object.fromEntries(
                Object.entries(opaqueMap).map(([key, entry]) => [
                  key,
                  { decoder: entry.decoder, value: Buffer.from(entry.value ?? '', 'base64') },
                ]),
              ),
            },
          }
        : {}),
    },
  };
}
