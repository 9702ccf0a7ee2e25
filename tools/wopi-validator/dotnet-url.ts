/**
 * URL handling exactly as wopi-validator-core does it (UrlHelper, HttpUtility, UriBuilder), so the
 * request line and the signed URL carry the same bytes Microsoft's runner would send.
 */

/**
 * UrlHelper.UrlKeyValueEncode: every character except [0-9A-Za-z] becomes UTF-8 `%XX` (uppercase).
 * A high surrogate takes the next character with it; a lone one at the end is dropped.
 */
export function urlKeyValueEncode(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (/[0-9A-Za-z]/.test(value.charAt(i))) {
      out += value.charAt(i);
    } else if (code <= 0x7f) {
      out += hex(code);
    } else if (code <= 0x7ff) {
      out += hex(0xc0 | (code >> 6)) + hex(0x80 | (code & 0x3f));
    } else if ((code & 0xfc00) !== 0xd800) {
      out +=
        hex(0xe0 | (code >> 12)) + hex(0x80 | ((code & 0xfc0) >> 6)) + hex(0x80 | (code & 0x3f));
    } else if (i < value.length - 1) {
      const point = (((code & 0x3ff) << 10) | (value.charCodeAt(i + 1) & 0x3ff)) + 0x10000;
      out +=
        hex(0xf0 | (point >> 18)) +
        hex(0x80 | ((point & 0x3f000) >> 12)) +
        hex(0x80 | ((point & 0xfc0) >> 6)) +
        hex(0x80 | (point & 0x3f));
      i++;
    }
  }
  return out;
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** HttpUtility.UrlEncode (UTF-8): `[A-Za-z0-9-_.!*()]` kept, space as `+`, the rest `%xx` lowercase. */
export function httpUtilityUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(char)) {
      out += char;
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += `%${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}

/** HttpUtility.UrlDecode (UTF-8): `+` is a space, `%XX` and `%uXXXX` decode, anything malformed stays. */
export function httpUtilityUrlDecode(value: string): string {
  const bytes: number[] = [];
  const flushText = (text: string): void => {
    bytes.push(...Buffer.from(text, 'utf8'));
  };
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (char === '+') {
      bytes.push(0x20);
    } else if (char === '%' && /^u[0-9A-Fa-f]{4}$/.test(value.slice(i + 1, i + 6))) {
      flushText(String.fromCharCode(parseInt(value.slice(i + 2, i + 6), 16)));
      i += 5;
    } else if (char === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      flushText(char);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** UrlHelper.GetQueryParameterValue: the decoded value of `?name=` / `&name=` (case-insensitive), or undefined. */
export function getQueryParameterValue(url: string, name: string): string | undefined {
  const lower = url.toLowerCase();
  let at = lower.indexOf(`?${name.toLowerCase()}=`);
  if (at < 0) {
    at = lower.indexOf(`&${name.toLowerCase()}=`);
  }
  if (at < 0) {
    return undefined;
  }
  const start = at + name.length + 2;
  const end = url.slice(start).search(/[&#]/);
  return httpUtilityUrlDecode(end < 0 ? url.slice(start) : url.slice(start, start + end));
}

/** UrlHelper.AppendOrReplaceQueryParameter, with the value HttpUtility-encoded. */
export function appendOrReplaceQueryParameter(url: string, name: string, value: string): string {
  const encodedName = httpUtilityUrlEncode(name);
  const encodedValue = httpUtilityUrlEncode(value);
  const lower = url.toLowerCase();
  let at = lower.indexOf(`?${encodedName.toLowerCase()}=`);
  if (at < 0) {
    at = lower.indexOf(`&${encodedName.toLowerCase()}=`);
  }
  if (at >= 0) {
    const valueStart = at + encodedName.length + 2;
    const next = url.slice(valueStart).search(/[&#]/);
    const rest = next < 0 ? '' : url.slice(valueStart + next);
    return `${url.slice(0, at + 1)}${encodedName}=${encodedValue}${rest}`;
  }
  const prefix = url.includes('?') ? '&' : '?';
  const hash = url.indexOf('#');
  return hash < 0
    ? `${url}${prefix}${encodedName}=${encodedValue}`
    : `${url.slice(0, hash)}${prefix}${encodedName}=${encodedValue}${url.slice(hash)}`;
}

/** WopiRequest.BuildWopiUri: WopiSrc + path + `access_token=…&access_token_ttl=…`. */
export function buildWopiUri(
  wopiSrc: string,
  pathOverride: string,
  token: string,
  ttl: string,
): string {
  let url = wopiSrc + pathOverride;
  if (!wopiSrc.includes('?')) {
    url += '?';
  } else if (!wopiSrc.endsWith('&')) {
    url += '&';
  }
  return `${url}access_token=${urlKeyValueEncode(token)}&access_token_ttl=${ttl}`;
}

export interface UrlParts {
  scheme: string;
  authority: string;
  path: string;
  query: string;
  fragment: string;
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s;

export function splitUrl(url: string): UrlParts {
  const match = ABSOLUTE.exec(url);
  if (!match) {
    throw new Error(`not an absolute URL: ${JSON.stringify(url)}`);
  }
  return {
    scheme: match[1] ?? '',
    authority: match[2] ?? '',
    path: match[3] ?? '',
    query: match[4] ?? '',
    fragment: match[5] ?? '',
  };
}

/** UriBuilder(url) { Path += suffix }: the suffix goes on the path, before the query. */
export function appendToPath(url: string, suffix: string): string {
  const parts = splitUrl(url);
  const path = parts.path === '' ? '/' : parts.path;
  return `${parts.scheme}://${parts.authority}${path}${suffix}${parts.query}${parts.fragment}`;
}

/**
 * What System.Uri puts on the wire for a URL string: characters that may not appear in a URI
 * (space, non-ASCII, `"<>\^`{|}`, a `%` not starting an escape) are percent-encoded; existing
 * escapes are kept. The fragment is dropped (it is never sent).
 */
export function requestTarget(url: string): {
  origin: string;
  pathAndQuery: string;
  secure: boolean;
} {
  const parts = splitUrl(url);
  const parsed = new URL(`${parts.scheme}://${parts.authority}/`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`not an http(s) URL: ${url}`);
  }
  const pathAndQuery = escapeUriText((parts.path === '' ? '/' : parts.path) + parts.query);
  return {
    origin: `${parsed.protocol}//${parsed.host}`,
    pathAndQuery,
    secure: parsed.protocol === 'https:',
  };
}

function escapeUriText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    if (char === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += char;
    } else if (code > 0x20 && code < 0x7f && !'"<>\\^`{|}%'.includes(char)) {
      out += char;
    } else {
      const point = text.codePointAt(i) ?? code;
      out += [...Buffer.from(String.fromCodePoint(point), 'utf8')].map(hex).join('');
      if (point > 0xffff) {
        i++;
      }
    }
  }
  return out;
}
