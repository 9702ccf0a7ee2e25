import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../ports';
import { discoveryDocument, type SimulatedProduct } from './discovery-document';
import { ProofKeyRing } from './keys';
import { WopiClientSimulator } from './wopi-client';

export interface EditorSimulatorOptions {
  product: SimulatedProduct;
  /** Publish proof keys and sign requests (default true). */
  signs?: boolean;
  /** Start without listening (an editor that is down when the host starts). */
  down?: boolean;
  keys?: ProofKeyRing;
}

/** What the browser POSTed to the editor page (as the host page / our /open page does). */
export interface ReceivedForm {
  /** The editor URL as requested (path and query). */
  url: string;
  fields: Record<string, string>;
}

/**
 * A WOPI client (editor) on a free loopback port: serves `/hosting/discovery` in the product's
 * shape with its own RSA keys, accepts the form POST of an editor page, and makes signed WOPI
 * requests through `client()`. Can be taken down and brought back on the same port, rotate its
 * keys, stop signing, or answer discovery with an error status.
 */
export class EditorSimulator {
  readonly forms: ReceivedForm[] = [];
  discoveryFetches = 0;
  /** Answer discovery with this status instead of the document (e.g. 503). */
  discoveryStatus = 200;
  signs: boolean;
  private server?: Server;

  private constructor(
    readonly product: SimulatedProduct,
    readonly keys: ProofKeyRing,
    private readonly port: number,
    signs: boolean,
  ) {
    this.signs = signs;
  }

  static async start(options: EditorSimulatorOptions): Promise<EditorSimulator> {
    const editor = new EditorSimulator(
      options.product,
      options.keys ?? new ProofKeyRing(),
      await freePort(),
      options.signs ?? true,
    );
    if (!options.down) {
      await editor.up();
    }
    return editor;
  }

  /** The editor's address (COLLABORATION_APP_ADDR). */
  get url(): string {
    return `http://127.0.0.1:${String(this.port)}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  /** The discovery document it serves now. */
  discoveryXml(): string {
    return discoveryDocument({
      product: this.product,
      baseUrl: this.url,
      ...(this.signs ? { keys: this.keys.published() } : {}),
    });
  }

  /** A client signing like this editor, with its current keys (none while it does not sign). */
  client(): WopiClientSimulator {
    return new WopiClientSimulator(this.product, () =>
      this.signs ? this.keys.published() : undefined,
    );
  }

  async up(): Promise<void> {
    if (this.server) {
      return;
    }
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Stops listening: connections are refused until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return this.down();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/hosting/discovery') {
      this.discoveryFetches++;
      if (this.discoveryStatus !== 200) {
        res.writeHead(this.discoveryStatus).end('unavailable');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(this.discoveryXml());
      return;
    }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      this.forms.push({
        url: req.url ?? '/',
        fields: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      });
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>editor</title>');
      return;
    }
    res.writeHead(404).end();
  }
}
