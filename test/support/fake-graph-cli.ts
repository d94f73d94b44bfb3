// The fake Graph server as a process of its own, for the benchmark and for trying the cloud gateway by hand:
//
//   node --import tsx test/support/fake-graph-cli.ts [--port 8787] [--delay-ms 30] [--no-record]
//
// Prints one JSON line {"url", "env"} once listening: `env` is the WA_* environment that points OpenPrem at it.
// Stops on SIGTERM / SIGINT.
import { parseArgs } from 'node:util';
import { cloudEnv, startFakeGraph } from './fake-graph.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'delay-ms': { type: 'string', default: '0' }, 'no-record': { type: 'boolean', default: false } } });
const fake = await startFakeGraph({
  delayMs: Number(values['delay-ms']),
  record: !values['no-record'],
  ...(values.port ? { port: Number(values.port) } : {}),
});
process.stdout.write(`${JSON.stringify({ url: fake.url, env: cloudEnv(fake) })}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
