// Sustained sends with a webhook receiver: does the callback backlog keep up with the sends, and how long does it
// take to drain once they stop?
//
//   npm run bench:sustained                               SQLite in a fresh temporary data directory, 60 s of sends
//   BENCH_DB_URL=postgres://... npm run bench:sustained   PostgreSQL (a dedicated, disposable database)
//   BENCH_SECONDS=20 BENCH_DRAIN_SECONDS=60 BENCH_WEBHOOK_CONCURRENCY=24 npm run bench:sustained
//   BENCH_RATE=800 npm run bench:sustained                 sends at a fixed rate (per second) instead of flat out
//
// Starts the stack of bench/send-stack.mjs (sandbox network with its default delays, the webhook URL set to a
// receiver counting callbacks by status; max_concurrent_requests left at its default unless
// BENCH_WEBHOOK_CONCURRENCY says otherwise), measures the hello-world baseline (2 s warm-up, 10 s), then drives
// POST /v1/messages with autocannon (64 connections, BENCH_SECONDS) and samples every 5 s: sends, callbacks received
// by status, and the backlog as the server reports it on GET /metrics. After the sends, it waits (BENCH_DRAIN_SECONDS
// at most) until the receiver has every status callback (sent, delivered, read for each accepted send) and the
// server's openprem_webhook_queue_depth reads 0. Any non-2xx answer or error fails the run (exit code 1); otherwise
// the report goes to bench/results/sustained-latest-<database>.md. See bench/README.md.
import os from 'node:os';
import { cannon, measureBaseline, problemsOf } from './send-stack-http.mjs';
import { SEND_BODY, runBench, startStack, stopStack, whole, writeReport } from './send-stack.mjs';
import {
  STATUSES,
  createSampler,
  drainBacklog,
  fmt,
  missingCallbacks,
  sampleEvery,
  samplesTable,
  sendsTaken,
} from './send-samples.mjs';

const TAG = 'sustained';
const SECONDS = whole('BENCH_SECONDS', 60, 3600);
const DRAIN_SECONDS = whole('BENCH_DRAIN_SECONDS', 60, 3600);
const WEBHOOK_CONCURRENCY = process.env.BENCH_WEBHOOK_CONCURRENCY ? whole('BENCH_WEBHOOK_CONCURRENCY', 6, 24) : null;
const DB_URL = process.env.BENCH_DB_URL?.trim() || null;
// A fixed offered rate finds the rate the node sustains with its callbacks (a flat backlog), which flat-out sends
// do not show: they take the event loop's turns from the dispatcher.
const RATE = process.env.BENCH_RATE ? whole('BENCH_RATE', 1, 100_000) : null;
const BASELINE_SECONDS = 10;
const SAMPLE_MS = 5000;
// Build (5 min) + starts + baseline + sends + drain + stops, with slack; past this the run is abandoned.
const OVERALL_MS = (300 + 60 + BASELINE_SECONDS + 30 + SECONDS + 60 + DRAIN_SECONDS + 60) * 1000;

function summary(stack, baseline, load, loadStart, loadEnd, drained) {
  const seconds = loadEnd.at - loadStart.at;
  const perSecond = (k) => ((loadEnd.callbacks[k] ?? 0) - (loadStart.callbacks[k] ?? 0)) / seconds;
  const missing = missingCallbacks(drained.last);
  const drainText = (after) => (after === null ? `not within ${DRAIN_SECONDS} s` : `${fmt(after, 1)} s`);
  return [
    '| | |',
    '|---|---:|',
    `| Fastify hello-world (baseline), req/s | ${fmt(baseline.rps)} (p50 ${baseline.p50} / p99 ${baseline.p99} ms) |`,
    `| POST /v1/messages, sends/s (mean) | ${fmt(load.requests.mean)} (${fmt(load.requests.mean / baseline.rps, 2)}× baseline) |`,
    `| sends p50 / p99 (ms) | ${load.latency.p50} / ${load.latency.p99} |`,
    `| sends answered 201 (autocannon; the server's count with those in flight at the stop) | ${fmt(load['2xx'])} (${fmt(sendsTaken(drained.last))}); non-2xx ${load.non2xx}, errors ${load.errors} |`,
    `| callbacks received/s while sending, total | ${fmt(perSecond('total'))} |`,
    `| … sent / delivered / read | ${STATUSES.map((k) => fmt(perSecond(k))).join(' / ')} |`,
    `| queue depth (server) when the sends stopped | ${fmt(loadEnd.queueDepth)} |`,
    `| drain: receiver had every status callback after | ${drainText(drained.receiverDoneAfter)} |`,
    `| drain: server's queue depth first read 0 after | ${drainText(drained.serverZeroAfter)} |`,
    `| status callbacks missing at the end (sent / delivered / read) | ${STATUSES.map((k) => fmt(missing[k])).join(' / ')} |`,
    `| webhooks.max_concurrent_requests | ${stack.webhookInFlight} |`,
  ].join('\n');
}

