// Logs: LogQL search over the log center (Loki's query_range) with a histogram of matches over time, and a live
// tail over Server-Sent Events.
import { useEffect, useRef, useState } from 'preact/hooks';
import { enc, get, streamEvents } from '../api.js';
import { Card, Chart, ErrorBox, Field, Header, Table } from '../components.jsx';
import { densify } from '../prom.js';

const kRanges = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 };
const kTailMax = 500;
const isMetricQuery = (q) => /^\s*(sum|count_over_time|rate)\b/.test(q);

const entriesOf = (result) => result.flatMap((s) => s.values.map(([ns, line]) => ({ ns, line, labels: s.stream })))
  .sort((a, b) => (BigInt(b.ns) > BigInt(a.ns) ? 1 : -1));
const timeOf = (ns) => new Date(Number(BigInt(ns) / 1000000n)).toLocaleString();
const labelText = (labels) => Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ');

function Entries({ entries, label }) {
  return (
    <Table label={label} rows={entries} rowKey={(e) => e.ns + e.line.slice(0, 40)} empty="No entry matches."
           columns={[
             { label: 'Time', render: (e) => <time class="nowrap">{timeOf(e.ns)}</time> },
             { label: 'Stream', render: (e) => <code class="small">{labelText(e.labels)}</code> },
             { label: 'Line', render: (e) => <code class="break">{e.line}</code> },
           ]} />
  );
}

export function Logs() {
  const [query, setQuery] = useState('{job="maasd", kind="request"}');
  const [range, setRange] = useState('1h');
  const [limit, setLimit] = useState(100);
  const [entries, setEntries] = useState(null);
  const [histogram, setHistogram] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [tail, setTail] = useState([]);
  const [tailing, setTailing] = useState(false);
  const [tailError, setTailError] = useState(null);
  const abort = useRef(null);

  const search = async (e) => {
    if (e) e.preventDefault();
    setBusy(true);
    setError(null);
    const seconds = kRanges[range];
    const end = Date.now() * 1e6, start = end - seconds * 1e9;
    const step = Math.max(1, Math.round(seconds / 60));
    try {
      if (isMetricQuery(query)) {
        const r = await get(`/loki/api/v1/query_range?query=${enc(query)}&start=${start}&end=${end}&step=${step}`);
        setEntries(null);
        setHistogram({ matrix: r.data.result, step, metric: true, start: start / 1e9, end: end / 1e9 });
      } else {
        const counts = `sum(count_over_time(${query} [${step}s]))`;
        const [logs, hist] = await Promise.all([
          get(`/loki/api/v1/query_range?query=${enc(query)}&start=${start}&end=${end}&limit=${limit}&direction=backward`),
          get(`/loki/api/v1/query_range?query=${enc(counts)}&start=${start}&end=${end}&step=${step}`).catch(() => null)]);
        setEntries(entriesOf(logs.data.result));
        setHistogram(hist ? { matrix: hist.data.result, step, metric: false, start: start / 1e9, end: end / 1e9 } : null);
      }
    } catch (err) {
      setError(err);
      setEntries(null);
      setHistogram(null);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => { search(); }, []);
  useEffect(() => () => abort.current && abort.current.abort(), []);

  const startTail = async () => {
    setTail([]);
    setTailError(null);
    setTailing(true);
    abort.current = new AbortController();
    try {
      await streamEvents('GET', `/api/v1/logs/tail?query=${enc(query)}`, undefined, ({ event, data }) => {
        if (event === 'dropped') return;
        const msg = JSON.parse(data);
        const fresh = (msg.values || []).map(([ns, line]) => ({ ns, line, labels: msg.stream }));
        setTail((t) => [...fresh.reverse(), ...t].slice(0, kTailMax));
      }, abort.current.signal);
    } catch (err) {
      if (err.name !== 'AbortError') setTailError(err);
    } finally {
      setTailing(false);
    }
  };
  const stopTail = () => abort.current && abort.current.abort();

  let chart = null;
  if (histogram) {
    const { xs, ys } = densify(histogram.matrix, histogram.start, histogram.end, histogram.step, histogram.metric ? null : 0);
    const names = histogram.matrix.map((s) => labelText(s.metric) || 'matches');
    chart = ys.length ? <Chart data={[xs, ...ys]} series={names} bars={!histogram.metric} height={160} label="Matches over time" />
      : <div class="empty">Nothing matched in this range.</div>;
  }
  return (
    <div>
      <Header title="Logs" sub="LogQL over maasd's request and event records and everything pushed to it." />
      <Card>
        <form class="row wrap" onSubmit={search}>
          <Field label="LogQL query"><input class="mono wide" value={query} onInput={(e) => setQuery(e.target.value)} data-testid="logql" /></Field>
          <Field label="Range">
            <select value={range} onChange={(e) => setRange(e.target.value)}>{Object.keys(kRanges).map((r) => <option>{r}</option>)}</select>
          </Field>
          <Field label="Limit"><input type="number" min="1" max="5000" value={limit} onInput={(e) => setLimit(e.target.value)} size={5} /></Field>
          <button class="primary" type="submit" disabled={busy} data-testid="search">{busy ? 'Searching…' : 'Search'}</button>
          {tailing ? <button type="button" onClick={stopTail}>Stop tail</button>
            : <button type="button" onClick={startTail} disabled={isMetricQuery(query)} data-testid="tail">Live tail</button>}
        </form>
        <p class="muted small">Examples: <code>{'{job="maasd", kind="request"} | json | status >= 400'}</code> · <code>{'{job="maasd", kind="event"}'}</code> · <code>{'sum by (status) (count_over_time({job="maasd", kind="request"} | json [1m]))'}</code></p>
        <ErrorBox error={error} title="The query failed" />
      </Card>
      {chart && <Card title={histogram.metric ? 'Series' : 'Matches over time'}>{chart}</Card>}
      {(tailing || tail.length > 0 || tailError) && (
        <Card title={tailing ? 'Live tail (newest first)' : 'Tail (stopped)'}>
          <ErrorBox error={tailError} />
          <Entries entries={tail} label="Tailed entries" />
        </Card>
      )}
      {entries && <Card title={`Entries (${entries.length})`}><Entries entries={entries} label="Log entries" /></Card>}
    </div>
  );
}
