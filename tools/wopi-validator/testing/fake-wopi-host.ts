import { verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proofBytes } from '../proof/signing';
import { msFromTicks } from '../proof/ticks';
import {
  decode7,
  lockOperation,
  putFile,
  targetName,
  uniqueName,
  type FakeFile,
  type Faults,
  type Outcome,
} from './fake-files';

export interface FakeHostOptions {
  token: string;
  faults?: Faults;
  /** When set, every WOPI request must carry a valid proof (else 500), as Office's hosts check. */
  proofKeys?: { current: KeyObject; old: KeyObject };
  now?: () => number;
}

export interface FakeHost {
  origin: string;
  wopiSrc: string;
  files: Map<string, FakeFile>;
  /** Every request line and its headers, in order. */
  requests: {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }[];
  close(): Promise<void>;
}

/**
 * A small in-memory WOPI host for the runner's own tests: CheckFileInfo, GetFile/PutFile, locks,
 * PutRelativeFile, RenameFile, DeleteFile, PutUserInfo, a FileUrl, proof keys — enough to pass
 * every case that applies to it, with faults to inject.
 */
export async function startFakeWopiHost(options: FakeHostOptions): Promise<FakeHost> {
  const files = new Map<string, FakeFile>();
  const requests: FakeHost['requests'] = [];
  let nextId = 1;
  const add = (name: string, content: Buffer): FakeFile => {
    const file: FakeFile = { id: `f${String(nextId++)}`, name, content, version: 1, userInfo: '' };
    files.set(file.id, file);
    return file;
  };
  add('test.wopitest', Buffer.alloc(0));
  let origin = '';
  const faults = options.faults ?? {};
  const now = options.now ?? Date.now;

  const handle = (req: IncomingMessage, body: Buffer): Outcome => {
    const url = new URL(req.url ?? '/', origin);
    const fileUrl = /^\/fileurl\/(f\d+)$/.exec(url.pathname);
    if (fileUrl) {
      const file = files.get(fileUrl[1] ?? '');
      return file && url.searchParams.get('access_token') === options.token
        ? { status: 200, body: file.content }
        : { status: 404 };
    }
    const match = /^\/wopi\/files\/(f\d+)(\/contents)?$/.exec(url.pathname);
    if (!match) {
      return { status: 404 };
    }
    if (url.searchParams.get('access_token') !== options.token) {
      return { status: 401 };
    }
    if (options.proofKeys && !proofValid(req, url, options.proofKeys, now())) {
      return { status: 500 };
    }
    const file = files.get(match[1] ?? '');
    if (!file) {
      return { status: 404 };
    }
    const headers = req.headers as Record<string, string | undefined>;
    const override = headers['x-wopi-override'];
    if (match[2]) {
      if (req.method === 'GET') {
        return {
          status: 200,
          headers: { 'X-WOPI-ItemVersion': String(file.version) },
          body: file.content,
        };
      }
      return override === 'PUT' ? putFile(file, headers, body, faults) : { status: 501 };
    }
    if (req.method === 'GET') {
      return json(checkFileInfo(file, origin, options.token));
    }
    switch (override ?? '') {
      case 'PUT_RELATIVE':
        return putRelative(file, headers, body);
      case 'RENAME_FILE': {
        const lock = headers['x-wopi-lock'] ?? '';
        if (file.lock !== undefined && file.lock !== lock) {
          return { status: 409, headers: { 'X-WOPI-Lock': file.lock } };
        }
        const stem = decode7(headers['x-wopi-requestedname'] ?? '');
        const ext = file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.')) : '';
        file.name = stem + ext;
        return json({ Name: stem });
      }
      case 'DELETE':
        if (file.lock !== undefined) {
          return { status: 409, headers: { 'X-WOPI-Lock': file.lock } };
        }
        files.delete(file.id);
        return { status: 200 };
      case 'PUT_USER_INFO':
        file.userInfo = body.toString('utf8');
        return { status: 200 };
      default:
        return lockOperation(file, override ?? '', headers, faults);
    }
  };

  const putRelative = (
    file: FakeFile,
    headers: Record<string, string | undefined>,
    body: Buffer,
  ): Outcome => {
    const suggested = headers['x-wopi-suggestedtarget'];
    const relative = headers['x-wopi-relativetarget'];
    if ((suggested === undefined) === (relative === undefined)) {
      return { status: 400 };
    }
    const byName = (name: string): FakeFile | undefined =>
      [...files.values()].find((candidate) => candidate.name === name);
    let name = targetName(file.name, suggested ?? relative ?? '', suggested !== undefined);
    if (name.length > 512) {
      return { status: 400 };
    }
    let target: FakeFile | undefined;
    if (suggested !== undefined) {
      name = uniqueName(name, (candidate) => byName(candidate) !== undefined);
    } else {
      const existing = byName(name);
      if (existing) {
        if (headers['x-wopi-overwriterelativetarget']?.toLowerCase() !== 'true') {
          return {
            status: 409,
            headers: {
              'X-WOPI-ValidRelativeTarget': uniqueName(name, (c) => byName(c) !== undefined),
            },
          };
        }
        if (existing.lock !== undefined) {
          return { status: 409, headers: { 'X-WOPI-Lock': existing.lock } };
        }
        target = existing;
      }
    }
    target ??= { id: '', name, content: body, version: 0, userInfo: '' };
    if (target.id === '') {
      const created = { ...target, id: `f${String(nextId++)}`, version: 1 };
      files.set(created.id, created);
      target = created;
    } else {
      target.content = body;
      target.version++;
    }
    const url = `${origin}/wopi/files/${target.id}?access_token=${encodeURIComponent(options.token)}`;
    return json({
      Name: target.name,
      Url: url,
      HostViewUrl: `${origin}/view/${target.id}`,
      HostEditUrl: `${origin}/edit/${target.id}`,
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: { ...req.headers },
        body,
      });
      respond(res, handle(req, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    origin,
    wopiSrc: `${origin}/wopi/files/f1`,
    files,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function checkFileInfo(file: FakeFile, origin: string, token: string): Record<string, unknown> {
  return {
    BaseFileName: file.name,
    OwnerId: 'owner',
    UserId: 'user',
    Size: file.content.length,
    Version: String(file.version),
    LastModifiedTime: new Date(0).toISOString(),
    UserCanWrite: true,
    UserCanRename: true,
    UserCanNotWriteRelative: false,
    SupportsUpdate: true,
    SupportsLocks: true,
    SupportsGetLock: true,
    SupportsExtendedLockLength: true,
    SupportsRename: true,
    SupportsDeleteFile: true,
    SupportsUserInfo: true,
    UserInfo: file.userInfo,
    FileUrl: `${origin}/fileurl/${file.id}?access_token=${encodeURIComponent(token)}`,
  };
}

/** Valid if Proof or ProofOld verifies with the current key, or Proof with the old one, and fresh. */
function proofValid(
  req: IncomingMessage,
  url: URL,
  keys: { current: KeyObject; old: KeyObject },
  nowMs: number,
): boolean {
  const proof = req.headers['x-wopi-proof'];
  const proofOld = req.headers['x-wopi-proofold'];
  const stamp = req.headers['x-wopi-timestamp'];
  if (
    typeof proof !== 'string' ||
    typeof proofOld !== 'string' ||
    typeof stamp !== 'string' ||
    !/^\d+$/.test(stamp)
  ) {
    return false;
  }
  if (nowMs - msFromTicks(BigInt(stamp)) > 20 * 60_000) {
    return false;
  }
  const bytes = proofBytes(
    url.searchParams.get('access_token') ?? '',
    url.origin + (req.url ?? ''),
    BigInt(stamp),
  );
  const ok = (signature: string, key: KeyObject): boolean =>
    verify('sha256', bytes, key, Buffer.from(signature, 'base64'));
  return ok(proof, keys.current) || ok(proofOld, keys.current) || ok(proof, keys.old);
}

function json(value: unknown): Outcome {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

function respond(res: ServerResponse, outcome: Outcome): void {
  const body = outcome.body === undefined ? Buffer.alloc(0) : Buffer.from(outcome.body);
  res.writeHead(outcome.status, { ...outcome.headers, 'Content-Length': String(body.length) });
  res.end(body);
}
