/**
 * TypeScript shapes of the CS3 messages in proto/, as @grpc/proto-loader decodes them with
 * CS3_LOADER_OPTIONS: field names as in the .proto (snake_case), enums as their names, 64-bit
 * integers as numbers, absent fields absent. Only this folder and the cs3 adapter use them; the rest
 * of the service sees the domain types of src/storage.
 */

export interface OpaqueEntry {
  decoder?: string;
  value?: Uint8Array;
}

export interface Opaque {
  map?: Record<string, OpaqueEntry>;
}

export interface Timestamp {
  seconds?: number;
  nanos?: number;
}

export const CS3_CODES = [
  'CODE_INVALID',
  'CODE_OK',
  'CODE_CANCELLED',
  'CODE_UNKNOWN',
  'CODE_INVALID_ARGUMENT',
  'CODE_DEADLINE_EXCEEDED',
  'CODE_NOT_FOUND',
  'CODE_ALREADY_EXISTS',
  'CODE_PERMISSION_DENIED',
  'CODE_UNAUTHENTICATED',
  'CODE_RESOURCE_EXHAUSTED',
  'CODE_FAILED_PRECONDITION',
  'CODE_ABORTED',
  'CODE_OUT_OF_RANGE',
  'CODE_UNIMPLEMENTED',
  'CODE_INTERNAL',
  'CODE_UNAVAILABLE',
  'CODE_DATA_LOSS',
  'CODE_REDIRECTION',
  'CODE_INSUFFICIENT_STORAGE',
  'CODE_LOCKED',
  'CODE_TOO_EARLY',
] as const;
/** cs3.rpc.v1beta1.Code; the index in CS3_CODES is the wire number. */
export type Cs3Code = (typeof CS3_CODES)[number];

export interface Status {
  /** A number when a newer gateway sends a code this proto set does not know. */
  code?: Cs3Code | number;
  message?: string;
  trace?: string;
  target_uri?: string;
}

export type UserType =
  | 'USER_TYPE_INVALID'
  | 'USER_TYPE_PRIMARY'
  | 'USER_TYPE_SECONDARY'
  | 'USER_TYPE_SERVICE'
  | 'USER_TYPE_APPLICATION'
  | 'USER_TYPE_GUEST'
  | 'USER_TYPE_FEDERATED'
  | 'USER_TYPE_LIGHTWEIGHT'
  | 'USER_TYPE_SPACE_OWNER';

export interface UserId {
  idp?: string;
  opaque_id?: string;
  type?: UserType | number;
}

export interface User {
  id?: UserId;
  username?: string;
  mail?: string;
  mail_verified?: boolean;
  display_name?: string;
  groups?: string[];
  opaque?: Opaque;
  uid_number?: number;
  gid_number?: number;
}

export interface ResourceId {
  storage_id?: string;
  opaque_id?: string;
  space_id?: string;
}

export interface Reference {
  resource_id?: ResourceId;
  path?: string;
}

export type LockType =
  'LOCK_TYPE_INVALID' | 'LOCK_TYPE_SHARED' | 'LOCK_TYPE_WRITE' | 'LOCK_TYPE_EXCL';

export interface Lock {
  opaque?: Opaque;
  lock_id?: string;
  type?: LockType | number;
  user?: UserId;
  app_name?: string;
  expiration?: Timestamp;
}

export type ResourceType =
  | 'RESOURCE_TYPE_INVALID'
  | 'RESOURCE_TYPE_FILE'
  | 'RESOURCE_TYPE_CONTAINER'
  | 'RESOURCE_TYPE_REFERENCE'
  | 'RESOURCE_TYPE_SYMLINK'
  | 'RESOURCE_TYPE_INTERNAL';

export const PERMISSION_NAMES = [
  'add_grant',
  'create_container',
  'delete',
  'get_path',
  'get_quota',
  'initiate_file_download',
  'initiate_file_upload',
  'list_grants',
  'list_container',
  'list_file_versions',
  'list_recycle',
  'move',
  'remove_grant',
  'purge_recycle',
  'restore_file_version',
  'restore_recycle_item',
  'stat',
  'update_grant',
  'deny_grant',
] as const;
export type ResourcePermissions = Partial<Record<(typeof PERMISSION_NAMES)[number], boolean>>;

export interface ResourceChecksum {
  type?: string | number;
  sum?: string;
}

export interface StorageSpace {
  opaque?: Opaque;
  id?: { opaque_id?: string };
  owner?: User;
  root?: ResourceId;
  name?: string;
  space_type?: string;
  mtime?: Timestamp;
}

export interface ResourceInfo {
  opaque?: Opaque;
  type?: ResourceType | number;
  id?: ResourceId;
  checksum?: ResourceChecksum;
  etag?: string;
  mime_type?: string;
  mtime?: Timestamp;
  path?: string;
  permission_set?: ResourcePermissions;
  size?: number;
  owner?: UserId;
  target?: string;
  lock?: Lock;
  parent_id?: ResourceId;
  name?: string;
  space?: StorageSpace;
}

/** Every CS3 response starts with these two fields. */
export interface Cs3Response {
  status?: Status;
  opaque?: Opaque;
}

export interface StatRequest {
  opaque?: Opaque;
  ref: Reference;
  arbitrary_metadata_keys?: string[];
  field_mask?: { paths?: string[] };
}
export interface StatResponse extends Cs3Response {
  info?: ResourceInfo;
}

