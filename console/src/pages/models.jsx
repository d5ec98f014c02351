// Models: the registry's models, one model's versions (upload, load, lifecycle, aliases) and one version's page.
import { useState } from 'preact/hooks';
import { api, can, enc, get } from '../api.js';
import { Badge, Card, ErrorBox, Field, Header, Loading, Table, fmt, stateKind, useAsync } from '../components.jsx';
import { Link, navigate } from '../router.jsx';
import { UploadZone } from './upload.jsx';
import { VersionPage } from './version.jsx';

export function Models({ route, me }) {
  if (route[1] && route[2]) return <VersionPage model={route[1]} version={route[2]} me={me} />;
  if (route[1]) return <ModelPage name={route[1]} me={me} />;
  return <ModelList me={me} />;
}

function ModelList({ me }) {
  const models = useAsync(() => get('/api/v1/models?limit=1000'));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState(null);
  const create = async (e) => {
    e.preventDefault();
    try {
      await api('POST', '/api/v1/models', { name: name.trim(), description });
      navigate('models/' + name.trim());
    } catch (err) {
      setError(err);
    }
  };
  const list = models.data ? models.data.models : [];
  return (
    <div>
      <Header title="Models" sub="Registered models; open one to see its versions, upload, load and promote." />
      {can.deploy(me.role) && (
        <Card title="New model">
          <form class="row wrap" onSubmit={create}>
            <Field label="Name"><input name="model-name" required pattern="[a-z0-9][a-z0-9._\-]{0,62}" value={name} onInput={(e) => setName(e.target.value)} placeholder="fraud-detector" /></Field>
            <Field label="Description"><input value={description} onInput={(e) => setDescription(e.target.value)} /></Field>
            <button class="primary" type="submit">Create</button>
          </form>
          <ErrorBox error={error} />
        </Card>
      )}
      <ErrorBox error={models.error} />
      {models.loading && !models.data ? <Loading what="models" /> : (
        <Card>
          <Table label="Models" rows={list} rowKey={(m) => m.name}
                 empty={can.deploy(me.role) ? 'No model yet: create one above, then upload a file.' : 'No model is registered yet.'}
                 columns={[
                   { label: 'Name', render: (m) => <Link to={'models/' + m.name}>{m.name}</Link> },
                   { label: 'Description', key: 'description' },
                   { label: 'Versions', key: 'version_count' },
                   { label: 'Latest', key: 'latest_version' },
                   { label: 'Aliases', render: (m) => Object.entries(m.aliases || {}).map(([a, v]) => <Badge>{a} → {v}</Badge>) },
                   { label: 'Tags', render: (m) => Object.entries(m.tags || {}).map(([k, v]) => <Badge>{k}={v}</Badge>) },
                   { label: 'Updated', render: (m) => fmt.ago(m.updated_at) },
                 ]} />
        </Card>
      )}
    </div>
  );
}

// Which versions of a model are loaded, from the runtime's statistics.
export async function loadedVersions(model) {
  const stats = await get('/v2/models/stats');
  return new Set(stats.model_stats.filter((s) => s.name === model).map((s) => Number(s.version)));
}

