// Datasets: the list (create), a dataset's versions (upload a CSV, TSV, JSON Lines or Parquet file with a progress
// bar) and its aliases; a version's own page is dataset_version.jsx.
import { useState } from 'preact/hooks';
import { api, can, enc, get } from '../api.js';
import { Link } from '../router.jsx';
import { Badge, Card, ErrorBox, Field, Header, Loading, Table, fmt, stateKind, useAsync } from '../components.jsx';
import { UploadZone } from './upload.jsx';
import { DatasetVersion } from './dataset_version.jsx';

const kDataFiles = 'CSV, TSV, JSON Lines or Parquet; the format is read from the file name. Rows that cannot be read are kept apart as rejected rows.';

function NewDataset({ onCreated }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/v1/datasets', { name: name.trim(), description });
      onCreated(name.trim());
      setName('');
      setDescription('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="row wrap" onSubmit={submit}>
      <Field label="Name"><input required value={name} onInput={(e) => setName(e.target.value)} placeholder="orders" data-testid="dataset-name" /></Field>
      <Field label="Description"><input value={description} onInput={(e) => setDescription(e.target.value)} /></Field>
      <button class="primary" type="submit">Create dataset</button>
      <ErrorBox error={error} />
    </form>
  );
}

function DatasetList({ me }) {
  const list = useAsync(() => get('/api/v1/datasets?limit=1000'));
  const rows = list.data ? list.data.datasets : [];
  return (
    <div>
      <Header title="Datasets" sub="Tables imported from CSV, JSON Lines or Parquet, versioned, profiled and previewed." />
      {can.deploy(me.role) && <Card title="New dataset"><NewDataset onCreated={() => list.reload()} /></Card>}
      <ErrorBox error={list.error} />
      <Card title="Datasets">
        {list.loading && !list.data ? <Loading what="datasets" /> : (
          <Table label="Datasets" rows={rows} rowKey={(d) => d.name}
                 empty="No datasets yet: create one and upload a CSV, JSON Lines or Parquet file."
                 columns={[
                   { label: 'Name', render: (d) => <Link to={`datasets/${enc(d.name)}`}>{d.name}</Link> },
                   { label: 'Description', key: 'description' },
                   { label: 'Versions', key: 'version_count' },
                   { label: 'Latest', render: (d) => (d.latest_version ? <Link to={`datasets/${enc(d.name)}/${d.latest_version}`}>v{d.latest_version}</Link> : '—') },
                   { label: 'Aliases', render: (d) => Object.entries(d.aliases || {}).map(([a, v]) => <Badge>{a} → v{v}</Badge>) },
                   { label: 'Updated', render: (d) => fmt.ago(d.updated_at) },
                 ]} />
        )}
      </Card>
    </div>
  );
}

function AliasForm({ name, versions, onChanged }) {
  const [alias, setAlias] = useState('');
  const [version, setVersion] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      await api('PUT', `/api/v1/datasets/${enc(name)}/aliases/${enc(alias.trim())}`, { version: Number(version || versions[0]) });
      setAlias('');
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="row wrap" onSubmit={submit}>
      <Field label="Alias"><input required value={alias} onInput={(e) => setAlias(e.target.value)} placeholder="train" data-testid="alias-name" /></Field>
      <Field label="Version">
        <select value={version} onChange={(e) => setVersion(e.target.value)}>{versions.map((v) => <option value={v}>v{v}</option>)}</select>
      </Field>
      <button type="submit">Set alias</button>
      <ErrorBox error={error} />
    </form>
  );
}

function Dataset({ name, me }) {
  const dataset = useAsync(() => get(`/api/v1/datasets/${enc(name)}`), [name]);
  const versions = useAsync(() => get(`/api/v1/datasets/${enc(name)}/versions?limit=1000`), [name]);
  const [error, setError] = useState(null);
  const reload = () => { dataset.reload(); versions.reload(); };
  const removeAlias = async (alias) => {
    try {
      await api('DELETE', `/api/v1/datasets/${enc(name)}/aliases/${enc(alias)}`);
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const list = versions.data ? versions.data.versions : [];
  const d = dataset.data;
  const deploy = can.deploy(me.role);
  const filename = (file) => `/api/v1/datasets/${enc(name)}/versions?filename=${enc(file.name)}`;
  return (
    <div>
      <Header title={name} sub={d && d.description}><Link to="datasets">All datasets</Link></Header>
      <ErrorBox error={dataset.error || versions.error || error} />
      {deploy && (
        <Card title="Upload a new version">
          <UploadZone model={name} what="data file" hint={kDataFiles} pathOf={filename} onUploaded={reload}
                      describe={(v) => `Imported version ${v.version}: ${v.row_count} rows, ${v.rejected_rows} rejected, ${fmt.bytes(v.size_bytes)} as Parquet.`} />
        </Card>
      )}
      <Card title="Versions">
        <Table label="Versions" rows={list} rowKey={(v) => v.version}
               empty="No versions yet: upload a CSV, JSON Lines or Parquet file."
               columns={[
                 { label: 'Version', render: (v) => <Link to={`datasets/${enc(name)}/${v.version}`} data-testid={'dataset-version-' + v.version}>v{v.version}</Link> },
                 { label: 'Rows', render: (v) => v.row_count.toLocaleString() },
                 { label: 'Columns', render: (v) => (v.schema || []).length },
                 { label: 'Rejected', render: (v) => (v.rejected_rows ? <Badge kind="warn">{v.rejected_rows}</Badge> : '0') },
                 { label: 'Size', render: (v) => fmt.bytes(v.size_bytes) },
                 { label: 'Source', render: (v) => <code>{(v.lineage && v.lineage.source) || '—'}</code> },
                 { label: 'State', render: (v) => <Badge kind={stateKind(v.state)}>{v.state}</Badge> },
                 { label: 'Aliases', render: (v) => (v.aliases || []).map((a) => <Badge>{a}</Badge>) },
                 { label: 'Created', render: (v) => fmt.ago(v.created_at) },
               ]} />
      </Card>
      <Card title="Aliases">
        <Table label="Aliases" rows={Object.entries((d && d.aliases) || {})} rowKey={([a]) => a}
               empty="No aliases: an alias (train, prod) names a version, and moves when you point it elsewhere."
               columns={[
                 { label: 'Alias', render: ([a]) => <code>{name}@{a}</code> },
                 { label: 'Version', render: ([, v]) => <Link to={`datasets/${enc(name)}/${v}`}>v{v}</Link> },
                 { label: '', render: ([a]) => deploy && <button class="danger" onClick={() => removeAlias(a)}>Remove</button> },
               ]} />
        {deploy && list.length > 0 && <AliasForm name={name} versions={list.map((v) => v.version)} onChanged={reload} />}
      </Card>
    </div>
  );
}

export function Datasets({ route, me }) {
  if (route[1] && route[2]) return <DatasetVersion name={route[1]} version={route[2]} me={me} />;
  if (route[1]) return <Dataset name={route[1]} me={me} />;
  return <DatasetList me={me} />;
}
