"""A Loki URL as the log store (logs.store: loki), tested against maasd itself as the Loki (Grafana Loki is not
packaged in Debian 12): maasd A keeps its embedded store; maasd B pushes its records to A and forwards Loki
queries to it. Records produced in B are found by querying A and by querying B."""
import time

import pytest

from conftest import ADMIN_KEY, error_of
from peers import free_port, metric, poll


def loki_config(tmp_path, name, url, **extra):
    lines = [f"    {k}: {v}" for k, v in extra.items()]
    path = tmp_path / f"{name}.yaml"
    path.write_text("logs:\n  store: loki\n  loki:\n" + f"    url: {url}\n    tenant: team-a\n" + "\n".join(lines) + "\n")
    return ["--config", str(path)]


def streams(server, query):
    r = server.get("/loki/api/v1/query_range", params={"query": query, "limit": 100})
    assert r.status_code == 200, r.text
    return r.json()["data"]["result"]


def lines_of(result):
    return sorted(v[1] for s in result for v in s["values"])


def test_records_of_b_are_stored_in_a_and_found_through_both(maasd_factory, tmp_path):
    # A takes B's own streams ({job="maasd"}), which a push may not claim unless the receiving maasd allows it.
    a = maasd_factory(tmp_path / "a", extra_args=["--logs-accept-maasd-pushes", "true"]).start()
    # B authenticates to A with a key A accepts (here A's admin key, from the environment, not the YAML).
    b = maasd_factory(tmp_path / "b", extra_args=loki_config(tmp_path, "b", a.url),
                      env={"MAAS_LOGS_LOKI_BEARER_TOKEN": ADMIN_KEY}).start()

    now = time.time_ns()
    r = b.post("/loki/api/v1/push", json={"streams": [{"stream": {"app": "via-b"},
                                                        "values": [[str(now), "one"], [str(now + 1), "two error"]]}]})
    assert r.status_code == 204, r.text
    # Also a record maasd B makes itself: the request record of a call only B received.
    assert b.get("/api/v1/models/only-on-b").status_code == 404

    found = poll(lambda: streams(a, '{app="via-b"}'), what="B's pushed records in A")
    assert lines_of(found) == ["one", "two error"]
    own = poll(lambda: streams(a, '{job="maasd", kind="request"} |= "only-on-b"'), what="B's request record in A")
    assert '"status":404' in own[0]["values"][0][1]

    # B answers Loki queries by forwarding them to A: the same results, in Loki's shapes.
    assert lines_of(streams(b, '{app="via-b"} |= "error"')) == ["two error"]
    counts = b.get("/loki/api/v1/query", params={"query": 'sum(count_over_time({app="via-b"}[1h]))'}).json()
    assert counts["data"]["resultType"] == "vector" and counts["data"]["result"][0]["value"][1] == "2"
    assert "app" in b.get("/loki/api/v1/labels", params={"start": "0"}).json()["data"]
    assert b.get("/loki/api/v1/label/app/values", params={"start": "0"}).json()["data"] == ["via-b"]
    assert error_of(b.get("/loki/api/v1/query_range", params={"query": "{app="}))["code"] == "INVALID_ARGUMENT"

    poll(lambda: (metric(b, "maas_log_remote_entries_total", result="pushed") or 0) >= 3, what="pushes counted")
    assert b.stop() == 0 and a.stop() == 0


def test_an_unreachable_loki_is_counted_and_never_blocks_requests(maasd_factory, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    b = maasd_factory(tmp_path / "b", extra_args=loki_config(tmp_path, "b", dead, buffer_entries=5)).start()
    push = {"streams": [{"stream": {"app": "x"}, "values": [["1", "a"], ["2", "b"]]}]}
    assert b.post("/loki/api/v1/push", json=push).status_code == 204  # buffered
    poll(lambda: (metric(b, "maas_log_remote_entries_total", result="failed") or 0) >= 2, what="the batch dropped")
    assert metric(b, "maas_log_remote_push_errors_total") >= 3  # the first try and its retries
    # Queries need the remote: a clear 503 naming it.
    error = error_of(b.get("/loki/api/v1/query_range", params={"query": '{app="x"}'}))
    assert error["code"] == "UNAVAILABLE" and dead in error["message"]
    # A push larger than the buffer is refused at once with 429, never waited on.
    big = {"streams": [{"stream": {"app": "x"}, "values": [[str(i), "l"] for i in range(1, 10)]}]}
    r = b.post("/loki/api/v1/push", json=big)
    assert r.status_code == 429 and error_of(r)["code"] == "RESOURCE_EXHAUSTED"
    assert b.get("/api/v1/health").status_code == 200
    assert b.stop() == 0


def test_loki_without_a_url_is_a_configuration_error(maasd_factory, tmp_path):
    (tmp_path / "c.yaml").write_text("logs: {store: loki}\n")
    server = maasd_factory(tmp_path / "c", extra_args=["--config", str(tmp_path / "c.yaml")])
    with pytest.raises(RuntimeError, match="logs.loki.url"):
        server.start()
