// The official openai SDK with the request fields beyond the basics: logprobs (chat and legacy), logit_bias, n,
// seeds, prompt arrays and token-id prompts, echo, embeddings' dimensions and token-id inputs, and the SDK's
// BadRequestError naming each field maas refuses. Run by tests/integration/test_openai_sdk.py.
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.MAAS_URL + "/v1", apiKey: process.env.MAAS_API_KEY, maxRetries: 0 });
const model = process.env.MAAS_MODEL;
const messages = [{ role: "user", content: "Tell me a story" }];

test("chat logprobs: greedy picks the top token, whole and streamed", async () => {
  const params = { model, messages, max_tokens: 6, temperature: 0, logprobs: true, top_logprobs: 3 };
  const r = await client.chat.completions.create(params);
  const content = r.choices[0].logprobs.content;
  assert.equal(content.length, r.usage.completion_tokens);
  for (const t of content) {
    assert.equal(t.top_logprobs.length, 3);
    assert.deepEqual(t.top_logprobs[0].bytes, t.bytes);
    assert.ok(t.logprob <= 0 && Math.abs(t.logprob - t.top_logprobs[0].logprob) < 1e-9);
  }
  const streamed = [];
  for await (const chunk of await client.chat.completions.create({ ...params, stream: true })) {
    for (const c of chunk.choices) streamed.push(...(c.logprobs?.content ?? []));
  }
  assert.deepEqual(streamed, content);
});

test("legacy completion logprobs", async () => {
  const r = await client.completions.create({ model, prompt: "Once upon a time", max_tokens: 4, temperature: 0, logprobs: 2 });
  const lp = r.choices[0].logprobs;
  assert.equal(lp.tokens.length, r.usage.completion_tokens);
  assert.equal(lp.token_logprobs.length, lp.tokens.length);
  assert.equal(lp.text_offset[0], 0);
  lp.top_logprobs.forEach((top, i) => assert.ok(Math.abs(Math.max(...Object.values(top)) - lp.token_logprobs[i]) < 1e-9));
});

test("logit_bias +100 forces a token", async () => {
  const id = 4272;
  const echoed = await client.completions.create({ model, prompt: [id], max_tokens: 1, temperature: 0, echo: true });
  const plain = await client.completions.create({ model, prompt: [id], max_tokens: 1, temperature: 0 });
  const piece = echoed.choices[0].text.slice(0, echoed.choices[0].text.length - plain.choices[0].text.length);
  const r = await client.completions.create({ model, prompt: "x", max_tokens: 2, temperature: 0, logit_bias: { [id]: 100 } });
  assert.equal(r.choices[0].text, piece + piece);
});

test("n: greedy copies; seeded samples reproducible", async () => {
  const one = await client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0 });
  const three = await client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0, n: 3 });
  assert.deepEqual(three.choices.map((c) => c.index), [0, 1, 2]);
  three.choices.forEach((c) => assert.equal(c.message.content, one.choices[0].message.content));
  const sampled = { model, messages, max_tokens: 8, temperature: 1, seed: 5, n: 2 };
  const a = await client.chat.completions.create(sampled);
  const b = await client.chat.completions.create(sampled);
  assert.deepEqual(a.choices.map((c) => c.message.content), b.choices.map((c) => c.message.content));
});

test("prompt arrays and token-id prompts", async () => {
  const r = await client.completions.create({ model, prompt: ["Once", "Twice"], max_tokens: 3, temperature: 0, n: 2 });
  assert.deepEqual(r.choices.map((c) => c.index), [0, 1, 2, 3]);
  assert.equal(r.choices[0].text, r.choices[1].text);
  const ids = await client.completions.create({ model, prompt: [[1, 450, 3186], [1, 450]], max_tokens: 3, temperature: 0 });
  assert.equal(ids.choices.length, 2);
  const echo = await client.completions.create({ model, prompt: "Hello", max_tokens: 2, temperature: 0, echo: true });
  assert.ok(echo.choices[0].text.startsWith("Hello"));
});

test("embeddings: dimensions and token-id inputs", async () => {
  const r = await client.embeddings.create({ model, input: [[1, 450, 3186], [1, 450]], dimensions: 8 });
  assert.equal(r.data.length, 2);
  const v = r.data[0].embedding;
  assert.equal(v.length, 8);
  assert.ok(Math.abs(Math.sqrt(v.reduce((s, x) => s + x * x, 0)) - 1) < 1e-3);
});

test("each refused field is a BadRequestError naming it", async () => {
  const refused = [
    [{ functions: [{ name: "f", parameters: {} }] }, "functions"],
    [{ function_call: "auto" }, "function_call"],
    [{ audio: { voice: "alloy", format: "mp3" }, modalities: ["text", "audio"] }, "audio"],
    [{ prediction: { type: "content", content: "x" } }, "prediction"],
    [{ reasoning_effort: "low" }, "reasoning_effort"],
    [{ verbosity: "low" }, "verbosity"],
    [{ web_search_options: {} }, "web_search_options"],
    [{ store: true }, "store"],
    [{ service_tier: "flex" }, "service_tier"],
  ];
  for (const [fields, param] of refused) {
    await assert.rejects(client.chat.completions.create({ model, messages, max_tokens: 1, ...fields }),
      (e) => e instanceof OpenAI.BadRequestError && e.param === param && e.code === "unsupported_parameter",
      JSON.stringify(fields));
  }
  await assert.rejects(client.completions.create({ model, prompt: "x", suffix: "y" }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === "suffix");
  await assert.rejects(client.embeddings.create({ model, input: "x", dimensions: 100000 }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === "dimensions");
});
