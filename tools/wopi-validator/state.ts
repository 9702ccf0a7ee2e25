import type { WopiResponse } from './http-client';
import { selectToken } from './json-path';
import type { StateDef } from './model';

/**
 * A test case's saved state (C#'s Dictionary<string, string>): a key can be missing, or present
 * with null (a SaveState whose source was not found).
 */
export type SavedState = Map<string, string | null>;

export const ORIGINAL_ACCESS_TOKEN = 'OriginalAccessToken';
export const ORIGINAL_WOPI_SRC = 'OriginalWopiSrc';

export function initialState(token: string, wopiSrc: string): SavedState {
  return new Map([
    [ORIGINAL_ACCESS_TOKEN, token],
    [ORIGINAL_WOPI_SRC, wopiSrc],
  ]);
}

/** StateEntry.GetValue: a header value, or a JSON body token as a .NET string; null when absent. */
export function stateValue(def: StateDef, response: WopiResponse): string | null {
  if (def.sourceType === 'Header') {
    const value = response.headers.get(def.source.toLowerCase());
    return value === undefined || value === '' ? null : value;
  }
  if (response.text === undefined || response.text === '') {
    return null;
  }
  try {
    const parsed = JSON.parse(response.text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return null;
    }
    return dotnetString(selectToken(parsed, def.source));
  } catch {
    return null;
  }
}

/**
 * JToken.Value<string>() for what a JSON value can be: strings as they are, booleans as "True" /
 * "False", numbers in invariant notation, null for null, objects and arrays (not convertible).
 */
export function dotnetString(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return null;
}
