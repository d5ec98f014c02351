"""Alert rule expressions are bounded at parse time (issue 10, finding 3): a `1+1+...` of 40,000 terms was accepted,
saved, and overflowed the evaluator's stack 15 s later and after every restart. Now the API refuses it, and a rule
file or a saved rules.json holding one stops maasd at start with a message naming the file, the group and the rule.
A group's `interval` and `limit` are Prometheus's and are honoured."""
import json

import pytest

from conftest import Maasd, error_of
from peers import poll


def long_sum(terms):
    return "+".join(["1"] * terms) + " > 0"


def deep_sum(levels):
    return "(" * levels + "1" + ")" * levels + " > 0"


@pytest.mark.parametrize("expr, phrase", [
    (long_sum(40_000), "at most 4096 are accepted"),
    (long_sum(100), "nested deeper than 64 levels"),
    (deep_sum(1_000), "nested deeper than 64 levels"),
], ids=["40000 terms", "100 terms", "1000 brackets"])
def test_oversized_expressions_are_refused_at_the_api(maasd, expr, phrase):
    r = maasd.post("/api/v1/alerts/rules", json={"name": "big", "rules": [{"alert": "Big", "expr": expr}]})
    assert r.status_code == 400, r.text[:300]
    error = error_of(r)
    assert error["code"] == "INVALID_ARGUMENT" and phrase in error["message"], error
    assert "alert 'Big': expr" in error["message"], error
    assert maasd.get("/api/v1/alerts/rules").json()["rules"] == []
    assert maasd.proc.poll() is None, maasd.log()


def start_fails(tmp_path, name, extra_args=()):
    server = Maasd(tmp_path / name, extra_args)
    with pytest.raises(RuntimeError) as failed:
        server.start()
    assert server.proc.wait(timeout=30) != 0
    return str(failed.value)


def test_a_saved_rules_file_with_an_oversized_expression_stops_maasd_at_start(tmp_path):
    # As an older maasd, which accepted it, would have saved it.
    rules = tmp_path / "data" / "alerting" / "rules.json"
    rules.parent.mkdir(parents=True)
    rules.write_text(json.dumps({"groups": [
        {"name": "fine", "rules": [{"alert": "Fine", "expr": "1 > 0"}]},
        {"name": "big", "rules": [{"alert": "Big", "expr": long_sum(40_000)}]}]}))
    log = start_fails(tmp_path, "data")
    assert "rules.json" in log and "group 'big'" in log and "alert 'Big'" in log, log
    assert "at most 4096 are accepted" in log, log


def test_a_rule_file_with_an_oversized_expression_stops_maasd_at_start(tmp_path):
    (tmp_path / "rules.yaml").write_text(
        "groups:\n  - name: big\n    rules:\n      - alert: Big\n        expr: " + long_sum(40_000) + "\n")
    (tmp_path / "maasd.yaml").write_text("alerting:\n  rule_files: [rules.yaml]\n")
    log = start_fails(tmp_path, "data", ["--config", str(tmp_path / "maasd.yaml")])
    assert "rules.yaml" in log and "alert 'Big'" in log and "at most 4096 are accepted" in log, log


@pytest.fixture
def slow_global_interval(tmp_path):
    # The global interval is far longer than the test: only a group's own interval can make its rule run.
    (tmp_path / "maasd.yaml").write_text("alerting:\n  evaluation_interval: 1h\n")
    return ["--config", str(tmp_path / "maasd.yaml")]


def alerts_of(server, rule):
    return [a for a in server.get("/api/v1/alerts").json()["alerts"] if a["labels"]["alertname"] == rule]


def test_a_groups_interval_is_honoured(maasd_factory, slow_global_interval):
    server = maasd_factory(extra_args=slow_global_interval).start()
    group = {"name": "fast", "interval": "200ms",
             "rules": [{"alert": "Always", "expr": "1 > 0", "for": "1s"}]}
    r = server.post("/api/v1/alerts/rules", json=group)
    assert r.status_code == 201, r.text
    assert r.json()["interval"] == "200ms"
    # Pending at the first evaluation, firing once `for` has passed: only re-evaluation every 200ms gets there.
    poll(lambda: [a for a in alerts_of(server, "Always") if a["state"] == "firing"], timeout_s=30,
         what="the rule firing on its group's interval")
    assert server.get("/api/v1/alerts/rules/fast").json()["interval"] == "200ms"
    assert server.stop() == 0


@pytest.mark.parametrize("interval", ["0s", "10ms", "soon", [1]])
def test_a_bad_interval_is_refused(maasd, interval):
    r = maasd.post("/api/v1/alerts/rules",
                   json={"name": "g", "interval": interval, "rules": [{"alert": "A", "expr": "1 > 0"}]})
    assert r.status_code == 400, r.text
    assert "interval" in error_of(r)["message"]


def test_a_groups_limit_drops_a_rule_with_more_alerts(maasd_factory, slow_global_interval):
    server = maasd_factory(extra_args=slow_global_interval).start()
    # maas_alerts has two series (pending, firing): over a limit of 1, within a limit of 2.
    for name, limit in (("over", 1), ("within", 2)):
        group = {"name": name, "interval": "200ms", "limit": limit,
                 "rules": [{"alert": f"Series_{name}", "expr": "maas_alerts >= 0"}]}
        r = server.post("/api/v1/alerts/rules", json=group)
        assert r.status_code == 201, r.text
        assert r.json()["limit"] == limit
    poll(lambda: len(alerts_of(server, "Series_within")) == 2, timeout_s=30, what="the rule within its limit")
    assert alerts_of(server, "Series_over") == []
    for bad in (-1, 1.5, "x", 10**7):
        r = server.post("/api/v1/alerts/rules", json={"name": "bad", "limit": bad,
                                                       "rules": [{"alert": "A", "expr": "1 > 0"}]})
        assert r.status_code == 400 and "limit" in error_of(r)["message"], (bad, r.text)
    assert server.stop() == 0
