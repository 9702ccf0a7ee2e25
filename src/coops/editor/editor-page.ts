/** The built-in editor's page and style; the script is in editor-script.ts. */

export const EDITOR_STYLE = `
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, sans-serif; color: #1d2b36; background: #f4f6f8; }
header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1rem; background: #0d2a46; color: #fff; }
h1 { margin: 0; font-size: 1rem; font-weight: 600; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#status { font-size: 0.85rem; opacity: 0.8; }
#people { display: flex; gap: 0.4rem; margin: 0; padding: 0; list-style: none; }
#people li { padding: 0.1rem 0.6rem; border-radius: 1rem; background: #2f6f9f; font-size: 0.85rem; }
main { flex: 1; display: flex; min-height: 0; }
textarea { flex: 1; margin: 0; padding: 1rem; border: 0; resize: none; outline: none; font: 14px/1.5 ui-monospace, monospace; tab-size: 4; background: #fff; }
iframe { flex: 1; border: 0; border-left: 1px solid #ccd; background: #fff; }
`;

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

export interface EditorPageConfig {
  name: string;
  readOnly: boolean;
  /** `html` shows a sandboxed preview beside the text. */
  preview: 'html' | 'none';
}

/** The page; assets are referenced relative to it, so a path prefix in front (a proxy) keeps working. */
export function renderEditorPage(config: EditorPageConfig): string {
  // JSON in a script element: "<" escaped so the text can never close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(config.name)}</title>
<link rel="stylesheet" href="../../_editor/editor.css">
</head>
<body>
<header><h1 id="title">${escapeHtml(config.name)}</h1><ul id="people" aria-label="Also editing"></ul><span id="status" role="status">loading</span></header>
<main><textarea id="text" spellcheck="false" aria-label="Document text" disabled></textarea><iframe id="preview" sandbox="" title="Preview" hidden></iframe></main>
<script id="coops-config" type="application/json">${json}</script>
<script src="../../_editor/diff-match-patch.js"></script>
<script src="../../_editor/editor.js"></script>
</body>
</html>
`;
}