export interface InitiateFileDownloadRequest {
  opaque?: Opaque;
  ref: Reference;
  lock_id?: string;
}
export interface FileDownloadProtocol {
  opaque?: Opaque;
  protocol?: string;
  download_endpoint?: string;
  token?: string;
}
export interface InitiateFileDownloadResponse extends Cs3Response {
  protocols?: FileDownloadProtocol[];
}

export interface InitiateFileUploadRequest {
  opaque?: Opaque;
  ref: Reference;
  if_not_exist?: boolean;
  if_match?: string;
  if_unmodified_since?: Timestamp;
  lock_id?: string;
  /** Which member of the `options` oneof is set (decoding only). */
  options?: 'if_not_exist' | 'if_match' | 'if_unmodified_since';
}
export interface FileUploadProtocol {
  opaque?: Opaque;
  protocol?: string;
  upload_endpoint?: string;
  token?: string;
}
export interface InitiateFileUploadResponse extends Cs3Response {
  protocols?: FileUploadProtocol[];
}

export interface SetLockRequest {
  opaque?: Opaque;
  ref: Reference;
  lock: Lock;
}
export interface GetLockRequest {
  opaque?: Opaque;
  ref: Reference;
}
export interface GetLockResponse extends Cs3Response {
  lock?: Lock;
}
export interface RefreshLockRequest {
  opaque?: Opaque;
  ref: Reference;
  lock: Lock;
  existing_lock_id?: string;
}
export interface UnlockRequest {
  opaque?: Opaque;
  ref: Reference;
  lock: Lock;
}
export interface MoveRequest {
  opaque?: Opaque;
  source: Reference;
  destination: Reference;
  lock_id?: string;
}
export interface DeleteRequest {
  opaque?: Opaque;
  ref: Reference;
  lock_id?: string;
}
export interface TouchFileRequest {
  opaque?: Opaque;
  ref: Reference;
  lock_id?: string;
}
export interface CreateContainerRequest {
  opaque?: Opaque;
  ref: Reference;
}

export interface WhoAmIRequest {
  opaque?: Opaque;
  token: string;
}
export interface WhoAmIResponse extends Cs3Response {
  user?: User;
}

export type AppViewMode =
  | 'VIEW_MODE_INVALID'
  | 'VIEW_MODE_VIEW_ONLY'
  | 'VIEW_MODE_READ_ONLY'
  | 'VIEW_MODE_READ_WRITE'
  | 'VIEW_MODE_PREVIEW';

/** cs3.gateway.v1beta1.OpenInAppRequest (its ViewMode enum is nested but has the same names). */
export interface GatewayOpenInAppRequest {
  opaque?: Opaque;
  ref: Reference;
  view_mode?: AppViewMode | number;
  app?: string;
  lock_id?: string;
}

/** cs3.app.provider.v1beta1.OpenInAppRequest: what the gateway sends to an app provider. */
export interface OpenInAppRequest {
  opaque?: Opaque;
  resource_info?: ResourceInfo;
  view_mode?: AppViewMode | number;
  access_token?: string;
}
export interface OpenInAppUrl {
  app_url?: string;
  method?: string;
  form_parameters?: Record<string, string>;
  headers?: Record<string, string>;
  target?: 'TARGET_INVALID' | 'TARGET_IFRAME' | 'TARGET_BLANK' | number;
}
export interface OpenInAppResponse extends Cs3Response {
  app_url?: OpenInAppUrl;
}

export interface ProviderInfo {
  opaque?: Opaque;
  mime_types?: string[];
  address?: string;
  capability?: 'CAPABILITY_INVALID' | 'CAPABILITY_VIEWER' | 'CAPABILITY_EDITOR' | number;
  name?: string;
  description?: string;
  icon?: string;
  desktop_only?: boolean;
  action?: string;
  product_name?: string;
}
export interface AddAppProviderRequest {
  opaque?: Opaque;
  provider: ProviderInfo;
}

/** Request and response type of each cs3.gateway.v1beta1.GatewayAPI method in proto/. */
export interface GatewayMethods {
  WhoAmI: [WhoAmIRequest, WhoAmIResponse];
  CreateContainer: [CreateContainerRequest, Cs3Response];
  TouchFile: [TouchFileRequest, Cs3Response];
  Delete: [DeleteRequest, Cs3Response];
  InitiateFileDownload: [InitiateFileDownloadRequest, InitiateFileDownloadResponse];
  InitiateFileUpload: [InitiateFileUploadRequest, InitiateFileUploadResponse];
  Move: [MoveRequest, Cs3Response];
  Stat: [StatRequest, StatResponse];
  SetLock: [SetLockRequest, Cs3Response];
  GetLock: [GetLockRequest, GetLockResponse];
  RefreshLock: [RefreshLockRequest, Cs3Response];
  Unlock: [UnlockRequest, Cs3Response];
  OpenInApp: [GatewayOpenInAppRequest, OpenInAppResponse];
  AddAppProvider: [AddAppProviderRequest, Cs3Response];
}
export type GatewayMethod = keyof GatewayMethods;
export type GatewayRequest<M extends GatewayMethod> = GatewayMethods[M][0];
export type GatewayResponse<M extends GatewayMethod> = GatewayMethods[M][1];
