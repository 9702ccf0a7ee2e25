import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import type { LogLevel } from '../../config/app-config';
import { REDACT_PATHS } from './logger.options';

/** JSON logs to stderr, for commands whose stdout is their result (the CLI). */
export class StderrLogger implements LoggerService {
  private readonly pino: Pino;

  constructor(level: LogLevel) {
    this.pino = pino(
      { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } },
      pino.destination(2),
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    rest: unknown[],
  ): void {
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (typeof message === 'object' && message !== null) {
      const text = typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
      this.pino[level]({ ...message, context }, text);
    } else {
      this.pino[level]({ context }, String(message));
    }
  }
}
