import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; ids travel as fields, never inside messages. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'taskhub', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'req.headers["mj-api-secret"]', 'access_token', 'key'], remove: true },
  });
}
