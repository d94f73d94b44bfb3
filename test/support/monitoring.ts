// What deploy/monitoring/ asks of a node: the PromQL expressions of its alert rules and Grafana dashboard, the
// metric names they select (parsed by the Prometheus project's own PromQL grammar), and the names a node's
// Prometheus text exposes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import YAML from 'yaml';

export const MONITORING_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/monitoring');

export interface Expression {
  /** Where it is: `alerts.yml OpenPremNodeDown`, `dashboard "Backlog" A`. */
  where: string;
  expr: string;
}

export function alertExpressions(): Expression[] {
  const rules = YAML.parse(readFileSync(path.join(MONITORING_DIR, 'alerts.yml'), 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alerts.yml ${rule.alert ?? rule.record}`, expr: String(rule.expr) })),
  );
}

export function readDashboard(): any {
  return JSON.parse(readFileSync(path.join(MONITORING_DIR, 'grafana-dashboard.json'), 'utf8'));
}

/** The panels' queries, and the series selector of each `label_values(selector, label)` variable. */
export function dashboardExpressions(dashboard = readDashboard()): Expression[] {
  const panels: any[] = dashboard.panels.flatMap((panel: any) => [panel, ...(panel.panels ?? [])]);
  const queries = panels.flatMap((panel) =>
    (panel.targets ?? []).map((target: any) => ({
      where: `dashboard "${panel.title}" ${target.refId}`,
      expr: String(target.expr),
    })),
  );
  const variables = (dashboard.templating?.list ?? []).flatMap((variable: any) => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const selector = typeof query === 'string' ? /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1] : undefined;
    return selector ? [{ where: `dashboard variable ${variable.name}`, expr: selector }] : [];
  });
  return [...queries, ...variables];
}

/** Grafana's range variables are not PromQL: each stands for a duration. */
function withGrafanaDurations(expr: string): string {
  return expr.replace(/\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g, '5m');
}

/** The metric names an expression selects; throws on an expression PromQL's grammar does not accept. */
export function selectedMetricNames(expr: string): string[] {
  const source = withGrafanaDurations(expr);
  const names: string[] = [];
  const tree = parser.parse(source);
  tree.iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`not PromQL at ${node.from}: ${source}`);
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (identifier) {
        names.push(source.slice(identifier.from, identifier.to));
        return;
      }
      // {__name__="x"}: the name as a label matcher.
      const nameMatcher = /__name__\s*=\s*"([^"]+)"/.exec(source.slice(node.from, node.to));
      if (nameMatcher) names.push(nameMatcher[1]!);
    },
  });
  return names;
}

/**
 * The sample names a Prometheus text exposition offers to PromQL: a counter's or gauge's own name; a histogram's
 * `_bucket`, `_sum` and `_count` (never its bare name); a summary's name, `_sum` and `_count`. Read from the
 * `# TYPE` lines, so a family with no sample yet still counts.
 */
export function exposedSampleNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}
