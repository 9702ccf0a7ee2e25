import { afterEach, vi } from 'vitest';
import { EditorClient } from './editor-client';
import type { ServerWopiFixture, ServerWopiFixtureFactory, TokenOptions } from './wopi-fixture';

/** Puts a file into a test's server and returns the server and an editor holding a token for it. */
export type OpenFile = (
  name: string,
  content: string | Buffer,
  env?: Record<string, string>,
  options?: TokenOptions,
) => Promise<{ fixture: ServerWopiFixture; editor: EditorClient }>;

/**
 * For the `describe` it is called in: one server per test, made by the test's first `open` (with
 * that call's `env`), disposed after the test with every mock restored.
 */
export function openFilesPerTest(makeFixture: ServerWopiFixtureFactory): OpenFile {
  let f: ServerWopiFixture | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await f?.dispose();
    f = undefined;
  });

  return async (name, content, env = {}, options = {}) => {
    f ??= await makeFixture(env);
    const fileId = await f.createFile(name, content);
    return {
      fixture: f,
      editor: new EditorClient(f.wopiSrc, fileId, await f.mintToken(fileId, options)),
    };
  };
}
