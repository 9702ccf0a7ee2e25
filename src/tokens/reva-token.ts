import { decodeJwt } from 'jose';

/**
 * Expiry of a reva token (epoch milliseconds), read from its `exp` claim WITHOUT verifying the
 * signature: the gateway verifies the token on every call; we only need its lifetime, so that the
 * WOPI token minted around it expires with it (as oCIS does). Undefined when the token is not a
 * JWT or has no numeric `exp`.
 */
export function revaTokenExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
