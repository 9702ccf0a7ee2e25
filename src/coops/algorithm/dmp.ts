import DiffMatchPatch from 'diff-match-patch';
import { createHash } from 'node:crypto';

/** The one algorithm CoOPS clients use: diff-match-patch `patch_toText` patches over the text. */
export const DMP_ALGORITHM = 'dmp';

const DIFF_DELETE = -1;
const DIFF_INSERT = 1;
const DIFF_EQUAL = 0;

type Diff = [number, string];

interface PatchObject {
  diffs: Diff[];
  start1: number | null;
  start2: number | null;
  length1: number;
  length2: number;
}

/** Why a patch was refused: it cannot be read at all, or it does not fit the content exactly. */
export class PatchFormatError extends Error {}
export class PatchMismatchError extends Error {}

const engine = new DiffMatchPatch();
engine.Match_Threshold = 0;
engine.Diff_Timeout = 1;

/** Lowercase hex md5 of the UTF-8 bytes of the content, as every CoOPS client computes it. */
export function md5(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

/** Reads `patch_toText` output; throws PatchFormatError for anything that is not such a text. */
export function parsePatch(text: string): PatchObject[] {
  try {
    return engine.patch_fromText(text) as unknown as PatchObject[];
  } catch (error) {
    throw new PatchFormatError(error instanceof Error ? error.message : String(error));
  }
}

/** dmp pads the text with this many characters around the first and last hunk when applying. */
const PADDING = 4;

/**
 * Applies a patch exactly (Match_Threshold 0 and more): every hunk's context and deleted text must
 * be at the position its header names, in the text as the earlier hunks left it. Hunks must also
 * look like `patch_make` output (header lengths that match their lines, in order, with context at
 * the edges), because for exactly those patches dmp's own `patch_apply`, which clients run, gives
 * the same result; it would also apply hunks fuzzily elsewhere, which the server never does.
 */
export function applyPatch(content: string, patchText: string): string {
  let text = content;
  const patches = parsePatch(patchText);
  let end = 0;
  patches.forEach((patch, index) => {
    let before = '';
    let after = '';
    for (const [op, part] of patch.diffs) {
      if (op !== DIFF_INSERT) {
        before += part;
      }
      if (op !== DIFF_DELETE) {
        after += part;
      }
    }
    const at = patch.start2 ?? 0;
    if (patch.length1 !== before.length || patch.length2 !== after.length) {
      throw new PatchFormatError(
        `hunk ${String(index + 1)}: header lengths do not match its lines`,
      );
    }
    if (at < end) {
      throw new PatchFormatError(`hunk ${String(index + 1)} overlaps the one before it`);
    }
    if (at + before.length > text.length || !text.startsWith(before, at)) {
      throw new PatchMismatchError(
        `hunk at ${String(at)} (${String(before.length)} characters) does not match the content`,
      );
    }
    const first = patch.diffs[0];
    const last = patch.diffs[patch.diffs.length - 1];
    const leading = first?.[0] === DIFF_EQUAL ? first[1].length : 0;
    const trailing = last?.[0] === DIFF_EQUAL ? last[1].length : 0;
    if (index === 0 && at !== 0 && leading < PADDING) {
      throw new PatchMismatchError('the first hunk has too little context before it');
    }
    if (index === patches.length - 1 && at + before.length !== text.length && trailing < PADDING) {
      throw new PatchMismatchError('the last hunk has too little context after it');
    }
    text = text.slice(0, at) + after + text.slice(at + before.length);
    end = at + after.length;
  });
  if (hasLoneSurrogate(text)) {
    throw new PatchMismatchError('the patch splits a character (a UTF-16 surrogate pair)');
  }
  return text;
}

/**
 * The patch that turns `from` into `to`, as clients make it. `patch_toText` fails when a hunk's
 * context splits a surrogate pair (google/diff-match-patch#68); then, and whenever the result would
 * not apply exactly, one hunk replacing the whole content is used instead.
 */
export function makePatch(from: string, to: string): string {
  try {
    const diffs = engine.diff_main(from, to);
    engine.diff_cleanupEfficiency(diffs);
    const text = engine.patch_toText(engine.patch_make(from, diffs));
    if (applyPatch(from, text) === to) {
      return text;
    }
  } catch {
    // fall through to the whole-content patch
  }
  return wholeContentPatch(from, to);
}

/** One hunk deleting everything and inserting the new text. */
export function wholeContentPatch(from: string, to: string): string {
  const diffs: Diff[] = [];
  if (from !== '') {
    diffs.push([DIFF_DELETE, from]);
  }
  if (to !== '') {
    diffs.push([DIFF_INSERT, to]);
  }
  if (diffs.length === 0) {
    return '';
  }
  const header = `@@ -${range(0, from.length)} +${range(0, to.length)} @@\n`;
  const body = diffs
    .map(([op, part]) => `${op === DIFF_DELETE ? '-' : '+'}${encodeURI(part)}\n`)
    .join('')
    .replace(/%20/g, ' ');
  return header + body;
}

/** Three-way merge: the change from `base` to `theirs`, applied (fuzzily) onto `ours`; undefined when a hunk fails. */
export function mergeInto(base: string, theirs: string, ours: string): string | undefined {
  const fuzzy = new DiffMatchPatch();
  const [merged, applied] = fuzzy.patch_apply(fuzzy.patch_make(base, theirs), ours);
  return applied.every(Boolean) && !hasLoneSurrogate(merged) ? merged : undefined;
}

/** Header range as patch_toText writes it: 1-based start, 0-based when empty, ",1" omitted. */
function range(start: number, length: number): string {
  if (length === 0) {
    return `${String(start)},0`;
  }
  if (length === 1) {
    return String(start + 1);
  }
  return `${String(start + 1)},${String(length)}`;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

export { DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT };
