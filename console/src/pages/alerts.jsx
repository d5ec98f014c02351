// Alerts: the alerts in force, rule groups (files' and the API's), silences and subscriptions.
import { useState } from 'preact/hooks';
import { api, can, enc, get } from '../api.js';
import { Badge, Card, ErrorBox, Field, Header, Table, fmt, stateKind, useAsync } from '../components.jsx';

const kExampleGroup = JSON.stringify({ name: 'api-errors', rules: [{ alert: 'InferenceErrors',
  expr: 'sum by (model) (rate(maas_inference_requests_total{code!="200"}[5m])) > 0', for: '1m',
  labels: { severity: 'page' }, annotations: { summary: '{{ $labels.model }} answers errors' } }] }, null, 2);

const labelBadges = (labels) => Object.entries(labels || {}).map(([k, v]) => <Badge>{k}={v}</Badge>);

function useAction(after) {
  const [error, setError] = useState(null);
  const run = async (fn) => {
    setError(null);
    try { await fn(); after(); } catch (e) { setError(e); }
  };
  return [error, run];
}

function Rules({ deploy }) {
  const rules = useAsync(() => get('/api/v1/alerts/rules'));
  const [text, setText] = useState(kExampleGroup);
  const [open, setOpen] = useState(false);
  const [error, run] = useAction(rules.reload);
  const create = () => run(async () => { await api('POST', '/api/v1/alerts/rules', text); setOpen(false); });
  const remove = (g) => run(() => api('DELETE', `/api/v1/alerts/rules/${enc(g)}`));
  const list = rules.data ? rules.data.rules : [];
  const groups = rules.data ? rules.data.groups : [];
  return (
    <Card title="Rules" actions={deploy && <button onClick={() => setOpen(!open)}>{open ? 'Cancel' : 'New rule group'}</button>}>
      <ErrorBox error={rules.error || error} />
      {open && (
        <div>
          <Field label="Rule group (Prometheus's shape, JSON)"><textarea class="mono" rows={10} value={text} onInput={(e) => setText(e.target.value)} /></Field>
          <button class="primary" onClick={create}>Create the group</button>
        </div>
      )}
      <Table label="Rule groups" rows={groups} empty="No rule group. Rules come from the config's rule files or from here."
             columns={[
               { label: 'Group', key: 'name' },
               { label: 'Source', render: (g) => <Badge>{g.source}</Badge> },
               { label: 'Alerts', render: (g) => g.rules.join(', ') },
               ...(deploy ? [{ label: '', render: (g) => g.source === 'api' && <button onClick={() => remove(g.name)}>Delete</button> }] : []),
             ]} />
      {list.length > 0 && (
        <Table label="Rules" rows={list} columns={[
          { label: 'Alert', key: 'alert' },
          { label: 'Expression', render: (r) => <code class="break">{r.expr}</code> },
          { label: 'For', render: (r) => (r.for_ms ? r.for_ms / 1000 + ' s' : '—') },
          { label: 'Labels', render: (r) => labelBadges(r.labels) },
        ]} />
      )}
    </Card>
  );
}

