import { describe, expect, it } from 'vitest';
import { dotnetUtf7, dotnetUtf7UrlRoundTrip } from './utf7-names';

describe('dotnetUtf7', () => {
  it.each([
    ['madeup_name.wopitestx', 'madeup+AF8-name.wopitestx'],
    ['madeup_renamed', 'madeup+AF8-renamed'],
    ['new_file.wopitest', 'new+AF8-file.wopitest'],
    ['hello%20world.pdf', 'hello+ACU-20world.pdf'],
    ['文件1.docx', '+ZYdO9g-1.docx'],
    ['ValidatorTestFileRenamed', 'ValidatorTestFileRenamed'],
    ['a+b', 'a+-b'],
  ])('should encode %s as .NET Encoding.UTF7 does (%s)', (name, expected) => {
    expect(dotnetUtf7(name)).toBe(expected);
  });

  it('should write spaces directly, as .NET does', () => {
    expect(dotnetUtf7('a b')).toBe('a b');
  });
});

describe('dotnetUtf7UrlRoundTrip', () => {
  it('should be the UTF-7 string with spaces turned into +', () => {
    expect(dotnetUtf7UrlRoundTrip('my file_1.docx')).toBe('my+file+AF8-1.docx');
    expect(dotnetUtf7UrlRoundTrip('madeup_name.wopitestx')).toBe('madeup+AF8-name.wopitestx');
  });
});
