import WebSocket from 'ws';
import { applyPatch, makePatch, md5 } from '../../src/coops/algorithm/dmp';
import type { Revision } from '../../src/coops/coops.types';
import { merge3 } from './merge';

export interface JoinAnswer {
  sessionId: string;
  algorithm: string;
  revisionNumber: number;
  content: string;
  contentType: string;
  properties: Record<string, string>;
  extensions: {
    webSocket?: { ws: string; wss?: string };
    sessionEvents?: { sessionId: string; displayName: string; status: string }[];
  };
}

export type Transport = 'rest' | 'websocket';

/**
 * A CoOPS client that behaves like the CKEditor plugin: one patch in flight, its own revision seen
 * in the update stream as the acknowledgement, foreign revisions applied exactly and checked
 * against their checksum, local edits merged over them and sent again after a 409. It records
 * every protocol violation it sees (gaps, duplicates, checksum mismatches) in `problems`.
 */
export class CoopsTestClient {
  /** The server's content at `revision`, as this client knows it. */
  content = '';
  /** What the user sees: `content` plus unacknowledged local edits. */
  local = '';
  revision = 0;
  sessionId = '';
  readonly problems: string[] = [];
  /** Revision numbers received, in order. */
  readonly received: number[] = [];
  /** Who is present, from join and sessionEvents. */
  readonly present = new Map<string, string>();
  /** Called with each update's receive time and its revision (for latency measurements). */
  onRevision?: (revision: Revision, at: number) => void;
  private inFlight?: { content: string };
  private socket?: WebSocket;
  private polling?: NodeJS.Timeout;
  private stopped = false;
  private sending = false;

  constructor(
    readonly url: string,
    readonly transport: Transport,
    private readonly pollMs = 100,
  ) {}

  async join(): Promise<JoinAnswer> {
    const response = await fetch(`${this.url}/join?algorithm=dmp&protocolVersion=1.0.0`);
    if (response.status !== 200) {
      throw new Error(`join answered ${String(response.status)}: ${await response.text()}`);
    }
    const joined = (await response.json()) as JoinAnswer;
    this.sessionId = joined.sessionId;
    this.revision = joined.revisionNumber;
    this.content = joined.content;
    this.local = joined.content;
    for (const event of joined.extensions.sessionEvents ?? []) {
      this.present.set(event.sessionId, event.displayName);
    }
    if (this.transport === 'websocket') {
      const url = joined.extensions.webSocket?.ws;
      if (url === undefined) {
        throw new Error('join offered no WebSocket');
      }
      await this.connect(url);
    } else {
      this.poll();
    }
    return joined;
  }

  /** Opens (or reopens) the session's WebSocket. */
  connect(url = this.socket?.url ?? ''): Promise<void> {
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      this.message(data.toString('utf8'));
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve();
      });
      socket.once('error', reject);
    });
  }

  /** Closes the WebSocket without leaving the session (a network drop, say). */
  async disconnect(): Promise<void> {
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => {
          resolve();
        });
        socket.close();
      });
    }
  }

  /** A local edit, sent when no other patch is in flight. */
  edit(change: (text: string) => string): void {
    this.local = change(this.local);
    void this.send();
  }

  /** Waits until every local edit is acknowledged and the client saw revision `atLeast`. */
  async settle(atLeast: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight || this.local !== this.content || this.revision < atLeast) {
      if (Date.now() > deadline) {
        throw new Error(
          `client ${this.sessionId} did not settle: revision ${String(this.revision)} < ${String(atLeast)}, in flight ${String(Boolean(this.inFlight))}, dirty ${String(this.local !== this.content)}`,
        );
      }
      void this.send();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.polling);
    await this.disconnect();
  }

  private async send(): Promise<void> {
    if (this.sending || this.inFlight || this.local === this.content || this.stopped) {
      return;
    }
    const content = this.local;
    const body = {
      sessionId: this.sessionId,
      revisionNumber: this.revision,
      patch: makePatch(this.content, content),
      properties: null,
      extensions: null,
    };
    this.inFlight = { content };
    if (this.transport === 'websocket') {
      this.socket?.send(JSON.stringify({ type: 'patch', data: body }));
      return;
    }
    this.sending = true;
    try {
      const response = await fetch(this.url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (response.status === 409) {
        this.inFlight = undefined;
        setImmediate(() => void this.send());
      } else if (response.status !== 204) {
        this.problems.push(`PATCH answered ${String(response.status)}`);
        this.inFlight = undefined;
      }
    } finally {
      this.sending = false;
    }
  }

  private poll(): void {
    if (this.stopped) {
      return;
    }
    void (async () => {
      try {
        const response = await fetch(
          `${this.url}/update?sessionId=${this.sessionId}&revisionNumber=${String(this.revision)}`,
        );
        if (response.status === 200) {
          for (const revision of (await response.json()) as Revision[]) {
            this.apply(revision);
          }
        } else if (response.status !== 204) {
          this.problems.push(`update answered ${String(response.status)}`);
        } else if ((await response.text()) !== '') {
          this.problems.push('204 with a body');
        }
      } catch (error) {
        if (!this.stopped) {
          this.problems.push(`update failed: ${String(error)}`);
        }
      }
      this.polling = setTimeout(() => {
        this.poll();
      }, this.pollMs);
    })();
  }

  private message(text: string): void {
    const message = JSON.parse(text) as { type: string; data: unknown };
    if (message.type === 'update') {
      this.apply(message.data as Revision);
    } else if (message.type === 'patchRejected') {
      this.inFlight = undefined;
      void this.send();
    } else {
      this.problems.push(`${message.type}: ${JSON.stringify(message.data)}`);
      this.inFlight = undefined;
    }
  }

  private apply(revision: Revision): void {
    this.received.push(revision.revisionNumber);
    this.onRevision?.(revision, Date.now());
    if (revision.revisionNumber <= this.revision) {
      // REST polls may overlap; the WebSocket must never repeat itself.
      if (this.transport === 'websocket') {
        this.problems.push(`duplicate revision ${String(revision.revisionNumber)}`);
      }
      return;
    }
    if (revision.revisionNumber !== this.revision + 1) {
      this.problems.push(`gap: ${String(this.revision)} then ${String(revision.revisionNumber)}`);
    }
    if (typeof revision.revisionNumber !== 'number') {
      this.problems.push('revisionNumber is not a number');
    }
    for (const event of (revision.extensions?.['sessionEvents'] ?? []) as {
      sessionId: string;
      displayName: string;
      status: string;
    }[]) {
      if (event.status === 'OPEN') {
        this.present.set(event.sessionId, event.displayName);
      } else {
        this.present.delete(event.sessionId);
      }
    }
    let next = this.content;
    if (revision.patch) {
      try {
        next = applyPatch(this.content, revision.patch);
      } catch (error) {
        this.problems.push(`revision ${String(revision.revisionNumber)}: ${String(error)}`);
      }
      if (md5(next) !== revision.checksum) {
        this.problems.push(`checksum of revision ${String(revision.revisionNumber)} differs`);
      }
    }
    if (revision.sessionId === this.sessionId) {
      if (this.inFlight && next !== this.inFlight.content) {
        this.problems.push(`own revision ${String(revision.revisionNumber)} is not what was sent`);
      }
      this.inFlight = undefined;
    } else if (this.local !== this.content) {
      this.local = merge3(this.content, next, this.local) ?? next;
    } else {
      this.local = next;
    }
    this.content = next;
    this.revision = revision.revisionNumber;
    void this.send();
  }
}
