import { isDeepStrictEqual } from 'node:util';
import { tokenText } from './dotnet-values';

/**
 * JsonResponseBodyPropertyValidator (the coauth table check): properties whose expected value is
 * "*" are wildcards — the same property names in the actual value are replaced by "*" — then both
 * arrays are ordered by CoauthLockId and compared deeply (object key order does not matter).
 */
export function responseBodyMatches(
  expectedJson: string,
  actualValue: unknown,
): string | undefined {
  let expected: unknown;
  try {
    expected = JSON.parse(expectedJson);
  } catch (error) {
    return `ResponseBodyProperty ExpectedValue is not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  const actual = structuredClone(actualValue);
  const wildcards = new Set<string>();
  omit(expected, wildcards, false);
  omit(actual, wildcards, true);
  const sortedExpected = sortByLockId(expected);
  const sortedActual = sortByLockId(actual);
  if (
    sortedExpected.ok &&
    sortedActual.ok &&
    isDeepStrictEqual(sortedExpected.value, sortedActual.value)
  ) {
    return undefined;
  }
  return `\nExpected: '${JSON.stringify(sortedExpected.value)}', \nActual: '${JSON.stringify(sortedActual.value)}'`;
}

function omit(node: unknown, wildcards: Set<string>, replace: boolean): void {
  const visit = (object: Record<string, unknown>): void => {
    for (const key of Object.keys(object)) {
      if (replace && wildcards.has(key)) {
        object[key] = '*';
      } else if (tokenText(object[key]) === '*') {
        wildcards.add(key);
      }
      omit(object[key], wildcards, replace);
    }
  };
  if (isObject(node)) {
    visit(node);
  } else if (Array.isArray(node)) {
    for (const item of node) {
      if (isObject(item)) {
        visit(item);
      }
    }
  }
}

/** JsonSort: an array ordered by each element's CoauthLockId (missing first); primitives as they are. */
function sortByLockId(node: unknown): { ok: boolean; value: unknown } {
  if (Array.isArray(node)) {
    const key = (item: unknown): string | undefined =>
      isObject(item) && typeof item['CoauthLockId'] === 'string' ? item['CoauthLockId'] : undefined;
    const sorted = [...(node as unknown[])].sort((a, b) => {
      const left = key(a);
      const right = key(b);
      if (left === undefined || right === undefined) {
        return left === right ? 0 : left === undefined ? -1 : 1;
      }
      return left.localeCompare(right, 'en');
    });
    return { ok: true, value: sorted };
  }
  // Newtonsoft cannot order a non-empty object by CoauthLockId and throws.
  return { ok: !isObject(node) || Object.keys(node).length === 0, value: node };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
