// One version: its signature, metrics, lineage, aliases and lifecycle history, with links to call and diagnose it.
import { can, enc, get } from '../api.js';
import { Badge, Card, ErrorBox, Header, Loading, Table, fmt, stateKind, useAsync } from '../components.jsx';
import { Link } from '../router.jsx';

export function SignatureTable({ signature }) {
  if (!signature) return <div class="empty">No signature was read from this file.</div>;
  const rows = [...(signature.inputs || []).map((t) => ({ ...t, kind: 'input' })),
    ...(signature.outputs || []).map((t) => ({ ...t, kind: 'output' }))];
  return (
    <Table label="Signature" rows={rows} empty="The file declares no tensors."
           columns={[
             { label: '', render: (t) => <Badge>{t.kind}</Badge> },
             { label: 'Name', render: (t) => <code>{t.name}</code> },
             { label: 'Type', key: 'datatype' },
             { label: 'Shape', render: (t) => <code>[{(t.shape || []).join(', ')}]</code> },
           ]} />
  );
}

export function VersionPage({ model, version, me }) {
  const v = useAsync(() => get(`/api/v1/models/${enc(model)}/versions/${enc(version)}`), [model, version]);
  if (v.error) return <div><Header title={`${model} v${version}`} /><ErrorBox error={v.error} /></div>;
  if (!v.data) return <Loading what="the version" />;
  const d = v.data;
  return (
    <div>
      <Header title={`${model} v${d.version}`} sub={d.description || `${d.framework} (${d.format}), ${fmt.bytes(d.size_bytes)}`}>
        <Link to={`models/${model}`} class="button ghost">{model}</Link>
        {can.invoke(me.role) && <Link to={`debugger/${model}/${d.version}`} class="button primary">Open in debugger</Link>}
        <Link to={`diagnostics/${model}/${d.version}`} class="button">Diagnostics</Link>
      </Header>
      <div class="grid2">
        <Card title="Version">
          <dl class="kv">
            <dt>State</dt><dd><Badge kind={stateKind(d.state)}>{d.state}</Badge></dd>
            <dt>Digest</dt><dd><code class="break">{d.digest}</code></dd>
            <dt>Aliases</dt><dd>{(d.aliases || []).map((a) => <Badge>{a}</Badge>)}{!(d.aliases || []).length && '—'}</dd>
            <dt>Created</dt><dd>{fmt.time(d.created_at)} by {d.created_by}</dd>
            <dt>Tags</dt><dd>{Object.entries(d.tags || {}).map(([k, t]) => <Badge>{k}={t}</Badge>)}{!Object.keys(d.tags || {}).length && '—'}</dd>
            <dt>Details</dt><dd><code class="break">{JSON.stringify((d.signature || {}).details || {})}</code></dd>
          </dl>
        </Card>
        <Card title="Metrics and lineage">
          <dl class="kv">
            {Object.entries(d.metrics || {}).map(([k, m]) => [<dt>{k}</dt>, <dd>{m}</dd>])}
            {!Object.keys(d.metrics || {}).length && [<dt>metrics</dt>, <dd class="muted">none recorded</dd>]}
            {Object.entries(d.lineage || {}).map(([k, l]) => [<dt>{k}</dt>, <dd>{typeof l === 'object' ? JSON.stringify(l) : l}</dd>])}
          </dl>
        </Card>
      </div>
      <Card title="Signature"><SignatureTable signature={d.signature} /></Card>
      <Card title="Lifecycle">
        <Table label="State history" rows={d.state_history || []}
               columns={[
                 { label: 'From', render: (h) => h.from || '—' },
                 { label: 'To', render: (h) => <Badge kind={stateKind(h.to)}>{h.to}</Badge> },
                 { label: 'By', key: 'by' },
                 { label: 'When', render: (h) => fmt.time(h.at) },
                 { label: 'Reason', key: 'reason' },
               ]} />
      </Card>
    </div>
  );
}
