/**
 * The baseline of the stream benchmark: a bare node:http server that pipes a POST body into a file
 * and a GET out of it, with the same 1 MiB buffers. Started by wopi-stream.ts.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';

const [portArg, file] = process.argv.slice(2) as [string, string];
const BUFFER = 1024 * 1024;

createServer((req, res) => {
  if (req.method === 'POST') {
    pipeline(req, createWriteStream(file, { highWaterMark: BUFFER, flush: true })).then(
      () => res.end('{}'),
      () => res.writeHead(500).end(),
    );
    return;
  }
  res.writeHead(200, { 'Content-Length': String(statSync(file).size) });
  void pipeline(createReadStream(file, { highWaterMark: BUFFER }), res).catch(() => undefined);
}).listen(Number(portArg), '127.0.0.1', () => {
  process.send?.('ready');
});
