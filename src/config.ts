// Configuration is parsed once at start-up: defaults < optional JSON file (WA_CONFIG_FILE) < environment.
// Nothing else in the code base reads process.env. A bad value stops the start with one line naming the variable.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { passwordProblem } from './lib/credentials.js';
import { parseLinkAllowList, type LinkAllowEntry } from './lib/link-allow-list.js';

export type DatabaseConfig =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | {
      readonly dialect: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      readonly timeouts: PostgresTimeouts;
      /** Which variables named the server, for start-up errors: WA_DB_URL or the On-Prem WA_DB_* set. */
      readonly source: 'WA_DB_URL' | 'WA_DB_*';
    };
export type PostgresConfig = Extract<DatabaseConfig, { dialect: 'postgres' }>;

/** Bounds on waiting for PostgreSQL, so that a database in trouble costs a request seconds, not minutes. */
interface PostgresTimeouts {
  /** Opening a connection, or waiting for a free one in the pool (WA_DB_CONNECT_TIMEOUT_MS). */
  readonly connectMs: number;
  /** One statement, and one transaction left idle, on the server; 0 turns both off (WA_DB_STATEMENT_TIMEOUT_MS). */
  readonly statementMs: number;
}

type TlsConfig =
  | { readonly mode: 'files'; readonly certFile: string; readonly keyFile: string }
  | { readonly mode: 'self-signed' };

