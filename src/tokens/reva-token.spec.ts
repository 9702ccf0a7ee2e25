import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { revaTokenExpiry } from './reva-token';

async function jwt(claims: Record<string, unknown>, secret = 'reva-secret'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

describe('revaTokenExpiry', () => {
  it('should read exp in epoch milliseconds without knowing the reva secret', async () => {
    const token = await jwt({ exp: 1_900_000_000, aud: ['reva'], user: { username: 'einstein' } });
    expect(revaTokenExpiry(token)).toBe(1_900_000_000_000);
  });

  it('should give undefined for tokens without exp and for garbage', async () => {
    expect(revaTokenExpiry(await jwt({ aud: ['reva'] }))).toBeUndefined();
    expect(revaTokenExpiry(await jwt({ exp: 'tomorrow' }))).toBeUndefined();
    expect(revaTokenExpiry('not.a.jwt')).toBeUndefined();
    expect(revaTokenExpiry('')).toBeUndefined();
  });
});
