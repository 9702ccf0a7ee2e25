import { describe, expect, it } from 'vitest';
import { proofHeadersOf, rawQueryParam, signedUrl, tokenForms } from './proof-request';

describe('signedUrl', () => {
  it('should put the raw request target on the public origin', () => {
    expect(signedUrl('https://wopi.example.com', '/wopi/files/a%2Fb?access_token=x%2By&z=1')).toBe(
      'https://wopi.example.com/wopi/files/a%2Fb?access_token=x%2By&z=1',
    );
    expect(signedUrl('https://wopi.example.com/', '/wopi/files/a')).toBe(
      'https://wopi.example.com/wopi/files/a',
    );
  });

  it('should take only path and query from an absolute-form request target', () => {
    expect(signedUrl('https://public', 'http://internal:9300/wopi/files/a?t=1')).toBe(
      'https://public/wopi/files/a?t=1',
    );
  });
});

describe('rawQueryParam and tokenForms', () => {
  it('should return the value exactly as in the URL', () => {
    expect(rawQueryParam('/x?a=1&access_token=ab%2fc%3d&b', 'access_token')).toBe('ab%2fc%3d');
    expect(rawQueryParam('/x?b', 'b')).toBe('');
    expect(rawQueryParam('/x', 'a')).toBeUndefined();
    expect(rawQueryParam('/x?my_access_token=1', 'access_token')).toBeUndefined();
  });

  it('should offer the raw, the decoded and the verified token, each once', () => {
    expect(tokenForms('/x?access_token=ab%2fc', 'ab/c')).toEqual(['ab%2fc', 'ab/c']);
    expect(tokenForms('/x?access_token=plain.jwt', 'plain.jwt')).toEqual(['plain.jwt']);
    expect(tokenForms('/x?access_token=%E0%A4%A', undefined)).toEqual(['%E0%A4%A']);
    expect(tokenForms('/x', 'from-guard')).toEqual(['from-guard']);
  });
});

describe('proofHeadersOf', () => {
  it('should pick the three proof headers, first value of repeated ones', () => {
    expect(
      proofHeadersOf({ 'x-wopi-timestamp': '1', 'x-wopi-proof': ['a', 'b'], 'x-other': 'x' }),
    ).toEqual({ timestamp: '1', proof: 'a' });
  });
});
