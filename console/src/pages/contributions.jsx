// An XGBoost prediction explained: each feature's SHAP contribution to the margin of one row (the backend's
// output=contribs, libxgboost's pred_contribs), drawn as bars sorted by size, the bias apart.
import { useState } from 'preact/hooks';
import { Card, ErrorBox, Field } from '../components.jsx';
import { callOnce } from './infer.js';

// The contributions of row 0 as [[class] -> values], whatever the model's class axis.
function rowsOf(output) {
  const flat = output.data.flat(Infinity);
  const [, classes, width] = output.shape.length === 3 ? output.shape : [output.shape[0], 1, output.shape[1]];
  return Array.from({ length: classes }, (_, c) => flat.slice(c * width, (c + 1) * width));
}

export function Contributions({ path, request }) {
  const [result, setResult] = useState(null);
  const [klass, setKlass] = useState(0);
  const [busy, setBusy] = useState(false);
  const explain = async () => {
    setBusy(true);
    const input = request.inputs[0];
    const width = input.shape.slice(1).reduce((a, b) => a * b, 1);
    // The first row only: one explanation at a time.
    const first = { inputs: [{ ...input, shape: [1, ...input.shape.slice(1)], data: input.data.slice(0, width) }], parameters: { output: 'contribs' } };
    setResult(await callOnce(path, first));
    setBusy(false);
  };
  let bars = null;
  if (result && result.ok) {
    const perClass = rowsOf(result.body.outputs[0]);
    const values = perClass[Math.min(klass, perClass.length - 1)];
    const bias = values[values.length - 1];
    const features = values.slice(0, -1).map((v, i) => ({ name: 'f' + i, v })).sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
    const max = Math.max(...features.map((f) => Math.abs(f.v)), 1e-12);
    bars = (
      <div>
        {perClass.length > 1 && (
          <Field label="Class">
            <select value={klass} onChange={(e) => setKlass(Number(e.target.value))}>
              {perClass.map((_, c) => <option value={c}>class {c}</option>)}
            </select>
          </Field>
        )}
        <p class="muted small">Margin = bias {bias.toFixed(4)} + the contributions below = {values.reduce((a, b) => a + b, 0).toFixed(4)}. Features are named by their column (f0 is the first).</p>
        <div class="contribs" role="list" aria-label="Feature contributions" data-testid="contributions">
          {features.map((f) => (
            <div class="contrib" role="listitem">
              <span class="contrib-name">{f.name}</span>
              <span class="contrib-track">
                <span class={'contrib-bar ' + (f.v >= 0 ? 'pos' : 'neg')} style={{ width: (50 * Math.abs(f.v) / max) + '%', [f.v >= 0 ? 'left' : 'right']: '50%' }} />
              </span>
              <span class="contrib-value">{f.v >= 0 ? '+' : ''}{f.v.toFixed(4)}</span>
            </div>
          ))}
        </div>
      </div>
    );
  }
  return (
    <Card title="Why: per-feature contributions (SHAP)" actions={<button onClick={explain} disabled={busy} data-testid="explain">{busy ? 'Explaining…' : 'Explain the first row'}</button>}>
      {!result && <p class="muted small">XGBoost's exact tree SHAP values for the first row (the request's parameter <code>output: contribs</code>).</p>}
      {result && !result.ok && <ErrorBox error={result.error} />}
      {bars}
    </Card>
  );
}
