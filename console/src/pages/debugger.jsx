// The online debugger: pick a loaded version or a service, build a request from its signature (a form per input,
// or JSON, or a file), send it, see the outputs, the latency and who answered, the request's log record, and the
// difference between two versions on the same input.
import { useEffect, useState } from 'preact/hooks';
import { can, enc, get } from '../api.js';
import { Badge, Card, ErrorBox, Field, Header, Table, fmt, useAsync } from '../components.jsx';
import { navigate } from '../router.jsx';
import { callOnce, compareOutputs, inferPath, parseRows, requestRecord, tensorOf } from './infer.js';
import { Contributions } from './contributions.jsx';

async function targets(role) {
  if (!can.read(role)) return { models: [], services: [] };
  const [stats, services] = await Promise.all([get('/v2/models/stats'), get('/api/v1/services')]);
  return { models: stats.model_stats.map((s) => ({ name: s.name, version: s.version })), services: services.services || [] };
}

function Outputs({ body }) {
  if (!body || !body.outputs) return null;
  return (
    <Table label="Outputs" rows={body.outputs}
           columns={[
             { label: 'Output', render: (o) => <code>{o.name}</code> },
             { label: 'Type', key: 'datatype' },
             { label: 'Shape', render: (o) => <code>[{o.shape.join(', ')}]</code> },
             { label: 'Data', render: (o) => <code class="break" data-testid={'output-' + o.name}>{JSON.stringify(o.data)}</code> },
           ]} />
  );
}

// This request's time in maasd (its Server-Timing): queued, joining its batch and splitting its outputs, computing,
// and the rest (parsing, encoding), as a stacked bar and numbers.
function Split({ timing }) {
  const parts = [['queue', 'queued'], ['batch', 'batching'], ['compute', 'computing']];
  const rest = Math.max(0, timing.total - parts.reduce((sum, [k]) => sum + (timing[k] || 0), 0));
  const width = (ms) => (timing.total > 0 ? (100 * ms) / timing.total : 0) + '%';
  return (
    <div data-testid="latency-split">
      <div class="split-bar" role="img" aria-label="Where the request's time went">
        {parts.map(([k], i) => <span class={'s' + (i + 1)} style={{ width: width(timing[k] || 0) }} />)}
        <span class="s4" style={{ width: width(rest) }} />
      </div>
      <div class="small">
        {parts.map(([k, label]) => <span class="split-item" data-testid={'split-' + k}>{fmt.num(timing[k], 3)} ms {label}, </span>)}
        <span class="split-item">{fmt.num(rest, 3)} ms else, of </span>
        <span data-testid="split-total">{fmt.num(timing.total, 3)} ms</span>
      </div>
    </div>
  );
}

