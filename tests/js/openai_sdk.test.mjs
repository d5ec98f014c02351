// The official openai SDK against maasd's /v1: chat (whole and streamed), completions, embeddings, model listing,
// and the SDK's error classes for maasd's error statuses. Run by tests/integration/test_openai_sdk.py, which
// starts maasd with a GGUF model loaded and passes MAAS_URL, MAAS_API_KEY and MAAS_MODEL.
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.MAAS_URL + "/v1", apiKey: process.env.MAAS_API_KEY, maxRetries: 0 });
const model = process.env.MAAS_MODEL;

test("lists the loaded model", async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.ok(ids.includes(model), `models: ${ids}`);
  const one = await client.models.retrieve(model);
  assert.equal(one.id, model);
});

test("chat completion", async () => {
  const r = await client.chat.completions.create({
    model, messages: [{ role: "user", content: "Say hello" }], max_tokens: 8, temperature: 0,
  });
  assert.equal(r.object, "chat.completion");
  assert.equal(r.choices.length, 1);
  assert.equal(r.choices[0].message.role, "assistant");
  assert.equal(typeof r.choices[0].message.content, "string");
  assert.ok(["stop", "length"].includes(r.choices[0].finish_reason));
  assert.ok(r.usage.prompt_tokens > 0);
  assert.ok(r.usage.completion_tokens > 0 && r.usage.completion_tokens <= 8);
  assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
});

test("streamed chat completion equals the whole one", async () => {
  const params = { model, messages: [{ role: "user", content: "Count to five" }], max_tokens: 12, temperature: 0 };
  const whole = await client.chat.completions.create(params);
  const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  let text = "";
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      text += c.delta?.content ?? "";
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.equal(text, whole.choices[0].message.content);
  assert.equal(finish, whole.choices[0].finish_reason);
  assert.equal(usage.completion_tokens, whole.usage.completion_tokens);
});

test("completion", async () => {
  const r = await client.completions.create({ model, prompt: "Once upon a time", max_tokens: 6, temperature: 0 });
  assert.equal(r.object, "text_completion");
  assert.equal(typeof r.choices[0].text, "string");
  assert.ok(r.usage.completion_tokens > 0);
});

test("embeddings", async () => {
  // The SDK asks for base64 and decodes it into floats.
  const r = await client.embeddings.create({ model, input: ["hello world", "goodbye"] });
  assert.equal(r.data.length, 2);
  const v = r.data[0].embedding;
  assert.equal(v.length, Number(process.env.MAAS_EMBEDDING_LENGTH));
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  const floats = await client.embeddings.create({ model, input: "hello world", encoding_format: "float" });
  floats.data[0].embedding.forEach((x, i) => assert.ok(Math.abs(x - v[i]) < 1e-6));
});

test("error classes follow the status codes", async () => {
  await assert.rejects(client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] }),
    (e) => e instanceof OpenAI.NotFoundError && e.status === 404);
  await assert.rejects(client.chat.completions.create({ model, messages: [] }),
    (e) => e instanceof OpenAI.BadRequestError && e.status === 400 && e.param === "messages");
  await assert.rejects(client.chat.completions.create({ model, messages: [{ role: "user", content: "x" }], temperature: 9 }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === "temperature");
  // A wrong key is a 401 once maasd authenticates /v1 (the gateway's API keys).
  const anonymous = await fetch(process.env.MAAS_URL + "/v1/models");
  if (anonymous.status === 401) {
    const bad = new OpenAI({ baseURL: process.env.MAAS_URL + "/v1", apiKey: "wrong", maxRetries: 0 });
    await assert.rejects(bad.models.list(), (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
  }
});
