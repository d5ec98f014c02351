"""Tool calling against a real maasd and maas-worker: a tiny random-weight GGUF whose tokenizer.chat_template is
Qwen2.5-7B-Instruct's (tests/fixtures/chat_templates, from llama.cpp's models/templates of the release maas builds
against). The worker renders the tools with that template through llama.cpp's common library and constrains the
output with the template family's tool-call grammar, so that even random weights give well-formed calls under
"required" and a named choice; "none" gives none. The official openai SDK's side is tests/js/openai_tools.test.mjs."""
import json

import pytest

from llm_server import run_node_test, start_llm_server

MODEL = "tiny-tools"

# Bounded keywords only (an enum, an integer range, a bounded string), so that a random model's arguments end.
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "maxLength": 12},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
            },
            "required": ["city", "unit", "days"],
            "additionalProperties": False,
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_time",
        "parameters": {"type": "object", "properties": {"zone": {"type": "string", "enum": ["utc", "local"]}},
                       "required": ["zone"], "additionalProperties": False},
    },
}
MESSAGES = [{"role": "user", "content": "What is the weather in Paris?"}]


@pytest.fixture(scope="module")
def llm(tmp_path_factory):
    server = start_llm_server(tmp_path_factory.mktemp("tools") / "data",
                              {"max_sequences": 4, "context": 1536, "threads": 2}, model=MODEL, file="tiny-tools.gguf")
    yield server
    assert server.stop() == 0, server.log()


# One call per answer unless a test says otherwise: after a call a random model may start another, and another,
# until max_tokens cuts one short.
def chat(llm, **kw):
    body = {"model": MODEL, "messages": MESSAGES, "temperature": 0, "max_tokens": 160, "parallel_tool_calls": False}
    body.update(kw)
    r = llm.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def streamed(llm, **kw):
    """The chunks of a streamed chat, parsed."""
    body = {"model": MODEL, "messages": MESSAGES, "temperature": 0, "max_tokens": 160, "stream": True,
            "parallel_tool_calls": False}
    body.update(kw)
    r = llm.post("/v1/chat/completions", json=body, stream=True)
    assert r.status_code == 200, r.text
    chunks = []
    for line in r.iter_lines():
        if line.startswith(b"data: ") and line != b"data: [DONE]":
            chunks.append(json.loads(line[len(b"data: "):]))
    return chunks


def check_arguments(schema, value, where="arguments"):
    """A validator for the keywords the tools above use (Debian's python3 has no jsonschema)."""
    kind = schema.get("type")
    if kind == "object":
        assert isinstance(value, dict), where
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            assert key in value, f"{where}: '{key}' is required"
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(props), f"{where}: {set(value) - set(props)} not allowed"
        for key, sub in props.items():
            if key in value:
                check_arguments(sub, value[key], f"{where}.{key}")
    elif kind == "string":
        assert isinstance(value, str), where
        assert len(value) <= schema.get("maxLength", len(value)), where
    elif kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), where
        assert schema.get("minimum", value) <= value <= schema.get("maximum", value), where
    if "enum" in schema:
        assert value in schema["enum"], where


def check_calls(calls, tools):
    schemas = {t["function"]["name"]: t["function"]["parameters"] for t in tools}
    assert calls, "no tool calls"
    ids = set()
    for call in calls:
        assert call["type"] == "function"
        assert isinstance(call["id"], str) and call["id"].startswith("call_")
        ids.add(call["id"])
        assert call["function"]["name"] in schemas
        assert isinstance(call["function"]["arguments"], str)
        check_arguments(schemas[call["function"]["name"]], json.loads(call["function"]["arguments"]))
    assert len(ids) == len(calls), "tool call ids must differ"


def assemble(chunks):
    """OpenAI's streamed delta.tool_calls folded into whole calls, as the SDKs do; also the content."""
    calls, content, finish = {}, "", None
    for chunk in chunks:
        for choice in chunk["choices"]:
            delta = choice.get("delta", {})
            content += delta.get("content") or ""
            for piece in delta.get("tool_calls", []):
                call = calls.setdefault(piece["index"], {"id": None, "type": None,
                                                         "function": {"name": "", "arguments": ""}})
                if "id" in piece:
                    assert call["id"] is None, "a call's id comes once, in its first piece"
                    call["id"] = piece["id"]
                    call["type"] = piece["type"]
                    call["function"]["name"] = piece["function"]["name"]
                call["function"]["arguments"] += piece["function"].get("arguments", "")
            finish = choice["finish_reason"] or finish
    return [calls[i] for i in sorted(calls)], content, finish


def test_required_gives_well_formed_calls_whose_arguments_match_the_schema(llm):
    r = chat(llm, tools=[WEATHER, TIME], tool_choice="required")
    choice = r["choices"][0]
    assert choice["finish_reason"] == "tool_calls", choice
    assert choice["message"]["content"] is None
    check_calls(choice["message"]["tool_calls"], [WEATHER, TIME])


def test_a_named_choice_calls_only_that_function(llm):
    for name, tool in (("get_time", TIME), ("get_weather", WEATHER)):
        r = chat(llm, tools=[WEATHER, TIME], tool_choice={"type": "function", "function": {"name": name}})
        calls = r["choices"][0]["message"]["tool_calls"]
        check_calls(calls, [tool])
        assert {c["function"]["name"] for c in calls} == {name}


