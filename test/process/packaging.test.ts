// deploy/: the image's build context, deploy/Dockerfile replayed step by step without a container engine (the test
// machines have none), the container's health check over HTTP and HTTPS, and the systemd unit.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  copySources,
  execForm,
  listContextFiles,
  loadDockerignore,
  readStages,
  replayStage,
  type ReplayedStage,
  type Stage,
} from '../support/docker-build.js';

const run = promisify(execFile);

// What must never reach a build context: dependencies and build output (the image makes its own), a node's data
// (its SQLite file and self-signed key), the history, and key material anywhere.
const NEVER_SENT = [
  'node_modules/fastify/package.json',
  'dist/cli.js',
  'data/openprem.sqlite',
  'data/tls/self-signed.key',
  '.git/HEAD',
  'deploy/tls/server.key',
  'bench/results/2026-11-23.json',
  '.bench/run.json',
  'src/tls/leaked.key',
  'src/tls/leaked.pem',
  'src/config.test.ts',
];

describe('the image build context (.dockerignore)', () => {
  it('leaves out dependencies, build output, data, history and key material', async () => {
    const matcher = await loadDockerignore();
    for (const file of NEVER_SENT) assert.ok(matcher.excludes(file), `${file} would be sent`);
    const sent = await listContextFiles();
    const strays = sent.filter((file) => /^(node_modules|dist|data|\.git)(\/|$)|\.(key|pem)$/.test(file));
    assert.deepEqual(strays, []);
  });

  it('holds every source the Dockerfile copies, and nothing else', async () => {
    const sent = await listContextFiles();
    const sources = contextSources(await readStages());
    for (const source of sources) {
      assert.ok(
        sent.some((file) => file === source || file.startsWith(`${source}/`)),
        `COPY ${source}: not in the context`,
      );
    }
    const uncopied = sent.filter((file) => !sources.some((source) => file === source || file.startsWith(`${source}/`)));
    assert.deepEqual(uncopied, []);
    assert.ok(
      sent.includes('bin/healthcheck.js') && sent.includes('src/cli.ts') && sent.includes('web/console/index.html'),
    );
  });
});

