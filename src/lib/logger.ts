// The process's pino logger: JSON lines for machines, pino-pretty for a person at a terminal.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Fields that may hold a credential or a secret, wherever a log call might put them by mistake. The log lines
 * themselves never name these on purpose: this is the second line of defence, not the first.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'req.headers.cookie',
  ...['password', 'new_password', 'secret', 'token', 'pin', 'accessToken', 'access_token', 'apiKey', 'data'].flatMap(
    (key) => [key, `*.${key}`],
  ),
];

export interface LoggerSettings {
  readonly logLevel: string;
  readonly logFormat: 'json' | 'pretty' | 'auto';
}

/** Pretty for `pretty`, and for `auto` on a terminal: a pipe, a file or a log collector (and the tests' child
 *  processes) get JSON. */
export function wantsPretty(format: LoggerSettings['logFormat'], stdoutIsTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTty);
}

/** `destination`: where lines go instead of standard output (tests capture them), always as JSON. */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options = { level: settings.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  const tty = process.stdout.isTTY === true;
  return wantsPretty(settings.logFormat, tty) ? pino(options, prettyStream(tty)) : pino(options);
}

// In-process and synchronous rather than pino's worker-thread transport: a terminal's volume is small, and a
// synchronous write keeps the last lines before process.exit(). Colours only on a terminal (not when piped).
function prettyStream(colorize: boolean): DestinationStream {
  return pretty({ colorize, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
