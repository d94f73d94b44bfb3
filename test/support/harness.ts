// Starts a real node (real database, real app) for route tests, and talks to it through app.inject(). Each node is
// closed by the scope it was started in (test/support/scope.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openNode, type NodeOptions, type OpenPremNode } from '../../src/node.js';
import { ManualClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import type { Scope } from './scope.js';

export { closingScope, suiteScope, type Scope } from './scope.js';

export const ADMIN_PASSWORD = 'Admin-Pass1!';
export const API_KEY = 'test-api-key-0123456789';
/** Every test node's WA_SECRETS_KEY, so that nodes sharing a database share it, as a cluster's nodes must. */
export const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestNode {
  readonly node: OpenPremNode;
  /** Closes the node and opens a new one on the same database and clock: a restart. */
  restart(): Promise<void>;
  clock: ManualClock;
  env: Record<string, string>;
  request(options: RequestOptions): Promise<TestResponse>;
  /** Logs in (Basic auth) and returns the bearer token; throws when the login fails. */
  login(username: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  /** Creates a ROLE_USER account and returns its token. */
  userToken(username?: string, password?: string): Promise<string>;
  /**
   * Closes the node (and first the nodes that joined its database), drops its database and data directory. The
   * scope calls it; a test may call it earlier on purpose (a node that goes away), and a second call does nothing.
   */
  close(): Promise<void>;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  token?: string;
  apiKey?: string;
  basic?: [string, string];
  body?: unknown;
  /** A raw body sent as is (for malformed JSON and wrong content types). */
  payload?: string | Buffer;
  headers?: Record<string, string>;
  /** The client's address as the server sees it (app.inject's default is 127.0.0.1). */
  remoteAddress?: string;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  body: any;
  text: string;
}

export interface StartOptions extends NodeOptions {
  env?: Record<string, string>;
  /** Another node's database: the new node joins it, as several nodes share one PostgreSQL. */
  shareDatabaseOf?: TestNode;
  clock?: ManualClock;
}

// The nodes that joined a node's database: they close before it, whatever order their scopes close in.
const joinersOf = new WeakMap<TestNode, TestNode[]>();

/** Starts a node, closed when `scope` ends (a test's `t`, or `suiteScope()`). */
export async function startTestNode(scope: Scope, options: StartOptions = {}): Promise<TestNode> {
  const testNode = await openTestNode(options);
  if (options.shareDatabaseOf) joinersOf.get(options.shareDatabaseOf)?.push(testNode);
  joinersOf.set(testNode, []);
  scope.after(() => testNode.close());
  return testNode;
}

/** A started node and a token of its admin: the start of most suites. */
export async function startAdminNode(
  scope: Scope,
  options: StartOptions = {},
): Promise<{ t: TestNode; admin: string }> {
  const t = await startTestNode(scope, options);
  return { t, admin: await t.adminToken() };
}

async function openTestNode(options: StartOptions): Promise<TestNode> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-test-'));
  const database: TestDatabase = options.shareDatabaseOf
    ? { env: options.shareDatabaseOf.env, drop: async () => {} }
    : await createTestDatabase(dataDir);
  const env = {
    WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WA_API_KEY: API_KEY,
    WA_RATE_LIMIT_MESSAGES: 'off',
    WA_RATE_LIMIT_DEFAULT: 'off',
    WA_RATE_LIMIT_ANONYMOUS: 'off',
    WA_RATE_LIMIT_ANONYMOUS_TOTAL: 'off',
    // A busy 2-core test machine stalls the loop now and then (scrypt, parallel files); only the guard's own
    // tests turn the lag bound on.
    WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    WA_LOG_LEVEL: 'silent',
    WA_SECRETS_KEY: SECRETS_KEY,
    ...database.env,
    ...options.env,
  };
  // Nodes on one database run on one clock unless a test says otherwise, as machines in one cluster share time.
  const clock = options.clock ?? options.shareDatabaseOf?.clock ?? new ManualClock();
  const open = () =>
    openNode(loadConfig(env), { ...options, clock, logger: options.logger ?? pino({ level: 'silent' }) });
  let node = await open();

  async function request(o: RequestOptions): Promise<TestResponse> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.apiKey) headers.authorization = `Apikey ${o.apiKey}`;
    if (o.basic) headers.authorization = `Basic ${Buffer.from(`${o.basic[0]}:${o.basic[1]}`).toString('base64')}`;
    let payload = o.payload;
    if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await node.app.server.inject({
      method: o.method ?? 'GET',
      url: o.url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
      ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
    });
    let body: unknown;
    try {
      body = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, headers: response.headers, body, text: response.body };
  }

  async function login(username: string, password: string): Promise<string> {
    const response = await request({ method: 'POST', url: '/v1/users/login', basic: [username, password] });
    if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${response.text}`);
    return response.body.users[0].token as string;
  }

  let admin: string | undefined;
  let users = 0;
  let closing: Promise<void> | undefined;
  async function adminToken(): Promise<string> {
    admin ??= await login('admin', ADMIN_PASSWORD);
    return admin;
  }
  async function shutDown(): Promise<void> {
    for (const joiner of joinersOf.get(self) ?? []) await joiner.close();
    await node.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const self: TestNode = {
    get node() {
      return node;
    },
    async restart() {
      await node.close();
      node = await open();
    },
    clock,
    env,
    request,
    login,
    adminToken,
    async userToken(username = `user${++users}x`, password = 'User-Pass1!') {
      const created = await request({
        method: 'POST',
        url: '/v1/users',
        token: await adminToken(),
        body: { username, password },
      });
      if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.status} ${created.text}`);
      return login(username, password);
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
  return self;
}

export interface NodePair {
  a: TestNode;
  b: TestNode;
}

/** Two nodes on one database and one clock, as several nodes share PostgreSQL; `second` configures b alone. */
export async function startNodePair(
  scope: Scope,
  first: StartOptions = {},
  second: StartOptions = {},
): Promise<NodePair> {
  const a = await startTestNode(scope, first);
  return { a, b: await startTestNode(scope, { ...second, shareDatabaseOf: a }) };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` (never a bare sleep). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
