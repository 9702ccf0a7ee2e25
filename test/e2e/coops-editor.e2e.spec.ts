import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { openCoops } from '../support/coops';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ COLLABORATION_COOPS_SAVE_DELAY: '300ms' });
});

afterAll(async () => {
  await server.dispose();
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the built-in editor page', () => {
  it('should serve the page for a valid address only, without leaking it as a referrer', async () => {
    const doc = await openCoops(server, 'page.md', { content: '# Title' });
    const page = await fetch(doc.editorUrl ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<title>page.md</title>');
    expect(html).not.toContain('http');
    const broken = await fetch(
      doc.editorUrl?.replace(/\/([\w-]{8})([\w-]*)\/editor$/, '/AAAAAAAA$2/editor') ?? '',
    );
    expect(broken.status).toBe(401);
  });

  it('should serve its assets from the server itself', async () => {
    for (const [name, type] of [
      ['editor.js', 'text/javascript'],
      ['editor.css', 'text/css'],
      ['diff-match-patch.js', 'text/javascript'],
    ] as const) {
      const response = await fetch(`${server.httpUrl}/coops/_editor/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect((await response.text()).length).toBeGreaterThan(500);
    }
    expect((await fetch(`${server.httpUrl}/coops/_editor/other.js`)).status).toBe(404);
  });

  it('should let two people type at the same time and converge, showing who else is editing', async () => {
    const name = 'together.txt';
    const alice = await openCoops(server, name, { content: 'start\n', user: 'alice' });
    const bob = await openCoops(server, name, { user: 'bob' });
    const chromium = await launchChromium();
    try {
      const pages: Page[] = [];
      for (const url of [alice.editorUrl, bob.editorUrl]) {
        const page = await chromium.context.newPage();
        page.on('pageerror', (error) => {
          throw error;
        });
        await page.goto(url ?? '');
        // Polled with evaluate: waitForFunction would need eval, which the page's CSP forbids.
        await eventually(
          async () => (await page.evaluate<string>('document.body.dataset.status')) === 'saved',
        );
        pages.push(page);
      }
      const [a, b] = pages as [Page, Page];
      await a.waitForSelector('#people li:has-text("Bob")');
      await b.waitForSelector('#people li:has-text("Alice")');
      await a.click('#text');
      await a.keyboard.press('Control+End');
      await b.click('#text');
      await b.keyboard.press('Control+Home');
      await Promise.all([
        a.keyboard.type('alpha beta gamma delta ', { delay: 15 }),
        b.keyboard.type('one two three four ', { delay: 20 }),
      ]);
      const value = (page: Page): Promise<string> =>
        page.evaluate<string>("document.getElementById('text').value");
      await eventually(async () => {
        const [x, y] = await Promise.all([value(a), value(b)]);
        const settled = await Promise.all(
          pages.map((p) => p.evaluate<string>('document.body.dataset.status')),
        );
        return x === y && settled.every((s) => s === 'saved');
      });
      const final = await value(a);
      expect(final).toContain('alpha beta gamma delta ');
      expect(final).toContain('one two three four ');
      expect(final).toContain('start');
      const loaded = (await (await fetch(alice.coopsUrl)).json()) as { content: string };
      expect(loaded.content).toBe(final);
      await eventually(async () => (await readFile(join(server.root, name), 'utf8')) === final);
    } finally {
      await chromium.close();
    }
  });
});
