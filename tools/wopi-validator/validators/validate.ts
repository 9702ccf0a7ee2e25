import { validateFrames } from '../chunked/frames-validator';
import { VALIDATOR_ERROR_HEADER, type WopiResponse } from '../http-client';
import { selectToken } from '../json-path';
import type { ValidatorDef } from '../model';
import type { ResourceStore } from '../resources';
import type { SavedState } from '../state';
import { equalsIgnoreCase } from './dotnet-values';
import { checkProperty } from './json-properties';
import type { SchemaStore } from './json-schemas';

export interface ValidationContext {
  state: SavedState;
  resources: ResourceStore;
  schemas: SchemaStore;
  nowMs: number;
}

/** The validators of one request: ContentLength always, then either 200 or Exception + the listed ones. */
export function validateResponse(
  validators: ValidatorDef[] | undefined,
  response: WopiResponse,
  ctx: ValidationContext,
): string[] {
  const errors = contentLengthErrors(response);
  if (validators === undefined) {
    errors.push(...validate({ kind: 'ResponseCode', expected: 200 }, response, ctx));
    return errors;
  }
  errors.push(...exceptionErrors(response));
  for (const def of validators) {
    errors.push(...validate(def, response, ctx));
  }
  return errors;
}

/** ContentLengthValidator: a Content-Length header must equal the bytes received. */
export function contentLengthErrors(response: WopiResponse): string[] {
  const header = response.headers.get('content-length');
  if (header === undefined || Number(header) === response.body.length) {
    return [];
  }
  return [
    `Actual content length '${String(response.body.length)}' of response does not match value in header content-length '${header}'`,
  ];
}

/** ExceptionValidator: the runner could not send the request or read the answer. */
export function exceptionErrors(response: WopiResponse): string[] {
  const message = response.headers.get(VALIDATOR_ERROR_HEADER);
  return response.status === 306 && message !== undefined
    ? [`ExceptionValidator: Exception thrown while executing: ${message}`]
    : [];
}

export function validate(
  def: ValidatorDef,
  response: WopiResponse,
  ctx: ValidationContext,
): string[] {
  switch (def.kind) {
    case 'ResponseCode':
      return def.expected === response.status
        ? []
        : [
            `Incorrect StatusCode. Expected: ${String(def.expected)}, Actual: ${String(response.status)}`,
          ];
    case 'ResponseHeader':
      return headerErrors(def, response, ctx.state);
    case 'LockMismatch':
      return [
        ...validate({ kind: 'ResponseCode', expected: 409 }, response, ctx),
        ...headerErrors(
          {
            kind: 'ResponseHeader',
            header: 'X-WOPI-Lock',
            expectedValue: def.expectedLock,
            comparator: '=',
            isRequired: Boolean(def.expectedLock),
            shouldMatch: true,
          },
          response,
          ctx.state,
        ),
      ];
    case 'ResponseContent': {
      const expected = def.expectedBody
        ? Buffer.from(def.expectedBody, 'utf8')
        : ctx.resources.content(def.resourceId);
      return expected.equals(response.body)
        ? []
        : [
            `Response body does not match expected content. Expected stream length: ${String(expected.length)}, actual stream length: ${String(response.body.length)}`,
          ];
    }
    case 'JsonSchema':
      if (response.text === undefined) {
        return ['The JsonSchemaValidator can only be used on requests that have a JSON response.'];
      }
      return response.text === ''
        ? ["Couldn't read response content."]
        : ctx.schemas.validate(def.schema, response.text);
    case 'JsonResponseContent':
      return jsonContentErrors(def, response, ctx);
    case 'And':
      return def.children.flatMap((child) => validate(child, response, ctx));
    case 'Or': {
      const results = def.children.map((child) => validate(child, response, ctx));
      return results.some((errors) => errors.length === 0) ? [] : results.flat();
    }
    case 'Frames':
      return validateFrames(def, response, ctx);
  }
}

type HeaderDef = Extract<ValidatorDef, { kind: 'ResponseHeader' }>;

/** ResponseHeaderValidator: optional unless IsRequired; `=` is case-insensitive; numeric comparators int32. */
function headerErrors(def: HeaderDef, response: WopiResponse, state: SavedState): string[] {
  const value = response.headers.get(def.header.toLowerCase());
  if (value === undefined) {
    return def.isRequired ? [`'${def.header}' header is not present on the response`] : [];
  }
  const saved = def.expectedStateKey === undefined ? undefined : state.get(def.expectedStateKey);
  const expected =
    saved === undefined || saved === null || saved === '' ? def.expectedValue : saved;
  switch (def.comparator) {
    case '=': {
      if (expected === undefined) {
        return [];
      }
      if (!def.shouldMatch && value === '' && expected === '') {
        return [`'${def.header}' header value should be any non empty string.`];
      }
      const matches = equalsIgnoreCase(value, expected);
      if (def.shouldMatch && !matches) {
        return [
          `'${def.header}' header value is different than expected. Expected: '${expected}', Actual: '${value}'`,
        ];
      }
      return !def.shouldMatch && matches
        ? [`'${def.header}' header value should not be : '${expected}'`]
        : [];
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compareNumbers(def, value, expected);
    default:
      return [`Comparator '${def.comparator}' is not valid`];
  }
}

function compareNumbers(def: HeaderDef, value: string, expected: string | undefined): string[] {
  const int = (text: string | undefined): number | undefined =>
    text !== undefined && /^\s*[+-]?\d+\s*$/.test(text) && Math.abs(Number(text)) <= 2147483648
      ? Number(text)
      : undefined;
  const actual = int(value);
  if (actual === undefined) {
    return [
      `'${def.header}' header is present, but its value '${value}' can not be parsed to integer`,
    ];
  }
  const target = int(expected);
  if (target === undefined) {
    return [`expected value '${String(expected)}' can not be parsed to integer`];
  }
  const ok =
    (def.comparator === '<' && actual < target) ||
    (def.comparator === '<=' && actual <= target) ||
    (def.comparator === '>' && actual > target) ||
    (def.comparator === '>=' && actual >= target);
  return ok
    ? []
    : [
        `headerVal:${String(actual)} ${def.comparator} comparedValue:${String(target)} comparison failed`,
      ];
}

type JsonContentDef = Extract<ValidatorDef, { kind: 'JsonResponseContent' }>;

/** JsonContentValidator: a non-empty JSON object body, each property checked by its SelectToken path. */
function jsonContentErrors(
  def: JsonContentDef,
  response: WopiResponse,
  ctx: ValidationContext,
): string[] {
  const text = response.text;
  if (text === undefined || text === '') {
    return def.shouldExist
      ? ["Response body should exist, but couldn't read resource content."]
      : [];
  }
  if (!def.shouldExist) {
    return ["Response body shouldn't exist."];
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [
      'JsonContentValidator: JsonReaderException thrown while parsing JSON. Are you sure the response is JSON?',
    ];
  }
  const errors: string[] = [];
  try {
    for (const property of def.properties) {
      const error = checkProperty(property, selectToken(body, property.name), {
        state: ctx.state,
        nowMs: ctx.nowMs,
      });
      if (error !== undefined) {
        errors.push(`Incorrect value for '${property.name}' property. ${error}`);
      }
    }
  } catch (error) {
    return [
      `JsonContentValidator: JsonException thrown while parsing JSON content: '${error instanceof Error ? error.message : String(error)}'`,
    ];
  }
  return errors;
}
