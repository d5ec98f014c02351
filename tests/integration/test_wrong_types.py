"""The wrong-types sweep (issue 10): every write route listed by GET /api/v1/routes gets hostile bodies (wrong types
for each known field, missing fields, nulls, huge numbers, 1 MB strings, arrays for objects, nesting 2,000 and
150,000 levels deep) and must answer each with a 4xx that carries a JSON error and a message, never a 5xx, with
maasd alive after every request (a wrong type is exactly 400). A route this table does not know still gets the bodies that need no fields."""
import json
import time

import pytest

from fixture_names import GOOD
from serving import load, register

# JSON types as letters: s string, i integer, n number (any), b bool, a array, o object.
WRONG = {"s": "x", "i": 7, "n": 1.5, "b": True, "a": [1], "o": {"k": 1}}
RAW = "__raw__"  # a placeholder replaced by raw JSON text (numbers Python cannot write, deep nesting)
MEGABYTE_STRING = "x" * 1_000_000
HUGE_NUMBERS = ["18446744073709551616", "18446744073709551615", "-9223372036854775809"]
DEEP = [2_000, 150_000]


def accepts(types, letter):
    return letter in types or (letter == "i" and "n" in types)


def f(types, required=False):
    return {"types": types, "required": required}


INPUT = {"name": "input", "shape": [1, 30], "datatype": "FP32", "data": [0.0] * 30}
RULE_GROUP = {"name": "sweep-rules", "rules": [{"alert": "Sweep", "expr": "1 > 0"}]}
RULE_FIELDS = {
    ("name",): f("s", True), ("rules",): f("a", True), ("interval",): f("s"), ("limit",): f("i"),
    ("rules", 0): f("o"), ("rules", 0, "alert"): f("s", True), ("rules", 0, "expr"): f("s", True),
    ("rules", 0, "for"): f("s"), ("rules", 0, "keep_firing_for"): f("s"), ("rules", 0, "labels"): f("o"),
    ("rules", 0, "annotations"): f("o"), ("rules", 0, "labels", "team"): f("s"),
}
TARGET_FIELDS = {("model",): f("s", True), ("version",): f("is"), ("config",): f("o")}
SERVICE_FIELDS = {
    ("description",): f("s"), ("routes",): f("a"), ("sticky_header",): f("s"), ("shadow",): f("o"),
    ("fallback",): f("o"), ("canary",): f("o"), ("rate_limit",): f("o"), ("key_rate_limit",): f("o"),
    ("max_concurrency",): f("n"), ("max_body_bytes",): f("n"), ("autoscaling",): f("o"),
    ("routes", 0): f("o"), ("routes", 0, "weight"): f("n"), ("rate_limit", "rps"): f("n"),
    ("rate_limit", "burst"): f("n"), ("canary", "steps"): f("a"), ("autoscaling", "min_replicas"): f("n"),
    ("autoscaling", "target"): f("o"), ("shadow", "percent"): f("n"),
    **{("routes", 0) + k: v for k, v in TARGET_FIELDS.items()},
}
CHAT_FIELDS = {
    ("model",): f("s", True), ("messages",): f("a", True), ("messages", 0): f("o", True),
    ("messages", 0, "role"): f("s", True), ("messages", 0, "content"): f("sa"),
    ("messages", 0, "content", 0): f("o"), ("messages", 0, "content", 0, "text"): f("s"),
    ("temperature",): f("n"), ("top_p",): f("n"), ("top_k",): f("i"), ("seed",): f("i"), ("max_tokens",): f("i"),
    ("max_completion_tokens",): f("i"), ("n",): f("i"), ("stop",): f("sa"), ("stop", 0): f("s"),
    ("stream",): f("b"), ("stream_options",): f("o"), ("stream_options", "include_usage"): f("b"),
    ("response_format",): f("o"), ("response_format", "type"): f("s", True),
    ("response_format", "json_schema"): f("o"), ("frequency_penalty",): f("n"), ("presence_penalty",): f("n"),
}

