/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS = ['access_token', 'access_token_ttl_secret', 'token'];

/** Strips secret query values from a URL or path+query, keeping everything else readable. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return url;
  }
  const base = url.slice(0, queryStart);
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.includes(decodeSafe(name).toLowerCase()) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${base}?${query}`;
}

/** Header names whose values are never logged. */
export const SECRET_HEADERS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-wopi-proof',
  'x-wopi-proofold',
  'x-access-token',
  'x-reva-transfer',
] as const;

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name] = (SECRET_HEADERS as readonly string[]).includes(name.toLowerCase())
      ? '[REDACTED]'
      : value;
  }
  return result;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Censors secret query values inside free text (error messages that quote a URL). */
export function redactText(text: string): string {
  return text.replace(/((?:access_token|token)=)[^&\s"']*/gi, '$1[REDACTED]');
}
