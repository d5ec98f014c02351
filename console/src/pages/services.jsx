// Services: the list, one service's split in force, canary progress with the numbers that decide it, shadow,
// autoscaled replicas over time and the event timeline.
import { useRef, useState } from 'preact/hooks';
import { api, can, enc, get, getText } from '../api.js';
import { Badge, Card, Chart, ErrorBox, Header, Loading, Stat, Table, fmt, stateKind, useAsync, useInterval } from '../components.jsx';
import { sum, parseMetrics } from '../prom.js';
import { Link, navigate } from '../router.jsx';
import { CanaryForm, NewService, SplitEditor } from './service_forms.jsx';

export function Services({ route, me }) {
  if (route[1]) return <ServicePage name={route[1]} me={me} />;
  return <ServiceList me={me} />;
}

function ServiceList({ me }) {
  const services = useAsync(() => get('/api/v1/services'));
  const [creating, setCreating] = useState(false);
  const list = services.data ? services.data.services : [];
  return (
    <div>
      <Header title="Services" sub="What clients call: weighted splits, canaries, shadows and autoscaling over model versions.">
        {can.deploy(me.role) && <button class="primary" onClick={() => setCreating(!creating)}>{creating ? 'Cancel' : 'New service'}</button>}
      </Header>
      {creating && <Card title="New service"><NewService onCreated={(n) => navigate('services/' + n)} /></Card>}
      <ErrorBox error={services.error} />
      {services.loading && !services.data ? <Loading what="services" /> : (
        <Card>
          <Table label="Services" rows={list} rowKey={(s) => s.name}
                 empty={can.deploy(me.role) ? 'No service yet. A service binds routes to model versions; create one above.' : 'No service yet.'}
                 columns={[
                   { label: 'Name', render: (s) => <Link to={'services/' + s.name}>{s.name}</Link> },
                   { label: 'Routes', render: (s) => (s.status ? s.status.routes : s.routes).map((r) => <Badge kind={r.canary ? 'warn' : ''}>{r.model} v{r.version} {fmt.num(r.weight, 0)}%</Badge>) },
                   { label: 'Ready', render: (s) => <Badge kind={s.status && s.status.ready ? 'good' : 'warn'}>{s.status && s.status.ready ? 'ready' : 'not ready'}</Badge> },
                   { label: 'Canary', render: (s) => (s.status && s.status.canary ? <Badge kind={stateKind(s.status.canary.phase)}>{s.status.canary.phase}</Badge> : '—') },
                 ]} />
        </Card>
      )}
    </div>
  );
}

function CanaryCard({ service }) {
  const c = service.canary, st = service.status.canary;
  if (!c && !st) return null;
  const steps = c ? c.steps : [];
  const canaryRoute = service.status.routes.find((r) => r.canary);
  return (
    <Card title="Canary" actions={st && <Badge kind={stateKind(st.phase)}>{st.phase}</Badge>}>
      {c && (
        <div>
          <ol class="steps" aria-label="Canary steps">
            {steps.map((w, i) => {
              const state = st && st.phase === 'progressing' ? (i < st.step ? 'done' : i === st.step ? 'current' : '') : st && st.phase === 'promoted' ? 'done' : '';
              return <li class={state} data-testid={state === 'current' ? 'canary-current-step' : undefined}>{w}%</li>;
            })}
          </ol>
          <div class="stats">
            <Stat label="Canary" value={`${c.model} v${c.resolved_version || c.version}`} />
            <Stat label="Step" value={st && st.phase === 'progressing' ? `${st.step + 1} of ${steps.length}` : '—'} />
            <Stat label="Weight now" value={st ? `${st.weight}%` : '—'} />
            <Stat label="Requests (stage)" value={canaryRoute ? canaryRoute.requests : '—'} hint={`needs ${c.min_requests}`} />
            <Stat label="Errors (stage)" value={canaryRoute ? canaryRoute.errors : '—'} hint={`max rate ${c.max_error_rate}`} />
            <Stat label="p99 limit" value={`${c.max_p99_ms} ms`} hint={`every ${c.interval_seconds} s`} />
          </div>
        </div>
      )}
      {!c && st && <p>{st.phase === 'promoted' ? `Promoted version ${st.version}.` : `Phase: ${st.phase}.`}</p>}
    </Card>
  );
}

