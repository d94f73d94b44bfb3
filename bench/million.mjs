// One million messages through the whole sandbox lifecycle: does the server's memory stay flat?
//
//   npm run bench:million                                 1,000,000 sends, SQLite in a fresh temporary data directory
//   BENCH_MESSAGES=50000 npm run bench:million            a short try first
//   BENCH_DB_URL=postgres://... npm run bench:million     PostgreSQL (a dedicated, disposable database)
//   BENCH_MAX_MINUTES=60 BENCH_DRAIN_SECONDS=300 BENCH_WEBHOOKS=off BENCH_WEBHOOK_CONCURRENCY=24
//
// Starts the stack of bench/send-stack.mjs (sandbox network with its default delays, so every message goes through
// sent, delivered and read; the webhook URL set to a receiver counting callbacks by status unless BENCH_WEBHOOKS=off),
// measures the hello-world baseline (2 s warm-up, 10 s), then sends BENCH_MESSAGES text messages with autocannon
// (64 connections, `amount`: as fast as the server answers), at most BENCH_MAX_MINUTES. Every 5 s it samples the
// server's VmRSS (/proc/<pid>/status), the sends, the callbacks and the server's backlog (GET /metrics); after the
// sends it keeps sampling while the backlog drains (BENCH_DRAIN_SECONDS at most). Any non-2xx answer or error fails
// the run (exit code 1); otherwise the report goes to bench/results/million-latest-<database>.md. See bench/README.md.
import os from 'node:os';
import { cannon, measureBaseline, problemsOf } from './send-stack-http.mjs';
import { SEND_BODY, runBench, startStack, stopStack, whole, writeReport } from './send-stack.mjs';
import {
  STATUSES,
  createSampler,
  drainBacklog,
  fmt,
  sampleEvery,
  samplesTable,
  sendsTaken,
  sparkline,
  thin,
} from './send-samples.mjs';

const TAG = 'million';
const MESSAGES = whole('BENCH_MESSAGES', 1_000_000, 100_000_000);
const MAX_MINUTES = whole('BENCH_MAX_MINUTES', 60, 24 * 60);
const DRAIN_SECONDS = whole('BENCH_DRAIN_SECONDS', 300, 3600);
const WEBHOOKS = process.env.BENCH_WEBHOOKS !== 'off';
const WEBHOOK_CONCURRENCY = process.env.BENCH_WEBHOOK_CONCURRENCY ? whole('BENCH_WEBHOOK_CONCURRENCY', 6, 24) : null;
const DB_URL = process.env.BENCH_DB_URL?.trim() || null;
const BASELINE_SECONDS = 10;
const SAMPLE_MS = 5000;
const TABLE_ROWS = 24;
// Build (5 min) + starts + baseline + sends + drain + stops, with slack; past this the run is abandoned.
const OVERALL_MS = (300 + 60 + BASELINE_SECONDS + 30 + MAX_MINUTES * 60 + 60 + DRAIN_SECONDS + 60) * 1000;

/** First / min / max / last of one memory series, in MB. */
function range(samples, key) {
  const values = samples.map((s) => s[key]).filter(Number.isFinite);
  if (values.length === 0) return '–';
  return [values[0], Math.min(...values), Math.max(...values), values.at(-1)].map((n) => `${fmt(n)} MB`).join(' / ');
}

function memory(samples, loadEnd) {
  const rss = samples.map((s) => s.rss).filter(Number.isFinite);
  return [
    `| RSS first / min / max / last | ${range(samples, 'rss')} |`,
    `| … of which anonymous (RssAnon) | ${range(samples, 'anon')} |`,
    `| V8 heap used (nodejs_heap_size_used_bytes) | ${range(samples, 'heapMb')} |`,
    `| V8 heap total (nodejs_heap_size_total_bytes) | ${range(samples, 'heapTotalMb')} |`,
    `| RSS when the sends stopped | ${fmt(loadEnd.rss)} MB |`,
    `| RSS over time (${samples.length} samples, ${fmt(Math.min(...rss))}–${fmt(Math.max(...rss))} MB) | \`${sparkline(samples.map((s) => s.rss))}\` |`,
  ];
}

function summary(stack, baseline, load, loadEnd, drained, samples) {
  const last = drained.last;
  const callbacks = `${fmt(last.callbacks.total)} (${STATUSES.map((k) => fmt(last.callbacks[k] ?? 0)).join(' / ')})`;
  const drainText = (after) => (after === null ? `not within ${DRAIN_SECONDS} s` : `${fmt(after, 1)} s`);
  return [
    '| | |',
    '|---|---:|',
    `| Fastify hello-world (baseline), req/s | ${fmt(baseline.rps)} |`,
    `| sends answered 201 (autocannon / the server's count) | ${fmt(load['2xx'])} / ${fmt(sendsTaken(last))} |`,
    `| sends/s (mean) over ${fmt(loadEnd.at, 0)} s | ${fmt(load.requests.mean)} (${fmt(load.requests.mean / baseline.rps, 2)}× baseline) |`,
    `| sends p50 / p99 (ms) | ${load.latency.p50} / ${load.latency.p99} |`,
    `| non-2xx / errors | ${load.non2xx} / ${load.errors} |`,
    ...(WEBHOOKS
      ? [
          `| callbacks received, total (sent / delivered / read) | ${callbacks} |`,
          `| queue depth (server) when the sends stopped / at the end | ${fmt(loadEnd.queueDepth)} / ${fmt(last.queueDepth)} |`,
          `| drain: receiver had every status callback after | ${drainText(drained.receiverDoneAfter)} |`,
          `| webhooks.max_concurrent_requests | ${stack.webhookInFlight} |`,
        ]
      : ['| webhooks | off (no URL set) |']),
    `| drain: server's queue depth first read 0 after | ${drainText(drained.serverZeroAfter)} |`,
    ...memory(samples, loadEnd),
  ].join('\n');
}

async function main() {
  const loadBefore = os.loadavg()[0].toFixed(2);
  const stack = await startStack({
    tag: TAG,
    dbUrl: DB_URL,
    webhookConcurrency: WEBHOOK_CONCURRENCY,
    withWebhooks: WEBHOOKS,
  });
  console.log(`${TAG}: baseline, 2 s warm-up then ${BASELINE_SECONDS} s`);
  const baseline = await measureBaseline(stack.helloUrl, BASELINE_SECONDS);
  console.log(`${TAG}: baseline ${fmt(baseline.rps)} req/s; sending ${fmt(MESSAGES)} messages`);

  let answered2xx = 1; // the send startStack checked
  const sampler = createSampler(stack, () => answered2xx);
  await sampler.take('load');
  const show = (s) =>
    console.log(
      `${TAG}: ${fmt(s.at)} s, ${fmt(s.sends)} sent, ${fmt(s.callbacks.total)} callbacks, queue ${fmt(s.queueDepth)}, rss ${fmt(s.rss)} MB`,
    );
  const stopSampling = sampleEvery(sampler, SAMPLE_MS, 'load', show);
  const load = await cannon(
    {
      url: `${stack.base}/v1/messages`,
      method: 'POST',
      amount: MESSAGES,
      body: SEND_BODY,
      headers: { ...stack.auth, 'content-type': 'application/json' },
    },
    MAX_MINUTES * 60_000,
    (status) => {
      if (status >= 200 && status < 300) answered2xx += 1;
    },
  )
    .catch((error) => {
      console.error(`${TAG}: the sends did not finish; the samples so far:\n${samplesTable(sampler.samples)}`);
      throw error;
    })
    .finally(stopSampling);
  const loadEnd = await sampler.take('load end');
  const problems = [...baseline.problems, ...problemsOf(load, 'sends')];
  console.log(
    `${TAG}: ${fmt(load.requests.mean)} sends/s; sampling up to ${DRAIN_SECONDS} s more while the backlog drains`,
  );
  const drained = await drainBacklog(sampler, DRAIN_SECONDS, SAMPLE_MS, { callbacks: WEBHOOKS, onSample: show });
  if (stack.server.exited) problems.push(`the server exited during the run (code ${stack.server.exited.code})`);
  problems.push(...(await stopStack(stack)));

  const report = [
    `### ${fmt(MESSAGES)} messages through the sandbox lifecycle, ${stack.database} — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `autocannon, 64 connections, ${fmt(MESSAGES)} POST /v1/messages (text, to a customer who wrote first) as fast as ` +
      `answered; sandbox network with default delays (sent, delivered, read); ` +
      `${WEBHOOKS ? 'webhook receiver on loopback' : 'no webhook URL'}; server VmRSS sampled every ${SAMPLE_MS / 1000} s; ` +
      `Node ${process.version}, ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}); ` +
      `1-minute load average ${loadBefore} before, ${os.loadavg()[0].toFixed(2)} after.`,
    '',
    summary(stack, baseline, load, loadEnd, drained, sampler.samples),
    '',
    `Samples (${Math.min(TABLE_ROWS, sampler.samples.length)} of ${sampler.samples.length}, evenly spread; rates over the interval since the previous row shown):`,
    '',
    samplesTable(thin(sampler.samples, TABLE_ROWS)),
    '',
  ].join('\n');
  return writeReport(TAG, `million-latest-${stack.database.toLowerCase()}.md`, report, problems);
}

runBench(TAG, OVERALL_MS, main);
