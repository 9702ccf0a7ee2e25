import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './temp';

export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

/**
 * Debian's chromium, headless, with everything that would reach out to the network turned off (this
 * machine has no way out) and a fresh profile (`--user-data-dir`).
 */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_BIN)`,
    );
  }
  const profile = await tempDir('collab-chromium-');
  // Playwright passes --user-data-dir itself for a persistent context.
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await profile.remove();
    },
  };
}
