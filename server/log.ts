/**
 * Structured JSON logs on stderr, one object a line. Callers pass ids, counts and codes only:
 * never file names, provider names or extracted field values (they are PHI).
 */
import { errorMessageForLog } from '../common/log-redaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {}): Logger {
  const write = (lvl: LogLevel, event: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...base, ...fields })}\n`);
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}

/** An error's class and redacted message for a log line; stack traces stay out (they carry paths). */
export function errorFields(err: unknown): Record<string, unknown> {
  return { ...(err instanceof Error ? { errorName: err.name } : {}), errorMessage: errorMessageForLog(err) };
}
