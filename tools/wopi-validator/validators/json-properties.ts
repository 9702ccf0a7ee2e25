import { getQueryParameterValue } from '../dotnet-url';
import type { PropertyDef } from '../model';
import type { SavedState } from '../state';
import { equalsIgnoreCase, fromJson, fromString, type ValueType } from './dotnet-values';
import { responseBodyMatches } from './response-body';

/** Keys whose value, with nothing to compare against, must be Unix milliseconds within ±10 years. */
const UNIX_TIMESTAMP_KEYS = new Set(['AccessTokenExpiry', 'ServerTime', 'AccessTokenValidFrom']);

export interface PropertyContext {
  state: SavedState;
  nowMs: number;
}

/**
 * One property validator of JsonContentValidator. `actual` is the SelectToken result: undefined when
 * the path matched nothing, null for a JSON null. Returns undefined when it passes, else the reason.
 */
export function checkProperty(
  def: PropertyDef,
  actual: unknown,
  ctx: PropertyContext,
): string | undefined {
  switch (def.kind) {
    case 'BooleanProperty':
      return checkEquality(def, actual, ctx, 'bool');
    case 'IntegerProperty':
      return checkEquality(def, actual, ctx, 'int');
    case 'LongProperty':
      return checkEquality(def, actual, ctx, 'long');
    case 'StringProperty':
      return checkString(def, actual, ctx);
    case 'ArrayProperty':
      return checkEquality({ ...def, expectedValue: def.containsValue }, actual, ctx, 'string');
    case 'StringRegexProperty':
      return checkRegex(def, actual);
    case 'AbsoluteUrlProperty':
      return checkAbsoluteUrl(def, actual);
    case 'ArrayLengthProperty':
      return checkArrayLength(def, actual);
    case 'ResponseBodyProperty':
      return checkResponseBody(def, actual);
  }
}

/** IsActualValueNullOrEmpty: missing, null, "", [] or {}. */
export function isNullOrEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

/** JsonPropertyEqualityValidator<T>.Validate (and Compare) for bool, int, long, string and arrays. */
function checkEquality(
  def: PropertyDef,
  actual: unknown,
  ctx: PropertyContext,
  type: ValueType,
): string | undefined {
  if (isNullOrEmpty(actual)) {
    return def.isRequired ? 'Required property missing' : undefined;
  }
  const hasExpected = def.expectedValue !== undefined;
  const fallback =
    type === 'string' ? (def.expectedValue ?? null) : defaultOf(def.expectedValue, type);
  let expected: boolean | number | string | null = fallback;
  let hasStateValue = false;
  const saved =
    def.expectedStateKey === undefined ? undefined : ctx.state.get(def.expectedStateKey);
  if (saved) {
    const converted = fromString(saved, type);
    if (converted.ok) {
      expected = converted.value;
      hasStateValue = true;
    } else if (!hasExpected) {
      return `ExpectedStateValue should be of type : ${type}`;
    }
  }
  if (!hasExpected && !hasStateValue) {
    return UNIX_TIMESTAMP_KEYS.has(def.name)
      ? checkTimestamp(def.name, actual, ctx.nowMs)
      : undefined;
  }
  if (def.kind === 'ArrayProperty') {
    return checkContains(actual, expected as string | null);
  }
  const typed = fromJson(actual, type);
  const shown = typed.ok ? show(typed.value) : JSON.stringify(actual);
  const valid =
    typed.ok &&
    (def.ignoreCase && typeof typed.value === 'string' && typeof expected === 'string'
      ? typed.value.toUpperCase() === expected.toUpperCase()
      : typed.value === expected);
  return valid
    ? undefined
    : `Expected: '${show(fallback)}${def.ignoreCase ? ' (case-insensitive)' : ''}', Actual: '${shown}'`;
}

function defaultOf(raw: string | undefined, type: ValueType): boolean | number {
  if (raw === undefined) {
    return type === 'bool' ? false : 0;
  }
  const converted = fromString(raw, type);
  if (!converted.ok || typeof converted.value === 'string') {
    throw new Error(`ExpectedValue '${raw}' is not a ${type}`);
  }
  return converted.value;
}

function show(value: boolean | number | string | null): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value ?? '');
}

