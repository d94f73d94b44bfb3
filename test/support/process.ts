// The real `openprem` process, for tests of the command line, shutdown and crashes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve('src/cli.ts');
// As in the in-process harness: a busy 2-core test machine stalls a process now and then (parallel test files,
// tsx compiling at start), and the lag guard would then refuse the first requests with 503 / 1016. Only the
// guard's own tests turn the bound on; a test's env can still set it.
const QUIET_MACHINE_DEFAULTS = { WA_MAX_EVENT_LOOP_DELAY_MS: 'off' };

export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...QUIET_MACHINE_DEFAULTS, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `openprem start` on a free port and resolves once it logged its address. */
export function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], { env: { ...process.env, ...QUIET_MACHINE_DEFAULTS, ...env, WA_PORT: '0', WA_LOG_LEVEL: 'info' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /"address":"(https?:\/\/[^"]+)"/.exec(output);
      if (match) resolve({ child, url: match[1]!, exited, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${output}`)));
  });
}

