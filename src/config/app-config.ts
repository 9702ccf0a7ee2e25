import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import 'reflect-metadata';
import { Setting } from './setting.decorator';
import { IsHostPort, IsHttpUrl } from './validators';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const STORAGE_DRIVERS = ['local', 'cs3'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

export const PRODUCTS = [
  'Collabora',
  'OnlyOffice',
  'Microsoft365',
  'MicrosoftOfficeOnline',
  'CoOPS',
  'generic',
] as const;
export type Product = (typeof PRODUCTS)[number];

export class HttpSettings {
  @Setting({
    env: ['COLLABORATION_HTTP_ADDR'],
    kind: 'addr',
    description: 'Listener for WOPI, CoOPS and the editor pages.',
  })
  @IsHostPort()
  addr = '127.0.0.1:9300';

  @Setting({
    env: ['COLLABORATION_HTTP_MAX_UPLOAD_SIZE'],
    kind: 'size',
    description:
      'Largest request body accepted by PutFile and PutRelativeFile; bigger uploads get 413.',
  })
  @IsInt({ message: 'expected a size such as 512MiB or 4GiB' })
  @Min(1)
  maxUploadSize = 4 * GiB;

  @Setting({
    env: ['COLLABORATION_SHUTDOWN_TIMEOUT'],
    kind: 'duration',
    description: 'How long SIGTERM waits for in-flight requests before closing connections.',
  })
  @IsInt()
  @Min(0)
  @Max(60_000, { message: 'expected at most 60s' })
  shutdownTimeout = 8000;
}

export class GrpcSettings {
  @Setting({
    env: ['COLLABORATION_GRPC_ADDR'],
    kind: 'addr',
    description: 'Listener for the CS3 app provider (OpenInApp).',
  })
  @IsHostPort()
  addr = '127.0.0.1:9301';
}

export class DebugSettings {
  @Setting({
    env: ['COLLABORATION_DEBUG_ADDR'],
    kind: 'addr',
    description: 'Listener for /healthz, /readyz and /metrics.',
  })
  @IsHostPort()
  addr = '127.0.0.1:9304';

  @Setting({
    env: ['COLLABORATION_DEBUG_TOKEN'],
    kind: 'string',
    secret: true,
    description: 'When set, /metrics requires `Authorization: Bearer <token>`.',
  })
  @IsOptional()
  @IsString()
  token?: string;
}

export class LogSettings {
  @Setting({
    env: ['COLLABORATION_LOG_LEVEL', 'OCIS_LOG_LEVEL'],
    kind: 'enum',
    values: LOG_LEVELS,
    description: 'Log level.',
  })
  @IsIn(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` })
  level: LogLevel = 'info';

  @Setting({
    env: ['COLLABORATION_LOG_PRETTY', 'OCIS_LOG_PRETTY'],
    kind: 'bool',
    description:
      'Human-readable logs for development (JSON otherwise). Not available in the single executable.',
  })
  @IsBoolean()
  pretty = false;
}

export class WopiSettings {
  @Setting({
    env: ['COLLABORATION_WOPI_SRC'],
    kind: 'url',
    description:
      'Public base URL of the HTTP listener as editors reach it; WOPISrc, CoOPS and WebSocket URLs are built from it.',
  })
  @IsHttpUrl(true)
  src = 'http://127.0.0.1:9300';

  @Setting({
    env: ['COLLABORATION_WOPI_SECRET'],
    kind: 'string',
    secret: true,
    defaultText: 'generated once into the local root in local mode; required otherwise',
    description: 'Secret that signs access tokens and encrypts the reva token inside them.',
  })
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'expected at least 16 characters' })
  secret?: string;

  @Setting({
    env: ['COLLABORATION_WOPI_TOKEN_TTL'],
    kind: 'duration',
    description:
      'Lifetime of access tokens minted by the CLI in local mode (in CS3 mode the reva token decides).',
  })
  @IsInt()
  @Min(60_000, { message: 'expected at least 1m' })
  tokenTtl = 10 * 3_600_000;

  @Setting({
    env: ['COLLABORATION_WOPI_DISABLE_CHAT', 'OCIS_WOPI_DISABLE_CHAT'],
    kind: 'bool',
    description: 'Ask editors to hide their chat (adds dchat=1 to editor URLs).',
  })
  @IsBoolean()
  disableChat = false;

  @Setting({
    env: ['COLLABORATION_OCIS_URL', 'OCIS_URL'],
    kind: 'url',
    description:
      'oCIS web URL; HostEditUrl, HostViewUrl, breadcrumbs and PostMessageOrigin are built from it. Unset: those properties are omitted.',
  })
  @IsOptional()
  @IsHttpUrl(false)
  ocisUrl?: string;
}

export class StorageSettings {
  @Setting({
    env: ['COLLABORATION_STORAGE'],
    kind: 'enum',
    values: STORAGE_DRIVERS,
    description: 'Where files live: a local folder, or oCIS through the CS3 gateway.',
  })
  @IsIn(STORAGE_DRIVERS, { message: 'expected local or cs3' })
  driver: StorageDriver = 'local';

  @Setting({
    env: ['COLLABORATION_LOCAL_ROOT'],
    kind: 'string',
    description: 'Root folder of the local storage adapter.',
  })
  @IsString()
  @MinLength(1)
  localRoot = './data';

  @Setting({
    env: ['COLLABORATION_LOCAL_OWNER'],
    kind: 'string',
    description: 'User id that owns the files of the local storage adapter.',
  })
  @IsString()
  @Matches(/^[\w.@-]{1,128}$/, { message: 'expected 1-128 characters of letters, digits, . _ @ -' })
  localOwner = 'local-user';
}

export class Cs3Settings {
  @Setting({
    env: ['COLLABORATION_CS3_GATEWAY', 'OCIS_REVA_GATEWAY'],
    kind: 'string',
    description: 'CS3 gateway: a service name looked up in the registry, or host:port.',
  })
  @IsString()
  @MinLength(1)
  gateway = 'com.owncloud.api.gateway';

  @Setting({
    env: ['COLLABORATION_CS3_TLS_MODE', 'OCIS_GRPC_CLIENT_TLS_MODE'],
    kind: 'enum',
    values: ['off', 'insecure', 'on'],
    description: 'TLS towards the gateway: off, insecure (no verification) or on.',
  })
  @IsIn(['off', 'insecure', 'on'], { message: 'expected off, insecure or on' })
  tlsMode: 'off' | 'insecure' | 'on' = 'off';

  @Setting({
    env: ['COLLABORATION_CS3_TLS_CACERT', 'OCIS_GRPC_CLIENT_TLS_CACERT'],
    kind: 'string',
    description: 'CA certificate file for tlsMode=on.',
  })
  @IsOptional()
  @IsString()
  tlsCaCert?: string;

  @Setting({
    env: ['COLLABORATION_CS3API_DATAGATEWAY_INSECURE'],
    kind: 'bool',
    description: 'Skip TLS verification for data-gateway downloads and uploads.',
  })
  @IsBoolean()
  dataGatewayInsecure = false;

  @Setting({
    env: ['COLLABORATION_CS3_TIMEOUT'],
    kind: 'duration',
    description: 'Deadline of each gateway call.',
  })
  @IsInt()
  @Min(100)
  timeout = 10_000;
}

/** One editor application (Collabora, OnlyOffice, Microsoft 365, a CoOPS editor...). */
export class EditorAppSettings {
  @Setting({
    env: ['COLLABORATION_APP_NAME'],
    kind: 'string',
    description: 'Name shown to users; also the lock app name.',
  })
  @IsString()
  @Matches(/^[A-Za-z][\w-]{0,63}$/, { message: 'expected a single word (letters, digits, _ or -)' })
  name = 'Collabora';

  @Setting({
    env: ['COLLABORATION_APP_PRODUCT'],
    kind: 'enum',
    values: PRODUCTS,
    description: 'Editor product; selects the CheckFileInfo flavour and URL rules.',
  })
  @IsIn(PRODUCTS, { message: `expected one of ${PRODUCTS.join(', ')}` })
  product: Product = 'generic';

  @Setting({
    env: ['COLLABORATION_APP_ADDR'],
    kind: 'url',
    description: 'Base URL of the editor; discovery is fetched from {addr}/hosting/discovery.',
  })
  @IsOptional()
  @IsHttpUrl(false)
  addr?: string;

  @Setting({
    env: ['COLLABORATION_APP_INSECURE'],
    kind: 'bool',
    description: 'Skip TLS verification towards the editor.',
  })
  @IsBoolean()
  insecure = false;

  @Setting({
    env: ['COLLABORATION_APP_PROOF_DISABLE'],
    kind: 'bool',
    description: 'Do not verify the editor’s proof-key signatures.',
  })
  @IsBoolean()
  proofDisable = false;

  @Setting({
    env: ['COLLABORATION_APP_PROOF_DURATION'],
    kind: 'duration',
    description: 'How long discovery (and its proof keys) is cached before it is fetched again.',
  })
  @IsInt()
  @Min(1000)
  proofDuration = 12 * 3_600_000;

  @Setting({
    env: ['COLLABORATION_APP_DESCRIPTION'],
    kind: 'string',
    description: 'Description registered with oCIS.',
  })
  @IsString()
  @MaxLength(256)
  description = 'Open office documents';

  @Setting({
    env: ['COLLABORATION_APP_ICON'],
    kind: 'string',
    description: 'Icon name or URL registered with oCIS.',
  })
  @IsString()
  @MaxLength(1024)
  icon = 'image-edit';

  @Setting({
    env: ['COLLABORATION_APP_GRPC_ADDR'],
    kind: 'addr',
    description:
      'The app’s own OpenInApp listener (the gateway addresses an app by its address). Default: COLLABORATION_GRPC_ADDR for the first app, its port + n for the n-th.',
  })
  @IsOptional()
  @IsHostPort()
  grpcAddr?: string;

  @Setting({
    env: ['COLLABORATION_APP_LICENSE_CHECK_ENABLE'],
    kind: 'bool',
    description: 'Microsoft 365: set LicenseCheckForEditIsEnabled in CheckFileInfo.',
  })
  @IsBoolean()
  licenseCheck = false;
}

export class NatsSettings {
  @Setting({
    env: ['COLLABORATION_NATS_URL'],
    kind: 'string',
    description:
      'NATS server(s), comma-separated (nats://host:4222). Unset: no NATS, everything stays in-process.',
  })
  @IsOptional()
  @IsString()
  url?: string;

  @Setting({ env: ['COLLABORATION_NATS_USERNAME'], kind: 'string', description: 'NATS user name.' })
  @IsOptional()
  @IsString()
  username?: string;

  @Setting({
    env: ['COLLABORATION_NATS_PASSWORD'],
    kind: 'string',
    secret: true,
    description: 'NATS password.',
  })
  @IsOptional()
  @IsString()
  password?: string;
}

export class AuditSettings {
  @Setting({
    env: ['COLLABORATION_AUDIT_SINK'],
    kind: 'enum',
    values: ['log', 'nats'],
    description:
      'Where audit events go: JSON lines in the log, or JetStream `main-queue` in the oCIS event envelope.',
  })
  @IsIn(['log', 'nats'], { message: 'expected log or nats' })
  sink: 'log' | 'nats' = 'log';

  @Setting({
    env: ['OCIS_EVENTS_ENDPOINT'],
    kind: 'string',
    description: 'NATS address for events when it differs from COLLABORATION_NATS_URL.',
  })
  @IsOptional()
  @IsString()
  endpoint?: string;

  @Setting({
    env: ['COLLABORATION_AUDIT_IDLE_CLOSE'],
    kind: 'duration',
    description: 'An editor session with no request for this long counts as closed.',
  })
  @IsInt()
  @Min(1000)
  idleClose = 30 * 60_000;

  @Setting({
    env: ['COLLABORATION_AUDIT_BUFFER'],
    kind: 'int',
    description:
      'Events kept in memory while NATS is unreachable; older ones are dropped beyond it.',
  })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  buffer = 10_000;
}

export class RegistrySettings {
  @Setting({
    env: ['MICRO_REGISTRY'],
    kind: 'string',
    description: 'Service registry: `nats-js-kv` registers in oCIS’s registry; unset: none.',
  })
  @IsOptional()
  @IsIn(['nats-js-kv', 'none', ''], { message: 'expected nats-js-kv or none' })
  type?: string;

  @Setting({
    env: ['MICRO_REGISTRY_ADDRESS'],
    kind: 'string',
    description: 'NATS address of the registry when it differs from COLLABORATION_NATS_URL.',
  })
  @IsOptional()
  @IsString()
  address?: string;

  @Setting({
    env: ['EXPERIMENTAL_REGISTER_INTERVAL'],
    kind: 'duration',
    description: 'Registry heartbeat.',
  })
  @IsInt()
  @Min(1000)
  interval = 25_000;

  @Setting({
    env: ['EXPERIMENTAL_REGISTER_TTL'],
    kind: 'duration',
    description: 'Registry entry lifetime.',
  })
  @IsInt()
  @Min(2000)
  ttl = 30_000;

  @Setting({
    env: ['COLLABORATION_APP_REGISTRATION_INTERVAL'],
    kind: 'duration',
    description: 'How often every app is registered again with the gateway (AddAppProvider).',
  })
  @IsInt()
  @Min(1000)
  appRegistrationInterval = 30_000;
}

export class CoopsSettings {
  @Setting({
    env: ['COLLABORATION_COOPS_LOG'],
    kind: 'enum',
    values: ['memory', 'jetstream'],
    description: 'Where CoOPS revisions live; `jetstream` is needed for several replicas.',
  })
  @IsIn(['memory', 'jetstream'], { message: 'expected memory or jetstream' })
  log: 'memory' | 'jetstream' = 'memory';

  @Setting({
    env: ['COLLABORATION_COOPS_CORS_ORIGINS'],
    kind: 'list',
    description: 'Origins allowed to call the CoOPS REST routes from a browser (comma-separated).',
  })
  @IsString({ each: true })
  @ArrayUnique()
  corsOrigins: string[] = [];

  @Setting({
    env: ['COLLABORATION_COOPS_SAVE_DELAY'],
    kind: 'duration',
    description: 'Write-behind delay: a document is saved this long after its last change.',
  })
  @IsInt()
  @Min(0)
  @Max(10_000, { message: 'expected at most 10s (documents are saved within 10 s of going idle)' })
  saveDelay = 2000;

  @Setting({
    env: ['COLLABORATION_COOPS_HEARTBEAT'],
    kind: 'duration',
    description:
      'WebSocket heartbeat: a ping frame this often; a socket that did not answer the previous one is closed.',
  })
  @IsInt()
  @Min(1000)
  @Max(300_000)
  heartbeat = 15_000;
}

export class DevSettings {
  @Setting({
    env: ['COLLABORATION_DEV_MODE'],
    kind: 'bool',
    description: 'Developer helpers such as the /open/{fileId} page. Never enable in production.',
  })
  @IsBoolean()
  enabled = false;
}

export class AppConfig {
  @ValidateNested() @Type(() => HttpSettings) http = new HttpSettings();
  @ValidateNested() @Type(() => GrpcSettings) grpc = new GrpcSettings();
  @ValidateNested() @Type(() => DebugSettings) debug = new DebugSettings();
  @ValidateNested() @Type(() => LogSettings) log = new LogSettings();
  @ValidateNested() @Type(() => WopiSettings) wopi = new WopiSettings();
  @ValidateNested() @Type(() => StorageSettings) storage = new StorageSettings();
  @ValidateNested() @Type(() => Cs3Settings) cs3 = new Cs3Settings();
  @ValidateNested({ each: true }) @Type(() => EditorAppSettings) apps: EditorAppSettings[] = [];
  @ValidateNested() @Type(() => NatsSettings) nats = new NatsSettings();
  @ValidateNested() @Type(() => AuditSettings) audit = new AuditSettings();
  @ValidateNested() @Type(() => RegistrySettings) registry = new RegistrySettings();
  @ValidateNested() @Type(() => CoopsSettings) coops = new CoopsSettings();
  @ValidateNested() @Type(() => DevSettings) dev = new DevSettings();
}

/** The groups in documentation order, with their YAML key. `apps` is a list. */
export const CONFIG_GROUPS = [
  { key: 'http', ctor: HttpSettings, title: 'HTTP listener' },
  { key: 'grpc', ctor: GrpcSettings, title: 'gRPC listener' },
  { key: 'debug', ctor: DebugSettings, title: 'Debug listener' },
  { key: 'log', ctor: LogSettings, title: 'Logging' },
  { key: 'wopi', ctor: WopiSettings, title: 'WOPI' },
  { key: 'storage', ctor: StorageSettings, title: 'Storage' },
  { key: 'cs3', ctor: Cs3Settings, title: 'CS3 gateway' },
  { key: 'apps', ctor: EditorAppSettings, title: 'Editor apps', list: true },
  { key: 'nats', ctor: NatsSettings, title: 'NATS' },
  { key: 'audit', ctor: AuditSettings, title: 'Audit' },
  { key: 'registry', ctor: RegistrySettings, title: 'Service registry and app registration' },
  { key: 'coops', ctor: CoopsSettings, title: 'CoOPS' },
  { key: 'dev', ctor: DevSettings, title: 'Development' },
] as const;

export { GiB, MiB };
