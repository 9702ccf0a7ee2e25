import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSea } from 'node:sea';
import type { LogSettings } from '../../config/app-config';
import { assignRequestId } from '../http/request-id';
import { redactHeaders, redactUrl } from './redact';

/** Pino paths censored wherever they appear in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-wopi-proof"]',
  'req.headers["x-wopi-proofold"]',
  'req.headers["x-access-token"]',
  'req.headers["x-reva-transfer"]',
  'req.query.access_token',
  'res.headers["set-cookie"]',
  'accessToken',
  'access_token',
  '*.accessToken',
  '*.access_token',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

const WOPI_PATH = /^\/wopi\/(files|templates)\/([^/?]+)/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Fields bound to every log line of a request: the WOPI correlation of WOPI calls. */
export function wopiCorrelation(req: IncomingMessage): Record<string, string> {
  const match = WOPI_PATH.exec(req.url ?? '');
  if (!match) {
    return {};
  }
  const fields: Record<string, string> = { fileId: match[2] ?? '' };
  const correlationId = header(req, 'x-wopi-correlationid');
  const override = header(req, 'x-wopi-override');
  const sessionId = header(req, 'x-wopi-sessionid');
  if (correlationId !== undefined) {
    fields['wopiCorrelationId'] = correlationId;
  }
  if (override !== undefined) {
    fields['wopiOverride'] = override;
  }
  if (sessionId !== undefined) {
    fields['wopiSessionId'] = sessionId;
  }
  return fields;
}

export function loggerParams(settings: LogSettings): Params {
  return {
    pinoHttp: {
      level: settings.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      // The single executable has no pino-pretty (transports need files on disk): JSON only.
      transport:
        settings.pretty && !isSea()
          ? { target: 'pino-pretty', options: { destination: 1 } }
          : undefined,
      genReqId: (req: IncomingMessage, res: ServerResponse) => assignRequestId(req, res),
      customProps: (req: IncomingMessage) => wopiCorrelation(req),
      customLogLevel: (_req, res, error) => {
        if (error !== undefined || res.statusCode >= 500) {
          return 'error';
        }
        return res.statusCode >= 400 ? 'warn' : 'info';
      },
      serializers: {
        req: (req: {
          id?: unknown;
          method?: string;
          url?: string;
          headers?: Record<string, unknown>;
          remoteAddress?: string;
        }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          remoteAddress: req.remoteAddress,
          headers: redactHeaders(pickHeaders(req.headers ?? {})),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** Only headers that help debugging reach the log; bodies never do. */
function pickHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (
      name.startsWith('x-wopi-') ||
      name.startsWith('x-cool-wopi-') ||
      name.startsWith('x-lool-wopi-') ||
      KEEP.has(name)
    ) {
      kept[name] = value;
    }
  }
  return kept;
}

const KEEP = new Set([
  'user-agent',
  'content-length',
  'content-type',
  'x-forwarded-for',
  'x-request-id',
  'authorization',
]);
