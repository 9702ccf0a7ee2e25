import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { EditorClient } from './editor-client';
import type { WopiFixture } from './wopi-fixture';
import type { WopiResponse } from './wopi-http';

/** What each editor's sequences get from describeWopiEditorSequences. */
export interface SequenceContext {
  /** The fixture of the running test. */
  fixture(): WopiFixture;
  /** An editor session on a file: a token for `app` and the headers that editor sends. */
  session(
    fileId: string,
    app: string,
    headers: (token: string) => Record<string, string>,
    options?: { mode?: 'view' | 'read' | 'write'; userId?: string },
  ): Promise<EditorClient>;
}
/** ISO 8601 UTC as CheckFileInfo and PutFile answer it (the editors compare it verbatim). */
export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export const DOCX = Buffer.from('PK\u0003\u0004 a word document, version 1');
export const DOCX_V2 = Buffer.from('PK\u0003\u0004 a word document, version 2 (edited)');

export function cfi(response: WopiResponse): Record<string, unknown> {
  expect(response.status).toBe(200);
  expect(response.header('content-type')).toMatch(/^application\/json/);
  const body = response.json();
  for (const [key, value] of Object.entries(body)) {
    expect(value, key).not.toBeNull();
    expect(value, key).not.toBe('');
  }
  return body;
}

export function expectOkWithoutLock(response: WopiResponse): void {
  expect(response.status).toBe(200);
  expect(response.header('x-wopi-lock')).toBeUndefined();
  expect(response.header('x-wopi-itemversion')).toMatch(/^v\d+$/);
}

export function expectLockConflict(response: WopiResponse, currentLock: string): void {
  expect(response.status).toBe(409);
  expect(response.header('x-wopi-lock')).toBe(currentLock);
  expect(response.header('x-wopi-lockfailurereason')).toBeTruthy();
}

/** Collabora Online's request headers (wsd/wopi/WopiStorage.cpp): Bearer token and its server id. */
export function collaboraHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-COOL-WOPI-ServerId': 'a1b2c3d4' };
}

/** ONLYOFFICE's request headers (wopiUtils.js fillStandardHeaders): no Authorization. */
export function onlyOfficeHeaders(): Record<string, string> {
  return {
    'X-WOPI-TimeStamp': String(BigInt(Date.now()) * 10_000n + 621_355_968_000_000_000n),
    'X-WOPI-ClientVersion': '8.3.0.100',
    'X-WOPI-CorrelationId': randomUUID(),
    'X-WOPI-SessionId': randomUUID(),
  };
}

/** Microsoft 365 for the web's request headers (common_headers.rst). */
export function microsoftHeaders(token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'X-WOPI-CorrelationId': randomUUID(),
    'X-WOPI-SessionId': randomUUID(),
    'X-WOPI-ClientVersion': '16.0.19000.10000',
  };
}

/** Microsoft's JSON lock ids (validator LockFormatValidation). */
export function msLock(): string {
  return JSON.stringify({
    S: randomUUID(),
    E: 2,
    M: 'DE997C5AC4E6',
    P: randomUUID().toUpperCase(),
  });
}
