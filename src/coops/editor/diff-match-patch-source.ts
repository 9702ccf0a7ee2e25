import { readFileSync } from 'node:fs';

/**
 * The npm package's browser-usable source of diff-match-patch. The single-executable build
 * (scripts/build-binary.mjs) replaces this module with the file's text inlined.
 */
export function diffMatchPatchSource(): string {
  return readFileSync(require.resolve('diff-match-patch'), 'utf8');
}
