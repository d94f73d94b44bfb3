// The real `openprem` process, for tests of the command line, shutdown and crashes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually } from './harness.js';

const CLI = path.resolve('src/cli.ts');
// As in the in-process harness: a busy 2-core test machine stalls a process now and then (parallel test files,
// tsx compiling at start), and the lag guard would then refuse the first requests with 503 / 1016. Only the
// guard's own tests turn the bound on; a test's env can still set it.
const QUIET_MACHINE_DEFAULTS = { WA_MAX_EVENT_LOOP_DELAY_MS: 'off' };

export function runCli(
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...QUIET_MACHINE_DEFAULTS, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** What is typed once the output so far matches `after` (a prompt). */
export interface Keystrokes {
  after: RegExp;
  type: string;
}

/**
 * Runs `openprem` on a pseudo-terminal (util-linux `script`), typing each entry once its prompt appeared, and
 * resolves with everything the terminal showed: what the process wrote, and any echo of what was typed.
 */
export function runCliOnTerminal(
  args: string[],
  env: Record<string, string>,
  keystrokes: Keystrokes[],
): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args]
    .map((part) => `'${part.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  return new Promise((resolve) => {
    // -e: script exits with the command's code; /dev/null: no typescript file.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...QUIET_MACHINE_DEFAULTS, ...env },
    });
    let screen = '';
    let next = 0;
    child.stdout.on('data', (chunk) => {
      screen += chunk;
      while (keystrokes[next]?.after.test(screen)) child.stdin.write(keystrokes[next++]!.type);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}

/** Starts `openprem start` on a free port and resolves once it logged its address; `output()` is all it wrote so far. */
export function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: { ...process.env, ...QUIET_MACHINE_DEFAULTS, ...env, WA_PORT: '0', WA_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /"address":"(https?:\/\/[^"]+)"/.exec(output);
      if (match) resolve({ child, url: match[1]!, exited, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${output}`)));
  });
}

/**
 * Starts a login as `admin` and resolves once the server counts it in flight (a login hashes with scrypt, ~120 ms,
 * long enough to be caught there); `response` is the login's answer, to await after what the test does meanwhile.
 */
export async function loginInFlight(
  url: string,
  adminPassword: string,
  apiKey: string,
): Promise<{ response: Promise<Response> }> {
  const authorization = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
  const response = fetch(`${url}/v1/users/login`, { method: 'POST', headers: { authorization } });
  await eventually(async () => {
    const metrics = await fetch(`${url}/metrics?format=prometheus`, { headers: { authorization: `Apikey ${apiKey}` } });
    return /^openprem_http_in_flight_requests\{[^}]*\} 1$/m.test(await metrics.text()) ? true : undefined;
  });
  return { response };
}
