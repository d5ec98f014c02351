// Jobs: the list with state, progress and ETA (refreshed while any runs), submitting one (deploy), and a job's page:
// live progress, its log lines followed over fetch (the key stays in a header), cancel, and its events.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, can, enc, get, streamEvents } from '../api.js';
import { Link, navigate } from '../router.jsx';
import { Badge, Card, ErrorBox, Field, Header, Loading, Stat, Table, fmt, useAsync, useInterval } from '../components.jsx';

const kEnded = ['succeeded', 'failed', 'cancelled'];
const kLogMax = 2000;

function jobKind(state) {
  if (state === 'succeeded') return 'good';
  if (state === 'failed') return 'bad';
  if (state === 'running' || state === 'queued' || state === 'cancelling') return 'warn';
  return '';
}

export function eta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return Math.ceil(seconds) + ' s';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function Progress({ job }) {
  const p = job.progress || {};
  const fraction = job.state === 'succeeded' ? 1 : p.fraction || 0;
  const pct = Math.round(fraction * 100);
  return (
    <div class="job-progress">
      <progress max="100" value={pct} aria-label={`Progress of ${job.id}`} data-testid={'job-progress-' + job.id}>{pct}%</progress>
      <span class="small muted">{pct}%{p.message ? ` · ${p.message}` : ''}{!kEnded.includes(job.state) && p.eta_seconds !== undefined ? ` · ETA ${eta(p.eta_seconds)}` : ''}</span>
    </div>
  );
}

function SubmitJob({ onSubmitted }) {
  const kinds = useAsync(() => get('/api/v1/jobs/kinds'));
  const [kind, setKind] = useState('');
  const [params, setParams] = useState('{}');
  const [priority, setPriority] = useState('0');
  const [error, setError] = useState(null);
  const list = (kinds.data && kinds.data.kinds) || [];
  const chosen = kind || (list[0] && list[0].name) || '';
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { kind: chosen, params: JSON.parse(params || '{}'), priority: Number(priority) };
      onSubmitted(await api('POST', '/api/v1/jobs', body));
    } catch (err) {
      setError(err);
    }
  };
  const description = list.find((k) => k.name === chosen);
  return (
    <form class="row wrap" onSubmit={submit}>
      <Field label="Kind" hint={description && description.description}>
        <select value={chosen} onChange={(e) => setKind(e.target.value)} data-testid="job-kind">
          {list.map((k) => <option value={k.name}>{k.name}</option>)}
        </select>
      </Field>
      <Field label="Parameters (JSON)"><input value={params} onInput={(e) => setParams(e.target.value)} size={30} data-testid="job-params" /></Field>
      <Field label="Priority" hint="-1000..1000, higher first"><input type="number" value={priority} onInput={(e) => setPriority(e.target.value)} size={6} /></Field>
      <button class="primary" type="submit" disabled={!chosen} data-testid="job-submit">Submit</button>
      <ErrorBox error={error || kinds.error} />
    </form>
  );
}

function JobList({ me }) {
  const [state, setState] = useState('');
  const jobs = useAsync(() => get('/api/v1/jobs?limit=100' + (state ? '&state=' + enc(state) : '')), [state]);
  const list = jobs.data ? jobs.data.jobs : [];
  const active = list.some((j) => !kEnded.includes(j.state));
  useInterval(() => active && jobs.reload(), 1000, [active, state]);
  return (
    <div>
      <Header title="Jobs" sub="Work that runs to an end in processes of its own: progress, logs, retries and checkpoints." />
      {can.deploy(me.role) && <Card title="Submit a job"><SubmitJob onSubmitted={(j) => navigate('jobs/' + enc(j.id))} /></Card>}
      <ErrorBox error={jobs.error} />
      <Card title="Jobs" actions={(
        <select value={state} onChange={(e) => setState(e.target.value)} aria-label="State">
          {['', 'queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'].map((s) => <option value={s}>{s || 'any state'}</option>)}
        </select>)}>
        {jobs.loading && !jobs.data ? <Loading what="jobs" /> : (
          <Table label="Jobs" rows={list} rowKey={(j) => j.id}
                 empty="No jobs yet: submit one (artifacts.verify re-checks the artifact store)."
                 columns={[
                   { label: 'Job', render: (j) => <Link to={'jobs/' + enc(j.id)} data-testid={'job-' + j.id}><code>{j.id}</code></Link> },
                   { label: 'Kind', render: (j) => <code>{j.kind}</code> },
                   { label: 'State', render: (j) => <Badge kind={jobKind(j.state)}>{j.state}</Badge> },
                   { label: 'Progress', render: (j) => <Progress job={j} /> },
                   { label: 'Attempts', render: (j) => `${j.attempts} of ${j.max_attempts}` },
                   { label: 'Owner', render: (j) => <code>{j.owner}</code> },
                   { label: 'Created', render: (j) => fmt.ago(j.created_at) },
                 ]} />
        )}
      </Card>
    </div>
  );
}

