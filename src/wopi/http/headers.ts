import type { IncomingHttpHeaders } from 'node:http';

/** A request header's first value (names are lower case). */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `true`/`false` in any case (.NET sends `True`); anything else is undefined. */
export function booleanHeader(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const value = headerOf(headers, name)?.trim().toLowerCase();
  if (value === 'true') {
    return true;
  }
  return value === 'false' ? false : undefined;
}

/** A non-negative integer header (Content-Length, X-WOPI-Size...); undefined when absent or not a number. */
export function sizeHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const value = headerOf(headers, name)?.trim();
  if (value === undefined || !/^\d{1,16}$/.test(value)) {
    return undefined;
  }
  return Number(value);
}
