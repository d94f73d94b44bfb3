// The health charts' figures, computed from two successive readings of the node's own metrics (GET /v1/metrics,
// JSON): counters become rates over the time between the readings; gauges are read as they are.

/**
 * The sum of a family's samples whose labels pass `where` (0 when the family is absent).
 * @param {Record<string, { data: { labels: Record<string, string | number>, value: number }[] }>} families
 * @param {string} name @param {(labels: Record<string, string | number>) => boolean} [where]
 */
function total(families, name, where = () => true) {
  return (families[name]?.data ?? [])
    .filter((sample) => where(sample.labels))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** What the charts plot, read from one reading. */
export function readingOf(/** @type {any} */ families) {
  return {
    requests: total(families, 'openprem_http_requests_total'),
    sends: total(
      families,
      'openprem_http_requests_total',
      (l) => l.method === 'POST' && l.route === '/v1/messages' && String(l.status).startsWith('2'),
    ),
    callbacks: total(families, 'openprem_webhook_attempts_total', (l) => l.result === 'delivered'),
    backlog: total(families, 'openprem_webhook_queue_depth'),
    oldest: total(families, 'openprem_webhook_oldest_pending_age_seconds'),
  };
}

/**
 * One point of each chart: rates per second between two readings `seconds` apart; null for a rate whose counter
 * went down (the node restarted between the readings).
 * @param {ReturnType<typeof readingOf>} previous @param {ReturnType<typeof readingOf>} current @param {number} seconds
 */
export function pointOf(previous, current, seconds) {
  const rate = (/** @type {'requests' | 'sends' | 'callbacks'} */ key) => {
    const delta = current[key] - previous[key];
    return delta < 0 || seconds <= 0 ? null : delta / seconds;
  };
  return {
    requests: rate('requests'),
    sends: rate('sends'),
    callbacks: rate('callbacks'),
    backlog: current.backlog,
    oldest: current.oldest,
  };
}
