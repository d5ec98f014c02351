"""Extraction rules over a real maasd (docs/DATA.md#extraction-rules): POST /api/v1/rules/test runs a regex, grok,
jsonpath or sql rule over a sample and answers the typed rows it produced and the rows it rejected with the reason,
recording nothing; bad patterns and SQL are clear 400s, and SQL cannot read any file but its input."""
import json

import pytest

from conftest import error_of

ACCESS_LOG = [
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://x.example/" "Mozilla/4.08"',
    '10.1.2.3 - - [11/Oct/2000:01:02:03 +0000] "POST /api/v1/login?next=%2F HTTP/1.1" 302 - "-" "curl/8.0"',
    'garbage that is not an access log',
    '2001:db8::7 - - [12/Oct/2000:23:59:59 +0200] "GET / HTTP/2.0" 404 12x "-" "bot"',
]
GROK = {"type": "grok", "pattern": "^%{IPORHOST:client} %{USER:ident} %{USER:auth} \\[%{HTTPDATE:when}\\] "
                                   "\"%{WORD:verb} %{NOTSPACE:path} HTTP/%{NUMBER:http:float}\" %{INT:status:int} "
                                   "(?:%{INT:bytes:int}|-) %{QS:referrer} %{QS:agent}$",
        "columns": [{"name": "when", "type": "timestamp", "format": "%d/%b/%Y:%H:%M:%S %z"},
                    {"name": "auth", "nullable": True}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("rules") / "data").start()
    yield s
    assert s.stop() == 0


def try_rule(server, rule, **sample):
    return server.post("/api/v1/rules/test", json={"rule": rule, **sample})


def by_name(answer):
    names = [c["name"] for c in answer["columns"]]
    return [dict(zip(names, row)) for row in answer["rows"]]


def test_grok_parses_a_web_access_log_and_keeps_rejects(server):
    r = try_rule(server, GROK, lines=ACCESS_LOG)
    assert r.status_code == 200, r.text
    a = r.json()
    types = {c["name"]: c["type"] for c in a["columns"]}
    assert types["status"] == "BIGINT" and types["bytes"] == "BIGINT" and types["when"] == "TIMESTAMP"
    assert types["http"] == "DOUBLE"
    rows = by_name(a)
    assert a["rows_produced"] == 2 and a["rows_rejected"] == 2
    assert rows[0]["client"] == "127.0.0.1" and rows[0]["auth"] == "frank" and rows[0]["bytes"] == 2326
    assert rows[0]["when"] == "2000-10-10 20:55:36"
    assert rows[1]["auth"] is None and rows[1]["bytes"] is None and rows[1]["status"] == 302
    assert rows[1]["path"] == "/api/v1/login?next=%2F"
    rejected = {x["line"]: x for x in a["rejected"]}
    assert rejected[3]["error_type"] == "NO_MATCH" and rejected[3]["raw"] == ACCESS_LOG[2]
    # 12x matches neither %{INT} nor "-": the whole line does not match.
    assert rejected[4]["error_type"] == "NO_MATCH"


def test_regex_casts_reject_with_the_column_and_reason(server):
    rule = {"type": "regex", "pattern": r"^(?P<user>\w+) took (?P<ms>\S+)ms at (?P<at>\S+)$",
            "columns": [{"name": "ms", "type": "int"}, {"name": "at", "type": "timestamp"}]}
    r = try_rule(server, rule, lines=["ann took 12ms at 2026-12-07T10:00:00Z", "bob took 1.5ms at 2026-12-07T10:00:01Z",
                                  "cy took 3ms at yesterday"])
    assert r.status_code == 200, r.text
    a = r.json()
    assert by_name(a)[0]["ms"] == 12
    assert [(x["line"], x["column"], x["error_type"]) for x in a["rejected"]] == [(2, "ms", "CAST"), (3, "at", "CAST")]
    assert "'1.5' is not an int" in a["rejected"][0]["message"]


def test_jsonpath_over_json_lines(server):
    rule = {"type": "jsonpath", "columns": [{"name": "user", "path": "$.user.id", "type": "int"},
                                             {"name": "tags", "path": "$.tags[*]"},
                                             {"name": "ok", "path": "$['flags'][0]", "type": "bool"}]}
    r = try_rule(server, rule, lines=['{"user": {"id": 7}, "tags": ["a", "b"], "flags": [true]}', '{"user": {}}', "[1, 2]"])
    assert r.status_code == 200, r.text
    a = r.json()
    assert {c["name"]: c["type"] for c in a["columns"]}["tags"] == "VARCHAR[]"
    assert by_name(a) == [{"user": 7, "tags": ["a", "b"], "ok": True}, {"user": None, "tags": [], "ok": None}]
    assert a["rejected"][0]["error_type"] == "NOT_JSON" and a["rejected"][0]["line"] == 3


def test_sql_over_rows_with_casts(server):
    rule = {"type": "sql", "sql": "SELECT name, amount, length(name) AS n FROM source WHERE name <> 'skip'",
            "columns": [{"name": "amount", "type": "float"}]}
    rows = [{"name": "a", "amount": "12.5"}, {"name": "b", "amount": "oops"}, {"name": "skip", "amount": "1"}]
    r = try_rule(server, rule, rows=rows)
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["rows_produced"] == 1 and a["rows_rejected"] == 1
    assert by_name(a)[0]["amount"] == 12.5
    assert a["rejected"][0]["column"] == "amount"
    # The raw line is the row as the query gave it, before the casts.
    assert json.loads(a["rejected"][0]["raw"]) == {"name": "b", "amount": "oops", "n": 1}


def test_discovered_rules_test_as_they_are(server):
    lines = [f"2026-12-07 10:00:{i:02d} INFO Received block blk_{i * 7} of size {100 + i}" for i in range(20)]
    d = server.post("/api/v1/rules/discover", data="\n".join(lines).encode(), headers={"Content-Type": "text/plain"})
    assert d.status_code == 200, d.text
    rule = d.json()["templates"][0]["rule"]
    r = try_rule(server, rule, lines=lines)
    assert r.status_code == 200, r.text
    assert r.json()["rows_produced"] == 20 and r.json()["rows_rejected"] == 0


@pytest.mark.parametrize("rule, words", [
    ({"type": "regex", "pattern": "(?P<a>[a-"}, "not valid RE2"),
    ({"type": "regex", "pattern": "(?<=x)(?P<a>y)"}, "not valid RE2"),
    ({"type": "grok", "pattern": "%{NOSUCH:a}"}, "unknown pattern"),
    ({"type": "jsonpath", "columns": [{"name": "a", "path": "$..a"}]}, "JSON path"),
    ({"type": "regex", "pattern": "(?P<a>x)", "columns": [{"name": "a", "type": "timestamp", "format": "%Q"}]},
     "unsupported directive"),
    ({"type": "sql", "sql": "SELEC 1"}, "not one valid SELECT"),
    ({"type": "sql", "sql": "SELECT 1; DROP TABLE x"}, "not one valid SELECT"),
    ({"type": "sql", "sql": "SELECT * FROM nowhere"}, "not one valid SELECT"),
])
def test_bad_rules_are_clear_400s(server, rule, words):
    r = try_rule(server, rule, lines=["x"])
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"]


def test_sql_cannot_read_other_files(server, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    for sql in [f"SELECT * FROM read_csv('{secret}')", "SELECT * FROM read_text('/etc/passwd')",
                f"SELECT * FROM '{secret}'", "SELECT * FROM glob('/*')"]:
        r = try_rule(server, {"type": "sql", "sql": sql}, lines=["x"])
        assert r.status_code in (400, 403), (sql, r.text)
        assert "Permission Error" in error_of(r)["message"] or "disabled" in error_of(r)["message"], r.text
        assert "root:" not in r.text


def test_sample_and_body_bounds(server):
    assert try_rule(server, {"type": "regex", "pattern": "(?P<a>x)"}).status_code == 400
    r = server.post("/api/v1/rules/test", json={"rule": {"type": "regex", "pattern": "(?P<a>.)"},
                                                 "lines": ["x" * 1000] * 5000})
    assert r.status_code == 413, r.text
    assert "rules.test_max_body_bytes" in error_of(r)["message"]


def test_rules_are_versioned_and_immutable(server):
    r = server.post("/api/v1/rules", json={"name": "access", "description": "web access", "rule": GROK})
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert v1["version"] == 1 and v1["latest_version"] == 1 and v1["rule"]["type"] == "grok"
    assert server.post("/api/v1/rules", json={"name": "access", "rule": GROK}).status_code == 409
    changed = dict(GROK, columns=[{"name": "status", "type": "string"}])
    r = server.put("/api/v1/rules/access", json={"rule": changed})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["description"] == "web access"
    assert server.get("/api/v1/rules/access").json()["rule"]["columns"] == [{"name": "status", "type": "string"}]
    old = server.get("/api/v1/rules/access", params={"version": 1}).json()
    assert old["rule"]["columns"][0]["name"] == "when" and old["latest_version"] == 2
    assert [v["version"] for v in server.get("/api/v1/rules/access/versions").json()["versions"]] == [1, 2]
    assert server.get("/api/v1/rules/access", params={"version": 9}).status_code == 404
    # An invalid update is refused and records nothing.
    r = server.put("/api/v1/rules/access", json={"rule": {"type": "regex", "pattern": "(?P<a>[x-"}})
    assert r.status_code == 400 and "not valid RE2" in error_of(r)["message"]
    assert server.get("/api/v1/rules/access").json()["version"] == 2
    names = [x["name"] for x in server.get("/api/v1/rules").json()["rules"]]
    assert "access" in names
    assert server.delete("/api/v1/rules/access").status_code == 204
    assert server.get("/api/v1/rules/access").status_code == 404
    assert server.delete("/api/v1/rules/access").status_code == 404


def test_a_discovered_rule_saves_as_it_is(server):
    lines = [f"user{i} logged in from 10.0.0.{i}" for i in range(10)]
    d = server.post("/api/v1/rules/discover", data="\n".join(lines).encode(), headers={"Content-Type": "text/plain"})
    rule = d.json()["templates"][0]["rule"]
    r = server.post("/api/v1/rules", json={"name": "logins", "rule": rule})
    assert r.status_code == 201, r.text
    assert r.json()["rule"]["pattern"] == rule["pattern"]


def test_bad_rule_bodies_are_400(server):
    assert server.post("/api/v1/rules", json={"name": "x"}).status_code == 400
    assert server.post("/api/v1/rules", json={"name": "Bad Name", "rule": GROK}).status_code == 400
    assert server.post("/api/v1/rules", json={"name": "x", "rule": GROK, "extra": 1}).status_code == 400
    r = server.post("/api/v1/rules", json={"name": "x", "rule": {"type": "sql", "sql": 42}})
    assert r.status_code == 400 and "'sql' must be a string" in error_of(r)["message"]


def run_rule(server, rule, expect_state="succeeded", **body):
    from jobs_client import wait_for
    r = server.post(f"/api/v1/rules/{rule}/run", json=body)
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "data.rule"
    job_id = r.json()["id"]
    job = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 120, f"rule job {job_id}")
    assert job["state"] == expect_state, job
    return job


def upload_lines(server, dataset, lines):
    server.post("/api/v1/datasets", json={"name": dataset})
    body = "\n".join(json.dumps({"line": line}) for line in lines).encode()
    r = server.post(f"/api/v1/datasets/{dataset}/versions", params={"filename": "lines.jsonl"}, data=body,
                    headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 201, r.text
    return r.json()


def rows_of(server, dataset, version="latest", path="preview"):
    r = server.get(f"/api/v1/datasets/{dataset}/versions/{version}/{path}", params={"limit": 1000})
    assert r.status_code == 200, r.text
    names = [c["name"] for c in r.json()["columns"]]
    return [dict(zip(names, row)) for row in r.json()["rows"]]


def test_a_rule_runs_over_a_dataset_version_as_a_job(server):
    lines = ACCESS_LOG * 50
    upload_lines(server, "weblog", lines)
    assert server.post("/api/v1/rules", json={"name": "web", "rule": GROK}).status_code == 201
    job = run_rule(server, "web", dataset="weblog", into="web-rows", description="parsed")
    assert job["result"]["rows"] == 100 and job["result"]["rejected_rows"] == 100
    v = server.get("/api/v1/datasets/web-rows/versions/latest").json()
    assert v["row_count"] == 100 and v["rejected_rows"] == 100 and v["description"] == "parsed"
    assert v["lineage"]["rule"] == "web@1" and v["lineage"]["job_id"] == job["id"]
    assert v["lineage"]["source"] == "dataset:weblog@1"
    assert v["lineage"]["parents"] == [{"dataset": "weblog", "version": 1}]
    assert v["lineage"]["details"]["rule"] == {"name": "web", "version": 1, "type": "grok"}
    types = {c["name"]: c["type"] for c in v["schema"]}
    assert types["status"] == "BIGINT" and types["when"] == "TIMESTAMP"
    rows = rows_of(server, "web-rows")
    assert rows[0]["client"] == "127.0.0.1" and rows[1]["bytes"] is None
    # Rejected rows are kept as imports keep them: their input row, the reason and the raw line.
    rejects = rows_of(server, "web-rows", path="rejects")
    assert len(rejects) == 100 and rejects[0]["line"] == 3 and rejects[0]["error_type"] == "NO_MATCH"
    assert rejects[0]["raw_line"] == ACCESS_LOG[2]
    # A new rule version runs as itself; the old version stays runnable by number.
    assert server.put("/api/v1/rules/web", json={"rule": {"type": "regex", "pattern": r"^(?P<ip>\S+) "}}).status_code == 200
    run_rule(server, "web", dataset="weblog", into="web-rows")
    v2 = server.get("/api/v1/datasets/web-rows/versions/latest").json()
    assert v2["version"] == 2 and v2["lineage"]["rule"] == "web@2" and v2["row_count"] == 200
    run_rule(server, "web", dataset="weblog", version=1, rule_version=1, into="web-rows")
    assert server.get("/api/v1/datasets/web-rows/versions/latest").json()["lineage"]["rule"] == "web@1"


def test_sql_and_jsonpath_rules_run_over_a_push_source(server):
    assert server.post("/api/v1/sources", json={"name": "clicks", "kind": "push"}).status_code == 201
    rows = [{"user": f"u{i % 3}", "ms": str(i) if i % 10 else "n/a", "line": json.dumps({"page": f"/p{i}", "n": i})}
            for i in range(30)]
    r = server.post("/api/v1/sources/clicks/rows", json=rows)
    assert r.status_code in (200, 201, 204), r.text
    sql = {"type": "sql", "sql": "SELECT user, ms FROM source WHERE user <> 'u2'",
           "columns": [{"name": "ms", "type": "int"}]}
    assert server.post("/api/v1/rules", json={"name": "clicks-sql", "rule": sql}).status_code == 201
    job = run_rule(server, "clicks-sql", source="clicks", into="clicks-by-user")
    v = server.get("/api/v1/datasets/clicks-by-user/versions/latest").json()
    kept = [row for row in rows if row["user"] != "u2"]
    bad = [row for row in kept if row["ms"] == "n/a"]
    assert v["row_count"] == len(kept) - len(bad) and v["rejected_rows"] == len(bad), (v, job)
    assert v["lineage"]["source"] == "source:clicks" and v["lineage"]["rule"] == "clicks-sql@1"
    assert {c["name"]: c["type"] for c in v["schema"]}["ms"] == "BIGINT"
    jp = {"type": "jsonpath", "columns": [{"name": "page", "path": "$.page"}, {"name": "n", "path": "$.n", "type": "int"}]}
    assert server.post("/api/v1/rules", json={"name": "clicks-json", "rule": jp}).status_code == 201
    run_rule(server, "clicks-json", source="clicks", into="pages")
    assert sorted(r["n"] for r in rows_of(server, "pages")) == list(range(30))


def test_run_requests_are_checked(server):
    upload_lines(server, "few", ["a b"])
    assert server.post("/api/v1/rules", json={"name": "ab", "rule": {"type": "regex", "pattern": "(?P<a>\\w+)"}}).status_code == 201
    for body, words in [({"into": "x"}, "dataset"), ({"dataset": "few"}, "into"),
                        ({"dataset": "few", "source": "clicks", "into": "x"}, "dataset"),
                        ({"dataset": "nope", "into": "x"}, "nope"), ({"dataset": "few", "into": "Bad Name"}, ""),
                        ({"dataset": "few", "into": "x", "rule_version": 7}, "version 7")]:
        r = server.post("/api/v1/rules/ab/run", json=body)
        assert r.status_code in (400, 404), (body, r.text)
        assert words in error_of(r)["message"], (body, r.text)
    assert server.post("/api/v1/rules/nope/run", json={"dataset": "few", "into": "x"}).status_code == 404
    # A field the input lacks fails the job with a message naming the columns it has.
    server.put("/api/v1/rules/ab", json={"rule": {"type": "regex", "pattern": "(?P<a>\\w+)", "field": "text"}})
    job = run_rule(server, "ab", expect_state="failed", dataset="few", into="x")
    assert "no column 'text'" in json.dumps(job["error"])


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT 1; SELECT 2", "DROP TABLE source", "COPY source TO '/tmp/x.csv'"])
def test_sql_that_is_not_one_select_is_refused_at_create(server, sql):
    r = server.post("/api/v1/rules", json={"name": "bad-sql", "rule": {"type": "sql", "sql": sql}})
    assert r.status_code == 400, r.text
    assert "not one valid SELECT" in error_of(r)["message"]


def test_a_sql_run_cannot_read_files_other_than_its_input(server, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    upload_lines(server, "plain", ["a"])
    rule = {"type": "sql", "sql": f"SELECT s.* FROM source, read_csv('{secret}') s"}
    assert server.post("/api/v1/rules", json={"name": "escape", "rule": rule}).status_code == 201
    job = run_rule(server, "escape", expect_state="failed", dataset="plain", into="stolen")
    assert "Permission Error" in json.dumps(job["error"]) and "hunter2" not in json.dumps(job)
    assert server.get("/api/v1/datasets/stolen").status_code == 404


def test_jsonpath_over_whole_rows(server):
    rule = {"type": "jsonpath", "field": "*", "columns": [{"name": "city", "path": "$.address.city"},
                                                           {"name": "n", "path": "$.n", "type": "int"}]}
    r = try_rule(server, rule, rows=[{"n": 1, "address": {"city": "Oslo"}}, {"n": 2, "address": {"city": "Rome"}}])
    assert r.status_code == 200, r.text
    assert by_name(r.json()) == [{"city": "Oslo", "n": 1}, {"city": "Rome", "n": 2}]


def test_a_sql_rule_column_the_query_lacks_is_a_400(server):
    rule = {"type": "sql", "sql": "SELECT x FROM source", "columns": [{"name": "y", "type": "int"}]}
    r = try_rule(server, rule, rows=[{"x": 1}])
    assert r.status_code == 400 and "does not fit the rule's columns" in error_of(r)["message"], r.text
