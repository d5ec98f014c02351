// A dataset version: its numbers, schema and per-column profile (histograms of numeric columns as SVG bars, top
// values of the others), a paged preview of its rows, its rejected rows, and downloads (fetch + Blob: the key stays
// in a header).
import { useState } from 'preact/hooks';
import { download, enc, get } from '../api.js';
import { Link } from '../router.jsx';
import { Badge, Card, ErrorBox, Header, Loading, Stat, Table, fmt, useAsync } from '../components.jsx';

const kPage = 20;

// A histogram as bars: edges has one more value than counts. Plain SVG, scaled to its box.
export function Histogram({ histogram, label }) {
  const { edges, counts } = histogram;
  const max = Math.max(1, ...counts);
  const w = 100 / counts.length;
  const num = (x) => (typeof x === 'number' ? Number(x.toPrecision(4)) : x);
  return (
    <figure class="histogram" data-testid={'histogram-' + label}>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img"
           aria-label={`Histogram of ${label}: ${counts.length} bins from ${num(edges[0])} to ${num(edges[edges.length - 1])}`}>
        {counts.map((c, i) => (
          <rect x={i * w + w * 0.05} width={w * 0.9} y={40 - (40 * c) / max} height={(40 * c) / max}>
            <title>{`${num(edges[i])} – ${num(edges[i + 1])}: ${c}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption class="small muted"><span>{num(edges[0])}</span><span>{num(edges[edges.length - 1])}</span></figcaption>
    </figure>
  );
}

function ColumnProfile({ c }) {
  const num = (x) => (typeof x === 'number' ? fmt.num(x, Math.abs(x) >= 100 ? 1 : 3) : x);
  return (
    <div class="column-profile" data-testid={'profile-' + c.name}>
      <div class="row"><strong>{c.name}</strong> <code>{c.type}</code> <Badge>{c.category}</Badge></div>
      <dl class="kv small">
        <dt>Values</dt><dd>{c.count}{c.missing ? ` (${c.missing} missing)` : ''}{c.distinct !== undefined ? `, ${c.distinct} distinct` : ''}</dd>
        {c.min !== undefined && [<dt>Range</dt>, <dd>{num(c.min)} … {num(c.max)}</dd>]}
        {c.mean !== undefined && [<dt>Mean ± std</dt>, <dd>{num(c.mean)} ± {num(c.std)}</dd>]}
        {c.quantiles && [<dt>Quartiles</dt>, <dd>{['p25', 'p50', 'p75'].map((q) => num(c.quantiles[q])).join(' / ')}</dd>]}
        {c.mean_length !== undefined && [<dt>Length</dt>, <dd>{c.min_length}–{c.max_length} (mean {fmt.num(c.mean_length, 1)})</dd>]}
      </dl>
      {c.histogram && <Histogram histogram={c.histogram} label={c.name} />}
      {!c.histogram && c.top_values && c.top_values.length > 0 && (
        <ul class="top-values small">
          {c.top_values.slice(0, 5).map((t) => <li><code>{String(t.value)}</code> {t.count}</li>)}
        </ul>
      )}
    </div>
  );
}

// A page of rows (the preview or the rejected rows) with Previous and Next.
function RowPages({ path, title, testid }) {
  const [offset, setOffset] = useState(0);
  const page = useAsync(() => get(`${path}?offset=${offset}&limit=${kPage}`), [path, offset]);
  const p = page.data;
  const columns = p ? p.columns.map((c, i) => ({ label: c.name, render: (row) => cell(row[i]) })) : [];
  const total = p ? p.total_rows : 0;
  return (
    <Card title={title} actions={p && (
      <div class="row">
        <span class="small muted" data-testid={testid + '-range'}>{total ? `${offset + 1}–${Math.min(offset + kPage, total)} of ${total}` : '0 rows'}</span>
        <button class="ghost" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - kPage))}>Previous</button>
        <button class="ghost" disabled={offset + kPage >= total} onClick={() => setOffset(offset + kPage)} data-testid={testid + '-next'}>Next</button>
      </div>)}>
      <ErrorBox error={page.error} />
      {!p ? <Loading what="rows" /> : <Table label={title} rows={p.rows} columns={columns} empty="No rows." />}
    </Card>
  );
}

function cell(value) {
  if (value === null || value === undefined) return <span class="muted">null</span>;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function Downloads({ base, name, version, rejected }) {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const save = async (path, file) => {
    setError(null);
    setState(`Downloading ${file}…`);
    try {
      const bytes = await download(path, file);
      setState(`Saved ${file} (${fmt.bytes(bytes)}).`);
    } catch (err) {
      setError(err);
      setState(null);
    }
  };
  const stem = `${name}-v${version}`;
  return (
    <div>
      <div class="row wrap">
        <button onClick={() => save(`${base}/download`, stem + '.parquet')} data-testid="download-parquet">Parquet</button>
        <button onClick={() => save(`${base}/download?format=csv`, stem + '.csv')} data-testid="download-csv">CSV</button>
        <button onClick={() => save(`${base}/download?format=jsonl`, stem + '.jsonl')}>JSON Lines</button>
        {rejected > 0 && <button onClick={() => save(`${base}/rejects/download?format=csv`, stem + '-rejects.csv')}>Rejected rows (CSV)</button>}
      </div>
      {state && <div class="notice small" role="status" data-testid="download-state">{state}</div>}
      <ErrorBox error={error} title="The download failed" />
    </div>
  );
}

export function DatasetVersion({ name, version }) {
  const base = `/api/v1/datasets/${enc(name)}/versions/${enc(version)}`;
  const v = useAsync(() => get(base), [base]);
  if (v.error) return <div><Header title={`${name} v${version}`} /><ErrorBox error={v.error} /></div>;
  if (!v.data) return <Loading what="the version" />;
  const d = v.data;
  const profile = (d.profile && d.profile.columns) || [];
  return (
    <div>
      <Header title={`${name} v${d.version}`} sub={d.description}>
        <Link to={`datasets/${enc(name)}`}>All versions</Link>
      </Header>
      <div class="stats">
        <Stat label="Rows" value={d.row_count.toLocaleString()} />
        <Stat label="Columns" value={(d.schema || []).length} />
        <Stat label="Rejected rows" value={d.rejected_rows} />
        <Stat label="Parquet" value={fmt.bytes(d.size_bytes)} hint={<code class="break">{d.digest.slice(0, 19)}…</code>} />
      </div>
      <Card title="Download">
        <Downloads base={base} name={name} version={d.version} rejected={d.rejected_rows} />
      </Card>
      <Card title="Schema and profile">
        <div class="profile-grid">{profile.map((c) => <ColumnProfile c={c} />)}</div>
        {profile.length === 0 && <Table label="Schema" rows={d.schema} columns={[{ label: 'Column', key: 'name' }, { label: 'Type', key: 'type' }]} />}
      </Card>
      <RowPages path={`${base}/preview`} title="Preview" testid="preview" />
      {d.rejected_rows > 0 && <RowPages path={`${base}/rejects`} title="Rejected rows" testid="rejects" />}
      <Card title="Lineage and details">
        <dl class="kv">
          <dt>Source</dt><dd><code>{(d.lineage && d.lineage.source) || '—'}</code></dd>
          <dt>Aliases</dt><dd>{(d.aliases || []).map((a) => <Badge>{a}</Badge>)}{(d.aliases || []).length === 0 && '—'}</dd>
          <dt>State</dt><dd>{d.state}</dd>
          <dt>Created</dt><dd>{fmt.time(d.created_at)} by <code>{d.created_by}</code></dd>
        </dl>
        <details><summary>Lineage</summary><pre>{JSON.stringify(d.lineage, null, 2)}</pre></details>
      </Card>
    </div>
  );
}
