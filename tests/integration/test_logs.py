"""The log center through maasd: Loki's push format in, LogQL out through Loki's query endpoints; maasd's own
request and event records; live tail over SSE and `maas logs --follow`; durability across kill -9; retention into
queryable archives."""
import gzip
import json
import os
import select
import subprocess
import time

import pytest
import requests

from cli_driver import cli_for
from conftest import error_of
from peers import poll


def now_ns():
    return time.time_ns()


def push(maasd, streams, gzipped=False):
    body = json.dumps({"streams": streams}).encode()
    headers = {"Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return maasd.post("/loki/api/v1/push", data=body, headers=headers)


def query_range(maasd, query, **params):
    r = maasd.get("/loki/api/v1/query_range", params={"query": query, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "success"
    return body["data"]


def lines_of(data):
    return [v[1] for s in data["result"] for v in s["values"]]


def test_pushed_records_are_found_by_logql(maasd):
    t = now_ns()
    streams = [{"stream": {"app": "shop", "level": "error"},
                "values": [[str(t + i), json.dumps({"msg": f"payment failed {i}", "status": 500 + i})] for i in range(3)]},
               {"stream": {"app": "shop", "level": "info"}, "values": [[str(t + 10), "checkout ok"]]}]
    assert push(maasd, streams).status_code == 204
    assert push(maasd, [{"stream": {"app": "cart"}, "values": [[str(t + 20), "gzip travels too"]]}],
                gzipped=True).status_code == 204

    data = query_range(maasd, '{app="shop"} |= "payment"', limit=2)
    assert data["resultType"] == "streams"
    assert lines_of(data) == [json.dumps({"msg": "payment failed 2", "status": 502}),
                              json.dumps({"msg": "payment failed 1", "status": 501})]
    assert lines_of(query_range(maasd, '{app="shop"} | json | status >= 501 | msg =~ ".*failed 1"')) == [
        json.dumps({"msg": "payment failed 1", "status": 501})]
    assert lines_of(query_range(maasd, '{app=~"shop|cart"} != "payment"', direction="forward")) == [
        "checkout ok", "gzip travels too"]
    counts = query_range(maasd, 'sum by (level) (count_over_time({app="shop"}[1h]))', step="60s")
    assert counts["resultType"] == "matrix"
    assert {s["metric"]["level"]: s["values"][-1][1] for s in counts["result"]} == {"error": "3", "info": "1"}
    instant = maasd.get("/loki/api/v1/query", params={"query": 'count_over_time({app="cart"}[5m])'}).json()
    assert instant["data"]["resultType"] == "vector" and instant["data"]["result"][0]["value"][1] == "1"

    labels = maasd.get("/loki/api/v1/labels").json()["data"]
    assert {"app", "level"} <= set(labels)
    assert maasd.get("/loki/api/v1/label/app/values").json()["data"] == ["cart", "shop"]


def test_push_and_query_errors_are_json(maasd):
    r = maasd.post("/loki/api/v1/push", data=b"\x00", headers={"Content-Type": "application/x-protobuf"})
    assert r.status_code == 415 and "JSON" in error_of(r)["message"]
    r = maasd.post("/loki/api/v1/push", data=b"{}", headers={"Content-Type": "application/json",
                                                               "Content-Encoding": "snappy"})
    assert r.status_code == 415
    r = push(maasd, [{"stream": {"bad-name": "x"}, "values": [[str(now_ns()), "x"]]}])
    assert r.status_code == 400 and "invalid label name" in error_of(r)["message"]
    r = maasd.post("/loki/api/v1/push", data=b"not gzip", headers={"Content-Type": "application/json",
                                                                     "Content-Encoding": "gzip"})
    assert r.status_code == 400
    r = maasd.get("/loki/api/v1/query_range", params={"query": '{app="x"} |~ "("'})
    assert r.status_code == 400 and "regular expression" in error_of(r)["message"]
    r = maasd.get("/loki/api/v1/query_range", params={"query": '{app="x"}', "start": "yesterday"})
    assert r.status_code == 400 and "start" in error_of(r)["message"]


def test_requests_and_events_become_records(maasd, models_dir):
    assert maasd.post("/api/v1/models", json={"name": "m"}).status_code == 201
    assert maasd.upload("m", models_dir / "xgb_breast_cancer.json").status_code == 201
    assert maasd.post("/v2/repository/models/m/load").status_code == 200
    r = maasd.post("/v2/models/m/infer", json={"inputs": []})
    assert r.status_code == 400
    trace = r.headers["X-Request-Id"]

    def find_request():
        return lines_of(query_range(maasd, '{job="maasd", kind="request"} |= "' + trace + '"'))
    line = json.loads(poll(find_request, what="the request record")[0])
    assert line["trace_id"] == trace and line["status"] == 400 and line["route"] == "/v2/models/{model}/infer"
    assert line["model"] == "m" and line["version"] == "1" and line["latency_ms"] > 0 and line["bytes_in"] > 0
    events = poll(lambda: lines_of(query_range(maasd, '{job="maasd", kind="event"} | json | state="READY"')),
                  what="the READY event")
    assert json.loads(events[0])["model"] == "m"
    timeline = maasd.get("/api/v1/models/m/versions/1/events").json()
    assert timeline["model"] == "m" and timeline["version"] == 1
    states = [e.get("state") for e in timeline["events"] if e["event"] == "state"]
    assert states[:2] == ["LOADING", "READY"] and all("at" in e for e in timeline["events"]), timeline
    assert maasd.get("/api/v1/models/absent/versions/1/events").status_code == 404
    # Never a secret: the key the requests carried appears in no record.
    everything = query_range(maasd, '{job="maasd"}', limit=5000)
    assert maasd.admin_key not in json.dumps(everything)


def test_live_tail_and_cli_follow_show_new_records_within_a_second(maasd):
    with requests.get(maasd.url + "/api/v1/logs/tail", params={"query": '{app="tail"} |= "wanted"'},
                      headers=maasd.auth_headers, stream=True, timeout=30) as sse:
        assert sse.status_code == 200 and sse.headers["content-type"].startswith("text/event-stream")
        lines = sse.iter_lines(decode_unicode=True)
        assert next(lines).startswith(": ")  # the stream is open: anything pushed from now on is seen
        started = time.monotonic()
        assert push(maasd, [{"stream": {"app": "tail"}, "values": [[str(now_ns()), "skipped"],
                                                                   [str(now_ns()), "wanted one"]]}]).status_code == 204
        event = next(line for line in lines if line.startswith("data: "))
        assert time.monotonic() - started < 1.0
        assert json.loads(event[6:])["values"][0][1] == "wanted one"

    # The server frees a tail once a write to its closed connection fails (a keep-alive comment every second).
    poll(lambda: "maas_log_tails 0\n" in maasd.get("/metrics").text, what="the first tail to close")
    cli = cli_for(maasd)
    proc = subprocess.Popen([str(cli.binary), "--server", maasd.url, "logs", '{app="follow"}', "--follow"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env, text=True)
    try:
        poll(lambda: "maas_log_tails 1\n" in maasd.get("/metrics").text, what="the CLI's tail to be open")
        started = time.monotonic()
        assert push(maasd, [{"stream": {"app": "follow"}, "values": [[str(now_ns()), "seen live"]]}]).status_code == 204
        ready, _, _ = select.select([proc.stdout], [], [], 1.0)
        assert ready, "maas logs --follow printed nothing within a second"
        out = proc.stdout.readline()
        assert "seen live" in out and '{app="follow"}' in out, out
        assert time.monotonic() - started < 1.0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_searches_logs(maasd):
    t = now_ns()
    assert push(maasd, [{"stream": {"app": "cli"}, "values": [[str(t), "first"], [str(t + 1), "second"]]}]).status_code == 204
    cli = cli_for(maasd)
    out = cli.ok("logs", '{app="cli"}', "--since", "5m").stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in out] == ['{app="cli"} first', '{app="cli"} second']
    assert [json.loads(line)["line"] for line in cli.ok("--output", "json", "logs", '{app="cli"}', "--limit", "1").stdout.splitlines()] == ["second"]
    assert "expected" in cli.run("logs", '{app=').stderr


def test_acknowledged_pushes_survive_kill_9(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d").start()
    t = now_ns()
    for i in range(20):
        assert push(server, [{"stream": {"app": "durable"}, "values": [[str(t + i), f"entry {i}"]]}]).status_code == 204
    server.kill9()
    server.start()
    assert len(lines_of(query_range(server, '{app="durable"}', limit=100))) == 20
    server.stop()


def test_retention_moves_old_segments_to_a_queryable_archive(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d", extra_args=[
        "--logs-segment-bytes", "1", "--logs-retention-ms", "3600000", "--logs-retention-interval-ms", "100",
        "--logs-requests", "false"]).start()
    old = now_ns() - 3 * 3600 * 10**9
    assert push(server, [{"stream": {"app": "aged"}, "values": [[str(old), "from three hours ago"]]}]).status_code == 204
    assert push(server, [{"stream": {"app": "aged"}, "values": [[str(now_ns()), "fresh"]]}]).status_code == 204
    poll(lambda: server.get("/api/v1/admin/logs").json()["archived_segments"] >= 1, what="the archival")
    window = {"start": str(old - 10**9), "end": str(now_ns())}
    assert lines_of(query_range(server, '{app="aged"}', **window)) == ["fresh"]
    assert lines_of(query_range(server, '{app="aged"}', archive="true", **window)) == ["fresh", "from three hours ago"]
    archive_dir = tmp_path / "d" / "logs" / "archive"
    archived = [p for p in os.listdir(archive_dir) if p.endswith(".zst")]
    assert archived
    # An archive is a zstd file: zstd itself reads the entries.
    out = subprocess.run(["zstd", "-dc", str(archive_dir / archived[0])], capture_output=True, check=True).stdout
    assert b"from three hours ago" in out
    server.stop()


def test_followed_files_become_records_across_rotation(maasd_factory, tmp_path):
    log = tmp_path / "app.log"
    log.write_text("written before maasd started\n")
    server = maasd_factory(tmp_path / "d", extra_args=["--logs-tail-files", str(log),
                                                       "--logs-tail-interval-ms", "50"]).start()
    selector = '{job="file", filename="' + str(log) + '"}'

    def lines():
        return sorted(lines_of(query_range(server, selector)))
    with open(log, "a") as f:
        f.write("first line\nsecond line\nno newline yet")
    assert poll(lambda: lines() == ["first line", "second line"] and lines(), what="the appended lines")
    with open(log, "a") as f:
        f.write(" until now\n")
    poll(lambda: "no newline yet until now" in lines(), what="the completed line")
    log.rename(tmp_path / "app.log.1")
    log.write_text("after rotation\n")
    poll(lambda: "after rotation" in lines(), what="the rotated file's line")
    assert "written before maasd started" not in lines()
    server.stop()
