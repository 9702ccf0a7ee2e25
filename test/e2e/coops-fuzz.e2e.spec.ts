import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPatch, makePatch, md5 } from '../../src/coops/algorithm/dmp';
import { openCoops } from '../support/coops';
import { CoopsTestClient, type JoinAnswer } from '../support/coops-client';
import { mutatePatch, randomEdit, randomText, seededRandom } from '../support/random';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ COLLABORATION_COOPS_SAVE_DELAY: '200ms' });
});

afterAll(async () => {
  await server.dispose();
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('CoOPS patch inputs (randomized)', () => {
  it('should never fail, never diverge, and refuse every patch that does not apply exactly', async () => {
    const random = seededRandom(2024);
    const initial = randomText(random, 200);
    const doc = await openCoops(server, 'fuzz.txt', { content: initial });
    const follower = new CoopsTestClient(doc.coopsUrl, 'websocket');
    await follower.join();
    const writer = (await (
      await fetch(`${doc.coopsUrl}/join?algorithm=dmp&protocolVersion=1.0.0`)
    ).json()) as JoinAnswer;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const current = (await (await fetch(doc.coopsUrl)).json()) as {
        revisionNumber: number;
        content: string;
      };
      const valid = makePatch(current.content, randomEdit(random, current.content));
      const kind = Math.floor(random() * 6);
      let revisionNumber = current.revisionNumber;
      let patch: unknown = valid;
      if (kind === 1) {
        revisionNumber = Math.max(0, revisionNumber - 1 - Math.floor(random() * 3));
      } else if (kind === 2) {
        const other = randomText(random, 80);
        patch = makePatch(other, randomEdit(random, other));
      } else if (kind === 3 || kind === 4) {
        patch = mutatePatch(random, valid);
      } else if (kind === 5) {
        patch = [12, true, { a: 1 }, ['x'], randomText(random, 30)][Math.floor(random() * 5)];
      }
      const response = await fetch(doc.coopsUrl, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: writer.sessionId, revisionNumber, patch }),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect([204, 400, 409]).toContain(response.status);
      const expected =
        revisionNumber === current.revisionNumber && typeof patch === 'string'
          ? (() => {
              try {
                return applyPatch(current.content, patch);
              } catch {
                return undefined;
              }
            })()
          : undefined;
      expect(response.status === 204).toBe(expected !== undefined);
      const after = (await (await fetch(doc.coopsUrl)).json()) as { content: string };
      expect(after.content).toBe(expected ?? current.content);
    }
    expect(statuses.get(204)).toBeGreaterThan(50);
    expect(statuses.get(400)).toBeGreaterThan(10);
    expect(statuses.get(409)).toBeGreaterThan(10);
    const final = (await (await fetch(doc.coopsUrl)).json()) as {
      revisionNumber: number;
      content: string;
    };
    await follower.settle(final.revisionNumber);
    expect(follower.problems).toEqual([]);
    expect(follower.content).toBe(final.content);
    await eventually(
      async () => md5(await readFile(join(server.root, 'fuzz.txt'), 'utf8')) === md5(final.content),
    );
    await follower.stop();
  });
});
