import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  /** Header names and values exactly as sent, in order. */
  rawHeaders: [string, string][];
  body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | object;
}

export interface ScriptedHost {
  origin: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** An HTTP server that answers with `reply(request)` and records every request as it arrived. */
export async function startScriptedHost(
  reply: (request: SeenRequest, raw: IncomingMessage) => Reply,
): Promise<ScriptedHost> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawHeaders: [string, string][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        rawHeaders.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
      }
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        rawHeaders,
        body: Buffer.concat(chunks),
      };
      seen.push(request);
      const answer = reply(request, req);
      const body =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...answer.headers,
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A TestCases.xml document around the given PrereqCases and TestGroup XML. */
export function suiteXml(prereqs: string, groups: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<WopiValidation>
  <Resources>
    <File Id="WordSimpleDocument" Name="WordSimpleDocument.docx" FilePath="Resources\\WordSimpleDocument.docx" />
    <File Id="ZeroByteFile" Name="ZeroByteFile.wopitest" FilePath="Resources\\ZeroByteFile.wopitest" />
  </Resources>
  <PrereqCases>${prereqs}</PrereqCases>
  ${groups}
</WopiValidation>`;
}