export interface TokenBucketConfig {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Authenticated callers draw from the per-node route buckets (`messages`, `default`); requests without valid
 * credentials, and logins, draw from `anonymous` (one bucket per client address) and `anonymousTotal` (one for the
 * node), so that unauthenticated traffic cannot spend the authenticated callers' budget.
 */
interface RateLimitsConfig {
  readonly messages: TokenBucketConfig | null;
  readonly default: TokenBucketConfig | null;
  readonly anonymous: TokenBucketConfig | null;
  readonly anonymousTotal: TokenBucketConfig | null;
}

/** Bounds on each connection and request, so that slow or stalled clients cannot hold the node (src/http/connection-limits.ts). */
export interface ConnectionLimitsConfig {
  /** From a request's first byte to the end of its headers; past it 408 and the connection closes. */
  readonly headersTimeoutMs: number;
  /** The longest pause in a request body; past it 408 in the envelope and the connection closes. */
  readonly bodyIdleTimeoutMs: number;
  /** From a request's first byte to the end of its body, however steadily it trickles; 0 turns it off. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number | null;
  readonly maxConnectionsPerAddress: number | null;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  /** HTTPS: the operator's files, or WA_TLS=self-signed (see src/tls/server-tls.ts); null for plain HTTP. */
  readonly tls: TlsConfig | null;
  /** Proxies whose X-Forwarded-For is believed (client addresses key the login throttle): false, true or a list. */
  readonly trustProxy: boolean | string[];
  readonly dataDir: string;
  readonly db: DatabaseConfig;
  readonly gateway: 'sandbox' | 'cloud';
  /** Meta's Cloud API: set exactly when `gateway` is `cloud`. */
  readonly cloud: CloudConfig | null;
  readonly apiKey: string | null;
  readonly adminPassword: string | null;
  readonly logLevel: string;
  /** WA_LOG_FORMAT: `pretty` (pino-pretty), `json`, or `auto`: pretty when standard output is a terminal. */
  readonly logFormat: 'json' | 'pretty' | 'auto';
  /** The On-Prem API level reported in `meta.version`. */
  readonly apiLevel: string;
  readonly rateLimits: RateLimitsConfig;
  readonly overload: {
    readonly maxInFlight: number | null;
    /** In-flight requests one user (or the API key) and one client address may hold each, at most. */
    readonly maxInFlightPerClient: number | null;
    readonly maxEventLoopDelayMs: number | null;
  };
  readonly connectionLimits: ConnectionLimitsConfig;
  /** How long a validated token is trusted from memory; bounds how late other nodes see a logout. */
  readonly tokenCacheMs: number;
  /** How often each node re-reads the shared application settings; bounds how late a change reaches other nodes. */
  readonly settingsRefreshMs: number;
  /** One webhook attempt's bound: connect, headers and body together. */
  readonly webhookTimeoutMs: number;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly sandbox: {
    readonly businessNumber: string;
    readonly delays: SandboxDelays;
    readonly registered: boolean | null;
  };
  /** Days the garbage collector keeps finished messages and ended webhook deliveries. */
  readonly retentionDays: { readonly messages: number; readonly webhooks: number };
  readonly media: MediaConfig;
  /** The node key sealing secrets in the database (WA_SECRETS_KEY), 32 bytes; null: <dataDir>/secrets.key. */
  readonly secretsKey: Buffer | null;
}

interface MediaConfig {
  /** Where new media bytes go: `directory` (default with SQLite) or `database` (default with PostgreSQL). */
  readonly store: 'directory' | 'database';
  /** The directory store's root: `<WA_DATA_DIR>/media`. */
  readonly directory: string;
  /** Non-public addresses and hosts a media `link` may still be fetched from (WA_MEDIA_LINK_ALLOW). */
  readonly linkAllow: readonly LinkAllowEntry[];
  /** One link download's bound, redirects and body included. */
  readonly linkTimeoutMs: number;
  /** Media older than this are deleted while `garbagecollector_enable.media` is on. */
  readonly retentionMs: number;
  /** How often each node runs the media retention pass. */
  readonly gcIntervalMs: number;
}

export interface CloudConfig {
  /** A system-user token with whatsapp_business_messaging (+ _management). Never logged, answered or backed up. */
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly wabaId: string;
  /** The business number behind phoneNumberId, as a wa_id (digits only): what On-Prem called the client's number. */
  readonly businessNumber: string;
  /** Checks X-Hub-Signature-256 on Meta's webhooks. */
  readonly appSecret: string;
  /** Answers Meta's subscription check (hub.verify_token). */
  readonly verifyToken: string;
  /** Needed only to set the profile photo (Resumable Upload API); null turns that one operation into a clear error. */
  readonly appId: string | null;
  /** Graph API version, such as v23.0. */
  readonly apiVersion: string;
  /** Graph's origin without a trailing slash: https://graph.facebook.com unless a test points it elsewhere. */
  readonly baseUrl: string;
  /** Keep-alive connections to Graph, at most. */
  readonly maxConnections: number;
  /** One Graph call's bound: connect, headers and body together. */
  readonly timeoutMs: number;
  /** Cloud throttling (130429, 131056, 4, 80007) is retried this many times, waiting backoffMs × 2^n, then 429/1015. */
  readonly throttleRetries: number;
  readonly throttleBackoffMs: number;
}

/** Milliseconds after acceptance at which the sandbox network reports each status (docs/api/sandbox.md). */
export interface SandboxDelays {
  readonly sent: number;
  readonly delivered: number;
  readonly read: number;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/** One bad variable, or several found together (the cloud gateway's are all listed at once). */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(variable: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(variableOrProblems: string | readonly ConfigProblem[], problem = '') {
    const problems =
      typeof variableOrProblems === 'string' ? [{ variable: variableOrProblems, problem }] : variableOrProblems;
    super(problems.map((p) => `${p.variable}: ${p.problem}`).join('; '));
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** The first variable to fix. */
  get variable(): string {
    return this.problems[0]!.variable;
  }
}

type Source = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Builds the configuration from an environment (process.env at start-up, a plain object in tests). */
export function loadConfig(env: Source, cwd = process.cwd()): Config {
  const source = { ...readConfigFile(env, cwd), ...definedOnly(env) };
  const read = (name: string) => nonEmpty(source[name]);
  const dataDir = path.resolve(cwd, read('WA_DATA_DIR') ?? './data');
  return Object.freeze({
    host: read('WA_HOST') ?? '127.0.0.1',
    port: parseInteger('WA_PORT', read('WA_PORT'), 9090, 0, 65535),
    tls: parseTls(read, cwd),
    trustProxy: parseTrustProxy(read('WA_TRUST_PROXY')),
    dataDir,
    db: parseDatabase(read, dataDir),
    gateway: parseGateway(read('WA_GATEWAY')),
    cloud: parseGateway(read('WA_GATEWAY')) === 'cloud' ? parseCloud(read) : null,
    apiKey: parseApiKey(read('WA_API_KEY')),
    adminPassword: parseAdminPassword(read('WA_ADMIN_PASSWORD')),
    logLevel: parseChoice('WA_LOG_LEVEL', read('WA_LOG_LEVEL'), LOG_LEVELS, 'info'),
    logFormat: parseChoice('WA_LOG_FORMAT', read('WA_LOG_FORMAT'), ['json', 'pretty', 'auto'] as const, 'auto'),
    apiLevel: parseApiLevel(read('WA_API_LEVEL')),
    rateLimits: {
      messages: parseBucket('WA_RATE_LIMIT_MESSAGES', read('WA_RATE_LIMIT_MESSAGES'), {
        ratePerSecond: 50,
        burst: 150,
      }),
      default: parseBucket('WA_RATE_LIMIT_DEFAULT', read('WA_RATE_LIMIT_DEFAULT'), { ratePerSecond: 20, burst: 60 }),
      // 5/s, burst 20 per address: a client logs in once per token (7 days) and a mistyped token fails a few times;
      // a script hammering 401s or guessing passwords from one address is held to 5 a second.
      anonymous: parseBucket('WA_RATE_LIMIT_ANONYMOUS', read('WA_RATE_LIMIT_ANONYMOUS'), {
        ratePerSecond: 5,
        burst: 20,
      }),
      // 20/60 for all addresses together: the default bucket's numbers, so that a flood from many addresses costs
      // the node no more than one full-rate client, and never touches the authenticated callers' buckets.
      anonymousTotal: parseBucket('WA_RATE_LIMIT_ANONYMOUS_TOTAL', read('WA_RATE_LIMIT_ANONYMOUS_TOTAL'), {
        ratePerSecond: 20,
        burst: 60,
      }),
    },
    overload: parseOverload(read),
    connectionLimits: parseConnectionLimits(read),
    tokenCacheMs: parseInteger('WA_TOKEN_CACHE_MS', read('WA_TOKEN_CACHE_MS'), 5000, 0, 60_000),
    settingsRefreshMs: parseInteger('WA_SETTINGS_REFRESH_MS', read('WA_SETTINGS_REFRESH_MS'), 2000, 50, 60_000),
    // 10 s: a receiver that needs longer is treated as down and retried on the backoff, not waited on.
    webhookTimeoutMs: parseInteger('WA_WEBHOOK_TIMEOUT_MS', read('WA_WEBHOOK_TIMEOUT_MS'), 10_000, 100, 300_000),
    bodyLimitBytes: parseInteger('WA_BODY_LIMIT_BYTES', read('WA_BODY_LIMIT_BYTES'), 1024 * 1024, 1024, 1024 ** 3),
    shutdownTimeoutMs: parseInteger('WA_SHUTDOWN_TIMEOUT_MS', read('WA_SHUTDOWN_TIMEOUT_MS'), 10_000, 0, 600_000),
    sandbox: {
      businessNumber: parseBusinessNumber(read('WA_SANDBOX_BUSINESS_NUMBER')),
      delays: parseSandboxDelays(read('WA_SANDBOX_DELAYS')),
      // Only a fresh database reads it: once the registration is stored, the database's state wins. null when
      // unset (a fresh database starts registered), so that a start can say the variable had no effect.
      registered:
        read('WA_SANDBOX_REGISTERED') === undefined
          ? null
          : parseBoolean('WA_SANDBOX_REGISTERED', read('WA_SANDBOX_REGISTERED'), true),
    },
    retentionDays: {
      // 30 days: WhatsApp's own bound on an undelivered message, and longer than any conversation window.
      messages: parseInteger('WA_RETENTION_MESSAGES_DAYS', read('WA_RETENTION_MESSAGES_DAYS'), 30, 1, 3650),
      // 7 days of delivery log: enough to look into last week's failures, bounded for a million callbacks a day.
      webhooks: parseInteger('WA_RETENTION_WEBHOOKS_DAYS', read('WA_RETENTION_WEBHOOKS_DAYS'), 7, 1, 3650),
    },
    media: parseMedia(read, dataDir),
    secretsKey: parseSecretsKey(read('WA_SECRETS_KEY')),
  });
}

function readConfigFile(env: Source, cwd: string): Source {
  const file = nonEmpty(env.WA_CONFIG_FILE);
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new ConfigError('WA_CONFIG_FILE', `cannot read ${file} as JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('WA_CONFIG_FILE', `${file} must hold one JSON object of WA_* names`);
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!key.startsWith('WA_')) throw new ConfigError('WA_CONFIG_FILE', `${file}: unknown key "${key}"`);
    values[key] = String(value);
  }
  return values;
}

function definedOnly(env: Source): Source {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function parseOptionalLimit(name: string, raw: string | undefined, fallback: number): number | null {
  if (raw === 'off') return null;
  return parseInteger(name, raw, fallback, 1, 10_000_000);
}

function parseOverload(read: (name: string) => string | undefined): Config['overload'] {
  // 1,000 in flight is well above what one node serves inside its latency budget (see bench/README.md).
  const maxInFlight = parseOptionalLimit('WA_MAX_IN_FLIGHT', read('WA_MAX_IN_FLIGHT'), 1000);
  // A quarter of the slots (250 of 1,000) per user and per address: 64 connections already saturate a node
  // (bench/README.md), so one client app loses nothing, while one principal stalling requests leaves three quarters
  // of the node to everyone else; at least four users or addresses must collude to fill it.
  const quarter = maxInFlight === null ? 250 : Math.max(1, Math.floor(maxInFlight / 4));
  return {
    maxInFlight,
    maxInFlightPerClient: parseOptionalLimit(
      'WA_MAX_IN_FLIGHT_PER_CLIENT',
      read('WA_MAX_IN_FLIGHT_PER_CLIENT'),
      quarter,
    ),
    // A loop stalled 500 ms already doubles every request's latency; refusing early lets the balancer move on.
    maxEventLoopDelayMs: parseOptionalLimit('WA_MAX_EVENT_LOOP_DELAY_MS', read('WA_MAX_EVENT_LOOP_DELAY_MS'), 500),
  };
}

function parseConnectionLimits(read: (name: string) => string | undefined): ConnectionLimitsConfig {
  const limits = {
    // 10 s for the request line and headers, which a client sends in one write: Node's 60 s let a slow-headers
    // client hold a connection six times longer for nothing.
    headersTimeoutMs: parseInteger('WA_HEADERS_TIMEOUT_MS', read('WA_HEADERS_TIMEOUT_MS'), 10_000, 100, 600_000),
    // 10 s without a byte of the body: past three back-to-back TCP retransmissions on a lossy link (1 + 2 + 4 s),
    // short enough that a client stalling its bodies holds each slot for seconds, not for ever (Fastify's default).
    bodyIdleTimeoutMs: parseInteger('WA_BODY_IDLE_TIMEOUT_MS', read('WA_BODY_IDLE_TIMEOUT_MS'), 10_000, 100, 600_000),
    // 300 s for a whole request (Node's own default, which Fastify turns off): a 100 MB document at 350 KB/s.
    requestTimeoutMs: parseInteger('WA_REQUEST_TIMEOUT_MS', read('WA_REQUEST_TIMEOUT_MS'), 300_000, 0, 3_600_000),
    // 72 s, Fastify's default: longer than the 60 s idle timeout of common balancers, so the balancer closes first.
    keepAliveTimeoutMs: parseInteger(
      'WA_KEEP_ALIVE_TIMEOUT_MS',
      read('WA_KEEP_ALIVE_TIMEOUT_MS'),
      72_000,
      1000,
      600_000,
    ),
    // 4,096 sockets: four times the in-flight bound, leaving room for idle keep-alive connections, and well inside
    // the usual 65,536 open files; past it the kernel's accept queue, not the heap, holds the excess.
    maxConnections: parseOptionalLimit('WA_MAX_CONNECTIONS', read('WA_MAX_CONNECTIONS'), 4096),
    // 512 per address: a client's keep-alive pool is 10 to 100 sockets; behind a balancer that does not pool,
    // raise it or turn it off, since every connection then comes from the balancer's address.
    maxConnectionsPerAddress: parseOptionalLimit(
      'WA_MAX_CONNECTIONS_PER_ADDRESS',
      read('WA_MAX_CONNECTIONS_PER_ADDRESS'),
      512,
    ),
  };
  if (limits.requestTimeoutMs !== 0 && limits.requestTimeoutMs < limits.headersTimeoutMs) {
    throw new ConfigError(
      'WA_REQUEST_TIMEOUT_MS',
      `must be 0 or at least WA_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs})`,
    );
  }
  return limits;
}

function parseChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function parseBucket(name: string, raw: string | undefined, fallback: TokenBucketConfig): TokenBucketConfig | null {
  if (raw === undefined) return fallback;
  if (raw === 'off') return null;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(raw);
  const ratePerSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || ratePerSecond <= 0 || burst < 1) {
    throw new ConfigError(name, `expected "<requests per second>/<burst>" such as 50/150, or off; got "${raw}"`);
  }
  return { ratePerSecond, burst };
}

function parseApiKey(raw: string | undefined): string | null {
  // Empty is unset: a compose file passes `${WA_API_KEY:-}` when the operator gave none.
  if (raw === undefined || raw === '') return null;
  if (raw.length < 12 || raw.length > 128) {
    throw new ConfigError('WA_API_KEY', `must be 12 to 128 characters long, got ${raw.length}`);
  }
  return raw;
}

function parseAdminPassword(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const problem = passwordProblem(raw);
  if (problem) throw new ConfigError('WA_ADMIN_PASSWORD', `the password ${problem}`);
  return raw;
}

function parseApiLevel(raw: string | undefined): string {
  if (raw === undefined) return 'v2.53.0';
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(raw))
    throw new ConfigError('WA_API_LEVEL', `expected a version such as v2.53.0, got "${raw}"`);
  return raw.startsWith('v') ? raw : `v${raw}`;
}

function parseGateway(raw: string | undefined): 'sandbox' | 'cloud' {
  if (raw === undefined) return 'sandbox';
  if (raw === 'sandbox' || raw === 'cloud') return raw;
  throw new ConfigError('WA_GATEWAY', `expected sandbox or cloud, got "${raw}"`);
}

function parseCloud(read: (name: string) => string | undefined): CloudConfig {
  // Every variable is checked before failing: an operator setting up cloud learns all that is missing at once.
  const problems: ConfigProblem[] = [];
  const check = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined as T;
    }
  };
  const required = (name: string) => {
    const value = read(name);
    if (value === undefined) throw new ConfigError(name, 'required when WA_GATEWAY=cloud');
    return value;
  };
  // Secrets are checked for shape only, and the message never repeats them: a config error is printed and logged.
  const secret = (name: string, pattern: RegExp, expected: string) =>
    check(() => {
      const value = required(name);
      if (!pattern.test(value)) throw new ConfigError(name, `expected ${expected} (the value is not shown)`);
      return value;
    });
  const graphId = (name: string) =>
    check(() => {
      const value = required(name);
      if (!/^\d{5,25}$/.test(value)) throw new ConfigError(name, `expected the numeric id Meta shows, got "${value}"`);
      return value;
    });
  const config: CloudConfig = {
    accessToken: secret(
      'WA_CLOUD_ACCESS_TOKEN',
      /^[A-Za-z0-9._|-]{20,1024}$/,
      'a Graph access token: 20+ letters, digits, . _ | -',
    ),
    phoneNumberId: graphId('WA_CLOUD_PHONE_NUMBER_ID'),
    wabaId: graphId('WA_CLOUD_WABA_ID'),
    businessNumber: check(() => parseNumber('WA_CLOUD_BUSINESS_NUMBER', required('WA_CLOUD_BUSINESS_NUMBER'))),
    appSecret: secret('WA_CLOUD_APP_SECRET', /^[A-Za-z0-9]{16,128}$/, 'the app secret: 16 to 128 letters and digits'),
    verifyToken: secret('WA_CLOUD_VERIFY_TOKEN', /^\S{8,256}$/, '8 to 256 characters without spaces'),
    appId: check(() => parseAppId(read('WA_CLOUD_APP_ID'))),
    apiVersion: check(() => parseApiVersion(read('WA_CLOUD_API_VERSION'))),
    baseUrl: check(() => parseBaseUrl(read('WA_CLOUD_BASE_URL') ?? 'https://graph.facebook.com')),
    // 64 connections: 1,000 sends/s (Cloud's top per-number tier) at Graph's ~50 ms per send needs about 50 in flight.
    maxConnections: check(() =>
      parseInteger('WA_CLOUD_MAX_CONNECTIONS', read('WA_CLOUD_MAX_CONNECTIONS'), 64, 1, 1024),
    ),
    // 15 s: a send Graph has not answered by then is reported to the caller instead of holding its request.
    timeoutMs: check(() => parseInteger('WA_CLOUD_TIMEOUT_MS', read('WA_CLOUD_TIMEOUT_MS'), 15_000, 100, 300_000)),
    // 3 retries from 500 ms (0.5 + 1 + 2 s): past Cloud's one-second throughput window, inside a client's patience.
    throttleRetries: check(() =>
      parseInteger('WA_CLOUD_THROTTLE_RETRIES', read('WA_CLOUD_THROTTLE_RETRIES'), 3, 0, 10),
    ),
    throttleBackoffMs: check(() =>
      parseInteger('WA_CLOUD_THROTTLE_BACKOFF_MS', read('WA_CLOUD_THROTTLE_BACKOFF_MS'), 500, 1, 60_000),
    ),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parseAppId(raw: string | undefined): string | null {
  if (raw !== undefined && !/^\d{5,25}$/.test(raw))
    throw new ConfigError('WA_CLOUD_APP_ID', `expected the numeric app id, got "${raw}"`);
  return raw ?? null;
}

function parseApiVersion(raw: string | undefined): string {
  const version = raw ?? 'v23.0';
  if (!/^v\d{1,3}\.\d$/.test(version))
    throw new ConfigError('WA_CLOUD_API_VERSION', `expected a Graph version such as v23.0, got "${version}"`);
  return version;
}

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'WA_CLOUD_BASE_URL',
      `expected an http(s) origin such as https://graph.facebook.com, got "${raw}"`,
    );
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    throw new ConfigError(
      'WA_CLOUD_BASE_URL',
      `expected an http(s) origin such as https://graph.facebook.com, got "${raw}"`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function parseTrustProxy(raw: string | undefined): boolean | string[] {
  if (raw === undefined || raw === 'false' || raw === 'off') return false;
  if (raw === 'true') return true;
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.some((entry) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry))) {
    throw new ConfigError(
      'WA_TRUST_PROXY',
      `expected true, false or a comma-separated list of addresses/CIDRs, got "${raw}"`,
    );
  }
  return entries;
}

function parseTls(read: (name: string) => string | undefined, cwd: string): Config['tls'] {
  const cert = read('WA_TLS_CERT');
  const key = read('WA_TLS_KEY');
  const mode = read('WA_TLS');
  if (mode !== undefined) {
    if (mode !== 'self-signed')
      throw new ConfigError('WA_TLS', `expected self-signed (or WA_TLS_CERT and WA_TLS_KEY instead), got "${mode}"`);
    if (cert || key)
      throw new ConfigError(
        'WA_TLS',
        'self-signed cannot be combined with WA_TLS_CERT/WA_TLS_KEY; set one or the other',
      );
    return { mode: 'self-signed' };
  }
  if (!cert && !key) return null;
  if (!cert || !key)
    throw new ConfigError(cert ? 'WA_TLS_KEY' : 'WA_TLS_CERT', 'HTTPS needs both WA_TLS_CERT and WA_TLS_KEY');
  return { mode: 'files', certFile: path.resolve(cwd, cert), keyFile: path.resolve(cwd, key) };
}

function parseSandboxDelays(raw: string | undefined): SandboxDelays {
  const delays = { sent: 100, delivered: 400, read: 1500 };
  if (raw === undefined) return delays;
  const problem = `expected sent:<ms>,delivered:<ms>,read:<ms> in increasing order, got "${raw}"`;
  for (const pair of raw.split(',')) {
    const match = /^\s*(sent|delivered|read)\s*:\s*(\d{1,9})\s*$/.exec(pair);
    if (!match) throw new ConfigError('WA_SANDBOX_DELAYS', problem);
    delays[match[1] as keyof SandboxDelays] = Number(match[2]);
  }
  if (!(delays.sent <= delays.delivered && delays.delivered <= delays.read))
    throw new ConfigError('WA_SANDBOX_DELAYS', problem);
  return delays;
}

function parseBusinessNumber(raw: string | undefined): string {
  return parseNumber('WA_SANDBOX_BUSINESS_NUMBER', raw ?? '+1 631-555-0000');
}

function parseNumber(name: string, input: string): string {
  const parsed = parsePhoneNumberFromString(input.startsWith('+') ? input : `+${input}`);
  if (!parsed?.isValid()) throw new ConfigError(name, `"${input}" is not a valid international number`);
  return parsed.number.slice(1);
}

function parseDatabase(read: (name: string) => string | undefined, dataDir: string): DatabaseConfig {
  const poolSize = parseInteger('WA_DB_POOL_SIZE', read('WA_DB_POOL_SIZE'), 10, 1, 1000);
  const timeouts = parsePostgresTimeouts(read);
  const url = read('WA_DB_URL');
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new ConfigError('WA_DB_URL', 'expected a postgres:// or postgresql:// URL');
    return { dialect: 'postgres', url, poolSize, timeouts, source: 'WA_DB_URL' };
  }
  const engine = read('WA_DB_ENGINE')?.toUpperCase();
  if (engine === undefined || engine === 'SQLITE')
    return { dialect: 'sqlite', file: path.join(dataDir, 'openprem.sqlite') };
  if (engine !== 'PGSQL')
    throw new ConfigError('WA_DB_ENGINE', `expected PGSQL or SQLITE, got "${engine}" (MySQL is not supported)`);
  const host = read('WA_DB_HOSTNAME');
  if (!host) throw new ConfigError('WA_DB_HOSTNAME', 'required when WA_DB_ENGINE=PGSQL');
  const port = parseInteger('WA_DB_PORT', read('WA_DB_PORT'), 5432, 1, 65535);
  const user = encodeURIComponent(read('WA_DB_USERNAME') ?? 'postgres');
  const password = read('WA_DB_PASSWORD');
  const auth = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  const name = encodeURIComponent(read('WA_DB_NAME') ?? 'openprem');
  return {
    dialect: 'postgres',
    url: `postgres://${auth}@${host}:${port}/${name}`,
    poolSize,
    timeouts,
    source: 'WA_DB_*',
  };
}

