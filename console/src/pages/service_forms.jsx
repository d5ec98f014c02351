// The services page's forms: a new service with its routes, the traffic split editor and a canary rollout.
import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { ErrorBox, Field } from '../components.jsx';

const kNewRoute = { model: '', version: '', weight: 100 };

function RouteRows({ routes, onChange }) {
  const set = (i, k, v) => onChange(routes.map((r, j) => (i === j ? { ...r, [k]: v } : r)));
  const total = routes.reduce((a, r) => a + Number(r.weight || 0), 0);
  return (
    <div>
      {routes.map((r, i) => (
        <div class="row wrap route-row">
          <Field label="Model"><input required value={r.model} onInput={(e) => set(i, 'model', e.target.value.trim())} data-testid={`route-model-${i}`} /></Field>
          <Field label="Version"><input required size={6} value={r.version} onInput={(e) => set(i, 'version', e.target.value.trim())} data-testid={`route-version-${i}`} /></Field>
          <Field label="Weight %"><input type="number" min="0" max="100" required value={r.weight} onInput={(e) => set(i, 'weight', e.target.value)} data-testid={`route-weight-${i}`} /></Field>
          <input type="range" min="0" max="100" value={r.weight} aria-label={`weight of route ${i + 1}`} onInput={(e) => set(i, 'weight', e.target.value)} />
          {routes.length > 1 && <button type="button" class="ghost" onClick={() => onChange(routes.filter((_, j) => j !== i))}>Remove</button>}
        </div>
      ))}
      <div class="row">
        <button type="button" onClick={() => onChange([...routes, { ...kNewRoute, weight: 0 }])}>Add a route</button>
        <span class={total === 100 ? 'muted' : 'warn-text'}>weights add up to {total}%{total !== 100 && ' (they are shares: maasd normalises them)'}</span>
      </div>
    </div>
  );
}

const routeBody = (routes) => routes.map((r) => ({ model: r.model, version: String(r.version), weight: Number(r.weight), ...(r.config ? { config: r.config } : {}) }));

export function NewService({ onCreated }) {
  const [name, setName] = useState('');
  const [routes, setRoutes] = useState([{ ...kNewRoute }]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/services', { name: name.trim(), routes: routeBody(routes) });
      onCreated(name.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Field label="Service name"><input required value={name} onInput={(e) => setName(e.target.value)} data-testid="service-name" placeholder="fraud" /></Field>
      <RouteRows routes={routes} onChange={setRoutes} />
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating… (loading its versions)' : 'Create service'}</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function SplitEditor({ service, onSaved }) {
  const [routes, setRoutes] = useState(service.routes.map((r) => ({ ...r, version: r.version })));
  const [error, setError] = useState(null);
  const save = async () => {
    setError(null);
    try {
      await api('PATCH', `/api/v1/services/${enc(service.name)}`, { routes: routeBody(routes) });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <RouteRows routes={routes} onChange={setRoutes} />
      <button class="primary" onClick={save}>Save the split</button>
      <ErrorBox error={error} />
    </div>
  );
}

export function CanaryForm({ service, onSaved }) {
  const stable = service.routes[0] || {};
  const [c, setC] = useState({ model: stable.model || '', version: '', steps: '10, 50, 100', interval_seconds: 60,
    max_error_rate: 0.02, max_p99_ms: 250, min_requests: 50 });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setC({ ...c, [k]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      await api('PATCH', `/api/v1/services/${enc(service.name)}`, {
        routes: routeBody([{ ...stable, weight: 100 }]),
        canary: { model: c.model, version: String(c.version), steps: c.steps.split(/[\s,]+/).filter(Boolean).map(Number),
          interval_seconds: Number(c.interval_seconds), max_error_rate: Number(c.max_error_rate),
          max_p99_ms: Number(c.max_p99_ms), min_requests: Number(c.min_requests) },
      });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit}>
      <p class="muted small">Keeps {stable.model} v{stable.version} as the stable route and moves traffic to the canary step by step while it stays within the thresholds; rolls back at once otherwise.</p>
      <div class="row wrap">
        <Field label="Model"><input required value={c.model} onInput={set('model')} /></Field>
        <Field label="Version"><input required size={6} value={c.version} onInput={set('version')} data-testid="canary-version" /></Field>
        <Field label="Steps %"><input required value={c.steps} onInput={set('steps')} data-testid="canary-steps" /></Field>
        <Field label="Interval s"><input type="number" min="1" required value={c.interval_seconds} onInput={set('interval_seconds')} data-testid="canary-interval" /></Field>
        <Field label="Max error rate"><input type="number" step="0.001" min="0" max="1" value={c.max_error_rate} onInput={set('max_error_rate')} /></Field>
        <Field label="Max p99 ms"><input type="number" min="1" value={c.max_p99_ms} onInput={set('max_p99_ms')} data-testid="canary-max-p99" /></Field>
        <Field label="Min requests"><input type="number" min="1" value={c.min_requests} onInput={set('min_requests')} data-testid="canary-min-requests" /></Field>
      </div>
      <button class="primary" type="submit">Start the canary</button>
      <ErrorBox error={error} />
    </form>
  );
}
