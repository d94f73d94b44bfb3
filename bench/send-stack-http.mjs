// Loopback HTTP for bench/sustained.mjs and bench/million.mjs: API calls, the server's metrics as the backlog's
// source, and autocannon runs that fail on any non-2xx answer or error.
import autocannon from 'autocannon';

const HTTP_TIMEOUT_MS = 10_000;
const SEND_LABELS = ['method="POST"', 'route="/v1/messages"', 'status="201"'];

/** One API call; anything but 2xx throws with the answer's body. */
export async function api(base, method, url, authorization, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text.startsWith('{') ? JSON.parse(text) : text;
}

/** Resolves once `url` answers 200 (30 s at most); rejects at once if the child exits. */
export async function waitUntilUp(entry, url) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (entry.exited) throw new Error(`${entry.name} exited before answering (code ${entry.exited.code})`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${entry.name} did not answer GET ${url} within 30 s`);
}

/**
 * What the server says of its own backlog, from GET /metrics (Prometheus text): `queueDepth` is
 * openprem_webhook_queue_depth (callbacks waiting for delivery; the server reads it at most every 5 s, longer when
 * the read is slow: src/outbox/delivery-numbers.ts), `statuses` the statuses its sandbox network has produced so far
 * (openprem_messages_statuses_total summed over message types), by status, and `accepted` the sends it answered 201
 * (openprem_http_requests_total): the load generator does not count the sends in flight when it stops, which the
 * server commits all the same. `heapMb` and `heapTotalMb`: the V8 heap in use and
 * reserved (nodejs_heap_size_used_bytes, _total_bytes).
 */
export async function scrapeBacklog(base, authorization) {
  const text = await api(base, 'GET', '/metrics?format=prometheus', authorization);
  let queueDepth = Number.NaN;
  let accepted = 0;
  let heapMb = Number.NaN;
  let heapTotalMb = Number.NaN;
  const statuses = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const [, name, labels = '', value] = match;
    if (name === 'openprem_webhook_queue_depth') queueDepth = Number(value);
    if (name === 'nodejs_heap_size_used_bytes') heapMb = Number(value) / 1024 / 1024;
    if (name === 'nodejs_heap_size_total_bytes') heapTotalMb = Number(value) / 1024 / 1024;
    if (name === 'openprem_messages_statuses_total') {
      const status = /status="([^"]*)"/.exec(labels)?.[1] ?? 'unknown';
      statuses[status] = (statuses[status] ?? 0) + Number(value);
    }
    if (name === 'openprem_http_requests_total' && SEND_LABELS.every((label) => labels.includes(label)))
      accepted += Number(value);
  }
  return { queueDepth, statuses, accepted, heapMb, heapTotalMb };
}

/**
 * An autocannon run of `options` (64 connections by default, no pipelining) bounded by `limitMs`; `onAnswer` sees
 * every answer's status code. Resolves with autocannon's result.
 */
export function cannon(options, limitMs, onAnswer = () => {}) {
  const instance = autocannon({
    connections: 64,
    pipelining: 1,
    timeout: HTTP_TIMEOUT_MS / 1000,
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
    ...options,
  });
  instance.on('response', (_client, statusCode) => onAnswer(statusCode));
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => {
      instance.stop();
      reject(new Error(`autocannon on ${options.url} took longer than ${Math.round(limitMs / 1000)} s`));
    }, limitMs);
  });
  return Promise.race([Promise.resolve(instance), limit]).finally(() => clearTimeout(timer));
}

/** Why a run fails: any non-2xx answer, error, timeout or reset, or no 2xx at all. */
export function problemsOf(result, phase) {
  const problems = [];
  if (result.non2xx) problems.push(`${phase}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)})`);
  if (result.errors) problems.push(`${phase}: ${result.errors} errors (${result.timeouts} timeouts)`);
  if (result.resets) problems.push(`${phase}: ${result.resets} pipeline resets`);
  if (result['2xx'] === 0) problems.push(`${phase}: no 2xx answer at all`);
  return problems;
}

/** The baseline: the bare hello-world for a 2 s warm-up, then `seconds` measured. */
export async function measureBaseline(helloUrl, seconds) {
  await cannon({ url: helloUrl, duration: 2 }, 40_000);
  const result = await cannon({ url: helloUrl, duration: seconds }, (seconds + 30) * 1000);
  return {
    rps: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    problems: problemsOf(result, 'baseline'),
  };
}
