"""Deeply nested JSON (issue 10, findings 1 and 2): every JSON body maasd reads is refused past 1024 levels of
arrays and objects with a 400 that says so, before anything walks it; 150,000 levels (300 KB, under the body limit)
once overflowed maasd's stack on the OpenAI routes and the repository's load. A response_format json_schema is
bounded too (its nesting, its subschemas, its grammar)."""
import time

import pytest
import requests

from conftest import error_of

LEVELS = [2_000, 150_000]


def nested(levels, leaf="1"):
    return "[" * levels + leaf + "]" * levels


def message_of(response):
    """The error message in whichever shape the route's protocol uses: maas's, Open Inference's or OpenAI's."""
    error = response.json()["error"]
    return error if isinstance(error, str) else error["message"]


# (method, path, body with {deep} where the nested value goes)
JSON_BODIES = [
    ("POST", "/v1/embeddings", '{"model": "m", "input": {deep}}'),
    ("POST", "/v1/chat/completions", '{"model": "m", "messages": [{"role": "user", "content": {deep}}]}'),
    ("POST", "/v1/completions", '{"model": "m", "prompt": {deep}}'),
    ("POST", "/v2/repository/models/m/load", '{"parameters": {"config": {deep}}}'),
    ("POST", "/v2/repository/models/m/unload", '{"parameters": {"version": {deep}}}'),
    ("POST", "/loki/api/v1/push", '{"streams": [{"stream": {"app": "a"}, "values": {deep}}]}'),
    ("POST", "/api/v1/models", '{"name": "m", "tags": {deep}}'),
    ("POST", "/api/v1/keys", '{"name": "k", "role": "viewer", "services": {deep}}'),
    ("POST", "/api/v1/services", '{"name": "s", "routes": {deep}}'),
    ("POST", "/api/v1/subscriptions", '{"name": "s", "source": "logs", "webhook": {deep}}'),
    ("POST", "/api/v1/alerts/rules", '{"name": "g", "rules": {deep}}'),
    ("POST", "/api/v1/alerts/silences", '{"matchers": {deep}, "endsAt": "2100-01-01T00:00:00Z"}'),
]


@pytest.mark.parametrize("method, path, template", JSON_BODIES, ids=[f"{m} {p}" for m, p, _ in JSON_BODIES])
def test_json_nested_past_the_limit_is_a_400_on_every_route(maasd, method, path, template):
    for levels in LEVELS:
        body = template.replace("{deep}", nested(levels))
        r = maasd._request(method, path, 60, data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (levels, r.status_code, r.text[:300])
        assert "nested deeper than 1024 levels" in message_of(r), r.text[:300]
        assert maasd.proc.poll() is None, maasd.log()
    assert maasd.get("/api/v1/health").status_code == 200


def test_json_at_the_limit_is_read(maasd):
    # 1024 levels in all: the object, the list of messages, a message and 1021 levels of content.
    body = '{"model": "m", "messages": [{"role": "user", "content": ' + nested(1021, '"x"') + '}]}'
    r = maasd.post("/v1/chat/completions", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "content" in message_of(r), r.text[:300]
    assert "nested" not in message_of(r)


def test_a_deeply_nested_log_line_is_not_json_to_a_query(maasd):
    # A pushed line may be anything (up to 256 KiB); a `| json` stage, which flattens objects into fields, must not
    # walk 35,000 levels of them.
    line = '{"a": ' * 35_000 + "1" + "}" * 35_000
    now_ns = time.time_ns()
    push = {"streams": [{"stream": {"app": "deep"}, "values": [[str(now_ns), line]]}]}
    r = maasd.post("/loki/api/v1/push", json=push)
    assert r.status_code == 204, r.text[:300]
    r = maasd.get("/loki/api/v1/query_range",
                  params={"query": '{app="deep"} | json', "start": str(now_ns - 60 * 10**9), "limit": 10})
    assert r.status_code == 200, r.text[:300]
    assert maasd.proc.poll() is None, maasd.log()
    # Still stored, and still JSON-less to the stage: no field was extracted from it.
    [stream] = r.json()["data"]["result"]
    assert stream["values"][0][1] == line and "a" not in stream["stream"]


def schema_items(levels):
    schema = '{"type": "integer"}'
    for _ in range(levels):
        schema = '{"type": "array", "items": ' + schema + "}"
    return schema


def chat_with_schema(maasd, schema):
    body = ('{"model": "m", "messages": [{"role": "user", "content": "hi"}], "response_format": '
            '{"type": "json_schema", "json_schema": {"name": "n", "schema": ' + schema + "}}}")
    return maasd.post("/v1/chat/completions", data=body, headers={"Content-Type": "application/json"})


def test_a_json_schema_nested_10000_levels_is_a_400(maasd):
    r = chat_with_schema(maasd, schema_items(10_000))
    assert r.status_code == 400, r.text[:300]
    assert "nested deeper than 1024 levels" in message_of(r)
    assert maasd.proc.poll() is None, maasd.log()


@pytest.mark.parametrize("schema, phrase", [
    (schema_items(500), "nested deeper than 64 levels"),
    # Two types at each of 20 levels: a million rules if each walked its subtree.
    (schema_items(20).replace('"type": "array"', '"type": ["array", "array"]'), "more than 10000 subschemas"),
], ids=["500 levels", "type lists"])
def test_a_json_schema_is_bounded_within_the_json_limit(maasd, schema, phrase):
    r = chat_with_schema(maasd, schema)
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"]["param"] == "response_format"
    assert phrase in message_of(r), r.text[:300]
    assert maasd.proc.poll() is None, maasd.log()