function checkTimestamp(name: string, actual: unknown, nowMs: number): string | undefined {
  const typed = fromJson(actual, 'long');
  const now = new Date(nowMs);
  const low = new Date(nowMs);
  low.setUTCFullYear(now.getUTCFullYear() - 10);
  const high = new Date(nowMs);
  high.setUTCFullYear(now.getUTCFullYear() + 10);
  if (
    typed.ok &&
    typeof typed.value === 'number' &&
    typed.value >= low.getTime() &&
    typed.value <= high.getTime()
  ) {
    return undefined;
  }
  return `${name} value isn't reasonable, it's out of [currentTime-10 years, currentTime+10 years] boundary`;
}

function checkContains(actual: unknown, expected: string | null): string | undefined {
  if (!Array.isArray(actual)) {
    return `Expected an array containing '${String(expected)}', Actual: ${JSON.stringify(actual)}`;
  }
  const items = actual.map((item) => fromJson(item, 'string'));
  const found = items.some(
    (item) =>
      item.ok &&
      typeof item.value === 'string' &&
      expected !== null &&
      equalsIgnoreCase(item.value, expected),
  );
  return found ? undefined : `Expected: '${String(expected)}', Actual: '${JSON.stringify(actual)}'`;
}

/** JsonStringPropertyValidator: equality (ordinal, or invariant ignore-case), then EndsWith. */
function checkString(def: PropertyDef, actual: unknown, ctx: PropertyContext): string | undefined {
  const base = checkEquality(def, actual, ctx, 'string');
  if (base !== undefined || def.endsWith === undefined || def.endsWith.trim() === '') {
    return base;
  }
  const typed = fromJson(actual, 'string');
  if (!typed.ok || typeof typed.value !== 'string') {
    return `Expected to end with: '${def.endsWith}', Actual: ${actual === undefined ? 'missing' : JSON.stringify(actual)}`;
  }
  const value = typed.value;
  const ends = def.ignoreCase
    ? value.toUpperCase().endsWith(def.endsWith.toUpperCase())
    : value.endsWith(def.endsWith);
  return ends ? undefined : `Expected to end with: '${def.endsWith}', Actual: '${value}'`;
}

/** JsonStringRegexPropertyValidator: absent and optional passes; present but null or "" fails. */
function checkRegex(def: PropertyDef, actual: unknown): string | undefined {
  const pattern = def.expectedValue ?? '';
  if (actual === undefined && !def.isRequired) {
    return undefined;
  }
  const typed = fromJson(actual, 'string');
  if (!typed.ok || typed.value === null || typed.value === '') {
    return `Value null doesn't match the expected regular expression '${pattern}'`;
  }
  const value = String(typed.value);
  const matches = new RegExp(pattern, def.ignoreCase ? 'i' : '').test(value);
  if (def.shouldMatch && !matches) {
    return `Value '${value}' doesn't match the expected regular expression '${pattern}'`;
  }
  if (!def.shouldMatch && matches) {
    return `Value '${value}' matched the regular expression, but should not '${pattern}'`;
  }
  return undefined;
}

function checkAbsoluteUrl(def: PropertyDef, actual: unknown): string | undefined {
  if (isNullOrEmpty(actual)) {
    return def.isRequired ? 'Value is required but not provided.' : undefined;
  }
  const typed = fromJson(actual, 'string');
  const value = typed.ok ? String(typed.value) : JSON.stringify(actual);
  if (!typed.ok || !isAbsoluteUri(value)) {
    return `Cannot parse ${value} as absolute URL`;
  }
  if (def.mustIncludeAccessToken && getQueryParameterValue(value, 'access_token') === undefined) {
    return `URL '${value}' does not include the 'access_token' query parameter`;
  }
  return undefined;
}

/** Uri.TryCreate(value, UriKind.Absolute) for the URLs hosts return. */
export function isAbsoluteUri(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    return false;
  }
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function checkArrayLength(def: PropertyDef, actual: unknown): string | undefined {
  if (actual === undefined) {
    return def.isRequired ? 'Value is required but not provided.' : undefined;
  }
  if (!Array.isArray(actual)) {
    return def.isRequired
      ? `Value is of '${actual === null ? 'Null' : typeof actual}' type and is not an array type`
      : undefined;
  }
  const expected = Number(def.expectedValue ?? 0);
  return actual.length === expected
    ? undefined
    : `Expected array to be of length '${String(expected)}', Actual: '${String(actual.length)}'`;
}

function checkResponseBody(def: PropertyDef, actual: unknown): string | undefined {
  if (actual === undefined) {
    return def.isRequired ? 'Value is required but not provided.' : undefined;
  }
  if (def.expectedValue === undefined) {
    return 'ResponseBodyProperty has no ExpectedValue';
  }
  return responseBodyMatches(def.expectedValue, actual);
}
