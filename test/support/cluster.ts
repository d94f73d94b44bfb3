// Several real `openprem start` processes on one PostgreSQL database, for the multi-node tests in test/cluster/.
// Each node has its own data directory (nothing on disk is shared; media live in the database) and its own port.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TEST_DIALECT } from './database.js';
import { eventually, SECRETS_KEY, type Scope } from './harness.js';
import { startServer } from './process.js';

const ADMIN_PASSWORD = 'Cluster-Admin-Pass1!';
/** The skip reason of every multi-node suite on the SQLite leg. */
export const SQLITE_SKIP =
  TEST_DIALECT !== 'postgres' &&
  'several nodes share one database only on PostgreSQL (SQLite is one process by design)';
/** Webhook settings under which every status of a message is a callback, retried quickly. */
export const ALL_STATUS_CALLBACKS = (url: string) => ({
  webhooks: { url, message: { sent: true, delivered: true, read: true } },
  callback_backoff_delay_ms: 100,
  max_callback_backoff_delay_ms: 500,
});

interface ClusterNode {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** False between kill() and restart(). */
  alive: boolean;
}

export interface Cluster {
  readonly nodes: ClusterNode[];
  /** SIGKILL: no shutdown, no lease released, requests in flight cut. */
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  close(): Promise<void>;
}

/** `count` node processes, killed when `scope` ends (test/support/scope.ts). */
export async function startCluster(scope: Scope, count: number, env: Record<string, string>): Promise<Cluster> {
  const dirs = await Promise.all(
    Array.from({ length: count }, () => mkdtemp(path.join(os.tmpdir(), 'openprem-cluster-'))),
  );
  const envOf = (index: number) => ({
    // One WA_SECRETS_KEY for every node, as the README asks of a cluster (each data directory would make its own).
    WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WA_RATE_LIMIT_MESSAGES: 'off',
    WA_RATE_LIMIT_DEFAULT: 'off',
    WA_RATE_LIMIT_ANONYMOUS: 'off',
    WA_RATE_LIMIT_ANONYMOUS_TOTAL: 'off',
    WA_SECRETS_KEY: SECRETS_KEY,
    ...env,
    WA_DATA_DIR: dirs[index]!,
  });
  // One at a time: the first applies the migrations, the others find them done (and the machine has 2 cores).
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push({ ...(await startServer(envOf(i))), alive: true });
  } catch (error) {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
  const kill = async (index: number) => {
    const node = nodes[index]!;
    node.alive = false;
    node.child.kill('SIGKILL');
    await node.exited;
  };
  const cluster: Cluster = {
    nodes,
    kill,
    async restart(index: number) {
      nodes[index] = { ...(await startServer(envOf(index))), alive: true };
    },
    async close() {
      await Promise.all(nodes.map((node, index) => (node.alive ? kill(index) : undefined)));
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
  scope.after(() => cluster.close());
  return cluster;
}

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** One API call; `token` null logs in with the admin password (Basic). Network failures reject. */
export async function call(
  base: string,
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: token ? `Bearer ${token}` : `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(`${base}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, ms: performance.now() - started };
}

export async function login(base: string): Promise<string> {
  const answer = await call(base, 'POST', '/v1/users/login', null);
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.users[0].token as string;
}

/**
 * Waits until every node in `urls` has the application settings `has` accepts. A GET of the settings re-reads them
 * on the node that answers it, so once each node answered them, each has them in force.
 */
export async function untilEveryNodeHas(
  urls: readonly string[],
  token: string,
  has: (settings: any) => boolean,
): Promise<void> {
  await eventually(async () => {
    const answers = await Promise.all(urls.map((url) => call(url, 'GET', '/v1/settings/application', token)));
    return answers.every((answer) => answer.status === 200 && has(answer.body.settings.application)) ? true : undefined;
  }, 10_000);
}

/** Status callbacks and inbound messages as the receiver got them, with the delivery id of each request. */
export function statusesIn(received: readonly { headers: Record<string, unknown>; body: any }[]) {
  return received.flatMap((r) =>
    ((r.body?.statuses ?? []) as { id: string; status: string }[]).map((s) => ({
      id: s.id,
      status: s.status,
      deliveryId: String(r.headers['x-openprem-delivery-id']),
    })),
  );
}

/** The sent/delivered/read callbacks of `ids` that the receiver has not had yet, as "<id>/<status>". */
export function missingStatuses(received: Parameters<typeof statusesIn>[0], ids: readonly string[]): string[] {
  const seen = new Set(statusesIn(received).map((s) => `${s.id}/${s.status}`));
  return ids
    .flatMap((id) => ['sent', 'delivered', 'read'].map((status) => `${id}/${status}`))
    .filter((key) => !seen.has(key));
}

/** How long the leader lease has left (its holder renews it for unhealthy_interval at each heartbeat). */
export async function leaderLeaseLeftMs(databaseUrl: string): Promise<number> {
  const rows = await queryDatabase<{ expires_at: string }>(
    databaseUrl,
    "SELECT expires_at FROM cluster_leases WHERE name = 'leader'",
  );
  return rows.length ? Number(rows[0]!.expires_at) - Date.now() : Infinity;
}

/** How many of `ids` the messages table holds. */
export async function storedMessages(databaseUrl: string, ids: readonly string[]): Promise<number> {
  const rows = await queryDatabase<{ n: string }>(
    databaseUrl,
    'SELECT count(*) AS n FROM messages WHERE id = ANY($1)',
    [ids],
  );
  return Number(rows[0]!.n);
}

/** One statement on a connection of its own. */
export async function queryDatabase<Row extends pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}
