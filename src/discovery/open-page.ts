import { randomBytes } from 'node:crypto';

export interface OpenPage {
  html: string;
  headers: Record<string, string>;
}

export interface OpenPageInput {
  /** The editor URL (discovery's urlsrc, substituted). */
  appUrl: string;
  accessToken: string;
  /** Token expiry in epoch milliseconds. */
  accessTokenTtl: number;
  fileName: string;
  appName: string;
}

/**
 * A page that POSTs access_token and access_token_ttl to the editor at once, the way oCIS web does.
 * No referrer leaves the page (its URL carries the token), nothing is cached, and the only script is
 * the one carrying this response's nonce.
 */
export function renderOpenPage(input: OpenPageInput): OpenPage {
  const nonce = randomBytes(16).toString('base64');
  const title = `Opening ${input.fileName} in ${input.appName}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
</head>
<body>
<p>${escapeHtml(title)}…</p>
<form id="open-in-editor" method="post" action="${escapeHtml(input.appUrl)}">
<input type="hidden" name="access_token" value="${escapeHtml(input.accessToken)}">
<input type="hidden" name="access_token_ttl" value="${String(input.accessTokenTtl)}">
<noscript><button type="submit">Open</button></noscript>
</form>
<script nonce="${nonce}">document.getElementById('open-in-editor').submit();</script>
</body>
</html>
`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`,
    },
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}
