// The official openai SDK's structured outputs against maasd: chat.completions.parse with zodResponseFormat sends
// the zod schema as a JSON Schema and parses the answer back with zod, which throws on anything that is not an
// instance. Run by tests/integration/test_openai_schema.py (MAAS_URL, MAAS_API_KEY, MAAS_MODEL).
import assert from "node:assert/strict";
import { test } from "node:test";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";

const client = new OpenAI({ baseURL: process.env.MAAS_URL + "/v1", apiKey: process.env.MAAS_API_KEY, maxRetries: 0 });
const model = process.env.MAAS_MODEL;

const Event = z.object({
  name: z.string().max(8),
  day: z.enum(["mon", "tue", "wed"]),
  seats: z.number().int().min(1).max(9),
  tags: z.array(z.enum(["a", "b"])).min(1).max(2),
  online: z.boolean(),
  room: z.string().max(4).nullable(),
});

test("chat.completions.parse with a zod schema", async () => {
  for (const seed of [1, 2, 3]) {
    const r = await client.chat.completions.parse({
      model, messages: [{ role: "user", content: "An event, please" }], temperature: 1, seed, max_tokens: 200,
      response_format: zodResponseFormat(Event, "event"),
    });
    const parsed = r.choices[0].message.parsed;
    assert.ok(parsed, r.choices[0].message.content);
    assert.deepEqual(Object.keys(parsed), ["name", "day", "seats", "tags", "online", "room"]);
    Event.parse(parsed);
  }
});
