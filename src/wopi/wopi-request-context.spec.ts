import { describe, expect, it } from 'vitest';
import { accessTokenParam } from './wopi-request-context';

describe('accessTokenParam', () => {
  it('should give the token as written and decoded, first occurrence', () => {
    expect(accessTokenParam('/wopi/files/x?access_token=a%2Db.c&access_token_ttl=1')).toEqual({
      raw: 'a%2Db.c',
      value: 'a-b.c',
    });
    expect(accessTokenParam('/wopi/files/x?x=1&access_token=one&access_token=two')?.value).toBe(
      'one',
    );
  });

  it('should tell a missing or undecodable token', () => {
    expect(accessTokenParam('/wopi/files/x')).toBeUndefined();
    expect(accessTokenParam('/wopi/files/x?access_token_ttl=5')).toBeUndefined();
    expect(accessTokenParam('/wopi/files/x?access_token=%E0%A4%A')).toEqual({
      raw: '%E0%A4%A',
      value: undefined,
    });
  });
});
