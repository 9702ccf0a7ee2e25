import type { IncomingHttpHeaders } from 'node:http';
import { booleanHeader, headerOf } from '../http/headers';
import type { EditorSaveFlags } from '../wopi-operation-record';

/** X-COOL-WOPI-<name>, or the legacy X-LOOL-WOPI-<name> (OnlyOffice sends only those). */
function coolHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  return headerOf(headers, `x-cool-wopi-${name}`) ?? headerOf(headers, `x-lool-wopi-${name}`);
}

function coolFlag(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  return (
    booleanHeader(headers, `x-cool-wopi-${name}`) ?? booleanHeader(headers, `x-lool-wopi-${name}`)
  );
}

/** What Collabora/OnlyOffice say about a save; undefined when they say nothing. */
export function editorSaveFlags(headers: IncomingHttpHeaders): EditorSaveFlags | undefined {
  const flags: EditorSaveFlags = {
    modifiedByUser: coolFlag(headers, 'ismodifiedbyuser'),
    autosave: coolFlag(headers, 'isautosave'),
    exitSave: coolFlag(headers, 'isexitsave'),
  };
  return Object.values(flags).some((value) => value !== undefined) ? flags : undefined;
}

/** The LastModifiedTime the editor last saw; absent means "overwrite whatever is there". */
export function editorTimestamp(headers: IncomingHttpHeaders): string | undefined {
  const value = coolHeader(headers, 'timestamp');
  return value === '' ? undefined : value;
}
