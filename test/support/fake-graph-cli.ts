// The fake Graph server as a process of its own, for the benchmark and for trying the cloud gateway by hand:
//
//   node --import tsx test/support/fake-graph-cli.ts [--port 8787] [--delay-ms 30] [--no-record]
//        [--webhook-url http://127.0.0.1:9090/cloud/webhook | --no-webhooks]
//
// Prints one JSON line {"url", "env", "webhook_url", "inbound"} once listening: `env` is the WA_* environment that
// points OpenPrem at it. Meta's webhooks (statuses after each accepted send; a customer's message for each
// POST {"from", "name"?, "text"} to `inbound`) go to `--webhook-url`, signed with the WA_CLOUD_APP_SECRET of `env`;
// a webhook the node did not take is reported on stderr. `--no-webhooks` posts none (the benchmark).
// Stops on SIGTERM / SIGINT.
import { parseArgs } from 'node:util';
import { cloudEnv, FAKE_APP_SECRET, startFakeGraph } from './fake-graph.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'delay-ms': { type: 'string', default: '0' },
    'no-record': { type: 'boolean', default: false },
    'webhook-url': { type: 'string', default: 'http://127.0.0.1:9090/cloud/webhook' },
    'no-webhooks': { type: 'boolean', default: false },
  },
});
const webhookUrl = values['no-webhooks'] ? null : values['webhook-url'];
const fake = await startFakeGraph({
  delayMs: Number(values['delay-ms']),
  record: !values['no-record'],
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(webhookUrl ? { webhookTarget: { url: webhookUrl, appSecret: FAKE_APP_SECRET } } : {}),
  onWebhookFailure: ({ body, status, error }) => {
    const value = body.entry[0].changes[0].value;
    const what = value.statuses
      ? `status ${value.statuses[0].status} of ${value.statuses[0].id}`
      : `message ${value.messages[0].id}`;
    process.stderr.write(`fake-graph: the webhook (${what}) was not taken by ${webhookUrl}: ${status ?? error}\n`);
  },
});
process.stdout.write(
  `${JSON.stringify({ url: fake.url, env: cloudEnv(fake), webhook_url: webhookUrl, inbound: `${fake.url}/fake/inbound` })}\n`,
);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
