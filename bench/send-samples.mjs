// Samples taken while bench/sustained.mjs and bench/million.mjs run, and their Markdown. A sample is what the three
// parties say at one moment: the load generator (sends answered 2xx so far), the receiver (callbacks counted by
// status), the server (its webhook queue depth and the statuses its network produced, from GET /metrics) and the
// kernel (the server's VmRSS).
import { scrapeBacklog } from './send-stack-http.mjs';
import { memoryMb } from './send-stack.mjs';

export const STATUSES = ['sent', 'delivered', 'read'];
const SPARKS = '▁▂▃▄▅▆▇█';

export function createSampler(stack, sendsSoFar) {
  const samples = [];
  const started = performance.now();
  return {
    samples,
    elapsed: () => (performance.now() - started) / 1000,
    /** One sample, pushed and returned; a metrics scrape that fails leaves NaN (the server was too busy to say). */
    async take(phase) {
      const at = (performance.now() - started) / 1000;
      const sends = sendsSoFar();
      const callbacks = { ...stack.receiver.statuses, total: stack.receiver.received };
      const [server, memory] = await Promise.all([
        scrapeBacklog(stack.base, stack.auth.authorization).catch(() => ({
          queueDepth: Number.NaN,
          statuses: {},
          accepted: Number.NaN,
          heapMb: Number.NaN,
          heapTotalMb: Number.NaN,
        })),
        memoryMb(stack.server.child.pid),
      ]);
      const { queueDepth, statuses: produced, accepted, heapMb, heapTotalMb } = server;
      const sample = { at, phase, sends, accepted, callbacks, queueDepth, produced, ...memory, heapMb, heapTotalMb };
      samples.push(sample);
      return sample;
    },
  };
}

/** Samples every `everyMs` until `stop()` is called; each waits for the previous one (a slow scrape never piles up). */
export function sampleEvery(sampler, everyMs, phase, onSample = () => {}) {
  let running = true;
  let wake = () => {};
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyMs);
      });
      if (running) onSample(await sampler.take(phase));
    }
  })();
  return async () => {
    running = false;
    wake();
    await loop;
  };
}

/**
 * The sends the server took: the larger of its 201s and the `sent` statuses its network produced, as a send whose
 * client left before the answer (those in flight when autocannon stops) may be missing from the former.
 */
export function sendsTaken(sample) {
  return Math.max(sample.accepted, sample.produced.sent ?? 0);
}

/** Status callbacks the receiver has yet to see, by status: three for each send the server took. */
export function missingCallbacks(sample) {
  const messages = sendsTaken(sample);
  return Object.fromEntries(STATUSES.map((s) => [s, Math.max(0, messages - (sample.callbacks[s] ?? 0))]));
}

/**
 * Waits until every status callback has arrived (unless `callbacks` is false: no webhook URL) and the server's queue
 * depth reads 0, or `limitSeconds` pass; looks
 * every second, and keeps one sample per `tableMs` for the table. Resolves with how long each took (null: not done).
 */
export async function drainBacklog(sampler, limitSeconds, tableMs, { callbacks = true, onSample = () => {} } = {}) {
  const startedAt = sampler.elapsed();
  let lastTable = startedAt;
  const result = { receiverDoneAfter: null, serverZeroAfter: null, last: sampler.samples.at(-1) };
  while (sampler.elapsed() - startedAt < limitSeconds) {
    await new Promise((r) => setTimeout(r, 1000));
    const sample = await sampler.take('drain');
    result.last = sample;
    const since = sample.at - startedAt;
    const missing = Object.values(missingCallbacks(sample)).reduce((a, b) => a + b, 0);
    if (missing === 0) result.receiverDoneAfter ??= since;
    if (sample.queueDepth === 0) result.serverZeroAfter ??= since;
    if ((result.receiverDoneAfter !== null || !callbacks) && result.serverZeroAfter !== null) break;
    // Without a webhook URL the callbacks stay queued for good: done once the network has produced every status.
    if (!callbacks && statusesNotProduced(sample) === 0) break;
    // The table keeps one drain sample per `tableMs`, and the last; the others only decide when the drain is over.
    if (sample.at - lastTable < tableMs / 1000) sampler.samples.pop();
    else {
      lastTable = sample.at;
      onSample(sample);
    }
  }
  if (sampler.samples.at(-1) !== result.last) sampler.samples.push(result.last);
  return result;
}

export const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

/** Statuses the network has yet to produce: three per send taken, less those it produced. */
function statusesNotProduced(sample) {
  return 3 * sendsTaken(sample) - STATUSES.reduce((sum, k) => sum + (sample.produced[k] ?? 0), 0);
}

/** One row per sample: the interval's sends/s and callbacks/s, the server's backlog, memory. */
export function samplesTable(samples) {
  const lines = [
    '| t (s) | phase | sends/s | callbacks/s (sent / delivered / read) | statuses not yet produced | queue depth (server) | RSS MB | anon MB | V8 heap used / total MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  samples.forEach((s, i) => {
    const previous = samples[i - 1];
    // An interval under a second (the sample taken as the sends stop) gives no rate worth showing.
    const seconds = previous && s.at - previous.at >= 1 ? s.at - previous.at : Number.NaN;
    const rate = (now, then) => (previous ? (now - then) / seconds : Number.NaN);
    const perStatus = STATUSES.map((k) => fmt(rate(s.callbacks[k] ?? 0, previous?.callbacks[k] ?? 0))).join(' / ');
    const notProduced = statusesNotProduced(s);
    lines.push(
      `| ${fmt(s.at, 1)} | ${s.phase} | ${fmt(rate(s.sends, previous?.sends))} | ${perStatus} | ${fmt(notProduced)} | ${fmt(s.queueDepth)} | ${fmt(s.rss)} | ${fmt(s.anon)} | ${fmt(s.heapMb)} / ${fmt(s.heapTotalMb)} |`,
    );
  });
  return lines.join('\n');
}

/** At most `count` samples, evenly spread, the first, the last and the one taken as the sends stopped among them. */
export function thin(samples, count) {
  if (samples.length <= count) return samples;
  const step = (samples.length - 1) / (count - 2);
  const picked = new Set(Array.from({ length: count - 1 }, (_, i) => samples[Math.round(i * step)]));
  for (const s of samples) if (s.phase === 'load end') picked.add(s);
  return samples.filter((s) => picked.has(s));
}

/** `▁▂▃…█` from the minimum to the maximum of `values`. */
export function sparkline(values) {
  const finite = values.filter(Number.isFinite);
  const [low, high] = [Math.min(...finite), Math.max(...finite)];
  return values
    .map((v) => (Number.isFinite(v) ? SPARKS[high === low ? 0 : Math.round(((v - low) / (high - low)) * 7)] : ' '))
    .join('');
}