# (method, path) -> (path with its parameters filled, base body, fields). Deletes name what does not exist.
ROUTES = {
    ("POST", "/api/v1/models"): ("/api/v1/models", {"name": "sweep-created"},
                                 {("name",): f("s", True), ("description",): f("s"), ("tags",): f("o"),
                                  ("tags", "t"): f("s")}),
    ("PATCH", "/api/v1/models/{name}"): ("/api/v1/models/sweep", {},
                                         {("description",): f("s"), ("tags",): f("o"), ("tags", "t"): f("s")}),
    ("PATCH", "/api/v1/models/{name}/versions/{ref}"): (
        "/api/v1/models/sweep/versions/1", {},
        {("description",): f("s"), ("tags",): f("o"), ("metrics",): f("o"), ("metrics", "auc"): f("n"),
         ("lineage",): f("o"), ("lineage", "source"): f("s"), ("lineage", "parameters"): f("o"),
         ("state",): f("s"), ("reason",): f("s")}),
    ("PUT", "/api/v1/models/{name}/aliases/{alias}"): ("/api/v1/models/sweep/aliases/prod", {"version": 1},
                                                       {("version",): f("is", True)}),
    ("POST", "/v2/models/{model}/infer"): (
        "/v2/models/sweep/infer", {"inputs": [INPUT]},
        {("id",): f("s"), ("parameters",): f("o"), ("inputs",): f("a", True), ("outputs",): f("a"),
         ("inputs", 0): f("o"), ("inputs", 0, "name"): f("s", True), ("inputs", 0, "shape"): f("a", True),
         ("inputs", 0, "shape", 0): f("i"), ("inputs", 0, "datatype"): f("s", True),
         ("inputs", 0, "data"): f("a", True), ("inputs", 0, "parameters"): f("o"), ("outputs", 0): f("o"),
         ("outputs", 0, "name"): f("s")}),
    # A key no client created: every body is refused, the base one because the object does not exist.
    ("POST", "/v2/systemsharedmemory/region/{name}/register"): (
        "/v2/systemsharedmemory/region/sweep/register", {"key": "/sweep-absent", "offset": 0, "byte_size": 64},
        {("key",): f("s", True), ("offset",): f("i"), ("byte_size",): f("i", True)}),
    ("POST", "/v2/repository/models/{model}/load"): (
        "/v2/repository/models/sweep/load", {},
        {("parameters",): f("o"), ("parameters", "version"): f("is"), ("parameters", "config"): f("os"),
         ("parameters", "keep_other_versions"): f("b"), ("parameters", "config", "instances"): f("i"),
         ("parameters", "config", "max_batch_size"): f("i"), ("parameters", "config", "warmup"): f("b"),
         ("parameters", "config", "circuit_breaker"): f("o")}),
    ("POST", "/v2/repository/models/{model}/unload"): (
        "/v2/repository/models/sweep-absent/unload", {},
        {("parameters",): f("o"), ("parameters", "version"): f("is")}),
    ("POST", "/api/v1/alerts/rules"): ("/api/v1/alerts/rules", RULE_GROUP, RULE_FIELDS),
    ("PUT", "/api/v1/alerts/rules/{group}"): ("/api/v1/alerts/rules/sweep-rules", RULE_GROUP, RULE_FIELDS),
    ("POST", "/api/v1/alerts/silences"): (
        "/api/v1/alerts/silences", {"matchers": [{"name": "a", "value": "b"}], "endsAt": "2100-01-01T00:00:00Z"},
        {("matchers",): f("a", True), ("startsAt",): f("s"), ("endsAt",): f("s", True), ("createdBy",): f("s"),
         ("comment",): f("s"), ("matchers", 0): f("o"), ("matchers", 0, "name"): f("s", True),
         ("matchers", 0, "value"): f("s", True), ("matchers", 0, "isRegex"): f("b"),
         ("matchers", 0, "isEqual"): f("b")}),
    ("POST", "/api/v1/subscriptions"): (
        "/api/v1/subscriptions",
        {"name": "sweep-sub", "source": "logs", "query": '{app="x"}', "webhook": {"url": "http://127.0.0.1:9/"}},
        {("name",): f("s", True), ("source",): f("s", True), ("query",): f("s", True), ("template",): f("s"),
         ("min_interval_s",): f("n"), ("webhook",): f("o"), ("email",): f("o"), ("webhook", "url"): f("s", True)}),
    ("POST", "/loki/api/v1/push"): (
        "/loki/api/v1/push",
        {"streams": [{"stream": {"app": "sweep"}, "values": [[str(time.time_ns()), "line"]]}]},
        {("streams",): f("a", True), ("streams", 0): f("o"), ("streams", 0, "stream"): f("o", True),
         ("streams", 0, "values"): f("a", True), ("streams", 0, "stream", "app"): f("s"),
         ("streams", 0, "values", 0): f("a"), ("streams", 0, "values", 0, 0): f("s", True),
         ("streams", 0, "values", 0, 1): f("s", True)}),
    ("POST", "/api/v1/keys"): (
        "/api/v1/keys", {"name": "sweep-key", "role": "viewer"},
        {("name",): f("s", True), ("role",): f("s", True), ("services",): f("a"), ("services", 0): f("s"),
         ("rate_limit",): f("o"), ("rate_limit", "rps"): f("n"), ("rate_limit", "burst"): f("n"),
         ("rate_limit", "tpm"): f("n"), ("quota",): f("o"), ("quota", "daily_requests"): f("i"),
         ("quota", "monthly_requests"): f("i"), ("quota", "monthly_tokens"): f("i"), ("priority",): f("i"),
         ("expires_at",): f("s")}),
    ("POST", "/api/v1/services"): (
        "/api/v1/services", {"name": "sweep-created", "routes": [{"model": "sweep", "version": 1}]},
        {("name",): f("s", True), **SERVICE_FIELDS, ("routes",): f("a", True), ("routes", 0): f("o", True)}),
    ("PATCH", "/api/v1/services/{name}"): ("/api/v1/services/sweep-svc", {}, {("name",): f("s"), **SERVICE_FIELDS}),
    ("POST", "/v1/chat/completions"): (
        "/v1/chat/completions", {"model": "sweep-llm", "messages": [{"role": "user", "content": "hi"}]}, CHAT_FIELDS),
    ("POST", "/v1/completions"): (
        "/v1/completions", {"model": "sweep-llm", "prompt": "hi"},
        {("model",): f("s", True), ("prompt",): f("sa", True), ("prompt", 0): f("sia"), ("max_tokens",): f("i"),
         ("temperature",): f("n"), ("stream",): f("b"), ("stop",): f("sa"), ("seed",): f("i")}),
    ("POST", "/api/v1/jobs"): (
        "/api/v1/jobs", {"kind": "artifacts.verify", "params": {}},
        {("kind",): f("s", True), ("params",): f("o"), ("priority",): f("i"), ("cpu_slots",): f("i")}),
    ("POST", "/v1/embeddings"): (
        "/v1/embeddings", {"model": "sweep-llm", "input": "hi"},
        {("model",): f("s", True), ("input",): f("sa", True), ("input", 0): f("sia"), ("encoding_format",): f("s")}),
}

