// The console's arithmetic without a browser: Prometheus text parsing, rates and histogram quantiles between two
// scrapes (as PromQL's histogram_quantile computes them), Loki matrices as chart columns, and request building in
// the debugger. Run by tests/integration/test_console.py with node's test runner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buckets, densify, parseMetrics, quantile, sum } from '../../console/src/prom.js';
import { compareOutputs, parseRows, parseServerTiming, tensorOf } from '../../console/src/pages/infer.js';

const scrape = (count1, count2) => parseMetrics(`# HELP x y
# TYPE maas_inference_requests_total counter
maas_inference_requests_total{service="",model="iris",version="1",code="200"} ${count1}
maas_inference_requests_total{service="",model="iris",version="1",code="503"} ${count2}
maas_inference_request_duration_seconds_bucket{service="",model="iris",version="1",le="0.001"} ${count1 / 2}
maas_inference_request_duration_seconds_bucket{service="",model="iris",version="1",le="0.01"} ${count1}
maas_inference_request_duration_seconds_bucket{service="",model="iris",version="1",le="+Inf"} ${count1 + count2}
process_open_fds 12
`);

test('parses series, labels with escapes and bare samples', () => {
  const samples = parseMetrics('a{l="x\\"y",m="1"} 3\nb 4.5\n');
  assert.deepEqual(samples, [{ name: 'a', labels: { l: 'x"y', m: '1' }, value: 3 }, { name: 'b', labels: {}, value: 4.5 }]);
});

test('sums series with label filters and predicates', () => {
  const s = scrape(100, 10);
  assert.equal(sum(s, 'maas_inference_requests_total'), 110);
  assert.equal(sum(s, 'maas_inference_requests_total', { code: (c) => !c.startsWith('2') }), 10);
  assert.equal(sum(s, 'process_open_fds'), 12);
});

test('quantiles between two scrapes interpolate within the bucket, as histogram_quantile does', () => {
  const name = 'maas_inference_request_duration_seconds';
  const before = buckets(scrape(100, 0), name), after = buckets(scrape(300, 0), name);
  // 200 new observations: 100 at or under 1 ms, 100 in (1 ms, 10 ms].
  assert.equal(quantile(0.5, before, after), 0.001);
  assert.ok(Math.abs(quantile(0.75, before, after) - 0.0055) < 1e-12);
  assert.equal(quantile(0.99, before, after) > 0.009, true);
  assert.equal(quantile(0.5, after, after), null);  // nothing observed in between
  // Past the last finite bucket the answer is its bound, as Prometheus answers.
  assert.equal(quantile(0.99, buckets(scrape(0, 0), name), buckets(scrape(0, 50), name)), 0.01);
});

test('a Loki matrix becomes columns over the whole range', () => {
  const { xs, ys } = densify([{ metric: {}, values: [[100, '2'], [130, '5']] }], 100, 160, 30);
  assert.deepEqual(xs, [100, 130, 160]);
  assert.deepEqual(ys, [[2, 5, 0]]);
});

test('the debugger builds tensors from rows, and compares outputs', () => {
  const input = { name: 'input', datatype: 'FP32', shape: [-1, 4] };
  assert.deepEqual(tensorOf(input, parseRows('5.1, 3.5, 1.4, 0.2\n6.7 3.0 5.2 2.3', 'FP32')),
    { name: 'input', datatype: 'FP32', shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] });
  assert.deepEqual(parseRows('[[1, 2], [3, 4]]', 'FP32'), [[1, 2], [3, 4]]);
  assert.throws(() => tensorOf(input, parseRows('1, x', 'FP32')), /input 'input': 'x' is not a number/);
  const a = { outputs: [{ name: 'p', data: [0.5, 0.25] }] }, b = { outputs: [{ name: 'p', data: [0.5, 0.5] }] };
  assert.deepEqual(compareOutputs(a, b), [{ name: 'p', maxAbs: 0.25, equal: false }]);
  assert.deepEqual(compareOutputs(a, a), [{ name: 'p', maxAbs: 0, equal: true }]);
  assert.deepEqual(parseServerTiming('queue;dur=0.120, batch;dur=0.050, compute;dur=0.800, total;dur=1.100'),
    { queue: 0.12, batch: 0.05, compute: 0.8, total: 1.1 });
  assert.deepEqual(parseServerTiming('cache;desc="hit", db;dur=53'), { db: 53 });
  assert.equal(parseServerTiming(null), null);
});
