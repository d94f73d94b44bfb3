// How long a change made through one node takes to reach another node's memory through the cluster bus.
//
//   OPENPREM_TEST_DIALECT=postgres npx tsx bench/cluster-notice.ts     two nodes on one PostgreSQL (LISTEN/NOTIFY)
//   npx tsx bench/cluster-notice.ts                                    two nodes of one process on one SQLite file
//
// Two in-process nodes (test/support/harness.ts) with WA_TOKEN_CACHE_MS and WA_SETTINGS_REFRESH_MS at 60 s, so that
// only a notice can explain what is measured: 50 times, a token cached by node B is logged out through node A, and
// the time from A's answer until B refuses the token is taken, polling B every millisecond. The same for a settings
// change (B's settings in memory). Prints the median, p90 and maximum.
import { closingScope, startNodePair } from '../test/support/harness.js';
import { TEST_DIALECT } from '../test/support/database.js';

const ROUNDS = 50;
const env = { WA_TOKEN_CACHE_MS: '60000', WA_SETTINGS_REFRESH_MS: '60000' };

function summary(values: number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`;
}

async function until(check: () => Promise<boolean> | boolean): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 10_000) throw new Error('not seen within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - started;
}

const scope = closingScope();
const { a, b } = await startNodePair(scope, { env }, { env });
try {
  const admin = await a.adminToken();
  const logouts: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const token = await a.userToken(`bench${i}x`);
    if ((await b.request({ url: '/v1/health', token })).status !== 200) throw new Error('B did not accept the token');
    await a.request({ method: 'POST', url: '/v1/users/logout', token });
    logouts.push(await until(async () => (await b.request({ url: '/v1/health', token })).status === 401));
  }
  const settings: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const url = `https://hooks.example.com/${i}`;
    await a.request({ method: 'PATCH', url: '/v1/settings/application', token: admin, body: { webhooks: { url } } });
    settings.push(await until(() => b.node.settings.current().webhooks.url === url));
  }
  console.log(`${TEST_DIALECT}: logout on A → refused by B: ${summary(logouts)}`);
  console.log(`${TEST_DIALECT}: settings PATCH on A → in force on B: ${summary(settings)}`);
} finally {
  await scope.close();
}
