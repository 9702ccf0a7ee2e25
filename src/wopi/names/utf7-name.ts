import { decode, encode } from 'utf7';
import { InvalidFileNameError } from '../wopi.errors';

const BASE64_CHAR = /[A-Za-z0-9+/]/;
const BASE64_VALUE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes a UTF-7 header value (RFC 2152; X-WOPI-SuggestedTarget, -RelativeTarget, -RequestedName).
 *
 * Invalid UTF-7, refused with 400, is: a character outside 7-bit printable ASCII (UTF-7 is 7-bit);
 * a `+` not followed by a base64 character or `-`; a base64 run whose leftover bits are 6 or more
 * or not all zero (a truncated or padded code unit); and a run that decodes to a lone UTF-16
 * surrogate.
 */
export function decodeUtf7(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw new InvalidFileNameError('invalid UTF-7: not 7-bit printable ASCII');
    }
    if (value[i] !== '+') {
      continue;
    }
    if (value[i + 1] === '-') {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < value.length && BASE64_CHAR.test(value.charAt(end))) {
      end++;
    }
    checkRun(value.slice(i + 1, end));
    i = value[end] === '-' ? end : end - 1;
  }
  return decode(value);
}

/** UTF-7 of a name, as headers such as X-WOPI-ValidRelativeTarget carry it. */
export function encodeUtf7(name: string): string {
  return encode(name);
}

function checkRun(run: string): void {
  if (run === '') {
    throw new InvalidFileNameError('invalid UTF-7: "+" starts no base64 run');
  }
  const bits = run.length * 6;
  const leftover = bits % 16;
  if (leftover >= 6) {
    throw new InvalidFileNameError('invalid UTF-7: truncated base64 run');
  }
  const last = BASE64_VALUE.indexOf(run.charAt(run.length - 1));
  if ((last & ((1 << leftover) - 1)) !== 0) {
    throw new InvalidFileNameError('invalid UTF-7: non-zero padding bits');
  }
  const units: number[] = [];
  let buffer = 0;
  let count = 0;
  for (const char of run) {
    buffer = (buffer << 6) | BASE64_VALUE.indexOf(char);
    count += 6;
    if (count >= 16) {
      count -= 16;
      units.push((buffer >> count) & 0xffff);
      buffer &= (1 << count) - 1;
    }
  }
  for (let j = 0; j < units.length; j++) {
    const unit = units[j] ?? 0;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = units[j + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff) {
        throw new InvalidFileNameError('invalid UTF-7: lone surrogate');
      }
      j++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      throw new InvalidFileNameError('invalid UTF-7: lone surrogate');
    }
  }
}
