// One time-series chart drawn by uPlot (loaded with the health view only: it is most of the console's weight),
// sized to its box and redrawn as points arrive. The chart is an image to a screen reader; its title carries the
// latest value.
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

let loading = /** @type {Promise<any> | null} */ (null);

/** uPlot and its style sheet, once. */
export function loadUPlot() {
  loading ??= (async () => {
    const sheet = Object.assign(document.createElement('link'), {
      rel: 'stylesheet',
      href: '/console/vendor/uplot.css',
    });
    document.head.append(sheet);
    return (await import('uplot')).default;
  })();
  return loading;
}

const HEIGHT = 160;
const WINDOW_S = 300;
const MIN_WINDOW_S = 60;
// 24-hour labels: the shortest that still read as times under each tick.
const minutes = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const seconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The time axis's labels: with seconds while the ticks are less than a minute apart. */
function timeLabels(/** @type {any} */ _u, /** @type {number[]} */ ticks) {
  const format = ticks.length > 1 && (ticks[1] ?? 0) - (ticks[0] ?? 0) < 60 ? seconds : minutes;
  return ticks.map((tick) => format.format(tick * 1000));
}

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
    const axis = {
      stroke: colour('--muted'),
      grid: { stroke: colour('--line'), width: 1 },
      ticks: { stroke: colour('--line'), width: 1 },
    };
    plot.current = new uPlot(
      {
        width: box.current.clientWidth,
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // The time since the first point, at least a minute (so that the first points do not stretch over the
          // whole width) and at most the 5 minutes kept.
          x: {
            time: true,
            range: (/** @type {any} */ _u, /** @type {number} */ min, /** @type {number} */ max) => [
              max - Math.min(WINDOW_S, Math.max(MIN_WINDOW_S, max - min)),
              max,
            ],
          },
          y: {
            range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [
              0,
              Math.max(1, max * 1.1),
            ],
          },
        },
        axes: [
          { ...axis, values: timeLabels, space: 70 },
          { ...axis, size: 44 },
        ],
        series: [
          {},
          {
            label: title,
            stroke: colour('--accent'),
            width: 2,
            fill: `${colour('--accent')}22`,
            points: { show: false },
          },
        ],
      },
      [x, y],
      box.current,
    );
    const resize = new ResizeObserver(
      () => box.current && plot.current?.setSize({ width: box.current.clientWidth, height: HEIGHT }),
    );
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

  return html`<figure class="chart" data-points=${x.length}>
    <h3>${title} <span class="now">${shown}</span></h3>
    <div class="chart-area" ref=${box} role="img" aria-label=${`${title} over the last 5 minutes; latest ${shown}`}></div>
  </figure>`;
}

function round(/** @type {number} */ value) {
  return value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}
