import { describe, expect, it } from 'vitest';
import {
  appendOrReplaceQueryParameter,
  appendToPath,
  buildWopiUri,
  getQueryParameterValue,
  httpUtilityUrlDecode,
  httpUtilityUrlEncode,
  requestTarget,
  urlKeyValueEncode,
} from './dotnet-url';

describe('urlKeyValueEncode', () => {
  it('should keep only [0-9A-Za-z] and percent-encode everything else in uppercase hex', () => {
    expect(urlKeyValueEncode('a-b')).toBe('a%2Db');
    expect(urlKeyValueEncode('test-token_1.A~b')).toBe('test%2Dtoken%5F1%2EA%7Eb');
    expect(urlKeyValueEncode('eyJ0eXAi.x/y+z=')).toBe('eyJ0eXAi%2Ex%2Fy%2Bz%3D');
  });

  it('should encode non-ASCII characters as their UTF-8 bytes', () => {
    expect(urlKeyValueEncode('é')).toBe('%C3%A9');
    expect(urlKeyValueEncode('文')).toBe('%E6%96%87');
    expect(urlKeyValueEncode('😀')).toBe('%F0%9F%98%80');
  });

  it('should drop a lone high surrogate at the end, as the C# helper does', () => {
    expect(urlKeyValueEncode('a\ud83d')).toBe('a');
  });
});

describe('httpUtilityUrlEncode', () => {
  it('should keep -_.!*() and letters, turn spaces into + and use lowercase hex', () => {
    expect(httpUtilityUrlEncode('a b+c/d-_.!*()')).toBe('a+b%2bc%2fd-_.!*()');
  });
});

describe('httpUtilityUrlDecode', () => {
  it('should decode +, %XX (UTF-8) and %uXXXX and leave malformed escapes alone', () => {
    expect(httpUtilityUrlDecode('a+b%2Bc%C3%A9%u00e9%zz%')).toBe('a b+céé%zz%');
  });
});

describe('getQueryParameterValue', () => {
  it('should find the parameter case-insensitively after ? or & and decode it', () => {
    const url = 'http://h/wopi/files/1?x=1&Access_Token=a%2Db+c&access_token_ttl=0';
    expect(getQueryParameterValue(url, 'access_token')).toBe('a-b c');
    expect(getQueryParameterValue('http://h/f?access_token=t#frag', 'access_token')).toBe('t');
  });

  it('should give undefined when the parameter is absent', () => {
    expect(getQueryParameterValue('http://h/f?access_token_ttl=5', 'access_token')).toBeUndefined();
  });
});

describe('appendOrReplaceQueryParameter', () => {
  it('should replace the value in place and keep the other parameters', () => {
    expect(
      appendOrReplaceQueryParameter(
        'http://h/f?access_token=abc&access_token_ttl=0',
        'access_token',
        'INVALID',
      ),
    ).toBe('http://h/f?access_token=INVALID&access_token_ttl=0');
  });

  it('should append with ? or & and before a fragment', () => {
    expect(appendOrReplaceQueryParameter('http://h/f', 'access_token', 'a b')).toBe(
      'http://h/f?access_token=a+b',
    );
    expect(appendOrReplaceQueryParameter('http://h/f?x=1#top', 'access_token', 't')).toBe(
      'http://h/f?x=1&access_token=t#top',
    );
  });
});

describe('buildWopiUri', () => {
  it('should append the path, the encoded token and the ttl to WopiSrc', () => {
    expect(buildWopiUri('http://h:1/wopi/files/abc', '/contents', 'a.b', '123')).toBe(
      'http://h:1/wopi/files/abc/contents?access_token=a%2Eb&access_token_ttl=123',
    );
  });

  it('should join an existing query with & (the path then lands in the query, as in C#)', () => {
    expect(buildWopiUri('http://h/f?x=1', '', 't', '0')).toBe(
      'http://h/f?x=1&access_token=t&access_token_ttl=0',
    );
    expect(buildWopiUri('http://h/f?x=1&', '', 't', '0')).toBe(
      'http://h/f?x=1&access_token=t&access_token_ttl=0',
    );
  });
});

describe('appendToPath', () => {
  it('should put the suffix on the path of a saved URL, before its query', () => {
    expect(appendToPath('http://h/wopi/files/2?access_token=t', '/contents')).toBe(
      'http://h/wopi/files/2/contents?access_token=t',
    );
  });
});

describe('requestTarget', () => {
  it('should keep existing escapes and encode what may not appear in a URI', () => {
    const target = requestTarget('HTTP://Example.ORG:80/a b/é%2D?q=x y#frag');
    expect(target.origin).toBe('http://example.org');
    expect(target.pathAndQuery).toBe('/a%20b/%C3%A9%2D?q=x%20y');
  });

  it('should refuse a relative URL', () => {
    expect(() => requestTarget('/wopi/files/1')).toThrow(/absolute/);
  });
});
