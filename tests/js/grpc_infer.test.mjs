// ModelInfer over gRPC from Node's @grpc/grpc-js, the proto loaded at run time by @grpc/proto-loader: run by
// tests/integration/test_grpc.py against a maasd serving the breast-cancer XGBoost fixture as "cancer".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const definition = protoLoader.loadSync(process.env.MAAS_PROTO, { keepCase: true, longs: Number, defaults: true });
const { inference } = grpc.loadPackageDefinition(definition);
const client = new inference.GRPCInferenceService(process.env.MAAS_GRPC_ADDRESS, grpc.credentials.createInsecure());

function call(method, request, key) {
  const metadata = new grpc.Metadata();
  if (key) metadata.set('authorization', `Bearer ${key}`);
  return new Promise((resolve, reject) => {
    client[method](request, metadata, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

test('ModelInfer answers with raw FP32 outputs', async () => {
  const rows = 3;
  const x = new Float32Array(rows * 30).map((_, i) => (i % 7) / 7);
  const res = await call('ModelInfer', {
    model_name: 'cancer',
    inputs: [{ name: 'input', datatype: 'FP32', shape: [rows, 30] }],
    raw_input_contents: [Buffer.from(x.buffer)],
  }, process.env.MAAS_KEY);
  assert.equal(res.model_name, 'cancer');
  assert.equal(res.outputs.length, 1);
  assert.equal(res.outputs[0].datatype, 'FP32');
  assert.deepEqual(res.outputs[0].shape, [rows]);
  const raw = res.raw_output_contents[0];
  const out = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  assert.equal(out.length, rows);
  for (const p of out) assert.ok(p >= 0 && p <= 1, `a probability: ${p}`);
});

test('ModelInfer without a key is UNAUTHENTICATED', async () => {
  await assert.rejects(
    call('ModelInfer', { model_name: 'cancer', inputs: [] }),
    (err) => err.code === grpc.status.UNAUTHENTICATED,
  );
  client.close();
});
