// A node's log lines as the tests see them: the production logger (same redaction), writing JSON into memory.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/lib/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export interface LogCapture {
  readonly logger: Logger;
  /** Every line written so far, raw, as one string (to search for a value that must not be there). */
  raw(): string;
  lines(): LogLine[];
  /** Lines with this message, written after `since` (a `mark()`). */
  withMessage(msg: string | RegExp, since?: number): LogLine[];
  /** How many lines there are now: later `withMessage(…, mark)` calls see only what came after. */
  mark(): number;
}

export function captureLogs(level: 'debug' | 'info' = 'debug'): LogCapture {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const lines = () => written.map((line) => JSON.parse(line) as LogLine);
  return {
    logger: createLogger({ logLevel: level, logFormat: 'json' }, sink),
    raw: () => written.join('\n'),
    lines,
    withMessage: (msg, since = 0) =>
      lines()
        .slice(since)
        .filter((line) => (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg))),
    mark: () => written.length,
  };
}
