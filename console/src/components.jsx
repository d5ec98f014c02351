// Building blocks every page uses: data loading hooks, error and empty states, tables, a time-series chart.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

// Runs `load` now and whenever `deps` change; `reload` runs it again. Keeps the last data while reloading.
export function useAsync(load, deps = []) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const run = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })));
    return () => { live = false; };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

// Calls `tick` now and every `ms` while the page is shown (and the tab visible).
export function useInterval(tick, ms, deps = []) {
  useEffect(() => {
    tick();
    const id = setInterval(() => { if (!document.hidden) tick(); }, ms);
    return () => clearInterval(id);
  }, deps);
}

export function ErrorBox({ error, title }) {
  if (!error) return null;
  const denied = error.status === 403;
  return (
    <div class="error" role="alert">
      <strong>{title || (denied ? 'Not allowed' : 'Something went wrong')}</strong>
      <span>{error.message}</span>
      {error.code && <code>{error.code}</code>}
    </div>
  );
}

export function Empty({ children }) {
  return <div class="empty">{children}</div>;
}

export function Loading({ what }) {
  return <div class="loading" aria-busy="true">Loading {what || ''}…</div>;
}

// A page's heading with optional actions on the right.
export function Header({ title, sub, children }) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {sub && <p class="sub">{sub}</p>}
      </div>
      <div class="actions">{children}</div>
    </header>
  );
}

export function Card({ title, children, actions, class: cls }) {
  return (
    <section class={'card ' + (cls || '')}>
      {(title || actions) && <div class="card-head"><h2>{title}</h2><div class="actions">{actions}</div></div>}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {hint && <div class="stat-hint">{hint}</div>}
    </div>
  );
}

export function Badge({ kind, children }) {
  return <span class={'badge ' + (kind || '')}>{children}</span>;
}

export function stateKind(state) {
  const s = String(state || '').toLowerCase();
  if (['ready', 'firing_no', 'active', 'ok', 'success', 'promoted', 'true'].includes(s)) return 'good';
  if (['failed', 'unavailable', 'firing', 'rolled_back', 'error', 'revoked'].includes(s)) return 'bad';
  if (['loading', 'pending', 'registered', 'canary', 'unloading', 'progressing'].includes(s)) return 'warn';
  return '';
}

// columns: [{key, label, render?(row)}]
export function Table({ columns, rows, empty, rowKey, label }) {
  if (!rows || rows.length === 0) return <Empty>{empty || 'Nothing here yet.'}</Empty>;
  return (
    <div class="table-wrap">
      <table aria-label={label}>
        <thead><tr>{columns.map((c) => <th scope="col">{c.label}</th>)}</tr></thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey ? rowKey(row) : i}>
              {columns.map((c) => <td data-label={c.label}>{c.render ? c.render(row) : row[c.key]}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Field({ label, children, hint }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const kPalette = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5'];

// A time-series chart (uPlot). data: [xs (unix seconds), ...ys]; series: labels of the ys. `bars` draws columns.
export function Chart({ data, series, height = 180, bars = false, yLabel, label }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const axis = { stroke: css('--muted'), grid: { stroke: css('--grid') }, ticks: { stroke: css('--grid') } };
    const opts = {
      width: box.current.clientWidth || 600,
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      axes: [axis, { ...axis, label: yLabel, size: 56 }],
      series: [{}, ...series.map((name, i) => ({
        label: name,
        stroke: css(kPalette[i % kPalette.length]),
        fill: bars ? css(kPalette[i % kPalette.length]) + '99' : undefined,
        width: bars ? 0 : 2,
        paths: bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined,
        points: { show: false },
        spanGaps: false,
      }))],
    };
    plot.current = new uPlot(opts, data, box.current);
    const resize = new ResizeObserver(() => {
      if (box.current) plot.current.setSize({ width: box.current.clientWidth, height });
    });
    resize.observe(box.current);
    return () => { resize.disconnect(); plot.current.destroy(); };
  }, [series.join('|'), height, bars]);
  useEffect(() => { if (plot.current) plot.current.setData(data); }, [data]);
  return <div class="chart" ref={box} role="img" aria-label={label || series.join(', ')} />;
}

export const fmt = {
  num: (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(digits)),
  ms: (seconds) => (seconds === null || seconds === undefined ? '—' : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1) + ' ms'),
  bytes: (n) => {
    if (n === null || n === undefined) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + ' ' + units[i];
  },
  time: (t) => (t ? new Date(t).toLocaleString() : '—'),
  ago: (t) => {
    if (!t) return '—';
    const s = Math.round((Date.now() - new Date(t).getTime()) / 1000);
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  },
};

// Copies text to the clipboard; answers whether it could.
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
