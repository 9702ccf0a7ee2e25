import { afterEach, beforeEach, describe } from 'vitest';
import { collaboraSequences } from './collabora-sequences';
import { EditorClient } from './editor-client';
import { microsoftSequences } from './microsoft-sequences';
import { onlyOfficeSequences } from './onlyoffice-sequences';
import type { SequenceContext } from './sequence-helpers';
import type { WopiFixture, WopiFixtureFactory } from './wopi-fixture';

/**
 * The real request sequences of Collabora, OnlyOffice and Microsoft 365 for the web
 * (../shared/reference/wopi-clients.md): open for view; open for edit, autosave, close; save as;
 * rename; the file changed in storage while open. Runs against any server the factory provides
 * (local adapter, CS3...), checking statuses, headers, bodies and the bytes in the storage.
 */
export function describeWopiEditorSequences(name: string, makeFixture: WopiFixtureFactory): void {
  describe(`WOPI editor sequences: ${name}`, () => {
    let f: WopiFixture | undefined;

    beforeEach(async () => {
      f = await makeFixture();
    });

    afterEach(async () => {
      await f?.dispose();
      f = undefined;
    });

    const context: SequenceContext = {
      fixture: () => {
        if (f === undefined) {
          throw new Error('no fixture outside a test');
        }
        return f;
      },
      session: async (fileId, app, headers, options = {}) => {
        const fixture = context.fixture();
        const token = await fixture.mintToken(fileId, {
          app,
          mode: options.mode,
          userId: options.userId,
        });
        return new EditorClient(fixture.wopiSrc, fileId, token, headers(token));
      },
    };

    collaboraSequences(context);
    onlyOfficeSequences(context);
    microsoftSequences(context);
  });
}
