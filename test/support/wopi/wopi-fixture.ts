import type { ViewMode } from '../../../src/tokens/access-token.types';
import type { TestServer } from '../test-server';

/** The editor apps the WOPI suites expect the server to be configured with (name → product). */
export const EDITOR_APPS = [
  { name: 'Collabora', product: 'Collabora' },
  { name: 'OnlyOffice', product: 'OnlyOffice' },
  { name: 'Office365', product: 'Microsoft365' },
] as const;

export type EditorAppName = (typeof EDITOR_APPS)[number]['name'];

export interface TokenOptions {
  /** The app the token is minted for; none: the default flavour. */
  app?: string;
  mode?: ViewMode;
  userId?: string;
  displayName?: string;
  mail?: string;
  /** A file id from createFile to create the file from (TemplateSource). */
  templateFileId?: string;
  /** Expiry, epoch ms (default: in an hour). */
  expiresAt?: number;
}

/**
 * What the WOPI suites need from a server on some storage adapter. The server must be configured
 * with EDITOR_APPS (a YAML `apps:` list) and serve WOPI at `wopiSrc`.
 */
export interface WopiFixture {
  /** COLLABORATION_WOPI_SRC of the server. */
  wopiSrc: string;
  /** Puts a file into the test folder out of band; returns its WOPI file id. */
  createFile(name: string, content: Buffer | string): Promise<string>;
  /** An access token for a file made by createFile (or returned by PutRelativeFile). */
  mintToken(fileId: string, options?: TokenOptions): Promise<string>;
  /** What is really stored under `name` in the test folder (undefined when nothing is). */
  readStored(name: string): Promise<Buffer | undefined>;
  /** Changes a file behind the editors' backs (a desktop sync, another app that ignores locks). */
  modifyStored(name: string, content: Buffer | string): Promise<void>;
  /** The names in the test folder. */
  storedNames(): Promise<string[]>;
  dispose(): Promise<void>;
}

export type WopiFixtureFactory = () => Promise<WopiFixture>;

/** A fixture whose server runs in this process: its Nest app, config and debug listener. */
export interface ServerWopiFixture extends WopiFixture {
  server: TestServer;
  /** The storage path of a name in the test folder (what FileInfo.path and records show). */
  storagePath(name: string): string;
}

/** Makes a fixture whose server also has `env` (e.g. COLLABORATION_HTTP_MAX_UPLOAD_SIZE). */
export type ServerWopiFixtureFactory = (env?: Record<string, string>) => Promise<ServerWopiFixture>;
