import { closeSync, mkdirSync, openSync, statSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports handed out by any test process on this machine (vitest runs test files in parallel
 * workers): a port is taken for RESERVATION_MS after it was picked, so two test files never get the
 * same port between one picking it and binding it.
 */
const RESERVATIONS = join(tmpdir(), 'ocis-collaboration-test-ports');
const RESERVATION_MS = 10 * 60_000;

function reserve(port: number): boolean {
  mkdirSync(RESERVATIONS, { recursive: true });
  const path = join(RESERVATIONS, String(port));
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch {
    try {
      if (Date.now() - statSync(path).mtimeMs > RESERVATION_MS) {
        const now = new Date();
        utimesSync(path, now, now);
        return true;
      }
    } catch {
      // removed meanwhile: someone else is taking it
    }
    return false;
  }
}

/**
 * A TCP port that is free on 127.0.0.1 right now, picked at random below Linux's ephemeral range
 * (32768–60999): ports the OS hands to outgoing connections (NATS clients, fetch) never collide with
 * it between picking and binding, and random picks keep parallel test files apart.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (reserve(port) && (await canBind(port))) {
      return port;
    }
  }
  throw new Error('no free port found');
}

/**
 * The first of `count` consecutive free ports: for a server with several apps, whose OpenInApp
 * listeners take the gRPC port + n (src/app-provider/app-listeners.ts).
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (12_000 - count));
    let free = true;
    for (let i = 0; i < count && free; i++) {
      free = reserve(port + i) && (await canBind(port + i));
    }
    if (free) {
      return port;
    }
  }
  throw new Error(`no ${String(count)} consecutive free ports found`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

export async function waitForPort(
  port: number,
  timeoutMs: number,
  host = '127.0.0.1',
): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (ok) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`port ${String(port)} did not open within ${String(timeoutMs)}ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
