// The official openai SDK's tool calling against maasd, serving a tiny random-weight model whose chat template is
// Qwen2.5's (tests/integration/test_openai_tools.py starts it and passes MAAS_URL, MAAS_API_KEY and MAAS_MODEL):
// required and named choices give calls the SDK reads, whole and through its streaming helper, which folds
// delta.tool_calls into whole calls.
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.MAAS_URL + "/v1", apiKey: process.env.MAAS_API_KEY, maxRetries: 0 });
const model = process.env.MAAS_MODEL;
const messages = [{ role: "user", content: "What time is it?" }];
const tools = [
  {
    type: "function",
    function: {
      name: "get_time",
      parameters: { type: "object", properties: { zone: { type: "string", enum: ["utc", "local"] } }, required: ["zone"] },
    },
  },
  {
    type: "function",
    function: {
      name: "get_day",
      parameters: { type: "object", properties: { offset: { type: "integer", minimum: 0, maximum: 6 } }, required: ["offset"] },
    },
  },
];
const params = { model, messages, tools, temperature: 0, max_tokens: 96, parallel_tool_calls: false };

function checkCall(call, names) {
  assert.equal(call.type, "function");
  assert.match(call.id, /^call_/);
  assert.ok(names.includes(call.function.name), call.function.name);
  const args = JSON.parse(call.function.arguments);
  if (call.function.name === "get_time") assert.ok(["utc", "local"].includes(args.zone), call.function.arguments);
  if (call.function.name === "get_day") assert.ok(Number.isInteger(args.offset) && args.offset >= 0 && args.offset <= 6);
}

test("required: message.tool_calls and finish_reason tool_calls", async () => {
  const r = await client.chat.completions.create({ ...params, tool_choice: "required" });
  const choice = r.choices[0];
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.tool_calls.length, 1);
  checkCall(choice.message.tool_calls[0], ["get_time", "get_day"]);
});

test("a named choice, streamed through the SDK's helper", async () => {
  const stream = client.chat.completions.stream({
    ...params, tool_choice: { type: "function", function: { name: "get_day" } },
  });
  const final = await stream.finalChatCompletion();
  const choice = final.choices[0];
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.tool_calls.length, 1);
  checkCall(choice.message.tool_calls[0], ["get_day"]);
});

test("a tool result goes back in and the answer is content", async () => {
  const first = await client.chat.completions.create({ ...params, tool_choice: "required" });
  const call = first.choices[0].message.tool_calls[0];
  const r = await client.chat.completions.create({
    ...params,
    tool_choice: "none",
    max_tokens: 8,
    messages: [...messages, first.choices[0].message, { role: "tool", tool_call_id: call.id, content: "12:00" }],
  });
  assert.equal(r.choices[0].message.tool_calls, undefined);
  assert.equal(typeof r.choices[0].message.content, "string");
});