def test_parallel_tool_calls_false_makes_one_call_and_true_allows_more(llm):
    r = chat(llm, tools=[WEATHER, TIME], tool_choice="required")
    assert len(r["choices"][0]["message"]["tool_calls"]) == 1
    assert r["choices"][0]["finish_reason"] == "tool_calls"
    # Parallel: as many calls as the model makes; every call but one max_tokens cut is whole.
    choice = chat(llm, tools=[TIME], tool_choice="required", parallel_tool_calls=True, max_tokens=64)["choices"][0]
    calls = choice["message"]["tool_calls"]
    if choice["finish_reason"] == "length" and len(calls) > 1:
        calls = calls[:-1]
    else:
        assert choice["finish_reason"] == "tool_calls"
    check_calls(calls, [TIME])


def test_streamed_calls_are_openai_deltas_that_add_up_to_the_whole_answer(llm):
    whole = chat(llm, tools=[WEATHER, TIME], tool_choice="required")["choices"][0]
    chunks = streamed(llm, tools=[WEATHER, TIME], tool_choice="required")
    calls, content, finish = assemble(chunks)
    assert finish == "tool_calls"
    assert content == ""
    check_calls(calls, [WEATHER, TIME])
    # Greedy: the same calls as the whole answer (ids are drawn per answer).
    strip = lambda cs: [(c["function"]["name"], c["function"]["arguments"]) for c in cs]  # noqa: E731
    assert strip(calls) == strip(whole["message"]["tool_calls"])


def test_none_gives_no_tool_calls(llm):
    for stream in (False, True):
        if stream:
            calls, content, finish = assemble(streamed(llm, tools=[WEATHER], tool_choice="none", max_tokens=24))
        else:
            message = chat(llm, tools=[WEATHER], tool_choice="none", max_tokens=24)["choices"][0]
            calls, content, finish = message["message"].get("tool_calls", []), message["message"]["content"], \
                message["finish_reason"]
        assert calls == []
        assert isinstance(content, str)
        assert finish in ("stop", "length")


def test_a_tool_result_round_trip_is_rendered(llm):
    call = {"id": "call_abc", "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "celsius", "days": 1}'}}

    def prompt_tokens(result):
        messages = MESSAGES + [{"role": "assistant", "content": None, "tool_calls": [call]},
                               {"role": "tool", "tool_call_id": "call_abc", "content": result}]
        return chat(llm, messages=messages, tools=[WEATHER], max_tokens=4)["usage"]["prompt_tokens"]

    # The tool's answer is in the prompt: a longer one costs more tokens.
    short, long = prompt_tokens("sunny"), prompt_tokens("sunny, 21 degrees, light wind from the west, no rain")
    assert long > short
    r = llm.post("/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES + [
        {"role": "tool", "content": "x"}], "tools": [WEATHER]})
    assert r.status_code == 400 and "tool_call_id" in r.json()["error"]["message"], r.text


def test_bad_tool_shapes_are_400s_naming_the_field(llm):
    cases = [
        ({"tools": [{"type": "function", "function": {"name": "has space"}}]}, "tools"),
        ({"tools": [WEATHER, WEATHER]}, "tools"),
        ({"tools": [WEATHER], "tool_choice": "sometimes"}, "tool_choice"),
        ({"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "nope"}}}, "tool_choice"),
        ({"messages": [{"role": "assistant", "content": None, "tool_calls": [{"id": "x"}]}]}, "messages"),
        # A tool's parameters are checked and bounded as a response_format schema is: the worker makes a grammar of
        # them.
        ({"tools": [{"type": "function", "function": {"name": "f", "parameters": {
            "type": "object", "properties": {"x": {"not": {"type": "string"}}}}}}]}, "tools"),
        ({"tools": [{"type": "function", "function": {"name": "f", "parameters": {
            "type": "object", "properties": {"x": {"type": "string", "minLength": 10000000}}}}}]}, "tools"),
    ]
    for fields, param in cases:
        r = llm.post("/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES, **fields})
        assert r.status_code == 400, (fields, r.text)
        assert r.json()["error"]["param"] == param, (fields, r.text)


def test_the_openai_sdk_reads_the_calls(llm):
    run_node_test(llm, "openai_tools.test.mjs", MODEL, package="openai")


def test_response_format_holds_on_a_turn_with_tool_history_and_no_tools(llm):
    """The turn after a tool result, with no tools offered: the chat renders through the tool-aware template, and
    response_format's grammar still constrains the answer."""
    call = {"id": "call_abc", "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "celsius", "days": 1}'}}
    messages = MESSAGES + [{"role": "assistant", "content": None, "tool_calls": [call]},
                           {"role": "tool", "tool_call_id": "call_abc", "content": "sunny"}]
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
              "additionalProperties": False}
    answer = chat(llm, messages=messages, max_tokens=40,
                  response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": schema}})
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "stop", answer
    value = json.loads(choice["message"]["content"])
    assert set(value) == {"ok"} and isinstance(value["ok"], bool), value
