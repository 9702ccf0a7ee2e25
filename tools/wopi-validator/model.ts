/**
 * The test suite as Microsoft's runner reads it from TestCases.xml (wopi-validator-core
 * `ConfigParser`, `TestCaseFactory`, `RequestFactory`, `ValidatorFactory`): resources, prerequisite
 * cases, and groups of cases in file order, each case a list of requests with validators.
 */

export const CATEGORIES = ['WopiCore', 'OfficeOnline', 'OfficeNativeClient', 'WopiCoauth'] as const;
export type Category = (typeof CATEGORIES)[number];
/** What `--category` accepts: a case category, or All. */
export type TargetCategory = Category | 'All';

export interface ResourceDef {
  id: string;
  name: string;
  filePath: string;
}

export interface Suite {
  /** Absolute path of the TestCases.xml that was read. */
  file: string;
  resources: ReadonlyMap<string, ResourceDef>;
  /** Every prerequisite case by name, never filtered by category. */
  prereqs: ReadonlyMap<string, TestCaseDef>;
  groups: GroupDef[];
}

export interface GroupDef {
  name: string;
  hasDelay: boolean;
  /** The group's PrereqTest names, resolved against Suite.prereqs. */
  prereqs: TestCaseDef[];
  cases: TestCaseDef[];
}

export interface TestCaseDef {
  name: string;
  category: Category;
  description: string;
  failMessage?: string;
  requests: RequestDef[];
  cleanup: RequestDef[];
}

export const PUT_RELATIVE_MODES = ['Suggested', 'ExactName', 'Conflicting'] as const;
export type PutRelativeMode = (typeof PUT_RELATIVE_MODES)[number];

export const COAUTH_LOCK_TYPES = ['Coauth', 'CoauthExclusive', 'None'] as const;
export type CoauthLockType = (typeof COAUTH_LOCK_TYPES)[number];

/** The attributes of a request element (`WopiRequestParam`); absent attributes stay undefined. */
export interface RequestParams {
  lock?: string;
  newLock?: string;
  oldLock?: string;
  overrideUrl?: string;
  name?: string;
  folderName?: string;
  resourceId?: string;
  putRelativeMode?: PutRelativeMode;
  overwriteRelative?: boolean;
  lockUserVisible?: boolean;
  urlType?: string;
  fileExtensionFilterList?: string;
  wopiSrc?: string;
  delaySeconds?: number;
  requestBody?: string;
  coauthLockType?: CoauthLockType;
  coauthLockId?: string;
  coauthLockMetadata?: string;
  coauthLockMetadataAsBody?: string;
  coauthLockExpirationTimeout?: number;
  coauthTableVersion?: string;
  coauthTableVersionStateKey?: string;
  sequenceNumber?: string;
  sequenceNumberStateKey?: string;
  editors?: string;
  chunked?: ChunkedParams;
}

export type ChunkingScheme = 'FullFile' | 'Zip';

/** GetChunkedFile / PutChunkedFile body definitions (WopiCoauth incremental file transfer). */
export interface ChunkedParams {
  contentPropertiesToReturn: string[];
  contentFilters: ContentFilterDef[];
  contentProperties: ContentPropertyDef[];
  contentStreams: ContentStreamDef[];
  uploadSessionTokenToCommit?: string;
}

export interface ContentFilterDef {
  streamId: string;
  chunkingScheme: ChunkingScheme;
  chunksToReturn: string;
  alreadyExistingContent: string;
  alreadyExistingContentResourceId?: string;
}

export interface ContentPropertyDef {
  name: string;
  value: string;
  retention: string;
}

export interface ContentStreamDef {
  streamId: string;
  chunkingScheme: ChunkingScheme;
  newContent: string;
  lastKnownHostContent: string;
  newContentResourceId?: string;
  lastKnownHostContentResourceId?: string;
}

export interface StateDef {
  name: string;
  source: string;
  sourceType: 'JsonBody' | 'Header';
}

export type MutatorDef =
  | { kind: 'AccessToken'; mutation?: string }
  | {
      kind: 'ProofKey';
      mutateCurrent: boolean;
      mutateOld: boolean;
      /** The Timestamp attribute as .NET ticks, when it parsed. */
      timestampTicks?: bigint;
      keyRelation: string;
    };

export interface RequestDef {
  /** The element name, which selects the request type. */
  type: string;
  params: RequestParams;
  /** Undefined when the element has no <Validators>: then the request must answer 200. */
  validators?: ValidatorDef[];
  state: StateDef[];
  mutators: MutatorDef[];
}

export type ValidatorDef =
  | { kind: 'ResponseCode'; expected: number }
  | {
      kind: 'ResponseHeader';
      header: string;
      expectedValue?: string;
      expectedStateKey?: string;
      comparator: string;
      isRequired: boolean;
      shouldMatch: boolean;
    }
  | { kind: 'LockMismatch'; expectedLock?: string }
  | { kind: 'ResponseContent'; resourceId?: string; expectedBody?: string }
  | { kind: 'JsonSchema'; schema: string }
  | { kind: 'JsonResponseContent'; shouldExist: boolean; properties: PropertyDef[] }
  | { kind: 'And' | 'Or'; children: ValidatorDef[] }
  | {
      kind: 'Frames';
      messageJsonPayloadSchema?: string;
      expectedHostBlobsCount?: number;
      streams: ContentStreamValidatorDef[];
      properties: ContentPropertyValidatorDef[];
    };

export interface ContentStreamValidatorDef {
  streamId?: string;
  expectedChunkingScheme?: string;
  expectedContent?: string;
  expectedContentResourceId?: string;
  alreadyExistingContent?: string;
  alreadyExistingContentResourceId?: string;
}

export interface ContentPropertyValidatorDef {
  name?: string;
  expectedValue: string;
  expectedRetention: string;
  shouldBeReturned: boolean;
}

export const PROPERTY_KINDS = [
  'BooleanProperty',
  'IntegerProperty',
  'LongProperty',
  'StringProperty',
  'StringRegexProperty',
  'AbsoluteUrlProperty',
  'ArrayProperty',
  'ArrayLengthProperty',
  'ResponseBodyProperty',
] as const;
export type PropertyKind = (typeof PROPERTY_KINDS)[number];

/** One child of <JsonResponseContentValidator>; `name` is a Newtonsoft SelectToken path. */
export interface PropertyDef {
  kind: PropertyKind;
  name: string;
  isRequired: boolean;
  /** The raw ExpectedValue attribute (typed when compared). */
  expectedValue?: string;
  expectedStateKey?: string;
  endsWith?: string;
  containsValue?: string;
  shouldMatch: boolean;
  mustIncludeAccessToken: boolean;
  ignoreCase: boolean;
}
