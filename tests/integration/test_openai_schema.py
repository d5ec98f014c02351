"""Structured outputs (response_format json_schema) with the keywords real schemas use, against a real maasd and
maas-worker serving the tiny random-weight model: maasd checks and bounds the schema (api/json_schema_check.h), the
worker turns it into a grammar with llama.cpp's json_schema_to_grammar, so that even random weights write an
instance of the schema, keys in the schema's order. A keyword the grammar would not enforce is a 400 naming it. The
SDK's .parse() with a zod schema is tests/js/openai_schema.test.mjs."""
import json
import re

import pytest

from llm_server import MODEL, run_node_test, start_llm_server


# Every keyword, each bounded so that a random model's output ends (no string without maxLength, pattern or enum).
SCHEMA = {
    "$defs": {
        "point": {"type": "object",
                  "properties": {"x": {"type": "integer", "minimum": -3, "maximum": 3},
                                 "y": {"type": "integer", "minimum": 10, "maximum": 12}},
                  "required": ["x", "y"], "additionalProperties": False},
    },
    "type": "object",
    "properties": {
        "zeta": {"type": "string", "minLength": 2, "maxLength": 5},
        "points": {"type": "array", "items": {"$ref": "#/$defs/point"}, "minItems": 1, "maxItems": 3},
        "code": {"type": "string", "pattern": "^[a-z]{2,3}-[0-9]$"},
        "kind": {"const": "shape"},
        "color": {"enum": ["red", "green", 7]},
        "size": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"type": "null"}]},
        "flag": {"oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["on", "off"]}]},
        "extra": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 1}},
                  "required": ["n"], "additionalProperties": False},
    },
    "required": ["zeta", "points", "code", "kind", "color", "size", "flag", "extra"],
    "additionalProperties": False,
}


def same(a, b):
    """JSON equality (True is not 1)."""
    return type(a) is type(b) and a == b


def validate(schema, value, root, where="$"):
    """A validator for the keywords above (Debian's python3 has no jsonschema)."""
    if "$ref" in schema:
        return validate(root["$defs"][schema["$ref"].rsplit("/", 1)[1]], value, root, where)
    if "anyOf" in schema:
        assert any(_valid(s, value, root) for s in schema["anyOf"]), (where, value)
        return
    if "oneOf" in schema:
        assert sum(_valid(s, value, root) for s in schema["oneOf"]) == 1, (where, value)
        return
    if "const" in schema:
        assert same(value, schema["const"]), (where, value)
    if "enum" in schema:
        assert any(same(value, v) for v in schema["enum"]), (where, value)
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    if kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), (where, value)
        assert schema.get("minimum", value) <= value <= schema.get("maximum", value), (where, value)
    elif kind:
        assert isinstance(value, types[kind]), (where, value)
    if kind == "string":
        assert schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)), (where, value)
        if "pattern" in schema:
            assert re.search(schema["pattern"], value), (where, value)
    if kind == "array":
        assert schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)), (where, value)
        for i, item in enumerate(value):
            validate(schema["items"], item, root, f"{where}[{i}]")
    if kind == "object":
        for key in schema.get("required", []):
            assert key in value, (where, key)
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema["properties"]), (where, value)
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                validate(sub, value[key], root, f"{where}.{key}")


def _valid(schema, value, root):
    try:
        validate(schema, value, root)
        return True
    except AssertionError:
        return False


@pytest.fixture(scope="module")
def llm(tmp_path_factory):
    server = start_llm_server(tmp_path_factory.mktemp("schema") / "data",
                              {"max_sequences": 4, "context": 512, "threads": 2})
    yield server
    assert server.stop() == 0, server.log()


def structured(llm, schema, **kw):
    body = {"model": MODEL, "messages": [{"role": "user", "content": "Describe a shape as JSON"}],
            "max_tokens": 300, "temperature": 0,
            "response_format": {"type": "json_schema", "json_schema": {"name": "shape", "schema": schema}}}
    body.update(kw)
    return llm.post("/v1/chat/completions", json=body)


@pytest.mark.parametrize("temperature, seed", [(0, None), (1.0, 3), (1.0, 11)])
def test_outputs_are_instances_of_the_schema_with_keys_in_its_order(llm, temperature, seed):
    r = structured(llm, SCHEMA, temperature=temperature, seed=seed)
    assert r.status_code == 200, r.text
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "stop", choice
    text = choice["message"]["content"]
    value = json.loads(text, object_pairs_hook=lambda pairs: dict(pairs))
    validate(SCHEMA, value, SCHEMA)
    # The schema's order ("zeta" first), not the alphabetical order the old converter wrote.
    assert list(value) == list(SCHEMA["properties"]), text
    assert list(value["points"][0]) == ["x", "y"]


def test_a_streamed_structured_output_is_the_same(llm):
    whole = structured(llm, SCHEMA).json()["choices"][0]["message"]["content"]
    r = structured(llm, SCHEMA, stream=True)
    text = ""
    for line in r.iter_lines():
        if line.startswith(b"data: ") and line != b"data: [DONE]":
            for c in json.loads(line[6:])["choices"]:
                text += c.get("delta", {}).get("content") or ""
    assert text == whole


@pytest.mark.parametrize("schema, keyword", [
    ({"type": "integer", "multipleOf": 3}, "multipleOf"),
    ({"not": {"type": "null"}}, "not"),
    ({"type": "number", "minimum": 0}, "minimum"),
    ({"type": "string", "format": "email"}, "format"),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "patternProperties": {}}, "patternProperties"),
    ({"type": "array", "items": {"type": "integer"}, "uniqueItems": True}, "uniqueItems"),
    ({"$ref": "https://example.com/schema.json"}, "$ref"),
    ({"type": "string", "maxLength": 1000000}, "maxLength"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_keyword_the_grammar_would_not_enforce_is_a_400_naming_it(llm, schema, keyword):
    r = structured(llm, schema)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == "response_format"
    assert keyword in error["message"], error


def test_the_openai_sdk_parse_with_a_zod_schema(llm):
    run_node_test(llm, "openai_schema.test.mjs", MODEL, package="zod")
