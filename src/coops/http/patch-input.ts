import { CoopsBadRequestError } from '../coops.errors';
import type { Extensions, PatchInput, Properties } from '../coops.types';

/**
 * Validates a PATCH body (REST JSON or form, or a WebSocket `patch` message's data); every problem
 * is listed. `revisionNumber` may come as a string of digits (form bodies).
 */
export function toPatchInput(data: unknown): PatchInput {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CoopsBadRequestError(['the body must be a JSON object']);
  }
  const body = data as Record<string, unknown>;
  const reasons: string[] = [];
  const sessionId = body['sessionId'];
  if (typeof sessionId !== 'string' || sessionId === '') {
    reasons.push('sessionId must be a non-empty string');
  }
  const revisionNumber = toRevisionNumber(body['revisionNumber']);
  if (revisionNumber === undefined) {
    reasons.push('revisionNumber must be a non-negative integer');
  }
  const patch = body['patch'] ?? null;
  if (patch !== null && typeof patch !== 'string') {
    reasons.push('patch must be a string or null');
  }
  const properties = body['properties'] ?? null;
  if (properties !== null && !isStringMap(properties)) {
    reasons.push('properties must be an object of string values, or null');
  }
  const extensions = body['extensions'] ?? null;
  if (extensions !== null && !isObject(extensions)) {
    reasons.push('extensions must be an object or null');
  }
  if (reasons.length > 0 || typeof sessionId !== 'string' || revisionNumber === undefined) {
    throw new CoopsBadRequestError(reasons);
  }
  return {
    sessionId,
    revisionNumber,
    patch: patch as string | null,
    properties: properties as Properties | null,
    extensions: extensions as Extensions | null,
  };
}

/** Form bodies (`application/x-www-form-urlencoded`), with `properties[key]=value` for maps. */
export function formToObject(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const nested = /^(properties|extensions)\[([^\]]+)\]$/.exec(name);
    if (nested?.[1] && nested[2]) {
      const map = (result[nested[1]] ??= {}) as Record<string, string>;
      map[nested[2]] = value;
    } else {
      result[name] = value;
    }
  }
  return result;
}

export function toRevisionNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Properties {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}