describe('deploy/Dockerfile replayed without a container engine', () => {
  let work: string;
  let database: TestDatabase;
  let mirror: BindingMirror;
  let build: ReplayedStage;
  let image: ReplayedStage;
  let stages: Stage[];
  let imageEnv: Record<string, string>;

  before(
    async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'openprem-image-'));
      database = await createTestDatabase(path.join(work, 'volume'));
      mirror = await startBindingMirror(work);
      stages = await readStages();
      const contextFiles = await listContextFiles();
      const systemPaths = stages.flatMap((stage) =>
        stage.steps.filter((step) => step.keyword === 'VOLUME').flatMap((step) => step.args),
      );
      // A real build downloads better-sqlite3's prebuilt binding (or compiles it: minutes on a busy machine). The
      // same `npm rebuild` step runs here, pointed by prebuild-install's own mirror variable at a loopback server
      // that hands out the binding this checkout built for this Node.
      const env = { ...hostEnv(), npm_config_better_sqlite3_binary_host: mirror.url };
      const earlier = new Map<string, ReplayedStage>();
      build = await replayStage(stages[0]!, {
        directory: path.join(work, 'build'),
        contextFiles,
        earlier,
        env,
        systemPaths,
      });
      earlier.set(stages[0]!.name!, build);
      image = await replayStage(stages[1]!, {
        directory: path.join(work, 'app'),
        contextFiles,
        earlier,
        env,
        systemPaths,
      });
      imageEnv = {
        ...hostEnv(),
        ...image.env,
        ...database.env,
        WA_PORT: String(await freePort()),
        WA_ADMIN_PASSWORD: 'Image-Admin-Pass1!',
        WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
      };
    },
    { timeout: 600_000 },
  );

  after(async () => {
    await mirror?.close();
    await database?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('compiles dist/ with the dev dependencies, then ships only the production ones', async () => {
    assert.ok(existsSync(path.join(image.directory, 'dist/cli.js')));
    const compiled = await readdir(path.join(image.directory, 'dist'), { recursive: true });
    assert.deepEqual(
      compiled.filter((file) => /\.test\.js$|test-table\.js$/.test(file)),
      [],
      'dist/ holds no tests',
    );
    assert.ok(existsSync(path.join(image.directory, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')));
    assert.ok(
      mirror.requests.some((url) => url.endsWith('.tar.gz')),
      'the binding was not asked for',
    );
    for (const devOnly of ['typescript', 'tsx', 'autocannon', '@types/node']) {
      assert.equal(
        existsSync(path.join(image.directory, 'node_modules', devOnly)),
        false,
        `${devOnly} is in the image`,
      );
    }
    // Only operating-system set-up is left out: the compilers' packages and the volume's owner.
    assert.equal(build.skipped.length + image.skipped.length, 2);
    assert.match(build.skipped[0]!, /^apt-get /);
    assert.match(image.skipped[0]!, /chown node:node \/var\/lib\/openprem/);
  });

  it('starts with the image ENV and CMD, answers GET / and passes the HEALTHCHECK over HTTP', async () => {
    const node = await startImage(image, stages[1]!, imageEnv);
    try {
      assert.match(node.url, /^http:\/\//);
      assert.equal((await fetch(node.url)).status, 200);
      // The console ships too: its page, its own modules and the libraries it takes from the production dependencies.
      for (const file of ['console/', 'console/app.js', 'console/vendor/preact.mjs', 'console/vendor/uplot.mjs']) {
        assert.equal((await fetch(new URL(file, node.url))).status, 200, file);
      }
      assert.equal(await runHealthcheck(image, stages[1]!, imageEnv), 0);
    } finally {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  });

  it('passes the HEALTHCHECK over HTTPS (WA_TLS=self-signed), stops on its STOPSIGNAL, and then fails it', async () => {
    const env = { ...imageEnv, WA_TLS: 'self-signed' };
    const node = await startImage(image, stages[1]!, env);
    assert.match(node.url, /^https:\/\//);
    assert.equal(await runHealthcheck(image, stages[1]!, env), 0);
    node.child.kill(stopSignal(stages[1]!));
    assert.equal(await node.exited, 0);
    assert.equal(await runHealthcheck(image, stages[1]!, env), 1);
  });
});

describe('deploy/openprem.service', () => {
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => existsSync(file));
  it('passes systemd-analyze verify', { skip: analyze ? false : 'systemd-analyze is not installed' }, async () => {
    const { stdout, stderr } = await run(analyze!, ['verify', path.resolve('deploy/openprem.service')]);
    assert.equal(`${stdout}${stderr}`.trim(), '');
  });
});

function contextSources(stages: Stage[]): string[] {
  return stages
    .flatMap((stage) => stage.steps)
    .filter((step) => step.keyword === 'COPY' && !step.fromStage)
    .flatMap(copySources);
}

function stopSignal(stage: Stage): NodeJS.Signals {
  return (stage.steps.find((step) => step.keyword === 'STOPSIGNAL')?.args[0] ?? 'SIGTERM') as NodeJS.Signals;
}

/**
 * The environment without what an image build would not inherit: this run's WA_* and NODE_ENV, and the npm_*
 * variables `npm test` exports (npm_config_local_prefix and the like would point the replay's npm at this checkout).
 */
function hostEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(WA_|npm_)/i.test(entry[0]) && entry[0] !== 'NODE_ENV',
    ),
  );
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The exec-form command's arguments after `node`: paths relative to WORKDIR, which the replay's cwd is. */
function commandOf(keyword: 'CMD' | 'HEALTHCHECK', stage: Stage): string[] {
  const step = stage.steps.find((candidate) => candidate.keyword === keyword);
  assert.ok(step, `the Dockerfile has no ${keyword}`);
  const [program, ...args] = execForm(step);
  assert.equal(program, 'node');
  return args;
}

function runHealthcheck(image: ReplayedStage, stage: Stage, env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, commandOf('HEALTHCHECK', stage), {
    cwd: image.directory,
    env,
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
}

function startImage(
  image: ReplayedStage,
  stage: Stage,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, commandOf('CMD', stage), {
    cwd: image.directory,
    env: { ...env, WA_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /"address":"(https?:\/\/[^"]+)"/.exec(output);
      if (match) resolve({ child, url: match[1]!, exited });
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`the image's CMD exited with ${code} before listening: ${output}`)));
  });
}

interface BindingMirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback stand-in for better-sqlite3's download host: any .tar.gz it is asked for is this checkout's binding. */
async function startBindingMirror(work: string): Promise<BindingMirror> {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  const tarball = path.join(work, 'binding.tar.gz');
  await run('tar', ['-czf', tarball, '-C', packageDir, 'build/Release/better_sqlite3.node']);
  const body = await readFile(tarball);
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url?.endsWith('.tar.gz')) response.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