function ModelPage({ name, me }) {
  const model = useAsync(() => get(`/api/v1/models/${enc(name)}`), [name]);
  const versions = useAsync(() => get(`/api/v1/models/${enc(name)}/versions?limit=1000`), [name]);
  const loaded = useAsync(() => loadedVersions(name), [name]);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [alias, setAlias] = useState({ name: '', version: '' });
  const deploy = can.deploy(me.role);
  const refresh = () => { model.reload(); versions.reload(); loaded.reload(); };

  const act = async (label, fn) => {
    setBusy(label);
    setError(null);
    try {
      await fn();
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const load = (v) => act('load ' + v, () => api('POST', `/v2/repository/models/${enc(name)}/load`,
    { parameters: { version: String(v), keep_other_versions: true } }));
  const unload = (v) => act('unload ' + v, () => api('POST', `/v2/repository/models/${enc(name)}/unload`,
    { parameters: { version: String(v) } }));
  const setState = (v, state) => act(state + ' ' + v, () => api('PATCH', `/api/v1/models/${enc(name)}/versions/${v}`,
    { state, reason: 'from the console' }));
  const putAlias = (e) => {
    e.preventDefault();
    act('alias', () => api('PUT', `/api/v1/models/${enc(name)}/aliases/${enc(alias.name.trim())}`, { version: alias.version }));
  };
  const dropAlias = (a) => act('alias ' + a, () => api('DELETE', `/api/v1/models/${enc(name)}/aliases/${enc(a)}`));

  if (model.error) return <div><Header title={name} /><ErrorBox error={model.error} /></div>;
  if (!model.data) return <Loading what={name} />;
  const m = model.data;
  const list = versions.data ? versions.data.versions : [];
  const isLoaded = (v) => loaded.data && loaded.data.has(v);
  return (
    <div>
      <Header title={m.name} sub={m.description || 'No description.'}>
        <Link to="models" class="button ghost">All models</Link>
      </Header>
      <ErrorBox error={error} />
      {deploy && <Card title="Upload a new version"><UploadZone model={name} onUploaded={refresh} /></Card>}
      <Card title="Versions" actions={busy && <span class="muted">{busy}…</span>}>
        <Table label="Versions" rows={list} rowKey={(v) => v.version}
               empty={deploy ? 'No version yet: drop a model file above.' : 'No version yet.'}
               columns={[
                 { label: 'Version', render: (v) => <Link to={`models/${name}/${v.version}`}>v{v.version}</Link> },
                 { label: 'Framework', render: (v) => `${v.framework} (${v.format})` },
                 { label: 'Size', render: (v) => fmt.bytes(v.size_bytes) },
                 { label: 'State', render: (v) => <Badge kind={stateKind(v.state)}>{v.state}</Badge> },
                 { label: 'Serving', render: (v) => isLoaded(v.version) ? <Badge kind="good">loaded</Badge> : <span class="muted">—</span> },
                 { label: 'Aliases', render: (v) => (v.aliases || []).map((a) => <Badge>{a}</Badge>) },
                 { label: 'Created', render: (v) => fmt.ago(v.created_at) },
                 { label: 'Actions', render: (v) => deploy ? (
                   <div class="row wrap">
                     {isLoaded(v.version)
                       ? <button onClick={() => unload(v.version)} disabled={!!busy}>Unload</button>
                       : <button class="primary" onClick={() => load(v.version)} disabled={!!busy}>Load</button>}
                     {v.state !== 'ready' && <button onClick={() => setState(v.version, 'ready')} disabled={!!busy}>Mark ready</button>}
                     {v.state !== 'retired' && <button onClick={() => setState(v.version, 'retired')} disabled={!!busy}>Retire</button>}
                   </div>) : <Link to={`models/${name}/${v.version}`}>details</Link> },
               ]} />
      </Card>
      <Card title="Aliases">
        <Table label="Aliases" rows={Object.entries(m.aliases || {})} empty="No alias. An alias (champion, staging) names a version clients can call by name@alias."
               columns={[
                 { label: 'Alias', render: ([a]) => <code>{name}@{a}</code> },
                 { label: 'Version', render: ([, v]) => <Link to={`models/${name}/${v}`}>v{v}</Link> },
                 ...(deploy ? [{ label: '', render: ([a]) => <button onClick={() => dropAlias(a)}>Remove</button> }] : []),
               ]} />
        {deploy && list.length > 0 && (
          <form class="row wrap" onSubmit={putAlias}>
            <Field label="Alias"><input required value={alias.name} onInput={(e) => setAlias({ ...alias, name: e.target.value })} placeholder="champion" /></Field>
            <Field label="Version">
              <select required value={alias.version} onChange={(e) => setAlias({ ...alias, version: e.target.value })}>
                <option value="">choose…</option>
                {list.map((v) => <option value={String(v.version)}>v{v.version}</option>)}
              </select>
            </Field>
            <button type="submit">Set alias</button>
          </form>
        )}
      </Card>
      <Card title="Lineage">
        <Lineage versions={list} />
      </Card>
    </div>
  );
}

// Where each version came from: source, data set and run, drawn as a chain per version.
function Lineage({ versions }) {
  const withLineage = versions.filter((v) => v.lineage && Object.keys(v.lineage).length);
  if (!withLineage.length) return <div class="empty">No version records its lineage (PATCH a version's <code>lineage</code>: source, run_id, dataset, parameters).</div>;
  return (
    <div class="lineage">
      {withLineage.map((v) => (
        <div class="lineage-row">
          {v.lineage.dataset && <span class="node">dataset<br /><strong>{v.lineage.dataset}</strong></span>}
          {v.lineage.run_id && <span class="node">run<br /><strong>{v.lineage.run_id}</strong></span>}
          {v.lineage.source && <span class="node">source<br /><strong>{v.lineage.source}</strong></span>}
          <span class="node target">version<br /><strong>v{v.version}</strong></span>
          {v.lineage.parameters && <span class="muted small">{Object.entries(v.lineage.parameters).map(([k, p]) => `${k}=${p}`).join(', ')}</span>}
        </div>
      ))}
    </div>
  );
}
