// The On-Prem metric shapes: JSON `{"<name>":{"type","help","data":[{"labels":{...},"value":N}]}}`, or the
// Prometheus text exposition of the same samples.

export interface MetricFamily {
  type: string;
  help: string;
  data: { labels: Record<string, string | number>; value: number }[];
}

export type MetricFamilies = Record<string, MetricFamily>;

/**
 * prom-client's getMetricsAsJSON() → one family per sample name (histograms give _bucket, _sum and _count). Those
 * split families are counters: the On-Prem shape knows only gauge and counter, and a family typed `histogram`
 * whose samples are not named after it would be invalid Prometheus text.
 */
export function familiesFromPromJson(
  metrics: {
    name: string;
    help: string;
    type: unknown;
    values: { value: number; labels: object; metricName?: string }[];
  }[],
): MetricFamilies {
  const families: MetricFamilies = {};
  for (const metric of metrics) {
    for (const sample of metric.values) {
      // JSON has no NaN or infinity (they would go out as null): such a sample, like the event-loop lag mean
      // before its first measurement, is left out.
      if (!Number.isFinite(sample.value)) continue;
      const name = sample.metricName ?? metric.name;
      families[name] ??= { type: name === metric.name ? String(metric.type) : 'counter', help: metric.help, data: [] };
      families[name].data.push({
        labels: { ...(sample.labels as Record<string, string | number>) },
        value: sample.value,
      });
    }
  }
  return families;
}

export function renderPrometheusText(families: MetricFamilies): string {
  const lines: string[] = [];
  for (const [name, family] of Object.entries(families)) {
    const type = ['counter', 'gauge', 'histogram', 'summary'].includes(family.type) ? family.type : 'untyped';
    lines.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const { labels, value } of family.data) {
      const rendered = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`);
      lines.push(`${name}${rendered.length ? `{${rendered.join(',')}}` : ''} ${formatValue(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
