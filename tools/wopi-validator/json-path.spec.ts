import { describe, expect, it } from 'vitest';
import { selectToken } from './json-path';

const body = {
  Url: 'http://h/1',
  Empty: null,
  ContainerPointer: { Url: 'http://h/c' },
  AncestorsWithRootFirst: [
    { Url: 'http://h/root' },
    { Url: 'http://h/mid' },
    { Url: 'http://h/parent' },
  ],
  'odd.name': 1,
};

describe('selectToken', () => {
  it.each([
    ['Url', 'http://h/1'],
    ['ContainerPointer.Url', 'http://h/c'],
    ['AncestorsWithRootFirst[0].Url', 'http://h/root'],
    ['AncestorsWithRootFirst[-1:].Url', 'http://h/parent'],
    ["['odd.name']", 1],
    ['$.Url', 'http://h/1'],
  ])('should resolve %s', (path, expected) => {
    expect(selectToken(body, path)).toBe(expected);
  });

  it('should tell a missing path (undefined) from a JSON null', () => {
    expect(selectToken(body, 'Missing')).toBeUndefined();
    expect(selectToken(body, 'ContainerPointer.Missing.Url')).toBeUndefined();
    expect(selectToken(body, 'AncestorsWithRootFirst[9].Url')).toBeUndefined();
    expect(selectToken(body, 'Empty')).toBeNull();
  });

  it('should refuse a path that matches several tokens, as Newtonsoft does', () => {
    expect(() => selectToken(body, 'AncestorsWithRootFirst[*].Url')).toThrow(/multiple tokens/);
  });

  it('should refuse a path it cannot parse', () => {
    expect(() => selectToken(body, 'A[?(@.x)]')).toThrow(/path/);
  });
});
