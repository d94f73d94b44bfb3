// A throwaway PostgreSQL cluster of the test's own, on a free loopback port, that the test may stop and start:
// the machine's server is shared with other test runs and must never be stopped.
//
// Why a real cluster rather than a TCP proxy that cuts connections: stopping the server is the outage operators
// meet (restart, failover), with its real SQLSTATEs (57P01 admin_shutdown on open sessions, then refused
// connections). initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` OS user in a
// directory that user owns. Where neither is possible (no server binaries, an unprivileged user other than
// postgres) `ownPostgresUnavailable()` says why and the tests that need it skip with that reason.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN_ROOT = '/usr/lib/postgresql';

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly adminUrl: string;
  urlOf(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function binDir(): string | null {
  if (!existsSync(BIN_ROOT)) return null;
  const versions = readdirSync(BIN_ROOT)
    .filter((v) => existsSync(path.join(BIN_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(BIN_ROOT, versions[0]!, 'bin') : null;
}

/** Null when a cluster can be made here; otherwise the reason, for a test's skip message. */
export function ownPostgresUnavailable(): string | null {
  if (!binDir()) return `no PostgreSQL server binaries under ${BIN_ROOT}/*/bin`;
  const uid = process.getuid?.();
  if (uid !== 0 && os.userInfo().username !== 'postgres')
    return 'initdb needs to run as root (via runuser -u postgres) or as postgres';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  if (!bin) throw new Error(ownPostgresUnavailable() ?? 'no PostgreSQL binaries');
  const asPostgres = (tool: string, args: string[]) => {
    const command = path.join(bin, tool);
    return process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  // fsync off and a small shared_buffers: the cluster is thrown away, and the machine is shared.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=100`;
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const start = async () => {
    await asPostgres('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
  };
  // Immediate mode: the server goes away as a crash or a failover would, not after a polite checkpoint.
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
  };
  await start();
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlOf('postgres'),
    urlOf,
    stop,
    start,
    async destroy() {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
