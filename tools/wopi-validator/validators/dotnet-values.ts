/**
 * .NET conversions the validators rely on: JToken.Value<T>() on a JSON value, Convert.ChangeType on
 * a saved state string, and the string comparisons. A value that .NET could not convert gives
 * `{ ok: false }` with the reason.
 */

export type Converted<T> = { ok: true; value: T } | { ok: false; reason: string };
export type ValueType = 'bool' | 'int' | 'long' | 'string';

const INT32 = { min: -2147483648, max: 2147483647 };

export function fromJson(
  value: unknown,
  type: ValueType,
): Converted<boolean | number | string | null> {
  if (value === undefined) {
    return { ok: false, reason: 'no value' };
  }
  if (type === 'string') {
    if (value === null || typeof value === 'string') {
      return { ok: true, value };
    }
    if (typeof value === 'boolean') {
      return { ok: true, value: value ? 'True' : 'False' };
    }
    if (typeof value === 'number') {
      return { ok: true, value: String(value) };
    }
    return { ok: false, reason: `cannot convert ${describe(value)} to a string` };
  }
  if (typeof value === 'string') {
    return fromString(value, type);
  }
  if (type === 'bool') {
    return typeof value === 'boolean' || typeof value === 'number'
      ? { ok: true, value: Boolean(value) }
      : { ok: false, reason: `cannot convert ${describe(value)} to a boolean` };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    const number = typeof value === 'boolean' ? Number(value) : roundHalfEven(value);
    return inRange(number, type);
  }
  return { ok: false, reason: `cannot convert ${describe(value)} to an integer` };
}

/** Convert.ChangeType(string, T) / Boolean.Parse / Int32.Parse. */
export function fromString(text: string, type: ValueType): Converted<boolean | number | string> {
  if (type === 'string') {
    return { ok: true, value: text };
  }
  const trimmed = text.trim();
  if (type === 'bool') {
    const lower = trimmed.toLowerCase();
    return lower === 'true' || lower === 'false'
      ? { ok: true, value: lower === 'true' }
      : { ok: false, reason: `'${text}' is not a boolean` };
  }
  if (!/^[+-]?\d+$/.test(trimmed)) {
    return { ok: false, reason: `'${text}' is not an integer` };
  }
  return inRange(Number(trimmed), type);
}

function inRange(value: number, type: 'int' | 'long'): Converted<number> {
  const ok =
    type === 'int'
      ? value >= INT32.min && value <= INT32.max
      : Number.isSafeInteger(value) || Math.abs(value) < 2 ** 63;
  return ok
    ? { ok: true, value }
    : { ok: false, reason: `${String(value)} is out of range for ${type}` };
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) {
    return floor + 1;
  }
  if (diff < 0.5) {
    return floor;
  }
  return floor % 2 === 0 ? floor : floor + 1;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a JSON ${typeof value}`;
}

/** String.Equals(a, b, StringComparison.OrdinalIgnoreCase). */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && a.toUpperCase() === b.toUpperCase();
}

/** JToken.ToString() of a string value is the bare string; what the omit processor compares to "*". */
export function tokenText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
