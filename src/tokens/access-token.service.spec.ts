import { describe, expect, it } from 'vitest';
import { AccessTokenService, InvalidTokenError } from './access-token.service';
import type { AccessContext } from './access-token.types';
import { formatResourceId, parseResourceId, wopiFileId } from './resource-id';
import { WopiSecret } from './wopi-secret';

const context: AccessContext = {
  resourceId: { storageId: 'storage-1', spaceId: 'space-1', opaqueId: 'file-1' },
  user: {
    id: { idp: 'https://idp.example', opaqueId: 'u-1', type: 'primary' },
    username: 'einstein',
    displayName: 'Albert Einstein',
    mail: 'einstein@example.org',
    isGuest: false,
  },
  mode: 'write',
  app: 'Collabora',
  revaToken: 'reva.jwt.token-value',
  sessionId: 'session-1',
};

function service(secret = 'a-secret-of-at-least-16-chars'): AccessTokenService {
  return new AccessTokenService(new WopiSecret(secret, 'config'));
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  }
  throw new Error('expected the token to be refused');
}

describe(AccessTokenService.name, () => {
  it('should round-trip every field of the access context', async () => {
    const tokens = service();
    const minted = await tokens.mint(context, Date.now() + 60_000);
    expect(minted.fileId).toBe(wopiFileId(context.resourceId));
    expect(minted.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const verified = await tokens.verify(minted.token, minted.fileId);
    expect(verified).toMatchObject({
      ...context,
      fileId: minted.fileId,
      expiresAt: minted.expiresAt,
    });
  });

  it('should carry the reva token only encrypted', async () => {
    const minted = await service().mint(context, Date.now() + 60_000);
    const payload = Buffer.from(minted.token.split('.')[1] ?? '', 'base64url').toString();
    expect(payload).not.toContain('reva.jwt.token-value');
  });

  it('should refuse a tampered token', async () => {
    const tokens = service();
    const { token } = await tokens.mint(context, Date.now() + 60_000);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    forged['u'] = { i: 'admin', p: 'https://idp.example', n: 'admin', d: 'Admin' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect(await reason(tokens.verify(tampered))).toBe('signature');
    expect(await reason(tokens.verify(`${token.slice(0, -2)}xx`))).toBe('signature');
  });

  it('should refuse an expired token', async () => {
    const tokens = service();
    const { token } = await tokens.mint(context, Date.now() - 1000);
    expect(await reason(tokens.verify(token))).toBe('expired');
  });

  it('should refuse a token signed with another secret', async () => {
    const { token } = await service('another-secret-of-16-chars').mint(
      context,
      Date.now() + 60_000,
    );
    expect(await reason(service().verify(token))).toBe('signature');
  });

  it('should refuse a token for another file, garbage and nothing', async () => {
    const tokens = service();
    const { token } = await tokens.mint(context, Date.now() + 60_000);
    expect(
      await reason(tokens.verify(token, wopiFileId({ ...context.resourceId, opaqueId: 'other' }))),
    ).toBe('file mismatch');
    expect(await reason(tokens.verify('not-a-jwt'))).toBe('malformed');
    expect(await reason(tokens.verify(undefined))).toBe('missing');
  });

  it('should accept the template file id for a token with a template', async () => {
    const tokens = service();
    const templateId = { storageId: 's', spaceId: 'templates', opaqueId: 't-1' };
    const { token } = await tokens.mint({ ...context, templateId }, Date.now() + 60_000);
    await expect(tokens.verify(token, wopiFileId(templateId))).resolves.toMatchObject({
      templateId,
    });
  });
});

describe(`${AccessTokenService.name} cache`, () => {
  it('should remember a verified token and still check the file on every call', async () => {
    const tokens = service();
    const { token, fileId } = await tokens.mint(context, Date.now() + 60_000);
    const first = await tokens.verify(token, fileId);
    expect(await tokens.verify(token, fileId)).toBe(first);
    expect(
      await reason(tokens.verify(token, wopiFileId({ ...context.resourceId, opaqueId: 'other' }))),
    ).toBe('file mismatch');
  });

  it('should verify again once a remembered token expired, and never remember refusals', async () => {
    const tokens = service();
    const { token, fileId } = await tokens.mint(context, Date.now() + 1500);
    await tokens.verify(token, fileId);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await reason(tokens.verify(token, fileId))).toBe('expired');
    const { token: good } = await tokens.mint(context, Date.now() + 60_000);
    const forged = `${good.slice(0, -2)}xx`;
    expect(await reason(tokens.verify(forged))).toBe('signature');
    expect(await reason(tokens.verify(forged))).toBe('signature');
  });
});

describe('resource ids', () => {
  it('should format like reva and hash like oCIS', () => {
    const id = { storageId: 'storage', spaceId: 'space', opaqueId: 'opaque' };
    expect(formatResourceId(id)).toBe('storage$space!opaque');
    expect(formatResourceId({ ...id, storageId: '' })).toBe('space!opaque');
    expect(formatResourceId({ ...id, opaqueId: '' })).toBe('storage$space');
    expect(parseResourceId('storage$space!opaque')).toEqual(id);
    // sha256sum of the text "storage$space!opaque", computed outside the project.
    expect(wopiFileId(id)).toBe('870dd3fe8eff7da12923641d9b16d636c639689d8bb8e9a22b03bb5aca8a2f21');
  });

  it('should split like reva: the opaque id keeps any "$" and "!", a missing space id is no id', () => {
    const revision = { storageId: 's', spaceId: 'sp', opaqueId: 'node.REV.2024!x$y' };
    expect(parseResourceId(formatResourceId(revision))).toEqual(revision);
    expect(parseResourceId('space')).toEqual({ storageId: '', spaceId: 'space', opaqueId: '' });
    expect(parseResourceId('storage$space')).toEqual({
      storageId: 'storage',
      spaceId: 'space',
      opaqueId: '',
    });
    expect(parseResourceId('')).toBeUndefined();
    expect(parseResourceId('storage$!opaque')).toBeUndefined();
  });
});
