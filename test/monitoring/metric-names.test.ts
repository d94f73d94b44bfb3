// Every metric that deploy/monitoring's alert rules and dashboard select exists in what a real node exposes to
// the scrape example (prometheus.yml: its path, query and API key), on the sandbox and on the cloud gateway.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import YAML from 'yaml';
import { startCloudNode, type CloudNode } from '../support/cloud-node.js';
import { API_KEY, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import {
  alertExpressions,
  dashboardExpressions,
  exposedSampleNames,
  MONITORING_DIR,
  readDashboard,
  selectedMetricNames,
} from '../support/monitoring.js';

// What Prometheus itself writes for each target: not a node's metric.
const PROMETHEUS_OWN = new Set(['up']);
// The Accept header Prometheus 2.x sends: the format is chosen by the query string, not by this.
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const scrape = YAML.parse(readFileSync(path.join(MONITORING_DIR, 'prometheus.yml'), 'utf8')).scrape_configs[0];

/** The node's metrics fetched as prometheus.yml's scrape asks for them. */
async function scrapeLikePrometheus(t: TestNode): Promise<string> {
  const query = new URLSearchParams(
    Object.entries<string[]>(scrape.params).flatMap(([key, values]) => values.map((v): [string, string] => [key, v])),
  );
  const response = await t.request({
    url: `${scrape.metrics_path}?${query}`,
    headers: { authorization: `${scrape.authorization.type} ${API_KEY}`, accept: PROMETHEUS_ACCEPT },
  });
  assert.equal(response.status, 200, response.text);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return response.text;
}

describe('deploy/monitoring against a real node', () => {
  let sandbox: TestNode;
  let cloud: CloudNode;
  const suite = suiteScope();
  before(async () => {
    sandbox = await startTestNode(suite);
    cloud = await startCloudNode(suite);
  });

  it('reads the names PromQL selects, and only those', () => {
    assert.deepEqual(
      selectedMetricNames(
        'histogram_quantile(0.99, sum by (le, route) (rate(a_seconds_bucket{route=~"/v1/.*"}[$__rate_interval]))) / on (node) group_left b_total offset 5m + {__name__="c"} and count_values("d", e)',
      ),
      ['a_seconds_bucket', 'b_total', 'c', 'e'],
    );
    assert.throws(() => selectedMetricNames('sum(rate(a_total[5m])'), /not PromQL/);
  });

  it('reads histograms as their _bucket, _sum and _count samples, and other families by their own names', () => {
    const names = exposedSampleNames(
      '# HELP h_seconds x\n# TYPE h_seconds histogram\n# TYPE c_count counter\n# TYPE g gauge\n',
    );
    assert.deepEqual([...names].sort(), ['c_count', 'g', 'h_seconds_bucket', 'h_seconds_count', 'h_seconds_sum']);
  });

  it('the scrape example gets Prometheus text with the API key', async () => {
    assert.equal(scrape.authorization.type, 'Apikey');
    assert.match(await scrapeLikePrometheus(sandbox), /^# TYPE openprem_http_requests_total counter$/m);
  });

  it('finds every metric of the alert rules and the dashboard on the sandbox and on the cloud gateway', async () => {
    const expressions = [...alertExpressions(), ...dashboardExpressions()];
    const dashboard = readDashboard();
    // Importable anywhere: every query goes to the data source picked at import (or in the DS_PROMETHEUS variable).
    assert.ok(
      dashboard.__inputs.some((input: any) => input.name === 'DS_PROMETHEUS' && input.pluginId === 'prometheus'),
    );
    const sources = dashboard.panels
      .flatMap((panel: any) => [panel, ...(panel.targets ?? [])])
      .filter((p: any) => p.type !== 'row')
      .map((p: any) => p.datasource?.uid);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own placeholder, compared as the literal text.
    assert.deepEqual([...new Set(sources)], ['${DS_PROMETHEUS}']);
    const exposed = {
      sandbox: exposedSampleNames(await scrapeLikePrometheus(sandbox)),
      cloud: exposedSampleNames(await scrapeLikePrometheus(cloud.t)),
    };
    const missing: string[] = [];
    let selected = 0;
    for (const { where, expr } of expressions) {
      const names = selectedMetricNames(expr);
      assert.ok(names.length > 0, `${where} selects no metric: ${expr}`);
      for (const name of names.filter((n) => !PROMETHEUS_OWN.has(n))) {
        selected += 1;
        for (const [gateway, names] of Object.entries(exposed))
          if (!names.has(name)) missing.push(`${where}: ${name} (${gateway})`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(selected > 40, `${selected} selectors checked`);
  });
});
