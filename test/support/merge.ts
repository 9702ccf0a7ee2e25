import DiffMatchPatch from 'diff-match-patch';

const dmp = new DiffMatchPatch();
// Minimal diffs only: with a timeout, dmp may describe an insertion as "delete X, insert X plus
// more", and two such descriptions of one region would duplicate X in the merge.
dmp.Diff_Timeout = 0;

interface Edits {
  inserts: string[];
  deleted: boolean[];
}

function editsOf(base: string, changed: string): Edits {
  const inserts: string[] = Array.from({ length: base.length + 1 }, () => '');
  const deleted: boolean[] = Array.from({ length: base.length }, () => false);
  let at = 0;
  for (const [op, text] of dmp.diff_main(base, changed)) {
    if (op === 1) {
      inserts[at] = (inserts[at] ?? '') + text;
    } else {
      if (op === -1) {
        deleted.fill(true, at, at + text.length);
      }
      at += text.length;
    }
  }
  return { inserts, deleted };
}

/**
 * A three-way merge of two edits of `base`, as a client rebases its pending edits over a revision
 * it just received: both sides' insertions are kept (theirs first where both insert at one spot)
 * and a character survives only when neither side deleted it. Undefined when the result would split
 * a surrogate pair.
 */
export function merge3(base: string, theirs: string, ours: string): string | undefined {
  const a = editsOf(base, theirs);
  const b = editsOf(base, ours);
  let merged = '';
  for (let i = 0; i <= base.length; i++) {
    merged += (a.inserts[i] ?? '') + (b.inserts[i] ?? '');
    if (i < base.length && !a.deleted[i] && !b.deleted[i]) {
      merged += base[i] ?? '';
    }
  }
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(merged)
    ? undefined
    : merged;
}
