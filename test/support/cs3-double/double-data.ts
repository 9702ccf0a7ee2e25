import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import { finishUpload, tmpFile, type DoubleContext, type RecordedTransfer } from './double-context';
import { Cs3Fail, httpStatusOfUploadFailure } from './double-fail';
import type { Caller } from './double-store';
import { readRevaToken, verifyJwt } from './double-tokens';

/**
 * The double's data gateway: GET and PUT on /data with the transfer token in X-Reva-Transfer (or
 * as the last path segment) and the reva token in X-Access-Token, answering like reva's data
 * gateway in front of the simple/spaces data servers: 403 bad transfer token, 401 bad reva token,
 * 400 for an empty PUT, 412 for lock or etag trouble at the end of an upload, 425 while processing.
 */
export function dataHandler(ctx: DoubleContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const lockId = req.headers['x-lock-id'];
    const record: RecordedTransfer = {
      method: req.method ?? '',
      ...(typeof lockId === 'string' ? { lockId } : {}),
      ...(req.method === 'PUT' ? { length: Number(req.headers['content-length'] ?? '-1') } : {}),
      status: 0,
      at: Date.now(),
    };
    ctx.transfers.push(record);
    res.once('finish', () => {
      record.status = res.statusCode;
    });
    void handle(ctx, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500).end(error instanceof Error ? error.message : String(error));
      } else {
        res.destroy();
      }
    });
  };
}

async function handle(
  ctx: DoubleContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://double');
  if (!url.pathname.startsWith('/data')) {
    res.writeHead(404).end();
    return;
  }
  const header = req.headers['x-reva-transfer'];
  const transfer =
    typeof header === 'string' && header !== '' ? header : url.pathname.split('/').pop();
  const target = verifyJwt(transfer ?? '', ctx.transferSecret)?.['target'];
  if (typeof target !== 'string') {
    res.writeHead(403).end('invalid transfer token');
    return;
  }
  const accessToken = req.headers['x-access-token'];
  const caller =
    typeof accessToken === 'string' ? readRevaToken(ctx.jwtSecret, accessToken) : undefined;
  if (!caller) {
    res.writeHead(401).end();
    return;
  }
  if (req.method === 'GET' && target.startsWith('download:')) {
    download(ctx, JSON.parse(target.slice('download:'.length)) as cs3.Reference, caller, res);
  } else if (req.method === 'PUT' && target.startsWith('upload:')) {
    await upload(ctx, target.slice('upload:'.length), req, res);
  } else {
    res.writeHead(501).end();
  }
}

function download(
  ctx: DoubleContext,
  ref: cs3.Reference,
  caller: Caller,
  res: ServerResponse,
): void {
  const { store } = ctx;
  let node;
  try {
    node = store.existing(store.resolve(ref));
    store.require(caller, node, 'initiate_file_download');
  } catch (error) {
    const code = error instanceof Cs3Fail ? error.code : 'CODE_INTERNAL';
    res
      .writeHead(code === 'CODE_NOT_FOUND' ? 404 : code === 'CODE_PERMISSION_DENIED' ? 403 : 500)
      .end();
    return;
  }
  if (node.processing) {
    res.writeHead(425).end();
    return;
  }
  const file = createReadStream(store.abs(node));
  file.once('open', () => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      etag: store.etag(node),
      'oc-fileid': `${store.resourceId(node).storage_id ?? ''}$${store.spaceId}!${node.id}`,
    });
    file.pipe(res);
  });
  file.once('error', () => {
    if (!res.headersSent) {
      res.writeHead(404).end();
    } else {
      res.destroy();
    }
  });
}

async function upload(
  ctx: DoubleContext,
  sessionId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const length = Number(req.headers['content-length'] ?? '0');
  if (!(length > 0)) {
    // reva's simple protocol: "received invalid 0-byte PUT request".
    res.writeHead(400).end();
    return;
  }
  const session = ctx.uploads.get(sessionId);
  if (!session) {
    res.writeHead(404).end();
    return;
  }
  const cut = ctx.faults.takeUploadCut();
  const file = tmpFile(ctx);
  let received = 0;
  try {
    await pipeline(
      req,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          if (cut !== undefined && received > cut) {
            // Injected: the connection dies mid-upload.
            req.socket.destroy();
            throw new Error('upload refused mid-stream (injected)');
          }
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch {
    await rm(file, { force: true });
    return;
  }
  if (received !== session.length) {
    await rm(file, { force: true });
    res.writeHead(400).end('length differs from Upload-Length');
    return;
  }
  const lockHeader = req.headers['x-lock-id'];
  try {
    const node = await finishUpload(
      ctx,
      session,
      file,
      typeof lockHeader === 'string' ? lockHeader : '',
    );
    res.writeHead(200, { etag: ctx.store.etag(node), 'oc-etag': ctx.store.etag(node) }).end();
  } catch (error) {
    res.writeHead(error instanceof Cs3Fail ? httpStatusOfUploadFailure(error.code) : 500).end();
  }
}