# Write routes without JSON fields: their parameters filled so that nothing real is deleted.
OTHER_PATHS = {
    "/api/v1/models/{name}": "/api/v1/models/sweep-absent",
    "/api/v1/models/{name}/versions": "/api/v1/models/sweep/versions",
    "/api/v1/models/{name}/versions/{ref}": "/api/v1/models/sweep/versions/99",
    "/api/v1/models/{name}/aliases/{alias}": "/api/v1/models/sweep/aliases/absent",
    "/v2/models/{model}/versions/{version}/infer": "/v2/models/sweep/versions/1/infer",
    "/api/v1/alerts/rules/{group}": "/api/v1/alerts/rules/sweep-absent",
    "/api/v1/alerts/silences/{id}": "/api/v1/alerts/silences/absent",
    "/api/v1/subscriptions/{id}": "/api/v1/subscriptions/absent",
    "/api/v1/keys/{id}": "/api/v1/keys/absent",
    "/api/v1/services/{name}": "/api/v1/services/sweep-absent",
    "/api/v1/jobs/{id}/cancel": "/api/v1/jobs/j-absent/cancel",
}
NOT_AN_OBJECT = ["null", "[]", '"x"', "1", "{", "[" * 2_000 + "]" * 2_000, "[" * 150_000 + "]" * 150_000,
                 json.dumps(MEGABYTE_STRING)]


def set_path(body, path, value):
    """`body` with `value` at `path` (keys and list indexes), making (or replacing) the containers on the way."""
    node = body
    for i, step in enumerate(path):
        if i == len(path) - 1:
            if isinstance(step, int):
                node.extend([None] * (step + 1 - len(node)))
            node[step] = value
            return body
        container = dict if isinstance(path[i + 1], str) else list
        if isinstance(step, int):
            node.extend([None] * (step + 1 - len(node)))
            child = node[step]
        else:
            child = node.get(step)
        if not isinstance(child, container):
            node[step] = child = container()
        node = child
    return body


def find_path(body, path):
    """The container holding the last step of `path` in `body`, or None when the path is not there."""
    node = body
    for step in path[:-1]:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return None
    last = path[-1]
    present = (isinstance(last, int) and isinstance(node, list) and last < len(node)) or \
        (isinstance(last, str) and isinstance(node, dict) and last in node)
    return node if present else None


def with_value(base, path, value=None, raw=None):
    body = set_path(json.loads(json.dumps(base)), path, RAW if raw is not None else value)
    text = json.dumps(body)
    return text.replace(json.dumps(RAW), raw) if raw is not None else text


