import {
  getChunkedFileBody,
  putChunkedFileBody,
  putChunkedFileHeaders,
} from './chunked/chunked-requests';
import type { RequestParams } from './model';
import type { ResourceStore } from './resources';
import type { SavedState } from './state';
import { dotnetUtf7, dotnetUtf7UrlRoundTrip } from './utf7-names';

export interface BuildContext {
  params: RequestParams;
  state: SavedState;
  resources: ResourceStore;
}

type Headers = [string, string][];

/** How one request element becomes an HTTP request (the C# request classes, as a table). */
export interface RequestSpec {
  /** wopi: WopiSrc or OverrideUrl with token and proof; fileUrl: a bare GET of a saved URL. */
  kind: 'wopi' | 'fileUrl' | 'delay';
  method: 'GET' | 'POST';
  /** PathOverride: `/contents`, `/children`, … */
  path: string;
  /** X-WOPI-Override. */
  override?: string;
  /** IsTextResponseExpected: false for file bodies. */
  textResponse: boolean;
  /** DeleteFile and DeleteContainer never fall back to WopiSrc (the .wopitest file). */
  noFallbackTarget?: boolean;
  /** DefaultHeaders / GetCustomHeaders, in their order; values may be empty, never dropped. */
  headers?: (ctx: BuildContext) => Headers;
  /** GetRequestContent when HasRequestContent; undefined means no content. */
  body?: (ctx: BuildContext) => Buffer | undefined;
}

const get = (path = '', extra: Partial<RequestSpec> = {}): RequestSpec => ({
  kind: 'wopi',
  method: 'GET',
  path,
  textResponse: true,
  ...extra,
});
const post = (override: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
  kind: 'wopi',
  method: 'POST',
  path: '',
  override,
  textResponse: true,
  ...extra,
});

/** A .NET bool's ToString(). */
const dotnetBool = (value: boolean): string => (value ? 'True' : 'False');
const lockHeader = (value: string | undefined): Headers => [['X-WOPI-Lock', value ?? '']];

/** X-WOPI-SuggestedTarget / X-WOPI-RelativeTarget by PutRelativeFileMode (UTF-7, spaces as +). */
function targetHeaders(
  params: RequestParams,
  name: string | undefined,
  overwrite: boolean,
): Headers {
  const target = name ? dotnetUtf7UrlRoundTrip(name) : (name ?? '');
  switch (params.putRelativeMode) {
    case 'Suggested':
      return [['X-WOPI-SuggestedTarget', target]];
    case 'ExactName':
      return [
        ['X-WOPI-RelativeTarget', target],
        ...(overwrite && params.overwriteRelative !== undefined
          ? ([['X-WOPI-OverwriteRelativeTarget', dotnetBool(params.overwriteRelative)]] as Headers)
          : []),
      ];
    case 'Conflicting':
      return [
        ['X-WOPI-SuggestedTarget', target],
        ['X-WOPI-RelativeTarget', target],
      ];
    case undefined:
      throw new Error('Unknown PutRelativeFileMode specified: Unknown');
  }
}

function requestedName(params: RequestParams): string {
  if (params.name === undefined) {
    throw new Error('RequestedName is missing (Name attribute)');
  }
  return dotnetUtf7(params.name);
}

function coauthLockHeaders(params: RequestParams, withType: boolean): Headers {
  const headers: Headers = [];
  if (withType && params.coauthLockType !== undefined) {
    headers.push(['X-WOPI-CoauthLockType', params.coauthLockType]);
  }
  if (params.coauthLockMetadataAsBody === undefined && params.coauthLockMetadata !== undefined) {
    headers.push(['X-WOPI-CoauthLockMetadata', params.coauthLockMetadata]);
  }
  if (params.coauthLockId !== undefined) {
    headers.push(['X-WOPI-CoauthLockId', params.coauthLockId]);
  }
  if (params.coauthLockExpirationTimeout !== undefined) {
    headers.push([
      'X-WOPI-CoauthLockExpirationTimeout',
      String(params.coauthLockExpirationTimeout),
    ]);
  }
  return headers;
}

function coauthMetadataBody({ params }: BuildContext): Buffer | undefined {
  return params.coauthLockMetadataAsBody === undefined
    ? undefined
    : Buffer.from(JSON.stringify({ CoauthLockMetadata: params.coauthLockMetadataAsBody }), 'utf8');
}

function coauthTableVersion({ params, state }: BuildContext): string {
  const key = params.coauthTableVersionStateKey?.trim()
    ? params.coauthTableVersionStateKey
    : undefined;
  const literal = params.coauthTableVersion?.trim() ? params.coauthTableVersion : undefined;
  if (key !== undefined && literal !== undefined) {
    throw new Error(
      'GetCoauthTable: CoauthTableVersionStateKey and CoauthTableVersion cannot both be set',
    );
  }
  if (key !== undefined && state.has(key)) {
    return state.get(key)?.trim() ? (state.get(key) ?? '') : '';
  }
  return literal ?? '';
}

const resourceBody = ({ params, resources }: BuildContext): Buffer =>
  resources.content(params.resourceId);