// The job's log lines: what was logged so far, then new lines as they come, until the job ends.
function JobLogs({ id }) {
  const [lines, setLines] = useState([]);
  const [following, setFollowing] = useState(false);
  const [ended, setEnded] = useState(null);
  const [error, setError] = useState(null);
  const box = useRef(null);
  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    setFollowing(true);
    streamEvents('GET', `/api/v1/jobs/${enc(id)}/logs?follow=true`, undefined, ({ event, data }) => {
      const msg = JSON.parse(data);
      if (event === 'end') setEnded(msg.state);
      else if (event === 'dropped') setLines((l) => [...l, { dropped: msg.dropped }]);
      else setLines((l) => [...l, msg].slice(-kLogMax));
    }, abort.signal).catch((err) => err.name !== 'AbortError' && setError(err)).finally(() => setFollowing(false));
    return () => abort.abort();
  }, [id]);
  useEffect(() => { if (box.current) box.current.scrollTop = box.current.scrollHeight; }, [lines.length]);
  return (
    <Card title="Log" actions={<span class="small muted" data-testid="job-log-state">{following ? 'following…' : ended ? `ended: ${ended}` : 'stopped'}</span>}>
      <ErrorBox error={error} />
      {lines.length === 0 ? <div class="empty">No log lines yet.</div> : (
        <pre class="log-lines" ref={box} data-testid="job-log">
          {lines.map((l) => (l.dropped ? `… ${l.dropped} lines dropped\n`
            : `${(l.at || '').slice(11, 23)} ${(l.source || '').padEnd(6)} ${(l.level || '').padEnd(5)} ${l.line !== undefined ? l.line : JSON.stringify(l)}\n`))}
        </pre>
      )}
    </Card>
  );
}

// The job's events from the log center ({job="maasd", kind="event"} lines that name it).
async function jobEvents(job) {
  const seconds = Math.ceil((Date.now() - Date.parse(job.created_at)) / 1000) + 60;
  const query = `{job="maasd", kind="event"} | json | job_id="${job.id.replace(/["\\]/g, '')}"`;
  const r = await get(`/loki/api/v1/query_range?since=${seconds}s&limit=200&direction=forward&query=${enc(query)}`);
  const out = [];
  for (const stream of r.data.result || []) {
    for (const [ns, line] of stream.values) {
      try { out.push({ ns, ...JSON.parse(line) }); } catch { /* not JSON */ }
    }
  }
  return out.sort((a, b) => (BigInt(a.ns) < BigInt(b.ns) ? -1 : 1));
}

function Job({ id, me }) {
  const job = useAsync(() => get(`/api/v1/jobs/${enc(id)}`), [id]);
  const [error, setError] = useState(null);
  const j = job.data;
  const running = j && !kEnded.includes(j.state);
  useInterval(() => running && job.reload(), 1000, [running]);
  const events = useAsync(() => (j ? jobEvents(j) : Promise.resolve([])), [j && j.id]);
  // Events reach the log center a moment after the state they tell of: read them again until the one that ends the
  // job is there.
  const last = events.data && events.data.length ? events.data[events.data.length - 1].event : '';
  const settled = j && !running && ['job_succeeded', 'job_failed', 'job_cancelled'].includes(last);
  useInterval(() => j && !settled && events.reload(), 2000, [j && j.id, settled]);
  if (job.error && !j) return <div><Header title={id} /><ErrorBox error={job.error} /></div>;
  if (!j) return <Loading what="the job" />;
  // The API lets a deployer cancel its own jobs and an admin any.
  const mayCancel = running && j.state !== 'cancelling' && (can.admin(me.role) || (can.deploy(me.role) && j.owner === me.key_id));
  const cancel = async () => {
    setError(null);
    try {
      await api('POST', `/api/v1/jobs/${enc(id)}/cancel`);
      job.reload();
    } catch (err) {
      setError(err);
    }
  };
  const p = j.progress || {};
  return (
    <div>
      <Header title={<span>Job <code>{j.id}</code></span>} sub={`${j.kind}, submitted by ${j.owner} ${fmt.ago(j.created_at)}`}>
        <Link to="jobs">All jobs</Link>
        {mayCancel && <button class="danger" onClick={cancel} data-testid="job-cancel">Cancel</button>}
      </Header>
      <ErrorBox error={error} />
      <div class="stats">
        <Stat label="State" value={<Badge kind={jobKind(j.state)}><span data-testid="job-state">{j.state}</span></Badge>} />
        <Stat label="Attempts" value={`${j.attempts} of ${j.max_attempts}`} hint={j.interruptions ? `${j.interruptions} interruptions` : undefined} />
        <Stat label="ETA" value={running ? eta(p.eta_seconds) : '—'} />
        {j.process && <Stat label="Process" value={fmt.bytes(j.process.resident_bytes)} hint={`pid ${j.process.pid}, ${fmt.num(j.process.cpu_seconds, 1)} s CPU`} />}
      </div>
      <Card title="Progress">
        <Progress job={j} />
        {p.metrics && Object.keys(p.metrics).length > 0 && (
          <dl class="kv small">{Object.entries(p.metrics).map(([k, v]) => [<dt>{k}</dt>, <dd>{String(v)}</dd>])}</dl>
        )}
        {j.error && <ErrorBox error={{ message: j.error.message || JSON.stringify(j.error), code: j.error.code }} title="Last failure" />}
        {j.result && <details open={kEnded.includes(j.state)}><summary>Result</summary><pre data-testid="job-result">{JSON.stringify(j.result, null, 2)}</pre></details>}
        <details><summary>Parameters and resources</summary><pre>{JSON.stringify({ params: j.params, resources: j.resources, priority: j.priority }, null, 2)}</pre></details>
      </Card>
      <JobLogs id={j.id} />
      <Card title="Events">
        <ErrorBox error={events.error} />
        <Table label="Events" rows={events.data || []} empty="No events recorded yet."
               columns={[
                 { label: 'When', render: (e) => new Date(Number(BigInt(e.ns) / 1000000n)).toLocaleTimeString() },
                 { label: 'Event', render: (e) => <Badge kind={jobKind((e.event || '').replace('job_', ''))}>{e.event}</Badge> },
                 { label: 'Details', render: (e) => <code class="break">{JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => !['ns', 'event', 'job_id', 'job_kind'].includes(k))))}</code> },
               ]} />
      </Card>
    </div>
  );
}

export function Jobs({ route, me }) {
  return route[1] ? <Job id={route[1]} me={me} /> : <JobList me={me} />;
}
