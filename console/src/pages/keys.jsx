// Keys (admin): create — the secret is shown once —, list with roles, grants, limits and quotas, revoke.
import { useState } from 'preact/hooks';
import { api, enc, get } from '../api.js';
import { Badge, Card, ErrorBox, Field, Header, Table, copy, fmt, useAsync } from '../components.jsx';

const kRoles = ['viewer', 'invoker', 'deployer', 'admin'];

function NewKey({ onCreated }) {
  const [form, setForm] = useState({ name: '', role: 'viewer', services: '', rps: '', daily: '', expires: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { name: form.name.trim(), role: form.role };
    const services = form.services.split(/[\s,]+/).filter(Boolean);
    if (services.length) body.services = services;
    if (form.rps) body.rate_limit = { rps: Number(form.rps), burst: Math.max(1, Number(form.rps)) };
    if (form.daily) body.quota = { daily_requests: Number(form.daily) };
    if (form.expires) body.expires_at = new Date(form.expires).toISOString();
    try {
      onCreated(await api('POST', '/api/v1/keys', body));
      setForm({ ...form, name: '' });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="row wrap" onSubmit={submit}>
      <Field label="Name"><input required value={form.name} onInput={set('name')} placeholder="checkout-service" data-testid="key-name" /></Field>
      <Field label="Role">
        <select value={form.role} onChange={set('role')} data-testid="key-role">{kRoles.map((r) => <option>{r}</option>)}</select>
      </Field>
      {form.role === 'invoker' && <Field label="Services" hint="empty: all"><input value={form.services} onInput={set('services')} placeholder="fraud, iris" /></Field>}
      <Field label="Requests/s" hint="empty: no limit"><input type="number" min="0" step="any" value={form.rps} onInput={set('rps')} size={6} /></Field>
      <Field label="Daily quota" hint="empty: none"><input type="number" min="1" value={form.daily} onInput={set('daily')} size={8} /></Field>
      <Field label="Expires" hint="empty: never"><input type="date" value={form.expires} onInput={set('expires')} /></Field>
      <button class="primary" type="submit">Create key</button>
      <ErrorBox error={error} />
    </form>
  );
}

function Secret({ created, onDone }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="secret" role="status">
      <strong>The key for {created.name} ({created.role}). Copy it now: it is shown only this once.</strong>
      <div class="row">
        <code class="break" data-testid="new-key">{created.key}</code>
        <button onClick={async () => setCopied(await copy(created.key))}>{copied ? 'Copied' : 'Copy'}</button>
        <button class="ghost" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

// What a key used of each quota it has (the gateway's counts for this UTC day and month), as meters.
function QuotaUse({ k }) {
  if (!k.quota) return '—';
  const u = k.usage || {};
  const rows = [['daily_requests', 'today', 'requests'], ['monthly_requests', 'this month', 'requests'],
    ['monthly_tokens', 'this month', 'tokens']].filter(([q]) => k.quota[q] > 0);
  return (
    <div class="quota-use" data-testid={'usage-' + k.name}>
      {rows.map(([q, when, what]) => {
        const used = u[q] || 0, limit = k.quota[q];
        return (
          <div class="small">
            <meter min="0" max={limit} value={Math.min(used, limit)} high={limit * 0.9} optimum={0}
                   aria-label={`${what} ${when}`} />{' '}
            <span data-testid={`usage-${k.name}-${q}`}>{used} of {limit}</span> {what} {when}
          </div>
        );
      })}
    </div>
  );
}

export function Keys({ me }) {
  const keys = useAsync(() => get('/api/v1/keys'));
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const revoke = async (k) => {
    if (!confirm(`Revoke the key ${k.name} (${k.id})? It stops working at once.`)) return;
    try {
      await api('DELETE', `/api/v1/keys/${enc(k.id)}`);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };
  const list = keys.data ? keys.data.keys : [];
  return (
    <div>
      <Header title="API keys" sub="Keys are stored as hashes; a key's secret is shown once, when it is made." />
      <Card title="New key">
        <NewKey onCreated={(k) => { setCreated(k); keys.reload(); }} />
        {created && <Secret created={created} onDone={() => setCreated(null)} />}
      </Card>
      <ErrorBox error={keys.error || error} />
      <Card title="Keys" actions={<button class="ghost" onClick={keys.reload} data-testid="keys-refresh">Refresh</button>}>
        <Table label="Keys" rows={list} rowKey={(k) => k.id}
               columns={[
                 { label: 'Name', render: (k) => <span>{k.name}{k.id === me.key_id && <Badge>you</Badge>}</span> },
                 { label: 'Id', render: (k) => <code>{k.id}</code> },
                 { label: 'Role', render: (k) => <Badge>{k.role}</Badge> },
                 { label: 'Services', render: (k) => (k.services || []).join(', ') || 'all' },
                 { label: 'Rate', render: (k) => (k.rate_limit ? [k.rate_limit.rps && `${k.rate_limit.rps} rps (burst ${k.rate_limit.burst})`, k.rate_limit.tpm && `${k.rate_limit.tpm} tokens/min`].filter(Boolean).join(', ') : '—') },
                 { label: 'Quota use', render: (k) => <QuotaUse k={k} /> },
                 { label: 'State', render: (k) => <Badge kind={k.active ? 'good' : 'bad'}>{k.active ? 'active' : k.revoked_at ? 'revoked' : 'expired'}</Badge> },
                 { label: 'Created', render: (k) => fmt.ago(k.created_at) },
                 { label: '', render: (k) => k.active && k.id !== me.key_id && <button class="danger" onClick={() => revoke(k)} data-testid={'revoke-' + k.name}>Revoke</button> },
               ]} />
      </Card>
    </div>
  );
}
