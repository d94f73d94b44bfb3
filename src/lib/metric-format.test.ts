// The On-Prem metric shapes: JSON families from prom-client, and their Prometheus text rendering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { familiesFromPromJson, renderPrometheusText, type MetricFamilies } from './metric-format.js';

async function sampleRegistry() {
  const registry = new Registry();
  registry.setDefaultLabels({ node: 'n1' });
  const histogram = new Histogram({
    name: 'job_seconds',
    help: 'Job time',
    labelNames: ['route'],
    buckets: [0.1, 1],
    registers: [registry],
  });
  histogram.observe({ route: '/a' }, 0.5);
  histogram.observe({ route: '/a' }, 0.05);
  new Counter({ name: 'jobs_total', help: 'Jobs', registers: [registry] }).inc(3);
  new Gauge({ name: 'queue_len', help: 'Queue', registers: [registry] }).set(7);
  return familiesFromPromJson(await registry.getMetricsAsJSON());
}

describe('familiesFromPromJson', () => {
  it('keeps counters and gauges as one family each, with the default labels in every sample', async () => {
    const families = await sampleRegistry();
    assert.deepEqual(families.jobs_total, {
      type: 'counter',
      help: 'Jobs',
      data: [{ labels: { node: 'n1' }, value: 3 }],
    });
    assert.deepEqual(families.queue_len, {
      type: 'gauge',
      help: 'Queue',
      data: [{ labels: { node: 'n1' }, value: 7 }],
    });
  });

  it('splits a histogram into _bucket, _sum and _count families, and drops the bare name', async () => {
    const families = await sampleRegistry();
    assert.equal(families.job_seconds, undefined);
    assert.deepEqual(
      families.job_seconds_bucket?.data.map((d) => [d.labels.le, d.labels.route, d.labels.node, d.value]),
      [
        [0.1, '/a', 'n1', 1],
        [1, '/a', 'n1', 2],
        ['+Inf', '/a', 'n1', 2],
      ],
    );
    assert.deepEqual(families.job_seconds_sum?.data, [{ labels: { route: '/a', node: 'n1' }, value: 0.55 }]);
    assert.deepEqual(families.job_seconds_count?.data, [{ labels: { route: '/a', node: 'n1' }, value: 2 }]);
    for (const name of ['job_seconds_bucket', 'job_seconds_sum', 'job_seconds_count']) {
      assert.equal(families[name]?.help, 'Job time');
      // Each split family is a plain counter, so the JSON keeps the On-Prem gauge|counter types and renders as
      // valid Prometheus text on its own.
      assert.equal(families[name]?.type, 'counter', name);
    }
  });

  it('leaves out samples JSON cannot carry (NaN, infinities) instead of sending null', () => {
    const families = familiesFromPromJson([
      { name: 'lag_mean', help: 'h', type: 'gauge', values: [{ value: NaN, labels: {} }] },
      {
        name: 'mixed',
        help: 'h',
        type: 'gauge',
        values: [
          { value: Infinity, labels: { a: '1' } },
          { value: 2, labels: { a: '2' } },
        ],
      },
    ]);
    assert.deepEqual(families, { mixed: { type: 'gauge', help: 'h', data: [{ labels: { a: '2' }, value: 2 }] } });
    assert.doesNotMatch(JSON.stringify(families), /null/);
  });

  it('does not share label objects with the input', () => {
    const labels = { a: 'x' };
    const families = familiesFromPromJson([{ name: 'g', help: 'h', type: 'gauge', values: [{ value: 1, labels }] }]);
    families.g!.data[0]!.labels.a = 'changed';
    assert.equal(labels.a, 'x');
  });
});

describe('renderPrometheusText', () => {
  it('renders HELP, TYPE and one line per sample, labels in order, ending with a newline', () => {
    const families: MetricFamilies = {
      endpoint_requests: {
        type: 'counter',
        help: 'Requests',
        data: [
          { labels: { endpoint: 'POST_v1_contacts', result: '200' }, value: 4 },
          { labels: { endpoint: 'GET_root', result: '200' }, value: 1 },
        ],
      },
      web_uptime: { type: 'gauge', help: 'Uptime', data: [{ labels: {}, value: 12 }] },
    };
    assert.equal(
      renderPrometheusText(families),
      [
        '# HELP endpoint_requests Requests',
        '# TYPE endpoint_requests counter',
        'endpoint_requests{endpoint="POST_v1_contacts",result="200"} 4',
        'endpoint_requests{endpoint="GET_root",result="200"} 1',
        '# HELP web_uptime Uptime',
        '# TYPE web_uptime gauge',
        'web_uptime 12',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash, newline and double quote in label values, backslash and newline in HELP', () => {
    const text = renderPrometheusText({
      m: { type: 'gauge', help: 'a \\ b\nc "quoted"', data: [{ labels: { path: 'C:\\dir\n"x"', n: 5 }, value: 1 }] },
    });
    assert.equal(
      text,
      ['# HELP m a \\\\ b\\nc "quoted"', '# TYPE m gauge', 'm{path="C:\\\\dir\\n\\"x\\"",n="5"} 1', ''].join('\n'),
    );
  });

  it('writes NaN and infinities the Prometheus way, and unknown types as untyped', () => {
    const text = renderPrometheusText({
      odd: {
        type: 'info',
        help: 'h',
        data: [
          { labels: { v: 'nan' }, value: NaN },
          { labels: { v: 'pos' }, value: Infinity },
          { labels: { v: 'neg' }, value: -Infinity },
          { labels: { v: 'small' }, value: 0.000125 },
        ],
      },
    });
    assert.deepEqual(text.split('\n'), [
      '# HELP odd h',
      '# TYPE odd untyped',
      'odd{v="nan"} NaN',
      'odd{v="pos"} +Inf',
      'odd{v="neg"} -Inf',
      'odd{v="small"} 0.000125',
      '',
    ]);
  });

  it('renders split histogram families as valid exposition lines', async () => {
    const text = renderPrometheusText(await sampleRegistry());
    assert.match(text, /^# TYPE job_seconds_bucket counter$/m);
    assert.match(text, /^job_seconds_bucket\{le="\+Inf",route="\/a",node="n1"\} 2$/m);
    assert.match(text, /^job_seconds_sum\{route="\/a",node="n1"\} 0\.55$/m);
    assert.match(text, /^job_seconds_count\{route="\/a",node="n1"\} 2$/m);
    assert.doesNotMatch(text, /histogram/);
  });
});
