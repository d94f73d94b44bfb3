// The node's metrics, in one prom-client registry per app instance (tests run several apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Request latencies on this server sit between 0.2 ms (cached auth) and a few hundred ms (scrypt logins).
const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const DB_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];

export function createMetrics(nodeId: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Read when scraped from the one who counts (the overload guard), rather than a gauge update on every request's
  // start and end: the two updates were ~1 % of an authenticated GET /v1/health profile at 8,000 requests/s.
  let readInFlight = () => 0;
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'openprem_http_requests_total',
      help: 'HTTP requests answered, by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'openprem_http_request_duration_seconds',
      help: 'HTTP request latency, by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    rateLimited: new Counter({
      name: 'openprem_rate_limited_total',
      help: 'Requests refused with 429 / 1015 by the per-node token buckets',
      labelNames: ['bucket'] as const,
      registers,
    }),
    overloadRejections: new Counter({
      name: 'openprem_overload_rejections_total',
      help: 'Requests refused with 503 / 1016 by the concurrency guard',
      labelNames: ['reason'] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: 'openprem_http_in_flight_requests',
      help: 'Requests being served now',
      registers,
      collect() {
        this.set(readInFlight());
      },
    }),
    /** Who answers the in-flight gauge: called once, by the overload guard. */
    countInFlightWith(read: () => number): void {
      readInFlight = read;
    },
    liveStreams: new Gauge({
      name: 'openprem_live_event_streams',
      help: 'GET /x/v1/events streams open now (not counted in flight)',
      registers,
    }),
    eventLoopLag: new Gauge({
      name: 'openprem_event_loop_lag_ms',
      help: 'Event loop lag seen by the concurrency guard',
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: 'openprem_db_query_duration_seconds',
      help: 'Database query latency, by result',
      labelNames: ['result'] as const,
      buckets: DB_BUCKETS_S,
      registers,
    }),
    // The cloud gateway's calls to Meta's Graph API: `ok`, `meta_error` (an error envelope, throttling included),
    // `unreachable` (connect failure or timeout). Graph answers in 50-500 ms; the buckets reach its 15 s timeout.
    cloudGraphDuration: new Histogram({
      name: 'openprem_cloud_graph_call_duration_seconds',
      help: "Calls to Meta's Graph API (cloud gateway), by result",
      labelNames: ['result'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    }),
    dbUnreachable: new Gauge({
      name: 'openprem_db_unreachable',
      help: '1 while PostgreSQL is unreachable and requests that need it are refused with 503 / 1023 at once',
      registers,
    }),
    gcDeleted: new Counter({
      name: 'openprem_gc_deleted_total',
      help: 'Rows the garbage collector deleted, by kind (messages, webhook_deliveries, conversations, cloud_webhooks, cloud_webhook_keys)',
      labelNames: ['kind'] as const,
      registers,
    }),
    // Messages over the network, each status of each message counted once, on both gateways (label sets and where
    // they are counted: src/services/messages/message-metrics.ts).
    messageStatuses: new Counter({
      name: 'openprem_messages_statuses_total',
      help: 'Statuses of outbound messages, once per message and status, by status (sent, delivered, read, failed, deleted, warning) and message type',
      labelNames: ['status', 'type'] as const,
      registers,
    }),
    messageFailures: new Counter({
      name: 'openprem_messages_failed_total',
      help: 'Outbound messages that failed, by message type and On-Prem error code',
      labelNames: ['type', 'code'] as const,
      registers,
    }),
    messagesReceived: new Counter({
      name: 'openprem_messages_received_total',
      help: 'Inbound messages from customers, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    cloudWebhooksReceived: new Counter({
      name: 'openprem_cloud_webhooks_received_total',
      help: "Meta's webhooks posted to /cloud/webhook, by result (stored, bad_signature, malformed)",
      labelNames: ['result'] as const,
      registers,
    }),
    cloudWebhookIgnored: new Counter({
      name: 'openprem_cloud_webhook_ignored_total',
      help: "Parts of Meta's webhooks not forwarded, by reason (field, phone_number_id, duplicate, malformed, status, setting)",
      labelNames: ['reason'] as const,
      registers,
    }),
    cloudWebhookUnforwardedFields: new Counter({
      name: 'openprem_cloud_webhook_unforwarded_fields_total',
      help: 'Keys of Cloud webhook objects that On-Prem never delivered, dropped from the callbacks, by object.key',
      labelNames: ['field'] as const,
      registers,
    }),
  };
  // Rejection series exist from the start at 0, so dashboards and alerts see them before the first refusal.
  for (const bucket of ['messages', 'default']) metrics.rateLimited.inc({ bucket }, 0);
  for (const reason of ['in_flight', 'event_loop_delay']) metrics.overloadRejections.inc({ reason }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