async function main() {
  const loadBefore = os.loadavg()[0].toFixed(2);
  const stack = await startStack({ tag: TAG, dbUrl: DB_URL, webhookConcurrency: WEBHOOK_CONCURRENCY });
  console.log(`${TAG}: baseline, 2 s warm-up then ${BASELINE_SECONDS} s`);
  const baseline = await measureBaseline(stack.helloUrl, BASELINE_SECONDS);
  console.log(`${TAG}: baseline ${fmt(baseline.rps)} req/s; sending for ${SECONDS} s`);

  let answered2xx = 1; // the send startStack checked
  const sampler = createSampler(stack, () => answered2xx);
  const loadStart = await sampler.take('load');
  const show = (s) =>
    console.log(
      `${TAG}: ${fmt(s.at, 0)} s, ${fmt(s.sends)} sent, ${fmt(s.callbacks.total)} callbacks, queue ${fmt(s.queueDepth)}`,
    );
  const stopSampling = sampleEvery(sampler, SAMPLE_MS, 'load', show);
  const load = await cannon(
    {
      url: `${stack.base}/v1/messages`,
      method: 'POST',
      duration: SECONDS,
      ...(RATE ? { overallRate: RATE } : {}),
      body: SEND_BODY,
      headers: { ...stack.auth, 'content-type': 'application/json' },
    },
    (SECONDS + 30) * 1000,
    (status) => {
      if (status >= 200 && status < 300) answered2xx += 1;
    },
  );
  await stopSampling();
  const loadEnd = await sampler.take('load end');
  const problems = [...baseline.problems, ...problemsOf(load, 'sends')];
  console.log(`${TAG}: ${fmt(load.requests.mean)} sends/s; waiting up to ${DRAIN_SECONDS} s for the backlog to drain`);
  const drained = await drainBacklog(sampler, DRAIN_SECONDS, SAMPLE_MS, { onSample: show });
  if (stack.server.exited) problems.push(`the server exited during the run (code ${stack.server.exited.code})`);
  problems.push(...(await stopStack(stack)));

  const inFlight = `max_concurrent_requests ${stack.webhookInFlight}`;
  const report = [
    `### Sustained sends with a webhook receiver, ${stack.database} — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `autocannon, 64 connections, ${SECONDS} s of POST /v1/messages${RATE ? ` at ${fmt(RATE)}/s offered` : ''} (text, to a customer who wrote first), no warm-up; ` +
      `sandbox network with default delays; webhook receiver on loopback (${inFlight}); samples every ${SAMPLE_MS / 1000} s; ` +
      `Node ${process.version}, ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}); ` +
      `1-minute load average ${loadBefore} before, ${os.loadavg()[0].toFixed(2)} after.`,
    '',
    summary(stack, baseline, load, loadStart, loadEnd, drained),
    '',
    samplesTable(sampler.samples),
    '',
  ].join('\n');
  return writeReport(TAG, `sustained-latest-${stack.database.toLowerCase()}.md`, report, problems);
}

runBench(TAG, OVERALL_MS, main);
