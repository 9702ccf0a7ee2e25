import DiffMatchPatch from 'diff-match-patch';
import { describe, expect, it } from 'vitest';
import { mutatePatch, randomEdit, randomText, seededRandom } from '../../../test/support/random';
import {
  applyPatch,
  makePatch,
  md5,
  mergeInto,
  PatchFormatError,
  PatchMismatchError,
  wholeContentPatch,
} from './dmp';

// What the CKEditor client produces (npm diff-match-patch 1.0.5), with the md5 it expects.
const VECTORS = [
  ['', '<p>a</p>', '@@ -0,0 +1,8 @@\n+%3Cp%3Ea%3C/p%3E\n', '9fb83da5876b087ddc72927b565f223a'],
  [
    '<p>a</p>',
    '<p>abc</p>',
    '@@ -1,8 +1,10 @@\n %3Cp%3Ea\n+bc\n %3C/p%3E\n',
    'b45712336dc240fcf16aeb762ba96dba',
  ],
  [
    '<p>abc</p>',
    '<p>abc</p><p>abd</p>',
    '@@ -3,8 +3,18 @@\n %3Eabc%3C/p%3E\n+%3Cp%3Eabd%3C/p%3E\n',
    '0cee704e0e9191d9c844fa1f0293d9ab',
  ],
  [
    '<p>qwe</p>',
    '<p>aqwe</p>',
    '@@ -1,10 +1,11 @@\n %3Cp%3E\n+a\n qwe%3C/p%3E\n',
    '8522ecfd227a257d6f59ef9ad4ffccef',
  ],
  [
    '<p>Hyvää päivää</p>',
    '<p>Hyvää yötä 100% & "ok"</p>',
    '@@ -6,14 +6,24 @@\n v%C3%A4%C3%A4 \n-p%C3%A4iv%C3%A4%C3%A4\n+y%C3%B6t%C3%A4 100%25 & %22ok%22\n %3C/p%3E\n',
    '4ea84f5dc2b393f12994efb1c049e2d3',
  ],
] as const;

describe('dmp', () => {
  it('should make and apply the patches the real client makes, with its checksums', () => {
    for (const [from, to, patch, checksum] of VECTORS) {
      expect(makePatch(from, to)).toBe(patch);
      expect(applyPatch(from, patch)).toBe(to);
      expect(md5(to)).toBe(checksum);
    }
  });

  it('should refuse a hunk whose context is not exactly at its position', () => {
    const patch = makePatch('<p>abc</p>', '<p>abXc</p>');
    // dmp's default fuzzy matching would apply this at the shifted position.
    expect(() => applyPatch('<p>zzabc</p>', patch)).toThrow(PatchMismatchError);
    expect(() => applyPatch('', patch)).toThrow(PatchMismatchError);
  });

  it('should refuse text that is not a patch', () => {
    for (const bad of ['hello', '@@ -1,2 +1,2 @@\n?x\n', '@@ -1 +1 @@\n+%E0%A4%A\n']) {
      expect(() => applyPatch('ab', bad)).toThrow(PatchFormatError);
    }
  });

  it('should refuse a patch that leaves half a surrogate pair', () => {
    // The middle hunk has no context, so it can name a position inside the pair.
    const patch =
      '@@ -1,4 +1,5 @@\n+1\n abcd\n@@ -10,0 +11 @@\n+x\n@@ -13,8 +13,9 @@\n ijkl\n+2\n mnop\n';
    expect(() => applyPatch('abcdefgh😀ijklmnop', patch)).toThrow(/splits a character/);
    expect(applyPatch('abcdefghXYijklmnop', patch)).toBe('1abcdefghXxYijkl2mnop');
  });

  it('should refuse hunks that do not look like patch_make output', () => {
    // No context before a first hunk that does not start the text: dmp would apply it elsewhere.
    expect(() => applyPatch('0123456789', '@@ -3,0 +4 @@\n+x\n')).toThrow(PatchMismatchError);
    // Header lengths that do not match the lines.
    expect(() => applyPatch('abcd', '@@ -1,9 +1,9 @@\n abcd\n')).toThrow(PatchFormatError);
    // Overlapping hunks.
    const twice = '@@ -0,0 +1,2 @@\n+ab\n@@ -0,0 +1,2 @@\n+ab\n';
    expect(() => applyPatch('', twice)).toThrow(PatchFormatError);
  });

  it('should fall back to a whole-content patch where patch_toText would split a surrogate pair', () => {
    expect(() =>
      new DiffMatchPatch().patch_toText(new DiffMatchPatch().patch_make('ab😀😀', 'b😀😀')),
    ).toThrow(URIError);
    const patch = makePatch('ab😀😀', 'b😀😀');
    expect(patch).toBe(wholeContentPatch('ab😀😀', 'b😀😀'));
    expect(applyPatch('ab😀😀', patch)).toBe('b😀😀');
    expect(
      new DiffMatchPatch().patch_apply(new DiffMatchPatch().patch_fromText(patch), 'ab😀😀')[0],
    ).toBe('b😀😀');
  });

  it('should make whole-content patches for empty sides', () => {
    expect(wholeContentPatch('', '')).toBe('');
    expect(applyPatch('', wholeContentPatch('', 'a b'))).toBe('a b');
    expect(applyPatch('a b', wholeContentPatch('a b', ''))).toBe('');
  });

  it('should agree with dmp patch_apply on random edits (property)', () => {
    const random = seededRandom(9);
    const dmp = new DiffMatchPatch();
    for (let i = 0; i < 500; i++) {
      const from = randomText(random, 80);
      const to = randomEdit(random, from);
      const patch = makePatch(from, to);
      expect(applyPatch(from, patch)).toBe(to);
      expect(dmp.patch_apply(dmp.patch_fromText(patch), from)[0]).toBe(to);
    }
  });

  it('should reject damaged patches with a patch error only, and agree with dmp when one still applies (fuzz)', () => {
    const random = seededRandom(17);
    const dmp = new DiffMatchPatch();
    let applied = 0;
    for (let i = 0; i < 3000; i++) {
      const from = randomText(random, 60);
      const patch = mutatePatch(random, makePatch(from, randomEdit(random, from)));
      let result: string;
      try {
        result = applyPatch(from, patch);
      } catch (error) {
        expect(error instanceof PatchFormatError || error instanceof PatchMismatchError).toBe(true);
        continue;
      }
      applied++;
      expect(dmp.patch_apply(dmp.patch_fromText(patch), from)[0]).toBe(result);
    }
    expect(applied).toBeGreaterThan(100);
  });

  it('should merge a change into concurrently edited text', () => {
    expect(mergeInto('one two three', 'one 2 three', 'one two three four')).toBe(
      'one 2 three four',
    );
  });
});
