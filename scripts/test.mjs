#!/usr/bin/env node
// `npm test`: the checks (format and lint, import rules, unused code, types), then the whole suite on SQLite and
// again on PostgreSQL. Each check is also a script of its own (`npm run lint`, `deps`, `unused`, `typecheck`); they
// all run, then any that failed stops the run before the suite (CONTRIBUTING.md, "Tools").
//
// The PostgreSQL leg uses the admin connection in OPENPREM_TEST_PG_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) to create a throwaway database per test node. When PostgreSQL
// cannot be reached the leg is skipped with a clear message, unless OPENPREM_TEST_REQUIRE_PG=1 (as in CI),
// which makes that a failure.
//
// The browser tests (test/browser/, and the /docs test) drive Debian's Chromium at /usr/bin/chromium. Without it
// they are skipped, and this script says so plainly at the start and at the end; with OPENPREM_TEST_REQUIRE_BROWSER=1
// (as in CI) a missing Chromium is a failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pgUrl = process.env.OPENPREM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const requirePg = process.env.OPENPREM_TEST_REQUIRE_PG === '1';
const chromium = process.env.OPENPREM_TEST_CHROMIUM ?? '/usr/bin/chromium';
const requireBrowser = process.env.OPENPREM_TEST_REQUIRE_BROWSER === '1';
const only = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : findTests(full);
    return name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
  });
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const counts = { pass: 0, fail: 0, cancelled: 0 };
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        // A cancelled test (a file that timed out or left a promise pending) is a failure too. The spec reporter
        // colours its summary whenever stderr is a terminal (even though its stdout is this pipe), so the colour
        // codes are stripped before matching: the display keeps them.
        const match = /^ℹ (pass|fail|cancelled) (\d+)$/.exec(stripVTControlCharacters(line).trim());
        if (match) counts[match[1]] = Number(match[2]);
      }
    });
    child.on('close', (code) => resolve({ code: code ?? 1, pass: counts.pass, fail: counts.fail + counts.cancelled }));
  });
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error.message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const tests = only.length ? only : [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))].sort();

const browserSkipped = !existsSync(chromium);
if (browserSkipped) {
  const message = `browser tests SKIPPED: no Chromium at ${chromium}. Install it (apt-get install chromium) to run them.`;
  if (requireBrowser) {
    console.error(`${message.replace('SKIPPED', 'FAILED')}\nOPENPREM_TEST_REQUIRE_BROWSER=1 makes this an error.`);
    process.exit(1);
  }
  console.warn(`!! ${message}`);
} else {
  console.log(`== browser tests run with ${chromium}`);
}

const CHECKS = [
  { script: 'lint', title: 'format and lint (Biome)' },
  { script: 'deps', title: 'import rules (dependency-cruiser)' },
  { script: 'unused', title: 'unused files, exports and dependencies (knip)' },
  { script: 'typecheck', title: 'type check (tsc)' },
];
const failedChecks = [];
for (const check of CHECKS) {
  console.log(`\n== ${check.title}: npm run ${check.script}`);
  const started = performance.now();
  const { code } = await run('npm', ['run', '--silent', check.script]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${code === 0 ? 'ok' : 'FAILED'}: ${check.title} (${seconds} s)`);
  if (code !== 0) failedChecks.push(check);
}
if (failedChecks.length) {
  console.error(
    `\nchecks failed: ${failedChecks.map((check) => `npm run ${check.script}`).join(', ')}; the suite did not run.`,
  );
  process.exit(1);
}

const nodeArgs = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...tests];
const totals = { pass: 0, fail: 0 };
let failed = false;

console.log(`\n== SQLite leg (${tests.length} files)`);
const sqlite = await run(process.execPath, nodeArgs, { OPENPREM_TEST_DIALECT: 'sqlite' });
totals.pass += sqlite.pass;
totals.fail += sqlite.fail;
failed ||= sqlite.code !== 0;

const unreachable = await postgresReachable();
if (unreachable) {
  const message =
    `PostgreSQL leg SKIPPED: cannot reach ${pgUrl} (${unreachable}).\n` +
    'Start PostgreSQL or set OPENPREM_TEST_PG_URL to an admin connection that may CREATE DATABASE, then run npm test again.';
  if (requirePg) {
    console.error(`\n${message.replace('SKIPPED', 'FAILED')}\nOPENPREM_TEST_REQUIRE_PG=1 makes this an error.`);
    failed = true;
  } else {
    console.warn(`\n!! ${message}`);
  }
} else {
  console.log(`\n== PostgreSQL leg (${tests.length} files, ${pgUrl.replace(/:[^:@/]*@/, ':***@')})`);
  const postgres = await run(process.execPath, nodeArgs, {
    OPENPREM_TEST_DIALECT: 'postgres',
    OPENPREM_TEST_PG_URL: pgUrl,
  });
  totals.pass += postgres.pass;
  totals.fail += postgres.fail;
  failed ||= postgres.code !== 0;
}

console.log(`\n${totals.pass} passed, ${totals.fail} failed`);
if (browserSkipped) console.warn(`!! browser tests were SKIPPED (no Chromium at ${chromium})`);
process.exit(failed ? 1 : 0);