function Result({ title, result, record }) {
  if (!result) return null;
  return (
    <Card title={title} actions={<Badge kind={result.ok ? 'good' : 'bad'}>{result.ok ? '200' : result.error.status}</Badge>}>
      {result.ok ? (
        <div>
          <dl class="kv">
            <dt>Latency (browser)</dt><dd data-testid="latency">{result.ms.toFixed(1)} ms</dd>
            {record && [<dt>Latency (maasd)</dt>, <dd>{fmt.num(record.latency_ms, 3)} ms</dd>]}
            {result.timing && [<dt>In maasd</dt>, <dd><Split timing={result.timing} /></dd>]}
            <dt>Answered by</dt><dd>{result.body.model_name} v{result.body.model_version}{result.headers.service ? ` (service ${result.headers.service})` : ''}</dd>
            {result.headers.fallback && [<dt>Fallback</dt>, <dd><Badge kind="warn">{result.headers.fallback}</Badge></dd>]}
            <dt>Trace id</dt><dd><code>{result.headers.requestId}</code></dd>
          </dl>
          <Outputs body={result.body} />
          {record && <details><summary>The request's log record</summary><pre>{JSON.stringify(record, null, 2)}</pre></details>}
        </div>
      ) : <ErrorBox error={result.error} title="The call failed" />}
    </Card>
  );
}

export function Debugger({ route, me }) {
  const [target, setTarget] = useState(route[1] || '');
  const [version, setVersion] = useState(route[2] || '');
  const [other, setOther] = useState('');
  const [mode, setMode] = useState('form');
  const [values, setValues] = useState({});
  const [raw, setRaw] = useState('');
  const [output, setOutput] = useState('');
  const [results, setResults] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const known = useAsync(() => targets(me.role), [me.role]);
  const meta = useAsync(() => (target ? get(`/v2/models/${enc(target)}${version ? '/versions/' + enc(version) : ''}`) : Promise.resolve(null)), [target, version]);
  const inputs = (meta.data && meta.data.inputs) || [];
  const xgboost = meta.data && /xgboost/i.test(meta.data.platform || '');

  useEffect(() => { setResults(null); }, [target, version]);
  const pick = (value) => {
    const [t, v] = value.split('@v');
    setTarget(t);
    setVersion(v || '');
    navigate(`debugger/${t}${v ? '/' + v : ''}`);
  };

  const body = () => {
    if (mode === 'json') return JSON.parse(raw);
    const request = { inputs: inputs.map((i) => tensorOf(i, parseRows(values[i.name] || '', i.datatype))) };
    if (output) request.parameters = { output };
    return request;
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    setResults(null);
    try {
      const request = body();
      const first = await callOnce(inferPath(target, version), request);
      const second = other ? await callOnce(inferPath(target, other), request) : null;
      setResults({ first, second, record: null, request });
      if (first.ok && can.read(me.role)) {
        const record = await requestRecord(first.headers.requestId).catch(() => null);
        setResults((r) => r && { ...r, record });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const loadFile = async (e) => {
    const file = e.target.files[0];
    if (file) { setRaw(await file.text()); setMode('json'); }
  };
  const toJson = () => {
    try { setRaw(JSON.stringify(body(), null, 2)); setMode('json'); } catch (e) { setError(e); }
  };

  const choices = known.data ? [...known.data.models.map((m) => `${m.name}@v${m.version}`), ...known.data.services.map((s) => s.name)] : [];
  const diff = results && results.first.ok && results.second && results.second.ok ? compareOutputs(results.first.body, results.second.body) : null;
  return (
    <div>
      <Header title="Debugger" sub="Call a loaded version or a service with a request built from its signature." />
      <Card title="Target">
        <div class="row wrap">
          {choices.length > 0 && (
            <Field label="Loaded versions and services">
              <select onChange={(e) => e.target.value && pick(e.target.value)} value={target ? (version ? `${target}@v${version}` : target) : ''} data-testid="target-select">
                <option value="">choose…</option>
                {choices.map((c) => <option value={c}>{c}</option>)}
              </select>
            </Field>
          )}
          <Field label="Model or service"><input value={target} onChange={(e) => setTarget(e.target.value.trim())} placeholder="iris" /></Field>
          <Field label="Version" hint="empty: the serving version"><input value={version} onChange={(e) => setVersion(e.target.value.trim())} placeholder="1" size={6} /></Field>
          <Field label="Compare with version" hint="the same input to a second version"><input value={other} onChange={(e) => setOther(e.target.value.trim())} placeholder="2" size={6} data-testid="compare-version" /></Field>
        </div>
        <ErrorBox error={meta.error} title="No such model or service is loaded" />
        {meta.data && <p class="muted small">{meta.data.platform} · versions {(meta.data.versions || []).join(', ')}</p>}
      </Card>
      {target && meta.data && (
        <Card title="Request" actions={
          <div class="tabs" role="tablist">
            <button role="tab" aria-selected={mode === 'form'} class={mode === 'form' ? 'active' : ''} onClick={() => setMode('form')}>Form</button>
            <button role="tab" aria-selected={mode === 'json'} class={mode === 'json' ? 'active' : ''} onClick={toJson}>JSON</button>
          </div>}>
          {mode === 'form' ? (
            <div>
              {inputs.map((i) => (
                <Field label={`${i.name} · ${i.datatype} [${(i.shape || []).join(', ')}]`} hint="one row per line, values separated by spaces or commas (or a JSON array)">
                  <textarea rows={3} data-testid={'input-' + i.name} value={values[i.name] || ''}
                            onInput={(e) => setValues({ ...values, [i.name]: e.target.value })} placeholder="5.1, 3.5, 1.4, 0.2" />
                </Field>
              ))}
              {xgboost && (
                <Field label="XGBoost output">
                  <select value={output} onChange={(e) => setOutput(e.target.value)}>
                    <option value="">probability (default)</option><option value="margin">margin</option><option value="contribs">contribs (SHAP)</option><option value="leaf">leaf</option>
                  </select>
                </Field>
              )}
            </div>
          ) : (
            <div>
              <textarea rows={10} class="mono" value={raw} onInput={(e) => setRaw(e.target.value)} data-testid="raw-json" aria-label="Request JSON" />
              <label class="muted small">Or load a JSON file: <input type="file" accept=".json,application/json" onChange={loadFile} /></label>
            </div>
          )}
          <div class="row">
            <button class="primary" onClick={send} disabled={busy || !can.invoke(me.role)} data-testid="send">{busy ? 'Sending…' : other ? 'Send to both' : 'Send'}</button>
          </div>
          <ErrorBox error={error} title="The request could not be built" />
        </Card>
      )}
      {results && <Result title={`${target}${version ? ' v' + version : ''}`} result={results.first} record={results.record} />}
      {results && results.second && <Result title={`${target} v${other}`} result={results.second} />}
      {results && results.first.ok && xgboost && mode === 'form' && <Contributions path={inferPath(target, version)} request={results.request} />}
      {diff && (
        <Card title="Difference">
          <Table label="Difference" rows={diff} columns={[
            { label: 'Output', key: 'name' },
            { label: 'Largest absolute difference', render: (d) => d.maxAbs === null ? 'shapes differ' : d.maxAbs.toExponential(3) },
            { label: '', render: (d) => <Badge kind={d.equal ? 'good' : 'warn'}>{d.equal ? 'identical' : 'differs'}</Badge> },
          ]} />
        </Card>
      )}
    </div>
  );
}
