// Each request's logger (request.log), made only when the request logs something. Fastify makes a pino child
// logger per request for its request id; with our redaction paths, pino passes each binding through the redaction
// stringifier (@pinojs/redact): pino and @pinojs/redact were 2.5 % of an authenticated GET /v1/health profile at
// 8,000 requests/s, although a successful request logs nothing at the default level (hooks/request-log.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Fastify's childLoggerFactory: the same child as Fastify's own, made on first use. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
  // A route with its own level gets its child at once: the level check below reads the parent's.
  if (options.level !== undefined && options.level !== logger.level) return logger.child(bindings, options);
  return new LazyLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

// Methods on the prototype, not arrow fields: a request that logs nothing should allocate one object, not eight.
class LazyLogger {
  #child: Logger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly ownBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.real().child(bindings, options);
  }

  bindings(): Bindings {
    return this.real().bindings();
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  /** The child pino logger, made now if it was not yet. */
  private real(): Logger {
    this.#child ??= this.parent.child(this.ownBindings, this.options);
    return this.#child;
  }

  private write(level: Level, args: unknown[]): void {
    // Below the level, pino would drop the line: so is it here, without making the child.
    if (!this.#child && !this.parent.isLevelEnabled(level)) return;
    (this.real()[level] as (...a: unknown[]) => void)(...args);
  }
}
