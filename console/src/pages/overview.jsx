// Overview: health, what is loaded, request rate, errors, p50/p99 and the workers' CPU and memory, polled live.
import { useRef, useState } from 'preact/hooks';
import { get, getText } from '../api.js';
import { Badge, Card, Chart, ErrorBox, Header, Stat, Table, fmt, stateKind, useInterval } from '../components.jsx';
import { buckets, parseMetrics, quantile, sum } from '../prom.js';
import { Link } from '../router.jsx';

const kPollMs = 2000;
const kPoints = 150;  // five minutes at one point every two seconds

const isError = (code) => !String(code).startsWith('2');

// One point from two scrapes: rates over the interval and the latency quantiles of what was observed in it.
function point(prev, cur) {
  const dt = (cur.t - prev.t) / 1000;
  const requests = sum(cur.samples, 'maas_inference_requests_total') - sum(prev.samples, 'maas_inference_requests_total');
  const errors = sum(cur.samples, 'maas_inference_requests_total', { code: isError }) -
    sum(prev.samples, 'maas_inference_requests_total', { code: isError });
  const http = sum(cur.samples, 'maas_http_requests_total') - sum(prev.samples, 'maas_http_requests_total');
  const name = 'maas_inference_request_duration_seconds';
  const before = buckets(prev.samples, name), after = buckets(cur.samples, name);
  return {
    t: cur.t / 1000,
    rps: Math.max(0, requests / dt),
    errors: Math.max(0, errors / dt),
    http: Math.max(0, http / dt),
    p50: quantile(0.5, before, after),
    p99: quantile(0.99, before, after),
  };
}

export function Overview() {
  const [health, setHealth] = useState(null);
  const [version, setVersion] = useState(null);
  const [stats, setStats] = useState([]);
  const [points, setPoints] = useState([]);
  const [error, setError] = useState(null);
  const last = useRef(null);
  const cpu = useRef(new Map());  // pid -> {t, cpu_seconds}: CPU use between two polls
  const [cpuShare, setCpuShare] = useState({});

  useInterval(async () => {
    try {
      const [h, v, text, s] = await Promise.all([
        fetch('/api/v1/health').then((r) => r.json()).catch(() => ({ status: 'unreachable' })),
        get('/api/v1/version'), getText('/metrics'), get('/v2/models/stats')]);
      setHealth(h);
      setVersion(v);
      const cur = { t: Date.now(), samples: parseMetrics(text) };
      if (last.current) {
        const p = point(last.current, cur);
        setPoints((ps) => [...ps.slice(-(kPoints - 1)), p]);
      }
      last.current = cur;
      const shares = {};
      const now = Date.now();
      for (const m of s.model_stats) {
        for (const i of m.instances || []) {
          const seen = cpu.current.get(i.pid);
          if (seen) shares[i.pid] = (i.cpu_seconds - seen.cpu) / ((now - seen.t) / 1000);
          cpu.current.set(i.pid, { t: now, cpu: i.cpu_seconds });
        }
      }
      setCpuShare(shares);
      setStats(s.model_stats);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, kPollMs);

  const latest = points[points.length - 1] || {};
  const xs = points.map((p) => p.t);
  const workers = stats.flatMap((m) => (m.instances || []).map((i) => ({ ...i, model: m.name, version: m.version })));
  return (
    <div>
      <Header title="Overview" sub={version ? `maas ${version.version} (${version.git_commit}), up ${Math.round(version.uptime_seconds / 60)} min` : ''}>
        <Badge kind={health && health.status === 'ok' ? 'good' : 'bad'}>{health ? health.status : '…'}</Badge>
      </Header>
      <ErrorBox error={error} />
      <div class="stats">
        <Stat label="Loaded versions" value={stats.length} />
        <Stat label="Inference requests/s" value={fmt.num(latest.rps)} />
        <Stat label="Errors/s" value={fmt.num(latest.errors)} />
        <Stat label="p50" value={fmt.ms(latest.p50)} />
        <Stat label="p99" value={fmt.ms(latest.p99)} />
        <Stat label="HTTP requests/s" value={fmt.num(latest.http)} />
      </div>
      <div class="grid2">
        <Card title="Traffic (requests/s)">
          <Chart data={[xs, points.map((p) => p.rps), points.map((p) => p.errors)]} series={['inference', 'errors']} label="Inference requests and errors per second" />
        </Card>
        <Card title="Latency (ms)">
          <Chart data={[xs, points.map((p) => p.p50 === null ? null : p.p50 * 1000), points.map((p) => p.p99 === null ? null : p.p99 * 1000)]}
                 series={['p50', 'p99']} label="Inference latency p50 and p99" />
        </Card>
      </div>
      <Card title="Loaded versions">
        <Table label="Loaded versions" rows={stats} rowKey={(m) => m.name + '/' + m.version}
               empty={<span>No version is loaded. Load one from <Link to="models">Models</Link>.</span>}
               columns={[
                 { label: 'Model', render: (m) => <Link to={`models/${m.name}`}>{m.name}</Link> },
                 { label: 'Version', key: 'version' },
                 { label: 'Requests', key: 'inference_count' },
                 { label: 'Batches', key: 'execution_count' },
                 { label: 'Mean queue', render: (m) => fmt.ms(m.inference_stats.queue.count ? m.inference_stats.queue.ns / m.inference_stats.queue.count / 1e9 : null) },
                 { label: 'Mean compute', render: (m) => fmt.ms(m.inference_stats.compute_infer.count ? m.inference_stats.compute_infer.ns / m.inference_stats.compute_infer.count / 1e9 : null) },
                 { label: 'Restarts', key: 'worker_restarts' },
               ]} />
      </Card>
      <Card title="Workers">
        <Table label="Workers" rows={workers} rowKey={(w) => w.pid}
               empty="No worker processes: nothing is loaded."
               columns={[
                 { label: 'Model', render: (w) => `${w.model} v${w.version}` },
                 { label: 'Instance', key: 'instance' },
                 { label: 'PID', key: 'pid' },
                 { label: 'State', render: (w) => <Badge kind={w.ready ? 'good' : 'warn'}>{w.ready ? 'ready' : w.alive ? 'starting' : 'down'}</Badge> },
                 { label: 'CPU', render: (w) => cpuShare[w.pid] === undefined ? '—' : fmt.num(cpuShare[w.pid] * 100, 1) + ' %' },
                 { label: 'RSS', render: (w) => fmt.bytes(w.rss_bytes) },
                 { label: 'Circuit', render: (w) => <Badge kind={stateKind(w.circuit_state === 'closed' ? 'ok' : 'error')}>{w.circuit_state}</Badge> },
               ]} />
      </Card>
    </div>
  );
}
