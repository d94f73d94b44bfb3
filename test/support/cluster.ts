// Several real `openprem start` processes on one PostgreSQL database, for the multi-node tests in test/cluster/.
// Each node has its own data directory (nothing on disk is shared; media live in the database) and its own port.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TEST_DIALECT } from './database.js';
import { SECRETS_KEY } from './harness.js';
import { startServer } from './process.js';

export const ADMIN_PASSWORD = 'Cluster-Admin-Pass1!';
/** The skip reason of every multi-node suite on the SQLite leg. */
export const SQLITE_SKIP = TEST_DIALECT !== 'postgres' && 'several nodes share one database only on PostgreSQL (SQLite is one process by design)';
/** Webhook settings under which every status of a message is a callback, retried quickly. */
export const ALL_STATUS_CALLBACKS = (url: string) => ({
  webhooks: { url, message: { sent: true, delivered: true, read: true } }, callback_backoff_delay_ms: 100, max_callback_backoff_delay_ms: 500,
});

export interface ClusterNode {
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

export async function startCluster(count: number, env: Record<string, string>): Promise<Cluster> {
  const dirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(path.join(os.tmpdir(), 'openprem-cluster-'))));
  const envOf = (index: number) => ({
    // One WA_SECRETS_KEY for every node, as the README asks of a cluster (each data directory would make its own).
    WA_ADMIN_PASSWORD: ADMIN_PASSWORD, WA_RATE_LIMIT_MESSAGES: 'off', WA_RATE_LIMIT_DEFAULT: 'off', WA_RATE_LIMIT_ANONYMOUS: 'off',
    WA_RATE_LIMIT_ANONYMOUS_TOTAL: 'off', WA_SECRETS_KEY: SECRETS_KEY, ...env, WA_DATA_DIR: dirs[index]!,
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
  return {
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
}

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** One API call; `token` null logs in with the admin password (Basic). Network failures reject. */
export async function call(base: string, method: string, url: string, token: string | null, body?: unknown, timeoutMs = 10_000): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: token ? `Bearer ${token}` : `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(`${base}${url}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
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

/** Status callbacks and inbound messages as the receiver got them, with the delivery id of each request. */
export function statusesIn(received: readonly { headers: Record<string, unknown>; body: any }[]) {
  return received.flatMap((r) =>
    ((r.body?.statuses ?? []) as { id: string; status: string }[]).map((s) => ({ id: s.id, status: s.status, deliveryId: String(r.headers['x-openprem-delivery-id']) })),
  );
}

/** The sent/delivered/read callbacks of `ids` that the receiver has not had yet, as "<id>/<status>". */
export function missingStatuses(received: Parameters<typeof statusesIn>[0], ids: readonly string[]): string[] {
  const seen = new Set(statusesIn(received).map((s) => `${s.id}/${s.status}`));
  return ids.flatMap((id) => ['sent', 'delivered', 'read'].map((status) => `${id}/${status}`)).filter((key) => !seen.has(key));
}

/** How many of `ids` the messages table holds. */
export async function storedMessages(databaseUrl: string, ids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE id = ANY($1)', [ids]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}
