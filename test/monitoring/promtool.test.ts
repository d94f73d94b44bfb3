// deploy/monitoring checked by Prometheus's own promtool: the alert rules and the scrape example are valid, and
// each alert fires (and stays quiet) on the series written in alerts.test.yml. promtool comes from Debian's
// `prometheus` package; without it these tests are skipped, unless OPENPREM_TEST_REQUIRE_PROMTOOL=1 (as in CI).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MONITORING_DIR } from '../support/monitoring.js';

const run = promisify(execFile);
const present = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
const required = process.env.OPENPREM_TEST_REQUIRE_PROMTOOL === '1';
const skip =
  present || required
    ? false
    : 'promtool is not installed (apt-get install prometheus); set OPENPREM_TEST_REQUIRE_PROMTOOL=1 to fail instead';

async function promtool(args: string[], cwd = MONITORING_DIR): Promise<string> {
  assert.ok(
    present,
    'promtool is not installed (apt-get install prometheus) and OPENPREM_TEST_REQUIRE_PROMTOOL=1 requires it',
  );
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    assert.fail(`promtool ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

describe('deploy/monitoring with promtool', () => {
  it('accepts the alert rules', { skip }, async () => {
    assert.match(await promtool(['check', 'rules', 'alerts.yml']), /SUCCESS: \d+ rules found/);
  });

  it('accepts the scrape example, with its credentials file in place', { skip }, async () => {
    // A copy, because promtool checks that the credentials file exists, and the real key has no place in the repository.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'openprem-prometheus-'));
    try {
      for (const file of ['prometheus.yml', 'alerts.yml'])
        await copyFile(path.join(MONITORING_DIR, file), path.join(dir, file));
      await writeFile(path.join(dir, 'openprem-api-key'), 'an-api-key-0123456789\n', { mode: 0o600 });
      assert.match(
        await promtool(['check', 'config', 'prometheus.yml'], dir),
        /is valid prometheus config file syntax/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fires each alert on its test series, and only there', { skip }, async () => {
    assert.match(await promtool(['test', 'rules', 'alerts.test.yml']), /SUCCESS/);
  });
});