def cases(base, fields):
    """(what, body text, expected: '400' or 'deep' or 'any')"""
    for path, spec in fields.items():
        name = ".".join(map(str, path))
        types, required = spec["types"], spec["required"]
        for letter, value in WRONG.items():
            if not accepts(types, letter):
                yield f"{name}={letter}", with_value(base, path, value), "400"
        yield f"{name}=null", with_value(base, path, None), "400" if required else "any"
        body = json.loads(json.dumps(base))
        if required and (holder := find_path(body, path)) is not None:
            holder.pop(path[-1])
            yield f"{name} missing", json.dumps(body), "400"
        yield f"{name}=1e400", with_value(base, path, raw="1e400"), "400"
        for number in HUGE_NUMBERS:
            yield f"{name}={number}", with_value(base, path, raw=number), "any" if accepts(types, "i") else "400"
        yield f"{name}=1MB", with_value(base, path, MEGABYTE_STRING), "any" if "s" in types else "400"
        for levels in DEEP:
            yield f"{name} nested {levels}", with_value(base, path, raw="[" * levels + "1" + "]" * levels), "deep"


def error_message(response):
    """The message of an error answer in maas's, Open Inference's or OpenAI's shape."""
    error = response.json()["error"]
    return error if isinstance(error, str) else error["message"]


class Sweep:
    def __init__(self, server):
        self.server = server
        self.count = 0

    def send(self, method, path, body, what, expected):
        self.count += 1
        r = self.server._request(method, path, 120, data=body, headers={"Content-Type": "application/json"})
        where = f"{method} {path} [{what}]"
        assert self.server.proc.poll() is None, f"maasd died on {where}: {self.server.log()}"
        assert r.status_code < 500, f"{where}: {r.status_code} {r.text[:300]}"
        if r.status_code >= 400:
            assert error_message(r), f"{where}: no message in {r.text[:300]}"
        if expected in ("400", "deep"):
            assert r.status_code == 400, f"{where}: expected a 400, got {r.status_code} {r.text[:300]}"
        if expected == "deep":
            assert "nested deeper than 1024 levels" in error_message(r), f"{where}: {r.text[:300]}"


@pytest.fixture
def sweep_server(maasd, models_dir):
    register(maasd, "sweep", models_dir / GOOD["xgboost-json"])
    load(maasd, "sweep")
    assert maasd.put("/api/v1/models/sweep/aliases/prod", json={"version": 1}).status_code in (200, 201)
    r = maasd.post("/api/v1/services", json={"name": "sweep-svc", "routes": [{"model": "sweep", "version": 1}]})
    assert r.status_code == 201, r.text
    r = maasd.post("/api/v1/alerts/rules", json=RULE_GROUP)
    assert r.status_code == 201, r.text
    return maasd


def write_routes(server):
    routes = server.get("/api/v1/routes").json()["routes"]
    return [(r["method"], r["path"]) for r in routes if r["method"] in ("POST", "PUT", "PATCH", "DELETE")]


def test_every_write_route_answers_hostile_bodies_with_a_4xx(sweep_server):
    server = sweep_server
    sweep = Sweep(server)
    listed = write_routes(server)
    assert set(ROUTES) <= set(listed), f"the table names routes maasd no longer has: {set(ROUTES) - set(listed)}"
    for method, template in listed:
        path, base, fields = ROUTES.get((method, template), (OTHER_PATHS.get(template, template), None, None))
        for body in NOT_AN_OBJECT:
            expected = "any" if fields is None else ("deep" if body.startswith("[[") else "400")
            sweep.send(method, path, body, f"body {body[:12]!r}", expected)
        if fields is None:
            continue
        sweep.send(method, path, json.dumps(base), "base", "any")
        for what, body, expected in cases(base, fields):
            sweep.send(method, path, body, what, expected)
    # The model still serves after all of it.
    r = server.post("/v2/models/sweep/infer", json={"inputs": [INPUT]})
    assert r.status_code == 200, r.text
    assert server.get("/api/v1/health").status_code == 200
    assert sweep.count > 1000, sweep.count


@pytest.mark.parametrize("path, body", [
    # get<int64_t>() once wrapped 2^64 - 1 to -1: a priority of -1 and a seed of -1 were accepted.
    ("/api/v1/keys", '{"name": "k", "role": "viewer", "priority": 18446744073709551615}'),
    ("/v1/chat/completions", '{"model": "m", "messages": [{"role": "user", "content": "hi"}], "seed": 18446744073709551615}'),
    ("/api/v1/jobs", '{"kind": "artifacts.verify", "priority": 18446744073709551615}'),
    # Unix seconds that do not fit in milliseconds: converting them was undefined behaviour.
    ("/api/v1/keys", '{"name": "k", "role": "viewer", "expires_at": 1e300}'),
], ids=["key priority", "chat seed", "job priority", "key expires_at"])
def test_integers_out_of_range_are_refused_not_wrapped(maasd, path, body):
    r = maasd.post(path, data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert error_message(r)
