// Diagnostics of a version or a service: its timeline (loads, crashes, restarts, scale events, rollbacks, alerts),
// its requests and errors over the same time from the log center, and the log lines around any event.
import { useState } from 'preact/hooks';
import { enc, get } from '../api.js';
import { Badge, Card, Chart, ErrorBox, Field, Header, Table, fmt, stateKind, useAsync } from '../components.jsx';
import { Link, navigate } from '../router.jsx';
import { densify } from '../prom.js';

const kRanges = { '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 };
const quote = (s) => '"' + String(s).replace(/["\\]/g, '') + '"';

async function timeline(kind, name, version, seconds) {
  const since = `${seconds}s`;
  const events = kind === 'service'
    ? (await get(`/api/v1/services/${enc(name)}/events?limit=500`)).events.map((e) => ({ at: e.at, event: e.kind, reason: e.message }))
    : (await get(`/api/v1/models/${enc(name)}/versions/${enc(version)}/events?since=${since}&limit=500`)).events;
  // Alerts that name it, from the log center's event stream.
  const field = kind === 'service' ? 'service' : 'model';
  const alerts = await get(`/loki/api/v1/query_range?since=${since}&limit=200&query=${enc(`{job="maasd", kind="event"} |= "alert_" | json | ${field}=${quote(name)}`)}`).catch(() => null);
  for (const s of (alerts && alerts.data.result) || []) {
    for (const [ns, line] of s.values) {
      try {
        const r = JSON.parse(line);
        events.push({ at: new Date(Number(BigInt(ns) / 1000000n)).toISOString(), event: r.event, reason: r.alertname || r.reason || '' });
      } catch { /* not JSON */ }
    }
  }
  return events.filter((e) => Date.now() - new Date(e.at).getTime() <= seconds * 1000).sort((a, b) => (a.at < b.at ? 1 : -1));
}

export function Diagnostics({ route }) {
  const isService = route[1] === 'service';
  const name = isService ? route[2] : route[1];
  const version = isService ? null : route[2];
  const [range, setRange] = useState('6h');
  const [moment, setMoment] = useState(null);
  const [pick, setPick] = useState({ name: '', version: '' });
  const seconds = kRanges[range];
  const selector = isService ? `service=${quote(name)}` : `model=${quote(name)} | version=${quote(version)}`;
  const events = useAsync(() => (name ? timeline(isService ? 'service' : 'model', name, version, seconds) : Promise.resolve([])), [name, version, range]);
  const step = Math.max(10, Math.round(seconds / 90));
  const traffic = useAsync(() => (name ? get(`/loki/api/v1/query_range?since=${seconds}s&step=${step}&query=${enc(
    `sum by (status) (count_over_time({job="maasd", kind="request"} | json | ${selector} [${step}s]))`)}`) : Promise.resolve(null)), [name, version, range]);
  const lines = useAsync(() => {
    if (!moment) return Promise.resolve(null);
    const at = new Date(moment.at).getTime() * 1e6;
    return get(`/loki/api/v1/query_range?start=${at - 60e9}&end=${at + 60e9}&limit=200&direction=forward&query=${enc(`{job="maasd"} | json | ${selector}`)}`);
  }, [moment && moment.at]);

  if (!name) {
    return (
      <div>
        <Header title="Diagnostics" sub="One page per version or service: its timeline, traffic and the logs of each moment." />
        <Card>
          <form class="row wrap" onSubmit={(e) => { e.preventDefault(); navigate(pick.version ? `diagnostics/${pick.name}/${pick.version}` : `diagnostics/service/${pick.name}`); }}>
            <Field label="Model or service"><input required value={pick.name} onInput={(e) => setPick({ ...pick, name: e.target.value.trim() })} /></Field>
            <Field label="Version" hint="empty: a service"><input value={pick.version} onInput={(e) => setPick({ ...pick, version: e.target.value.trim() })} size={6} /></Field>
            <button class="primary" type="submit">Diagnose</button>
          </form>
        </Card>
      </div>
    );
  }
  const matrix = (traffic.data && traffic.data.data.result) || [];
  const now = Date.now() / 1000;
  const { xs, ys: series } = densify(matrix, now - seconds, now, step);
  return (
    <div>
      <Header title={`Diagnostics: ${isService ? 'service ' + name : `${name} v${version}`}`}>
        <Link to={isService ? `services/${name}` : `models/${name}/${version}`} class="button ghost">{isService ? 'The service' : 'The version'}</Link>
        <select value={range} onChange={(e) => setRange(e.target.value)} aria-label="Range">{Object.keys(kRanges).map((r) => <option>{r}</option>)}</select>
      </Header>
      <Card title={`Requests by status (per ${step} s)`}>
        <ErrorBox error={traffic.error} />
        {matrix.length ? <Chart data={[xs, ...series]} series={matrix.map((s) => 'status ' + (s.metric.status || '?'))} bars height={160} label="Requests by status over time" />
          : <div class="empty">No request in this range.</div>}
      </Card>
      <Card title="Timeline" actions={<span class="muted small">select an event to see the log lines of that moment</span>}>
        <ErrorBox error={events.error} />
        <Table label="Timeline" rows={events.data || []} empty="Nothing happened in this range."
               columns={[
                 { label: 'When', render: (e) => fmt.time(e.at) },
                 { label: 'Event', render: (e) => <Badge kind={stateKind(/crash|fail|roll|firing/.test(e.event) ? 'error' : e.event)}>{e.event}</Badge> },
                 { label: 'State', render: (e) => e.state || '' },
                 { label: 'Reason', key: 'reason' },
                 { label: '', render: (e) => <button class="ghost" onClick={() => setMoment(e)}>Logs ±1 min</button> },
               ]} />
      </Card>
      {moment && (
        <Card title={`Log lines around ${fmt.time(moment.at)}`}>
          <ErrorBox error={lines.error} />
          <Table label="Log lines" rows={lines.data ? lines.data.data.result.flatMap((s) => s.values.map(([ns, line]) => ({ ns, line, kind: s.stream.kind }))) : []}
                 empty="No log line in that minute."
                 columns={[
                   { label: 'Time', render: (l) => new Date(Number(BigInt(l.ns) / 1000000n)).toLocaleTimeString() },
                   { label: 'Kind', render: (l) => <Badge>{l.kind}</Badge> },
                   { label: 'Line', render: (l) => <code class="break">{l.line}</code> },
                 ]} />
        </Card>
      )}
    </div>
  );
}
