// The figures behind /v1/stats/app (this node's counters, renamed to the On-Prem metric names) and /v1/stats/db
// (counts taken from the database).
import type { AuthTokensRepository } from '../db/repositories/auth-tokens.js';
import type { ContactLookupsRepository } from '../db/repositories/contact-lookups.js';
import type { ContactsRepository } from '../db/repositories/contacts.js';
import type { UsersRepository } from '../db/repositories/users.js';
import type { WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';
import type { MetricFamilies, MetricFamily } from '../lib/metric-format.js';
import type { Metrics } from '../metrics.js';

export interface StatsDeps {
  metrics: Metrics;
  users: UsersRepository;
  tokens: AuthTokensRepository;
  contacts: ContactsRepository;
  lookups: ContactLookupsRepository;
  outbox: WebhookOutboxRepository;
  clock: Clock;
  startedAt: number;
}

type Labels = Record<string, string | number>;

function family(type: 'counter' | 'gauge', help: string, data: MetricFamily['data'] = []): MetricFamily {
  return { type, help, data };
}

/** "POST" + "/v1/users/:username" → "POST_v1_users_username", the On-Prem endpoint label. */
function endpointLabel(labels: Labels): string {
  const path = String(labels.route).replace(/[/:]+/g, '_').replace(/^_|_$/g, '');
  return `${labels.method}_${path || 'root'}`;
}

export function createStatsService(deps: StatsDeps) {
  const { metrics, clock } = deps;

  async function samples(metric: {
    get(): Promise<{ values: { labels: Labels; value: number; metricName?: string }[] }>;
  }) {
    return (await metric.get()).values;
  }

  return {
    async app(): Promise<MetricFamilies> {
      const requests = await samples(metrics.httpRequests);
      const durations = await samples(metrics.httpDuration);
      const db = await samples(metrics.dbQueryDuration);
      const sumOf = (values: { value: number }[]) => values.reduce((total, v) => total + v.value, 0);
      const dbSample = (suffix: string, result: string, scale: number) =>
        db
          .filter((v) => v.metricName?.endsWith(suffix) && v.labels.result === result)
          .map((v) => ({ labels: {}, value: v.value * scale }));
      const endpointSamples = (suffix: string, scale: number) =>
        durations
          .filter((v) => v.metricName?.endsWith(suffix))
          .map((v) => ({
            labels: { endpoint: endpointLabel(v.labels), result: String(v.labels.status) },
            value: v.value * scale,
          }));
      return {
        web_uptime: family('gauge', 'Seconds since this node started', [
          { labels: {}, value: Math.floor((clock.now() - deps.startedAt) / 1000) },
        ]),
        concurrent_rate_limit_triggered: family('counter', 'Requests refused because the node was overloaded', [
          { labels: {}, value: sumOf(await samples(metrics.overloadRejections)) },
        ]),
        rate_limit_triggered: family(
          'counter',
          'Requests refused by the request-rate limits',
          (await samples(metrics.rateLimited)).map((v) => ({
            labels: { bucket: String(v.labels.bucket) },
            value: v.value,
          })),
        ),
        endpoint_requests: family(
          'counter',
          'Requests by endpoint and result',
          requests.map((v) => ({
            labels: { endpoint: endpointLabel(v.labels), result: String(v.labels.status) },
            value: v.value,
          })),
        ),
        endpoint_requests_duration_ms_count: family(
          'counter',
          'Requests timed, by endpoint',
          endpointSamples('_count', 1),
        ),
        endpoint_requests_duration_ms_sum: family(
          'counter',
          'Time spent serving requests, by endpoint (ms)',
          endpointSamples('_sum', 1000),
        ),
        db_request_duration_us_count: family('counter', 'Database requests', dbSample('_count', 'ok', 1)),
        db_request_duration_us_sum: family(
          'counter',
          'Time spent in database requests (µs)',
          dbSample('_sum', 'ok', 1e6),
        ),
        db_request_error_duration_us_count: family(
          'counter',
          'Failed database requests',
          dbSample('_count', 'error', 1),
        ),
        db_request_error_duration_us_sum: family(
          'counter',
          'Time spent in failed database requests (µs)',
          dbSample('_sum', 'error', 1e6),
        ),
      };
    },

    async db(): Promise<MetricFamilies> {
      const contacts = await deps.contacts.countByStatus(clock.now());
      return {
        db_contacts: family('gauge', 'Contacts in the 7-day look-up cache', [
          { labels: { type: 'whatsapp_user' }, value: contacts.valid },
          { labels: { type: 'not_whatsapp_user' }, value: contacts.invalid },
        ]),
        db_pending_contact_lookups: family('gauge', 'no_wait contact look-ups not finished yet', [
          { labels: {}, value: await deps.lookups.countPending() },
        ]),
        db_pending_callbacks: family('gauge', 'Callbacks written and not yet delivered', [
          { labels: {}, value: (await deps.outbox.backlog()).pending },
        ]),
        db_users: family('gauge', 'API users', [{ labels: {}, value: await deps.users.count() }]),
        db_auth_tokens: family('gauge', 'Issued bearer tokens not yet revoked or expired-and-presented', [
          { labels: {}, value: await deps.tokens.count() },
        ]),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
