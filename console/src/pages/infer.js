// The debugger's request building and calling, apart from its page: a form's text to tensors, one timed call.
import { api, enc, get } from '../api.js';

// "1, 2, 3\n4 5 6" or "[[1,2,3],[4,5,6]]" -> rows of values. Strings (BYTES inputs) stay strings.
export function parseRows(text, datatype) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed);
    return Array.isArray(parsed[0]) ? parsed : [parsed];
  }
  return trimmed.split('\n').filter((l) => l.trim()).map((line) => line.split(/[\s,]+/).filter(Boolean)
    .map((x) => (datatype === 'BYTES' || !Number.isFinite(Number(x)) ? x : Number(x))));  // tensorOf names a bad one
}

// A tensor for one input from its rows: the batch dimension is the number of rows, the rest from the signature
// (or from the first row where the signature leaves it open).
export function tensorOf(input, rows) {
  const flat = rows.flat(Infinity);
  const shape = (input.shape || [-1, -1]).slice();
  shape[0] = rows.length;
  const rowLength = rows.length ? flat.length / rows.length : 0;
  if (shape.length === 2 && shape[1] < 0) shape[1] = rowLength;
  if (shape.length === 1) shape[0] = flat.length;
  for (let i = 1; i < shape.length; i++) if (shape[i] < 0) shape[i] = 1;
  const bad = flat.find((x) => input.datatype !== 'BYTES' && !Number.isFinite(x));
  if (bad !== undefined) throw new Error(`input '${input.name}': '${bad}' is not a number`);
  return { name: input.name, datatype: input.datatype, shape, data: flat };
}

export function inferPath(target, version) {
  return version ? `/v2/models/${enc(target)}/versions/${enc(version)}/infer` : `/v2/models/${enc(target)}/infer`;
}

// Sends `body` and answers {status, ok, ms, body, error, headers (the ones that say who answered)}.
export async function callOnce(path, body) {
  const started = performance.now();
  try {
    const { res, text } = await api('POST', path, body, { raw: true });
    const ms = performance.now() - started;
    const pick = (h) => res.headers.get(h);
    return {
      ok: true,
      ms,
      body: JSON.parse(text),
      headers: {
        requestId: pick('x-request-id'),
        version: pick('x-maas-model-version'),
        model: pick('x-maas-model'),
        service: pick('x-maas-service'),
        fallback: pick('x-maas-fallback')
      },
    };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, error };
  }
}

// The log center's record of one request (written within a flush interval), or null after a few tries.
export async function requestRecord(requestId) {
  const query = `{job="maasd", kind="request"} |= "${requestId.replace(/["\\]/g, '')}"`;
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = await get(`/loki/api/v1/query_range?since=10m&limit=5&query=${enc(query)}`);
    for (const stream of r.data.result || []) {
      for (const [, line] of stream.values) {
        try {
          const record = JSON.parse(line);
          if (record.trace_id === requestId) return record;
        } catch { /* not JSON */ }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return null;
}

// Mean queue and compute time of the requests a version answered between two statistics snapshots.
export function statsDelta(before, after) {
  const pick = (s, k) =>
      (s && s.model_stats && s.model_stats[0] ? s.model_stats[0].inference_stats[k] : {count: 0, ns: 0});
  const mean = (k) => {
    const a = pick(after, k), b = pick(before, k);
    const count = a.count - b.count;
    return count > 0 ? (a.ns - b.ns) / count / 1e6 : null;
  };
  return { queue: mean('queue'), input: mean('compute_input'), infer: mean('compute_infer'), output: mean('compute_output') };
}

// Element-wise difference of two responses' outputs: [{name, maxAbs, equal}].
export function compareOutputs(a, b) {
  const byName = new Map((b.outputs || []).map((o) => [o.name, o]));
  return (a.outputs || []).map((o) => {
    const other = byName.get(o.name);
    if (!other) return { name: o.name, maxAbs: null, equal: false };
    const x = o.data.flat(Infinity), y = other.data.flat(Infinity);
    if (x.length !== y.length) return { name: o.name, maxAbs: null, equal: false };
    let maxAbs = 0;
    for (let i = 0; i < x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(Number(x[i]) - Number(y[i])));
    return { name: o.name, maxAbs, equal: maxAbs === 0 };
  });
}
