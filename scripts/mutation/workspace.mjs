// A private copy of the repository for one worker, so that two mutants can run at once and the working tree is
// never written: the copy holds the tracked and untracked (not ignored) files, with node_modules linked.
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function createWorkspace(root, index) {
  const dir = mkdtempSync(path.join(tmpdir(), `openprem-mutation-${index}-`));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  for (const file of files.split('\0')) {
    if (!file || file === 'node_modules') continue;
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    try {
      copyFileSync(path.join(root, file), path.join(dir, file));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error; // a tracked file deleted in the working tree is simply absent
    }
  }
  // OPENPREM_MUTATION_NODE_MODULES: another installed node_modules, for a tree whose own is missing.
  const modules = process.env.OPENPREM_MUTATION_NODE_MODULES ?? path.join(root, 'node_modules');
  symlinkSync(realpathSync(modules), path.join(dir, 'node_modules'));
  // Retries: a test process just killed may still be writing its temporary files.
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }) };
}

/**
 * Runs `work` with `file` of the workspace holding `text`, and puts the original back whatever happens; a file
 * that does not read back as its original afterwards stops the run, since every later result would be wrong.
 */
export async function withFileText(workspace, file, text, work) {
  const full = path.join(workspace.dir, file);
  const original = readFileSync(full, 'utf8');
  writeFileSync(full, text);
  try {
    return await work();
  } finally {
    writeFileSync(full, original);
    assertRestored(full, original);
  }
}

function assertRestored(full, original) {
  if (readFileSync(full, 'utf8') !== original) throw new Error(`${full} could not be restored`);
}

const running = new Set();

/** Ends the test processes still running (on Ctrl-C), each by its own process group. */
export function stopAllTests() {
  for (const child of running) killGroup(child);
}

/**
 * Runs the module's test files one by one, each under its own time limit (`timeoutsMs[file]`, none when absent),
 * and stops at the first that fails: 'passed', 'failed' or 'timeout', with each file's duration. One file at a
 * time, so that a mutant looping forever in a unit test's code is stopped after that file's limit, not the module's.
 */
export async function runTestFiles(workspace, { tests, dialect }, timeoutsMs = {}) {
  const ms = {};
  for (const file of tests) {
    const result = await runTestFile(workspace, file, dialect, timeoutsMs[file]);
    ms[file] = result.ms;
    if (result.outcome !== 'passed') return { outcome: result.outcome, file, ms };
  }
  return { outcome: 'passed', ms };
}

/**
 * One test file. On SQLite the run stops at its first failing test (a `not ok` line of the TAP report), since one
 * failure is enough to kill a mutant; the tests' temporary files go to the workspace's own temporary directory,
 * removed with it. On PostgreSQL the file runs to its end, so that its tests drop the databases they created.
 */
function runTestFile(workspace, file, dialect, timeoutMs) {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', file];
  const temporary = path.join(workspace.dir, '.tmp');
  mkdirSync(temporary, { recursive: true });
  const env = { ...process.env, OPENPREM_TEST_DIALECT: dialect, TMPDIR: temporary };
  const stopAtFirstFailure = dialect === 'sqlite';
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: workspace.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let outcome = null;
    let pending = '';
    const finish = (result) => {
      outcome ??= result;
      killGroup(child);
    };
    const timer = timeoutMs === undefined ? null : setTimeout(() => finish('timeout'), timeoutMs);
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      if (stopAtFirstFailure && lines.some((line) => /^\s*not ok\b/.test(line) && !/# (TODO|SKIP)/i.test(line)))
        finish('failed');
    });
    child.stderr.resume();
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      resolve({ outcome: outcome ?? (code === 0 ? 'passed' : 'failed'), ms: performance.now() - started });
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
