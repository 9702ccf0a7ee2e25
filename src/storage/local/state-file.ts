import { randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';

/**
 * The content of a small state file of the local root (the space id, the generated secret), made
 * with `make()` when it does not exist yet. The new content is written to a temporary file first and
 * then hard-linked into place, which fails when the file exists: so exactly one creator wins, and
 * nobody — in this process or another — ever reads the file empty or half written (a plain
 * create-then-write let a concurrent reader see it empty: a space id of "").
 */
export async function readOrCreateStateFile(
  file: string,
  make: () => string,
  mode = 0o600,
): Promise<{ value: string; created: boolean }> {
  const existing = await readStateFile(file);
  if (existing !== undefined) {
    return { value: existing, created: false };
  }
  const tmp = `${file}.${randomUUID()}.tmp`;
  const value = make();
  await writeFile(tmp, value, { flag: 'wx', mode });
  let created = true;
  try {
    await link(tmp, file);
  } catch (error) {
    created = false;
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    await rm(tmp, { force: true });
  }
  if (created) {
    return { value, created };
  }
  const winner = await readStateFile(file);
  if (winner === undefined) {
    throw new Error(`${file} disappeared while it was created`);
  }
  return { value: winner, created };
}

/** The trimmed content; undefined when there is no file; an error when it is empty. */
async function readStateFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  const value = text.trim();
  if (value === '') {
    throw new Error(`${file} is empty: remove it to have it made again`);
  }
  return value;
}
