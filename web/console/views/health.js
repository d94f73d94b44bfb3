// Health: the gateway's status on every live node, the nodes and their roles, and live charts of requests/s,
// sends/s, callbacks/s, the webhook backlog and its oldest callback's age, from the node's metrics polled every 2 s
// and kept for 5 minutes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { age } from '../lib/format.js';
import { html } from '../lib/html.js';
import { pointOf, readingOf } from '../lib/metrics.js';
import { readNodes } from '../lib/session.js';
import { Chart, loadUPlot } from './chart.js';
import { ErrorNotice, PageTitle, useLoad } from './ui.js';

const POLL_MS = 2000;
/** 5 minutes of 2-second points. */
const KEEP_POINTS = 150;
const NODES_EVERY_MS = 10_000;

const SERIES =
  /** @type {{ key: 'requests' | 'sends' | 'callbacks' | 'backlog' | 'oldest', title: string, unit: string }[]} */ ([
    { key: 'requests', title: 'Requests', unit: '/s' },
    { key: 'sends', title: 'Sends accepted', unit: '/s' },
    { key: 'callbacks', title: 'Callbacks delivered', unit: '/s' },
    { key: 'backlog', title: 'Webhook backlog', unit: '' },
    { key: 'oldest', title: 'Oldest pending callback', unit: 's' },
  ]);

export default function Health() {
  const nodes = useLoad(readCluster, []);
  useEffect(() => {
    const timer = setInterval(() => nodes.reload(), NODES_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  return html`<div class="page">
    <${PageTitle}>Health<//>
    <${ErrorNotice} error=${nodes.error} />
    ${nodes.data && html`<${Nodes} nodes=${nodes.data} />`}
    <${Charts} />
  </div>`;
}

/** The live nodes (GET /v1/support) with each one's gateway status (GET /v1/health: one key per node, or one status). */
async function readCluster() {
  const [list, health] = await Promise.all([readNodes(), api.get('/v1/health')]);
  const statuses = health.health ?? {};
  return list.map((node) => ({
    ...node,
    status: statuses.gateway_status ?? statuses[node.key]?.gateway_status ?? 'unknown',
  }));
}

function Nodes({ nodes }) {
  return html`<section aria-labelledby="nodes-title">
    <h2 id="nodes-title">Nodes</h2>
    <div class="table-wrap">
      <table class="stack">
        <thead><tr><th scope="col">Node</th><th scope="col">Role</th><th scope="col">Gateway</th><th scope="col">Status</th><th scope="col">Up for</th><th scope="col">Version</th></tr></thead>
        <tbody>${nodes.map(
          (node) => html`<tr key=${node.key}>
          <td data-label="Node" class="mono">${node.key}</td>
          <td data-label="Role">${node.role === 'primary_master' ? 'primary (leader)' : 'coreapp'}</td>
          <td data-label="Gateway">${node.gateway}</td>
          <td data-label="Status"><span class=${`status status-${node.status}`}>${node.status}</span></td>
          <td data-label="Up for">${age(node.uptimeSeconds)}</td>
          <td data-label="Version">${node.description ?? ''}</td>
        </tr>`,
        )}</tbody>
      </table>
    </div>
  </section>`;
}

/** Polls the metrics every 2 s while the view is open; each chart shows the last 5 minutes. */
function Charts() {
  const [uPlot, setUPlot] = useState(/** @type {any} */ (null));
  const [points, setPoints] = useState(
    /** @type {{ x: number[], series: Record<string, (number | null)[]> }} */ ({ x: [], series: {} }),
  );
  const [error, setError] = useState(/** @type {unknown} */ (null));
  const previous = useRef(/** @type {{ at: number, reading: ReturnType<typeof readingOf> } | null} */ (null));

  useEffect(() => {
    // A function given to a state setter is called as an updater: uPlot is a class, so it is wrapped.
    loadUPlot().then((loaded) => setUPlot(() => loaded), setError);
    let busy = false;
    async function poll() {
      if (busy) return;
      busy = true;
      try {
        const answer = await api.get('/v1/metrics');
        const at = performance.now();
        const reading = readingOf(answer.metrics);
        const before = previous.current;
        previous.current = { at, reading };
        if (before)
          setPoints((current) => appendPoint(current, pointOf(before.reading, reading, (at - before.at) / 1000)));
        setError(null);
      } catch (failure) {
        setError(failure);
      } finally {
        busy = false;
      }
    }
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  return html`<section aria-labelledby="charts-title">
    <h2 id="charts-title">Activity on this node, last 5 minutes</h2>
    <${ErrorNotice} error=${error} />
    ${points.x.length === 0 && html`<p class="muted">The first points appear within a few seconds.</p>`}
    <div class="charts">
      ${SERIES.map(
        (series) => html`<${Chart} key=${series.key} uPlot=${uPlot} title=${series.title} unit=${series.unit}
        x=${points.x} y=${points.series[series.key] ?? []} format=${series.key === 'oldest' ? age : undefined} />`,
      )}
    </div>
  </section>`;
}

function appendPoint(
  /** @type {{ x: number[], series: Record<string, (number | null)[]> }} */ current,
  /** @type {Record<string, number | null>} */ point,
) {
  const keep = (/** @type {any[]} */ values, /** @type {any} */ value) => [...values, value].slice(-KEEP_POINTS);
  const series = Object.fromEntries(SERIES.map(({ key }) => [key, keep(current.series[key] ?? [], point[key])]));
  return { x: keep(current.x, Date.now() / 1000), series };
}
