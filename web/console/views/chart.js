// One time-series chart drawn by uPlot (loaded with the health view only: it is most of the console's weight),
// sized to its box and redrawn as points arrive. The chart is an image to a screen reader; its title carries the
// latest value.
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

let loading = /** @type {Promise<any> | null} */ (null);

/** uPlot and its style sheet, once. */
export function loadUPlot() {
  loading ??= (async () => {
    const sheet = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/console/vendor/uplot.css' });
    document.head.append(sheet);
    return (await import('uplot')).default;
  })();
  return loading;
}

const HEIGHT = 160;
const WINDOW_S = 300;
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * @param {{ uPlot: any, title: string, unit: string, x: number[], y: (number | null)[], format?: (n: number) => string }} props
 */
export function Chart({ uPlot, title, unit, x, y, format }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const plot = useRef(/** @type {any} */ (null));
  const latest = [...y].reverse().find((value) => value !== null && value !== undefined);
  const shown = latest === undefined ? '—' : format ? format(latest) : `${round(latest)}${unit}`;

  useEffect(() => {
    if (!uPlot || !box.current) return undefined;
    const style = getComputedStyle(document.documentElement);
    const colour = (/** @type {string} */ name) => style.getPropertyValue(name).trim();
    const axis = { stroke: colour('--muted'), grid: { stroke: colour('--line'), width: 1 }, ticks: { stroke: colour('--line'), width: 1 } };
    plot.current = new uPlot({
      width: box.current.clientWidth, height: HEIGHT, legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: {
        // Always the last 5 minutes, so that the first points do not stretch over the whole width.
        x: { time: true, range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [max - WINDOW_S, max] },
        y: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [{ ...axis, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((tick) => clock.format(tick * 1000)) }, { ...axis, size: 44 }],
      series: [{}, { label: title, stroke: colour('--accent'), width: 2, fill: `${colour('--accent')}22`, points: { show: false } }],
    }, [x, y], box.current);
    const resize = new ResizeObserver(() => box.current && plot.current?.setSize({ width: box.current.clientWidth, height: HEIGHT }));
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [uPlot]);

  useEffect(() => {
    plot.current?.setData([x, y]);
  }, [x, y]);

  return html`<figure class="chart">
    <h3>${title} <span class="now">${shown}</span></h3>
    <div class="chart-area" ref=${box} role="img" aria-label=${`${title} over the last 5 minutes; latest ${shown}`}></div>
  </figure>`;
}

function round(/** @type {number} */ value) {
  return value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}