function Silences({ deploy }) {
  const silences = useAsync(() => get('/api/v1/alerts/silences'));
  const [form, setForm] = useState({ name: 'alertname', value: '', hours: 2, comment: '' });
  const [error, run] = useAction(silences.reload);
  const create = (e) => {
    e.preventDefault();
    run(() => api('POST', '/api/v1/alerts/silences', {
      matchers: [{ name: form.name, value: form.value, isRegex: false }],
      endsAt: new Date(Date.now() + Number(form.hours) * 3600e3).toISOString(), comment: form.comment, createdBy: 'console' }));
  };
  const list = Array.isArray(silences.data) ? silences.data : (silences.data && silences.data.silences) || [];
  return (
    <Card title="Silences">
      <ErrorBox error={silences.error || error} />
      {deploy && (
        <form class="row wrap" onSubmit={create}>
          <Field label="Label"><input required value={form.name} onInput={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label="Equals"><input required value={form.value} onInput={(e) => setForm({ ...form, value: e.target.value })} /></Field>
          <Field label="For (hours)"><input type="number" min="0.1" step="0.1" value={form.hours} onInput={(e) => setForm({ ...form, hours: e.target.value })} /></Field>
          <Field label="Comment"><input value={form.comment} onInput={(e) => setForm({ ...form, comment: e.target.value })} /></Field>
          <button type="submit">Silence</button>
        </form>
      )}
      <Table label="Silences" rows={list} empty="No silence."
             columns={[
               { label: 'Matchers', render: (s) => s.matchers.map((m) => <Badge>{m.name}{m.isRegex ? '=~' : '='}{m.value}</Badge>) },
               { label: 'State', render: (s) => <Badge kind={stateKind(s.status && s.status.state)}>{s.status && s.status.state}</Badge> },
               { label: 'Ends', render: (s) => fmt.time(s.endsAt) },
               { label: 'Comment', key: 'comment' },
               ...(deploy ? [{ label: '', render: (s) => s.status && s.status.state !== 'expired' && <button onClick={() => run(() => api('DELETE', `/api/v1/alerts/silences/${enc(s.id)}`))}>Expire</button> }] : []),
             ]} />
    </Card>
  );
}

function Subscriptions({ deploy }) {
  const subs = useAsync(() => get('/api/v1/subscriptions'));
  const [form, setForm] = useState({ name: '', source: 'logs', query: '{job="maasd", kind="request"} |= "error"', url: '' });
  const [error, run] = useAction(subs.reload);
  const create = (e) => {
    e.preventDefault();
    const body = { name: form.name, source: form.source, webhook: { url: form.url } };
    if (form.source === 'logs') body.query = form.query;
    run(() => api('POST', '/api/v1/subscriptions', body));
  };
  const list = subs.data ? subs.data.subscriptions : [];
  return (
    <Card title="Subscriptions">
      <ErrorBox error={subs.error || error} />
      {deploy && (
        <form class="row wrap" onSubmit={create}>
          <Field label="Name"><input required value={form.name} onInput={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label="Source">
            <select value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })}><option>logs</option><option>events</option></select>
          </Field>
          {form.source === 'logs' && <Field label="LogQL"><input class="mono" value={form.query} onInput={(e) => setForm({ ...form, query: e.target.value })} /></Field>}
          <Field label="Webhook URL"><input required type="url" value={form.url} onInput={(e) => setForm({ ...form, url: e.target.value })} placeholder="http://hooks.example/maas" /></Field>
          <button type="submit">Subscribe</button>
        </form>
      )}
      <Table label="Subscriptions" rows={list} empty="No subscription: matching log records or events can be sent to a webhook or an address."
             columns={[
               { label: 'Name', key: 'name' },
               { label: 'Source', render: (s) => <Badge>{s.source}</Badge> },
               { label: 'Query or filter', render: (s) => <code class="break">{s.query || JSON.stringify(s.filter || {})}</code> },
               { label: 'To', render: (s) => (s.webhook ? s.webhook.url : s.email ? s.email.to : '—') },
               ...(deploy ? [{ label: '', render: (s) => <button onClick={() => run(() => api('DELETE', `/api/v1/subscriptions/${enc(s.id)}`))}>Delete</button> }] : []),
             ]} />
    </Card>
  );
}

export function Alerts({ me }) {
  const alerts = useAsync(() => get('/api/v1/alerts'));
  const deploy = can.deploy(me.role);
  const list = alerts.data ? alerts.data.alerts : [];
  return (
    <div>
      <Header title="Alerts" sub="Rules over metrics and log queries, the alerts they raise, silences and subscriptions.">
        <button class="ghost" onClick={alerts.reload}>Refresh</button>
      </Header>
      <Card title="Alerts now">
        <ErrorBox error={alerts.error} />
        <Table label="Alerts" rows={list} empty="No alert is pending or firing."
               columns={[
                 { label: 'Alert', render: (a) => a.labels.alertname },
                 { label: 'State', render: (a) => <Badge kind={stateKind(a.state)}>{a.state}</Badge> },
                 { label: 'Labels', render: (a) => labelBadges(Object.fromEntries(Object.entries(a.labels).filter(([k]) => k !== 'alertname'))) },
                 { label: 'Value', key: 'value' },
                 { label: 'Since', render: (a) => fmt.ago(a.activeAt) },
                 { label: 'Summary', render: (a) => (a.annotations || {}).summary || '' },
               ]} />
      </Card>
      <Rules deploy={deploy} />
      <Silences deploy={deploy} />
      <Subscriptions deploy={deploy} />
    </div>
  );
}
