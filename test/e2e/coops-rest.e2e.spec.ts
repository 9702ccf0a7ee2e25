import { rm, writeFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatch, md5 } from '../../src/coops/algorithm/dmp';
import type { Revision } from '../../src/coops/coops.types';
import { openCoops, type OpenedCoops } from '../support/coops';
import type { JoinAnswer } from '../support/coops-client';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ COLLABORATION_COOPS_CORS_ORIGINS: 'https://editor.example' });
});

afterAll(async () => {
  await server.dispose();
});

let counter = 0;

async function fresh(content = 'hello', user = 'alice'): Promise<OpenedCoops> {
  return openCoops(server, `doc-${String(++counter)}.txt`, { content, user });
}

async function join(
  url: string,
  query = 'algorithm=dmp&protocolVersion=1.0.0',
): Promise<JoinAnswer> {
  const response = await fetch(`${url}/join?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as JoinAnswer;
}

function patch(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

async function updates(url: string, sessionId: string, after: number): Promise<Response> {
  return fetch(`${url}/update?sessionId=${sessionId}&revisionNumber=${String(after)}`);
}

async function errorOf(response: Response): Promise<{ code: string; reasons?: string[] }> {
  return (await response.json()) as { code: string; reasons?: string[] };
}

describe('CoOPS REST', () => {
  it('should load the document: numeric revision, the file text exactly', async () => {
    const text = 'line one\r\nZeile zwei: äöü €\n😀 three\n';
    const doc = await fresh(text);
    const response = await fetch(doc.coopsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      revisionNumber: 0,
      content: text,
      contentType: 'text/plain',
      properties: {},
    });
  });

  it('should hand out an absolute address without a query string, a different one per user', async () => {
    const name = `shared-${String(++counter)}.md`;
    const alice = await openCoops(server, name, { content: '# hi', user: 'alice' });
    const bob = await openCoops(server, name, { user: 'bob' });
    for (const url of [alice.coopsUrl, bob.coopsUrl]) {
      expect(url).toMatch(new RegExp(`^${server.config.wopi.src}/coops/${alice.fileId}/[\\w-]+$`));
      expect(url).not.toContain('?');
    }
    expect(alice.coopsUrl).not.toBe(bob.coopsUrl);
    expect(alice.editorUrl).toBe(`${alice.coopsUrl}/editor`);
    const [a, b] = await Promise.all([fetch(alice.coopsUrl), fetch(bob.coopsUrl)]);
    expect(((await a.json()) as { content: string }).content).toBe('# hi');
    expect(((await b.json()) as { contentType: string }).contentType).toBe('text/markdown');
  });

  it('should join with the dmp algorithm, extensions always an object', async () => {
    const doc = await fresh();
    const joined = await join(
      doc.coopsUrl,
      'algorithm=uint2darr-lw&algorithm=dmp&protocolVersion=1.0.0',
    );
    expect(joined).toMatchObject({ algorithm: 'dmp', content: 'hello', contentType: 'text/plain' });
    expect(typeof joined.revisionNumber).toBe('number');
    expect(typeof joined.sessionId).toBe('string');
    expect(joined.extensions).toEqual({
      webSocket: {
        ws: `${doc.coopsUrl.replace(/^http:/, 'ws:')}/ws/${joined.sessionId}`,
      },
      sessionEvents: [],
      'x-http-method-override': {},
    });
    const second = await join(doc.coopsUrl);
    expect(second.sessionId).not.toBe(joined.sessionId);
    expect(second.extensions.sessionEvents).toEqual([
      {
        sessionId: joined.sessionId,
        displayName: 'Alice',
        email: 'alice@example.com',
        status: 'OPEN',
      },
    ]);
  });

  it('should refuse a join without protocol version or algorithm (400) and one it cannot speak (501)', async () => {
    const doc = await fresh();
    const missing = await fetch(`${doc.coopsUrl}/join`);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).reasons).toEqual([
      'protocolVersion is required',
      'at least one algorithm is required',
    ]);
    for (const query of [
      'algorithm=dmp&protocolVersion=0.9',
      'algorithm=json-patch&protocolVersion=1.0.0',
    ]) {
      const response = await fetch(`${doc.coopsUrl}/join?${query}`);
      expect(response.status).toBe(501);
      expect((await errorOf(response)).code).toBe('NOT_IMPLEMENTED');
    }
  });

  it('should accept a patch with exactly 204, and list it with its md5 in /update for its own session', async () => {
    const doc = await fresh('<p>a</p>');
    const joined = await join(doc.coopsUrl);
    const response = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
      patch: '@@ -1,8 +1,10 @@\n %3Cp%3Ea\n+bc\n %3C/p%3E\n',
      properties: null,
      extensions: null,
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const update = await updates(doc.coopsUrl, joined.sessionId, joined.revisionNumber);
    expect(update.status).toBe(200);
    expect(await update.json()).toEqual([
      {
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber + 1,
        checksum: 'b45712336dc240fcf16aeb762ba96dba',
        patch: '@@ -1,8 +1,10 @@\n %3Cp%3Ea\n+bc\n %3C/p%3E\n',
        properties: null,
        extensions: null,
      },
    ]);
    const load = (await (await fetch(doc.coopsUrl)).json()) as {
      content: string;
      revisionNumber: number;
    };
    expect(load).toMatchObject({
      content: '<p>abc</p>',
      revisionNumber: joined.revisionNumber + 1,
    });
  });

  it('should answer /update with 204 and no body when nothing is new', async () => {
    const doc = await fresh();
    const joined = await join(doc.coopsUrl);
    const response = await updates(doc.coopsUrl, joined.sessionId, joined.revisionNumber);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('should list revisions in order with only their own properties and extensions', async () => {
    const doc = await fresh();
    const alice = await join(doc.coopsUrl);
    const bob = await join(doc.coopsUrl);
    let revision = bob.revisionNumber;
    const send = async (body: Record<string, unknown>): Promise<void> => {
      const response = await patch(doc.coopsUrl, {
        sessionId: alice.sessionId,
        revisionNumber: revision,
        ...body,
      });
      expect(response.status).toBe(204);
      revision++;
    };
    await send({ properties: { title: 'One', lang: 'en' } });
    await send({ extensions: { ckcur: { selections: [] } } });
    await send({ properties: { title: 'Two' }, patch: makePatch('hello', 'hello!') });
    const response = await updates(doc.coopsUrl, bob.sessionId, bob.revisionNumber);
    const listed = (await response.json()) as Revision[];
    expect(listed.map((r) => r.revisionNumber)).toEqual([
      bob.revisionNumber + 1,
      bob.revisionNumber + 2,
      bob.revisionNumber + 3,
    ]);
    expect(listed[0]).toMatchObject({
      patch: null,
      checksum: null,
      properties: { title: 'One', lang: 'en' },
      extensions: null,
    });
    expect(listed[1]).toMatchObject({
      patch: null,
      checksum: null,
      properties: null,
      extensions: { ckcur: { selections: [] } },
    });
    expect(listed[2]).toMatchObject({ properties: { title: 'Two' }, checksum: md5('hello!') });
    const load = (await (await fetch(doc.coopsUrl)).json()) as { properties: unknown };
    expect(load.properties).toEqual({ title: 'Two', lang: 'en' });
  });

  it('should refuse a stale revision and a patch that does not apply exactly with 409', async () => {
    const doc = await fresh('<p>abc</p>');
    const joined = await join(doc.coopsUrl);
    const at = joined.revisionNumber;
    const ok = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: at,
      patch: makePatch('<p>abc</p>', '<p>abXc</p>'),
    });
    expect(ok.status).toBe(204);
    const stale = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: at,
      patch: makePatch('<p>abc</p>', '<p>abYc</p>'),
    });
    expect(stale.status).toBe(409);
    // Current revision, but made for other content (dmp's fuzzy matching would apply it).
    const fuzzy = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: at + 1,
      patch: makePatch('<p>zzabXc</p>', '<p>zzabXYc</p>'),
    });
    expect(fuzzy.status).toBe(409);
    const splits = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: at + 1,
      patch: makePatch('<p>abXc</p>', '<px>abXc</p>'),
    });
    expect(splits.status).toBe(204);
    const future = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: at + 10,
      patch: null,
    });
    expect(future.status).toBe(409);
    const load = (await (await fetch(doc.coopsUrl)).json()) as { content: string };
    expect(load.content).toBe('<px>abXc</p>');
  });

  it('should refuse a patch splitting a surrogate pair with 409', async () => {
    const doc = await fresh('😀');
    const joined = await join(doc.coopsUrl);
    const response = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
      patch: '@@ -1,0 +2 @@\n+x\n',
    });
    expect(response.status).toBe(409);
  });

  it('should count every accepted PATCH as one revision, content or not', async () => {
    const doc = await fresh();
    const joined = await join(doc.coopsUrl);
    for (let i = 0; i < 4; i++) {
      const body = [
        { patch: makePatch('hello', 'hello') },
        { properties: { a: 'b' } },
        { extensions: { x: 1 } },
        {},
      ][i];
      expect(
        (
          await patch(doc.coopsUrl, {
            sessionId: joined.sessionId,
            revisionNumber: joined.revisionNumber + i,
            ...body,
          })
        ).status,
      ).toBe(204);
    }
    const load = (await (await fetch(doc.coopsUrl)).json()) as { revisionNumber: number };
    expect(load.revisionNumber).toBe(joined.revisionNumber + 4);
  });

  it('should take POST with x-http-method-override: PATCH, and a form body', async () => {
    const doc = await fresh('ab');
    const joined = await join(doc.coopsUrl);
    const response = await fetch(doc.coopsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-http-method-override': 'PATCH' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('ab', 'abc'),
      }),
    });
    expect(response.status).toBe(204);
    const form = new URLSearchParams({
      sessionId: joined.sessionId,
      revisionNumber: String(joined.revisionNumber + 1),
      patch: makePatch('abc', 'abcd'),
      'properties[width]': '100',
    });
    const formResponse = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(formResponse.status).toBe(204);
    expect(await (await fetch(doc.coopsUrl)).json()).toMatchObject({
      content: 'abcd',
      properties: { width: '100' },
    });
    const plainPost = await fetch(doc.coopsUrl, { method: 'POST', body: '{}' });
    expect(plainPost.status).toBe(400);
  });

  it('should answer bad bodies with 400 and every reason', async () => {
    const doc = await fresh();
    const joined = await join(doc.coopsUrl);
    const notJson = await patch(doc.coopsUrl, '{"sessionId": ');
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).reasons?.[0]).toMatch(/^the body is not JSON/);
    const empty = await patch(doc.coopsUrl, '');
    expect(empty.status).toBe(400);
    const array = await patch(doc.coopsUrl, '[]');
    expect((await errorOf(array)).reasons).toEqual(['the body must be a JSON object']);
    const wrong = await patch(doc.coopsUrl, {
      sessionId: 5,
      revisionNumber: '1.5',
      patch: 3,
      properties: { a: 1 },
      extensions: [],
    });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).reasons).toEqual([
      'sessionId must be a non-empty string',
      'revisionNumber must be a non-negative integer',
      'patch must be a string or null',
      'properties must be an object of string values, or null',
      'extensions must be an object or null',
    ]);
    const garbage = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
      patch: 'not a patch',
    });
    expect(garbage.status).toBe(400);
    expect((await errorOf(garbage)).reasons?.[0]).toMatch(/^patch is not a diff-match-patch text/);
    const unknown = await patch(doc.coopsUrl, { sessionId: 'no-such-session', revisionNumber: 0 });
    expect(unknown.status).toBe(400);
    const badUpdate = await fetch(`${doc.coopsUrl}/update?revisionNumber=x`);
    expect(badUpdate.status).toBe(400);
    expect((await errorOf(badUpdate)).reasons).toEqual([
      'sessionId is required',
      'revisionNumber must be a non-negative integer',
    ]);
    expect((await fetch(`${doc.coopsUrl}?revisionNumber=-1`)).status).toBe(400);
  });

  it('should refuse bodies beyond the limit with 413', async () => {
    const doc = await fresh();
    const response = await patch(doc.coopsUrl, `{"patch":"${'x'.repeat(9 * 1024 * 1024)}"}`);
    expect(response.status).toBe(413);
  });

  it('should refuse a patch that makes the document larger than 1 MiB with 413', async () => {
    const big = 'x'.repeat(1024 * 1024 - 4);
    const doc = await fresh(big);
    const joined = await join(doc.coopsUrl);
    const response = await patch(doc.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
      patch: makePatch(big, `${big}more than four`),
    });
    expect(response.status).toBe(413);
    const tooBig = await fresh(`${big}12345`);
    expect((await fetch(tooBig.coopsUrl)).status).toBe(413);
  });

  it('should check the capability like the token: 401 when damaged, expired or for another file', async () => {
    const doc = await fresh();
    const other = await fresh();
    const capability = doc.coopsUrl.split('/').pop() ?? '';
    const damaged = doc.coopsUrl.slice(0, -4) + (doc.coopsUrl.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const expired = await openCoops(server, `doc-${String(counter)}.txt`, { ttlMs: -60_000 });
    for (const url of [
      damaged,
      `${server.httpUrl}/coops/${other.fileId}/${capability}`,
      expired.coopsUrl,
      `${server.httpUrl}/coops/${doc.fileId}/${'x'.repeat(80)}`,
    ]) {
      const response = await fetch(url);
      expect(response.status).toBe(401);
      expect((await fetch(`${url}/join?algorithm=dmp&protocolVersion=1.0.0`)).status).toBe(401);
    }
  });

  it('should refuse patches from read-only tokens (403) and from another user’s session (403)', async () => {
    const name = `perm-${String(++counter)}.txt`;
    const alice = await openCoops(server, name, { content: 'x', user: 'alice' });
    const bob = await openCoops(server, name, { user: 'bob' });
    const viewer = await openCoops(server, name, { user: 'carol', mode: 'read' });
    const joined = await join(alice.coopsUrl);
    const asBob = await patch(bob.coopsUrl, {
      sessionId: joined.sessionId,
      revisionNumber: joined.revisionNumber,
    });
    expect(asBob.status).toBe(403);
    const viewerJoin = await join(viewer.coopsUrl);
    const readOnly = await patch(viewer.coopsUrl, {
      sessionId: viewerJoin.sessionId,
      revisionNumber: viewerJoin.revisionNumber,
    });
    expect(readOnly.status).toBe(403);
    expect((await updates(viewer.coopsUrl, viewerJoin.sessionId, 0)).status).toBe(200);
  });

  it('should answer 404 for unknown routes and files that are gone', async () => {
    const doc = await fresh();
    expect((await fetch(`${doc.coopsUrl}/nothing`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/coops/${doc.fileId}`)).status).toBe(404);
    const gone = await openCoops(server, `gone-${String(++counter)}.txt`, { content: 'bye' });
    await rm(joinPath(server.root, `gone-${String(counter)}.txt`));
    expect((await fetch(gone.coopsUrl)).status).toBe(404);
  });

  it('should load an older revision and say when it does not exist', async () => {
    const doc = await fresh('a');
    const joined = await join(doc.coopsUrl);
    for (const [i, text] of ['ab', 'abc', 'abcd'].entries()) {
      const previous = ['a', 'ab', 'abc'][i] ?? '';
      expect(
        (
          await patch(doc.coopsUrl, {
            sessionId: joined.sessionId,
            revisionNumber: joined.revisionNumber + i,
            patch: makePatch(previous, text),
            properties: { step: String(i) },
          })
        ).status,
      ).toBe(204);
    }
    const old = await fetch(`${doc.coopsUrl}?revisionNumber=${String(joined.revisionNumber + 1)}`);
    expect(await old.json()).toEqual({
      revisionNumber: joined.revisionNumber + 1,
      content: 'ab',
      contentType: 'text/plain',
      properties: { step: '0' },
    });
    expect(await (await fetch(`${doc.coopsUrl}?revisionNumber=0`)).json()).toMatchObject({
      revisionNumber: 0,
      content: 'a',
    });
    expect((await fetch(`${doc.coopsUrl}?revisionNumber=999`)).status).toBe(404);
  });

  it('should answer CORS preflights and put the headers on errors too, for configured origins only', async () => {
    const doc = await fresh();
    const preflight = await fetch(doc.coopsUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://editor.example', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://editor.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(
      /x-http-method-override/i,
    );
    const error = await fetch(`${doc.coopsUrl}/join`, {
      headers: { origin: 'https://editor.example' },
    });
    expect(error.status).toBe(400);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://editor.example');
    const stranger = await fetch(doc.coopsUrl, { headers: { origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('should refuse files that are not UTF-8 text', async () => {
    const name = `binary-${String(++counter)}.txt`;
    await writeFile(joinPath(server.root, name), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    const doc = await openCoops(server, name);
    const response = await fetch(doc.coopsUrl);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).reasons).toEqual(['the file is not UTF-8 text']);
  });
});