function ServicePage({ name, me }) {
  const [svc, setSvc] = useState(null);
  const [events, setEvents] = useState([]);
  const [error, setError] = useState(null);
  const [replicas, setReplicas] = useState([]);  // [{t, desired: {...}, ready: {...}}]
  const [shadow, setShadow] = useState(null);
  const [editing, setEditing] = useState(null);
  const tick = useRef(0);
  const refresh = async () => {
    try {
      const [s, e] = await Promise.all([get(`/api/v1/services/${enc(name)}`), get(`/api/v1/services/${enc(name)}/events`)]);
      setSvc(s);
      setEvents(e.events);
      setError(null);
      if (tick.current++ % 2 === 0) {
        const samples = parseMetrics(await getText('/metrics'));
        const mine = (n) => samples.filter((x) => x.name === n && x.labels.service === name);
        const point = { t: Date.now() / 1000, desired: {}, ready: {} };
        for (const x of mine('maas_service_desired_replicas')) point.desired[`${x.labels.model} v${x.labels.version}`] = x.value;
        for (const x of mine('maas_service_ready_replicas')) point.ready[`${x.labels.model} v${x.labels.version}`] = x.value;
        setReplicas((rs) => [...rs.slice(-149), point]);
        setShadow(['match', 'mismatch', 'error'].map((o) => [o, sum(samples, 'maas_gateway_shadow_requests_total', { service: name, outcome: o })]));
      }
    } catch (err) {
      setError(err);
    }
  };
  useInterval(refresh, 1000, [name]);
  const remove = async () => {
    if (!confirm(`Delete the service ${name}?`)) return;
    try {
      await api('DELETE', `/api/v1/services/${enc(name)}`);
      navigate('services');
    } catch (err) {
      setError(err);
    }
  };
  if (!svc) return error ? <div><Header title={name} /><ErrorBox error={error} /></div> : <Loading what={name} />;
  const deploy = can.deploy(me.role);
  const names = [...new Set(replicas.flatMap((p) => Object.keys(p.ready)))];
  return (
    <div>
      <Header title={svc.name} sub={svc.description || `revision ${svc.revision}`}>
        <Link to="services" class="button ghost">All services</Link>
        {can.invoke(me.role) && <Link to={'debugger/' + svc.name} class="button">Call it</Link>}
        <Link to={'diagnostics/service/' + svc.name} class="button">Diagnostics</Link>
        {deploy && <button class="danger" onClick={remove}>Delete</button>}
      </Header>
      <ErrorBox error={error} />
      <Card title="Traffic split in force" actions={<Badge kind={svc.status.ready ? 'good' : 'warn'}>{svc.status.ready ? 'ready' : 'not ready'}</Badge>}>
        <div class="split-bar" aria-hidden="true">
          {svc.status.routes.map((r, i) => <span class={'seg s' + (i % 5)} style={{ width: r.weight + '%' }}>{r.weight >= 8 ? `v${r.version} ${fmt.num(r.weight, 0)}%` : ''}</span>)}
        </div>
        <Table label="Routes" rows={svc.status.routes} columns={[
          { label: 'Model', render: (r) => <Link to={`models/${r.model}/${r.version}`}>{r.model} v{r.version}</Link> },
          { label: 'Weight', render: (r) => <span data-testid={`weight-${r.model}-${r.version}`}>{fmt.num(r.weight, 1)}%</span> },
          { label: 'Role', render: (r) => (r.canary ? <Badge kind="warn">canary</Badge> : 'route') },
          { label: 'Loaded', render: (r) => <Badge kind={r.loaded ? 'good' : 'bad'}>{r.loaded ? 'yes' : 'no'}</Badge> },
          { label: 'Requests', key: 'requests' },
          { label: 'Errors', key: 'errors' },
        ]} />
        {deploy && (
          <div class="row">
            <button onClick={() => setEditing(editing === 'split' ? null : 'split')}>Edit the split</button>
            <button onClick={() => setEditing(editing === 'canary' ? null : 'canary')}>Start a canary</button>
          </div>
        )}
        {editing === 'split' && <SplitEditor service={svc} onSaved={() => { setEditing(null); refresh(); }} />}
        {editing === 'canary' && <CanaryForm service={svc} onSaved={() => { setEditing(null); refresh(); }} />}
      </Card>
      <CanaryCard service={svc} />
      {svc.shadow && (
        <Card title="Shadow">
          <p>{svc.shadow.percent}% of requests are copied to {svc.shadow.model} v{svc.shadow.resolved_version || svc.shadow.version}; its answers are compared, never returned.</p>
          {shadow && <div class="stats">{shadow.map(([o, n]) => <Stat label={o} value={n} />)}</div>}
        </Card>
      )}
      {svc.autoscaling && (
        <Card title="Replicas (autoscaling)">
          <p class="muted small">Target {svc.autoscaling.target.metric} {svc.autoscaling.target.value} per replica, {svc.autoscaling.min_replicas}–{svc.autoscaling.max_replicas} replicas.</p>
          <Chart data={[replicas.map((p) => p.t), ...names.map((n) => replicas.map((p) => p.ready[n] ?? null))]} series={names.map((n) => n + ' ready')} label="Ready replicas over time" />
        </Card>
      )}
      <Card title="Events">
        <Timeline events={events} />
      </Card>
    </div>
  );
}

export function Timeline({ events }) {
  if (!events.length) return <div class="empty">No events yet.</div>;
  return (
    <ol class="timeline" data-testid="timeline">
      {events.map((e) => (
        <li>
          <time datetime={e.at}>{fmt.time(e.at)}</time>
          <Badge kind={stateKind(e.kind.replace('canary_', ''))}>{e.kind}</Badge>
          <span>{e.message}</span>
          {e.detail && Object.keys(e.detail).length > 0 && <code class="small break">{JSON.stringify(e.detail)}</code>}
        </li>
      ))}
    </ol>
  );
}