function parsePostgresTimeouts(read: (name: string) => string | undefined): PostgresTimeouts {
  return {
    // 2 s: a healthy server on the same network connects in milliseconds (loopback, connect + first query: 16 ms
    // median, 20 ms p95 on this busy 2-core machine), a TLS handshake across zones in well under 1 s. A request that
    // finds no free connection within 2 s answers 503 / 1023 and is retried by the balancer or client, instead of
    // queueing behind a dead or saturated database.
    connectMs: parseInteger('WA_DB_CONNECT_TIMEOUT_MS', read('WA_DB_CONNECT_TIMEOUT_MS'), 2000, 100, 60_000),
    // 30 s: every statement this code issues is an indexed lookup or a bounded batch (ms), and a client of the
    // API gives up well before 30 s; a statement still running then is stuck on a lock, and cancelling it frees
    // its connection. The same bound ends a transaction left idle by a frozen node, releasing its row locks.
    // Migrations run on their own connection without it (an index build on a large table may take longer).
    statementMs: parseInteger('WA_DB_STATEMENT_TIMEOUT_MS', read('WA_DB_STATEMENT_TIMEOUT_MS'), 30_000, 0, 3_600_000),
  };
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function parseMedia(read: (name: string) => string | undefined, dataDir: string): MediaConfig {
  const postgres = read('WA_DB_URL') !== undefined || read('WA_DB_ENGINE')?.toUpperCase() === 'PGSQL';
  let linkAllow: LinkAllowEntry[];
  try {
    linkAllow = parseLinkAllowList(read('WA_MEDIA_LINK_ALLOW') ?? '');
  } catch (error) {
    throw new ConfigError('WA_MEDIA_LINK_ALLOW', (error as Error).message);
  }
  return {
    // With PostgreSQL several nodes may share the database; keeping media there needs no shared volume.
    store: parseChoice(
      'WA_MEDIA_STORE',
      read('WA_MEDIA_STORE'),
      ['directory', 'database'] as const,
      postgres ? 'database' : 'directory',
    ),
    directory: path.join(dataDir, 'media'),
    linkAllow,
    // 20 s: a 16 MB video over a slow link; longer holds the sandbox network's pass that sends it.
    linkTimeoutMs: parseInteger('WA_MEDIA_LINK_TIMEOUT_MS', read('WA_MEDIA_LINK_TIMEOUT_MS'), 20_000, 100, 600_000),
    // 30 days: "outgoing media generally safe to remove after 30 days", as the old API's documentation put it
    // (docs/api/media.md#retention).
    retentionMs: parseInteger('WA_MEDIA_RETENTION_DAYS', read('WA_MEDIA_RETENTION_DAYS'), 30, 1, 3650) * 86_400_000,
    gcIntervalMs: parseInteger('WA_MEDIA_GC_INTERVAL_MS', read('WA_MEDIA_GC_INTERVAL_MS'), 3_600_000, 1000, 86_400_000),
  };
}

/** 32 bytes as 64 hex digits or as base64 (`openssl rand -base64 32`). The value itself is never echoed. */
export function parseSecretsKey(raw: string | undefined): Buffer | null {
  if (raw === undefined) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw)
    ? Buffer.from(raw, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw)
      ? Buffer.from(raw.replace(/=$/, ''), 'base64')
      : null;
  if (key === null || key.length !== 32) {
    throw new ConfigError(
      'WA_SECRETS_KEY',
      'expected 32 bytes as 64 hex digits or as base64 (make one with `openssl rand -base64 32`)',
    );
  }
  return key;
}
