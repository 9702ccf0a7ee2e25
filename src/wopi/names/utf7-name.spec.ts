import { encode } from 'utf7';
import { describe, expect, it } from 'vitest';
import { InvalidFileNameError } from '../wopi.errors';
import { decodeUtf7, encodeUtf7 } from './utf7-name';

describe('decodeUtf7', () => {
  it('should decode what editors and the WOPI validator send', () => {
    expect(decodeUtf7('madeup+AF8-name.wopitestx')).toBe('madeup_name.wopitestx');
    expect(decodeUtf7('hello world+ACU-1.pdf')).toBe('hello world%1.pdf');
    expect(decodeUtf7('+ZYdO9g-1.docx')).toBe('文件1.docx');
    expect(decodeUtf7('a+-b')).toBe('a+b');
    expect(decodeUtf7('plain name.docx')).toBe('plain name.docx');
    // Collabora's rename test: runs end implicitly at a space, no "-".
    expect(decodeUtf7('+HjwBoR2JAOsdhg +AgseVQFhHZkeQQ +Hg0e4R49Ae0dcw +AoIB0AFl-')).toBe(
      'Ḽơᶉëᶆ ȋṕšᶙṁ ḍỡḽǭᵳ ʂǐť',
    );
    expect(decodeUtf7('+2D3eAA-.txt')).toBe('😀.txt');
  });

  it('should round-trip the encoder used for X-WOPI-ValidRelativeTarget', () => {
    for (const name of ['report (1).docx', 'naïve_ñame.pdf', '文件.xlsx', '😀 smile.odt']) {
      expect(decodeUtf7(encodeUtf7(name))).toBe(name);
      expect(encodeUtf7(name)).toBe(encode(name));
    }
  });

  it.each([
    ['a lone "+" at the end', 'name+'],
    ['"+" followed by a character outside base64', 'a+!b'],
    ['a truncated code unit (6 leftover bits)', 'a+A-'],
    ['non-zero padding bits', 'a+AGF-'],
    ['a lone high surrogate', '+2D0-'],
    ['a lone low surrogate', '+3gA-'],
    ['an 8-bit character', 'caf\u00e9'],
    ['a control character', 'tab\there'],
  ])('should refuse invalid UTF-7: %s', (_reason, value) => {
    expect(() => decodeUtf7(value)).toThrow(InvalidFileNameError);
  });
});
