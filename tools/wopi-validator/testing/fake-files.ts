import { decode } from 'utf7';

/** One file of the fake host. */
export interface FakeFile {
  id: string;
  name: string;
  content: Buffer;
  version: number;
  lock?: string;
  userInfo: string;
}

/** Faults the fake host can be told to have, to prove the runner notices them. */
export interface Faults {
  /** 409 answers carry this X-WOPI-Lock instead of the current lock. */
  wrongLockHeader?: string;
  /** PutFile keeps the old version. */
  staleVersion?: boolean;
}

export interface Outcome {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const conflict = (faults: Faults, lock: string | undefined): Outcome => ({
  status: 409,
  headers: { 'X-WOPI-Lock': faults.wrongLockHeader ?? lock ?? '' },
});

/** The lock rules of the WOPI spec, over one in-memory file. */
export function lockOperation(
  file: FakeFile,
  override: string,
  headers: Record<string, string | undefined>,
  faults: Faults,
): Outcome {
  const requested = headers['x-wopi-lock'] ?? '';
  const oldLock = headers['x-wopi-oldlock'];
  const version = { 'X-WOPI-ItemVersion': String(file.version) };
  switch (override) {
    case 'LOCK':
      if (oldLock !== undefined) {
        if (file.lock !== oldLock) {
          return conflict(faults, file.lock);
        }
        file.lock = requested;
        return { status: 200, headers: version };
      }
      if (file.lock !== undefined && file.lock !== requested) {
        return conflict(faults, file.lock);
      }
      file.lock = requested;
      return { status: 200, headers: version };
    case 'UNLOCK':
      if (file.lock === undefined || file.lock !== requested) {
        return conflict(faults, file.lock);
      }
      file.lock = undefined;
      return { status: 200, headers: version };
    case 'REFRESH_LOCK':
      return file.lock !== undefined && file.lock === requested
        ? { status: 200 }
        : conflict(faults, file.lock);
    case 'GET_LOCK':
      return { status: 200, headers: { 'X-WOPI-Lock': file.lock ?? '' } };
    default:
      return { status: 501 };
  }
}

export function putFile(
  file: FakeFile,
  headers: Record<string, string | undefined>,
  body: Buffer,
  faults: Faults,
): Outcome {
  const requested = headers['x-wopi-lock'];
  if (file.lock !== undefined ? file.lock !== requested : file.content.length > 0) {
    return conflict(faults, file.lock);
  }
  file.content = body;
  if (!faults.staleVersion) {
    file.version++;
  }
  return { status: 200, headers: { 'X-WOPI-ItemVersion': String(file.version) } };
}

/** X-WOPI-SuggestedTarget / RelativeTarget are UTF-7; a suggestion starting with "." is an extension. */
export function targetName(current: string, header: string, suggested: boolean): string {
  const name = decode7(header);
  if (suggested && name.startsWith('.')) {
    const dot = current.lastIndexOf('.');
    return (dot > 0 ? current.slice(0, dot) : current) + name;
  }
  return name;
}

/** RFC 2152 UTF-7 decoding, as a host must apply to X-WOPI-*Target and X-WOPI-RequestedName. */
export function decode7(text: string): string {
  return decode(text);
}

/** A name not used yet, like "name (2).ext". */
export function uniqueName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) {
    return name;
  }
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${String(n)})${ext}`;
    if (!taken(candidate)) {
      return candidate;
    }
  }
}
