import { posix } from 'node:path';
import { extensionOf } from '../../common/mime';
import { FILE_NAME_MAX_LENGTH } from '../check-file-info/file-info-facts';
import { InvalidFileNameError } from '../wopi.errors';

/** Control characters (C0 and DEL) have no place in a file name. */
function hasControl(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/**
 * A name taken as given (X-WOPI-RelativeTarget, X-WOPI-RequestedName): `/`, `\` or `..` anywhere,
 * control characters, an empty name or one longer than FILE_NAME_MAX_LENGTH are refused (400).
 */
export function exactName(name: string): string {
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    throw new InvalidFileNameError('the name must not contain "/", "\\" or ".."');
  }
  return checkedName(name);
}

/**
 * A suggested name (X-WOPI-SuggestedTarget): path parts are dropped (the file stays in the source's
 * folder); `.ext` alone means the source's base name with that extension; nothing usable left means
 * the source's name.
 */
export function suggestedName(suggestion: string, sourceName: string): string {
  const parts = suggestion.split(/[/\\]/);
  const last = (parts[parts.length - 1] ?? '').trim();
  if (last === '' || last === '.' || last === '..') {
    return checkedName(sourceName);
  }
  if (last.startsWith('.')) {
    return checkedName(`${baseName(sourceName)}${last}`);
  }
  return checkedName(last);
}

/** A name with "(n)" before its extension: "report (2).docx". */
export function numberedName(name: string, n: number): string {
  const base = baseName(name);
  return `${base} (${String(n)})${name.slice(base.length)}`;
}

/** The name without its extension ("report" of "report.docx", ".profile" stays). */
export function baseName(name: string): string {
  const extension = extensionOf(name);
  return extension === '' ? name : name.slice(0, name.length - extension.length - 1);
}

/** ".docx" of "report.docx", "" without extension. */
export function dottedExtension(name: string): string {
  return posix.extname(name);
}

function checkedName(name: string): string {
  if (name === '' || name === '.' || hasControl(name)) {
    throw new InvalidFileNameError('invalid file name');
  }
  if (Array.from(name).length > FILE_NAME_MAX_LENGTH) {
    throw new InvalidFileNameError('Filename too long');
  }
  return name;
}
