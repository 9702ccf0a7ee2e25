import { diffMatchPatchSource } from './diff-match-patch-source';
import { EDITOR_STYLE } from './editor-page';
import { EDITOR_SCRIPT } from './editor-script';

export interface EditorAsset {
  body: string;
  contentType: string;
}

let diffMatchPatch: string | undefined;

/**
 * The one place editor assets come from. The page, style and script are compiled in; the browser
 * copy of diff-match-patch is the npm package's own file, read once
 * (diff-match-patch-source.ts; the single executable has it inlined).
 */
export function editorAsset(name: string): EditorAsset | undefined {
  switch (name) {
    case 'editor.js':
      return { body: EDITOR_SCRIPT, contentType: 'text/javascript; charset=utf-8' };
    case 'editor.css':
      return { body: EDITOR_STYLE, contentType: 'text/css; charset=utf-8' };
    case 'diff-match-patch.js':
      diffMatchPatch ??= browserModule(diffMatchPatchSource(), 'diff_match_patch');
      return { body: diffMatchPatch, contentType: 'text/javascript; charset=utf-8' };
    default:
      return undefined;
  }
}

/** Wraps a CommonJS file so a browser gets its export as a global. */
function browserModule(source: string, globalName: string): string {
  return `(function () {\nvar module = { exports: {} };\nvar exports = module.exports;\n${source}\nwindow.${globalName} = module.exports;\n})();\n`;
}
