/**
 * The baseline of the CheckFileInfo benchmark: a bare node:http server doing CheckFileInfo's
 * minimum work (HS256 token check, one stat, JSON), nothing else. Started by wopi-checkfileinfo.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';

const [portArg, file, secret] = process.argv.slice(2) as [string, string, string];

function verify(token: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) {
    return undefined;
  }
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return undefined;
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return typeof claims['exp'] === 'number' && claims['exp'] * 1000 > Date.now()
    ? claims
    : undefined;
}

createServer((req, res) => {
  const url = req.url ?? '';
  const token = /[?&]access_token=([^&]*)/.exec(url)?.[1];
  const claims = token === undefined ? undefined : verify(token);
  if (claims === undefined) {
    res.writeHead(401).end();
    return;
  }
  stat(file).then(
    (info) => {
      const body = JSON.stringify({
        BaseFileName: 'bench.docx',
        OwnerId: 'owner',
        Size: info.size,
        UserId: typeof claims['sub'] === 'string' ? claims['sub'] : 'user',
        Version: `v${String(info.mtimeMs)}`,
        UserCanWrite: true,
        SupportsLocks: true,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    },
    () => res.writeHead(404).end(),
  );
}).listen(Number(portArg), '127.0.0.1', () => {
  process.send?.('ready');
});
