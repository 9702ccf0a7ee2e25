import { parseChunkedParams } from './chunked/parse-chunked';
import {
  COAUTH_LOCK_TYPES,
  PUT_RELATIVE_MODES,
  type MutatorDef,
  type RequestDef,
  type RequestParams,
  type StateDef,
} from './model';
import { parseValidators } from './parse-validators';
import { ticksFromDateString } from './proof/ticks';
import { isRequestType } from './request-types';
import { boolAttr, child, intAttr, type XmlElement } from './xml-tree';

/** The children of <Requests> or <CleanupRequests>, in order. */
export function parseRequests(element: XmlElement | undefined): RequestDef[] {
  return element ? element.children.map(parseRequest) : [];
}

function parseRequest(element: XmlElement): RequestDef {
  if (!isRequestType(element.name)) {
    throw new Error(`Unknown request: '${element.name}'`);
  }
  const validators = child(element, 'Validators');
  const state = child(element, 'SaveState');
  const mutators = child(element, 'Mutators');
  return {
    type: element.name,
    params: parseParams(element),
    validators: validators ? parseValidators(validators) : undefined,
    state: state ? state.children.map(parseState) : [],
    mutators: mutators ? mutators.children.map(parseMutator) : [],
  };
}

function parseParams(element: XmlElement): RequestParams {
  const attr = (name: string): string | undefined => element.attrs[name];
  const body = child(element, 'RequestBody')?.text;
  const params: RequestParams = {
    lock: attr('Lock'),
    newLock: attr('NewLock'),
    oldLock: attr('OldLock'),
    overrideUrl: attr('OverrideUrl'),
    name: attr('Name'),
    folderName: attr('FolderName'),
    resourceId: attr('ResourceId'),
    putRelativeMode: enumAttr(element, 'PutRelativeFileMode', PUT_RELATIVE_MODES),
    overwriteRelative: boolAttr(element, 'OverwriteRelative'),
    lockUserVisible: boolAttr(element, 'LockUserVisible'),
    urlType: attr('UrlType'),
    fileExtensionFilterList: attr('FileExtensionFilterList'),
    wopiSrc: attr('WopiSrc'),
    delaySeconds: attr('DelayTimeInSeconds')
      ? intAttr(element, 'DelayTimeInSeconds', 0)
      : undefined,
    requestBody: body === undefined || body === '' ? undefined : body,
    coauthLockType: enumAttr(element, 'CoauthLockType', COAUTH_LOCK_TYPES),
    coauthLockId: attr('CoauthLockId'),
    coauthLockMetadata: attr('CoauthLockMetadata'),
    coauthLockMetadataAsBody: attr('CoauthLockMetadataAsBody'),
    coauthLockExpirationTimeout: attr('CoauthLockExpirationTimeout')
      ? intAttr(element, 'CoauthLockExpirationTimeout', 0, 4294967295)
      : undefined,
    coauthTableVersion: attr('CoauthTableVersion'),
    coauthTableVersionStateKey: attr('CoauthTableVersionStateKey'),
    sequenceNumber: attr('SequenceNumber'),
    sequenceNumberStateKey: attr('SequenceNumberStateKey'),
    editors: attr('Editors'),
    chunked: parseChunkedParams(element),
  };
  checkRequiredParams(element.name, params);
  return params;
}

/** The checks Microsoft's request constructors make when the suite is read. */
function checkRequiredParams(type: string, params: RequestParams): void {
  if (type === 'PutRelativeFile' && !params.name) {
    throw new Error('Requested name for a PutRelativeFile Wopi request cannot be null or empty');
  }
  if ((type === 'PutUserInfo' || type === 'AddActivities') && !params.requestBody?.trim()) {
    throw new Error(`No RequestBody specified for ${type} operation`);
  }
}

/** Enum.TryParse(value, ignoreCase: true): the canonical member name, or a parse error. */
function enumAttr<T extends string>(
  element: XmlElement,
  name: string,
  members: readonly T[],
): T | undefined {
  const raw = element.attrs[name];
  if (raw === undefined || raw === '') {
    return undefined;
  }
  const found = members.find((member) => member.toLowerCase() === raw.trim().toLowerCase());
  if (found === undefined) {
    throw new Error(`<${element.name}> ${name}="${raw}" is not one of ${members.join(', ')}`);
  }
  return found;
}

function parseState(element: XmlElement): StateDef {
  const name = element.attrs['Name'];
  const source = element.attrs['Source'];
  if (name === undefined || source === undefined) {
    throw new Error('<State> needs Name and Source');
  }
  const type = element.attrs['SourceType']?.trim().toLowerCase();
  return { name, source, sourceType: type === 'header' ? 'Header' : 'JsonBody' };
}

function parseMutator(element: XmlElement): MutatorDef {
  switch (element.name) {
    case 'AccessToken':
      return { kind: 'AccessToken', mutation: element.attrs['Mutation'] };
    case 'ProofKey': {
      const timestamp = element.attrs['Timestamp'];
      return {
        kind: 'ProofKey',
        mutateCurrent: boolAttr(element, 'MutateCurrent') ?? false,
        mutateOld: boolAttr(element, 'MutateOld') ?? false,
        timestampTicks: timestamp === undefined ? undefined : ticksFromDateString(timestamp),
        keyRelation: element.attrs['KeyRelation'] ?? 'Synced',
      };
    }
    default:
      throw new Error(`Unknown mutator: '${element.name}'`);
  }
}