const textBody = ({ params }: BuildContext): Buffer =>
  Buffer.from(params.requestBody ?? '', 'utf8');

export const REQUEST_SPECS: Readonly<Record<string, RequestSpec>> = {
  CheckFileInfo: get(),
  GetFile: get('/contents', {
    textResponse: false,
    headers: ({ params }) => (params.newLock ? [['X-WOPI-Lock', params.newLock]] : []),
  }),
  PutFile: post('PUT', {
    path: '/contents',
    headers: ({ params }) => (params.lock ? [['X-WOPI-Lock', params.lock]] : []),
    body: resourceBody,
  }),
  Lock: post('LOCK', {
    headers: ({ params }) => [
      ...lockHeader(params.lock),
      ...(params.lockUserVisible === undefined
        ? []
        : ([['X-WOPI-LockUserVisible', dotnetBool(params.lockUserVisible)]] as Headers)),
    ],
  }),
  Unlock: post('UNLOCK', { headers: ({ params }) => lockHeader(params.lock) }),
  RefreshLock: post('REFRESH_LOCK', { headers: ({ params }) => lockHeader(params.lock) }),
  UnlockAndRelock: post('LOCK', {
    headers: ({ params }) => [
      ['X-WOPI-Lock', params.newLock ?? ''],
      ['X-WOPI-OldLock', params.oldLock ?? ''],
    ],
  }),
  GetLock: post('GET_LOCK'),
  PutRelativeFile: post('PUT_RELATIVE', {
    headers: (ctx) => [
      ['X-WOPI-Size', String(resourceBody(ctx).length)],
      ...targetHeaders(ctx.params, ctx.params.name, true),
    ],
    body: resourceBody,
  }),
  RenameFile: post('RENAME_FILE', {
    headers: ({ params }) => [
      ['X-WOPI-RequestedName', requestedName(params)],
      ['X-WOPI-Lock', params.lock ?? ''],
      ['X-WOPI-CoauthLockId', params.coauthLockId ?? ''],
    ],
  }),
  DeleteFile: post('DELETE', { noFallbackTarget: true }),
  PutUserInfo: post('PUT_USER_INFO', { body: textBody }),
  GetShareUrl: post('GET_SHARE_URL', {
    headers: ({ params }) => [['X-WOPI-UrlType', params.urlType ?? '']],
  }),
  AddActivities: post('ADD_ACTIVITIES', { body: textBody }),
  GetNewAccessToken: post('GET_NEW_ACCESS_TOKEN', {
    headers: ({ state }) => [['X-WOPI-WopiSrc', state.get('OriginalWopiSrc') ?? '']],
  }),
  GetFromFileUrl: { kind: 'fileUrl', method: 'GET', path: '', textResponse: true },
  CheckEcosystem: get(),
  CheckContainerInfo: get(),
  EnumerateChildren: get('/children', {
    headers: ({ params }) =>
      params.fileExtensionFilterList
        ? [['X-WOPI-FileExtensionFilterList', params.fileExtensionFilterList]]
        : [],
  }),
  EnumerateAncestors: get('/ancestry'),
  GetRootContainer: get('/root_container_pointer'),
  GetEcosystem: get('/ecosystem_pointer'),
  CreateChildContainer: post('CREATE_CHILD_CONTAINER', {
    headers: ({ params }) => targetHeaders(params, params.folderName, false),
  }),
  CreateChildFile: post('CREATE_CHILD_FILE', {
    headers: ({ params }) => targetHeaders(params, params.name, true),
  }),
  DeleteContainer: post('DELETE_CONTAINER', { noFallbackTarget: true }),
  RenameContainer: post('RENAME_CONTAINER', {
    headers: ({ params }) => [['X-WOPI-RequestedName', requestedName(params)]],
  }),
  GetCoauthLock: post('GET_COAUTH_LOCK', {
    headers: ({ params }) => coauthLockHeaders(params, true),
    body: coauthMetadataBody,
  }),
  RefreshCoauthLock: post('REFRESH_COAUTH_LOCK', {
    headers: ({ params }) => coauthLockHeaders(params, false),
    body: coauthMetadataBody,
  }),
  UnlockCoauthLock: post('UNLOCK_COAUTH_LOCK', {
    headers: ({ params }) =>
      params.coauthLockId === undefined ? [] : [['X-WOPI-CoauthLockId', params.coauthLockId]],
  }),
  GetCoauthTable: post('GET_COAUTH_TABLE', {
    headers: (ctx) => [['X-WOPI-CoauthTableVersion', coauthTableVersion(ctx)]],
  }),
  GetChunkedFile: post('GET_CHUNKED_FILE', { textResponse: false, body: getChunkedFileBody }),
  PutChunkedFile: post('PUT_CHUNKED_FILE', {
    path: '/contents',
    textResponse: false,
    headers: putChunkedFileHeaders,
    body: putChunkedFileBody,
  }),
  GetSequenceNumber: post('GET_SEQUENCE_NUMBER', { textResponse: false }),
  Delay: { kind: 'delay', method: 'GET', path: '', textResponse: true },
};

export function isRequestType(name: string): boolean {
  return Object.hasOwn(REQUEST_SPECS, name);
}
