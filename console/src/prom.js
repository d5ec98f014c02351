// Reading Prometheus's text format (GET /metrics) and deriving rates and quantiles between two scrapes.

// Parses the exposition into [{name, labels, value}].
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const brace = line.indexOf('{');
    let name, labels = {}, rest;
    if (brace >= 0) {
      name = line.slice(0, brace);
      const close = line.lastIndexOf('}');
      const body = line.slice(brace + 1, close);
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let m;
      while ((m = re.exec(body))) labels[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = line.slice(close + 1).trim();
    } else {
      const space = line.indexOf(' ');
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    out.push({ name, labels, value: parseFloat(rest.split(' ')[0]) });
  }
  return out;
}

const matches = (labels, filter) => Object.entries(filter || {}).every(([k, v]) =>
  typeof v === 'function' ? v(labels[k]) : labels[k] === v);

// The sum of every series of `name` whose labels match `filter` (a value or a predicate per label).
export function sum(samples, name, filter) {
  let total = 0;
  for (const s of samples) if (s.name === name && matches(s.labels, filter)) total += s.value;
  return total;
}

// Cumulative bucket counts of a histogram, summed over matching series: [[le, count]] sorted by le.
export function buckets(samples, name, filter) {
  const by = new Map();
  for (const s of samples) {
    if (s.name !== name + '_bucket' || !matches(s.labels, filter)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : parseFloat(s.labels.le);
    by.set(le, (by.get(le) || 0) + s.value);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

// The q-quantile of the observations between two bucket snapshots (Prometheus's histogram_quantile: linear
// within the bucket). null when nothing was observed.
export function quantile(q, before, after) {
  const prev = new Map(before);
  const delta = after.map(([le, c]) => [le, c - (prev.get(le) || 0)]);
  const total = delta.length ? delta[delta.length - 1][1] : 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0, below = 0;
  for (const [le, count] of delta) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + (le - lower) * ((rank - below) / Math.max(count - below, 1e-12));
    }
    lower = le;
    below = count;
  }
  return lower;
}

// A Loki matrix as chart columns over a whole range: one x every `step` seconds from `start` to `end` (so that the
// axis shows the range even where nothing matched), each series' value at its nearest step, `fill` elsewhere.
export function densify(matrix, start, end, step, fill = 0) {
  const n = Math.max(1, Math.floor((end - start) / step) + 1);
  const xs = Array.from({ length: n }, (_, i) => start + i * step);
  const ys = matrix.map((s) => {
    const col = new Array(n).fill(fill);
    for (const [t, v] of s.values) {
      const i = Math.round((Number(t) - start) / step);
      if (i >= 0 && i < n) col[i] = Number(v);
    }
    return col;
  });
  return { xs, ys };
}
