import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp';
import { loadConfig } from '../../config/config.loader';
import { WopiSecret } from '../../tokens/wopi-secret';
import { LocalRoot, STATE_DIR_NAME } from './local-root';

describe(LocalRoot.name, () => {
  let root: Awaited<ReturnType<typeof tempDir>>;

  beforeEach(async () => {
    root = await tempDir();
  });

  afterEach(async () => {
    await root.remove();
  });

  it('should give every concurrent opener of a new root the same, complete space id', async () => {
    // The storage, the user-info store and the secret open the root at once when the server
    // starts; a reader used to see the space-id file between its creation and its write (1 in ~300).
    for (let round = 0; round < 300; round++) {
      const dir = join(root.dir, String(round));
      const opened = await Promise.all([1, 2, 3].map(() => LocalRoot.open(dir)));
      const ids = new Set(opened.map((r) => r.spaceId));
      expect([...ids]).toHaveLength(1);
      const [id] = [...ids];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await readFile(join(dir, STATE_DIR_NAME, 'space-id'), 'utf8')).trim()).toBe(id);
    }
    const leftovers = (await readdir(join(root.dir, '0', STATE_DIR_NAME))).filter((name) =>
      name.endsWith('.tmp'),
    );
    expect(leftovers).toEqual([]);
  });

  it('should give every concurrent resolver of a generated secret the same, complete secret', async () => {
    const config = loadConfig({ env: { COLLABORATION_LOCAL_ROOT: root.dir } });
    const secrets = await Promise.all(Array.from({ length: 20 }, () => WopiSecret.resolve(config)));
    expect(new Set(secrets.map((s) => s.value)).size).toBe(1);
    expect(secrets[0]?.value).toMatch(/^[\w-]{43}$/);
    expect(secrets.filter((s) => s.origin === 'generated')).toHaveLength(1);
    expect((await WopiSecret.resolve(config)).origin).toBe('local-file');
  });

  it('should refuse an empty space-id file instead of using an empty space id', async () => {
    await mkdir(join(root.dir, STATE_DIR_NAME), { recursive: true });
    await writeFile(join(root.dir, STATE_DIR_NAME, 'space-id'), '\n');
    await expect(LocalRoot.open(root.dir)).rejects.toThrow(/space-id is empty/);
  });
});
