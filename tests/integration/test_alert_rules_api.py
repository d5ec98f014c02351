"""Rule groups managed through the API: created, replaced and deleted by deployers, validated like rule files,
evaluated by the same engine (a created rule fires a webhook), kept across a restart, audited; the rule files'
groups stay read-only."""
import pytest

from peers import poll
from receivers import Webhooks, fail_requests
from conftest import error_of

FILE_RULES = """
groups:
  - name: from-file
    rules:
      - alert: NeverFires
        expr: maas_inference_requests_total{model="never-there"} > 0
"""

API_GROUP = {
    "name": "api-errors",
    "rules": [{
        "alert": "ApiErrors",
        "expr": 'sum by (model) (rate(maas_inference_requests_total{code!="200"}[1s])) > 0',
        "for": "0s",
        "labels": {"team": "api"},
        "annotations": {"summary": "{{ $labels.model }} fails"},
    }],
}

API_GROUP_YAML = """
name: api-errors
rules:
  - alert: ApiErrorsReplaced
    expr: sum by (model) (rate(maas_inference_requests_total{code!="200"}[1s])) > 100
    for: 5m
"""


@pytest.fixture
def config(tmp_path):
    hooks = Webhooks()
    (tmp_path / "rules.yaml").write_text(FILE_RULES)
    (tmp_path / "maasd.yaml").write_text(f"""
alerting:
  evaluation_interval: 200ms
  rule_files: [rules.yaml]
  route: {{receiver: team, group_by: [alertname], group_wait: 0s, group_interval: 200ms, repeat_interval: 1h}}
  receivers:
    - name: team
      webhook_configs: [{{url: "{hooks.url}"}}]
""")
    return ["--config", str(tmp_path / "maasd.yaml")], hooks


def make_key(server, role):
    r = server.post("/api/v1/keys", json={"name": role, "role": role})
    assert r.status_code == 201, r.text
    return r.json()["key"]


def groups_by_name(server):
    return {g["name"]: g for g in server.get("/api/v1/alerts/rules").json()["groups"]}


def test_a_created_group_fires_survives_a_restart_and_is_deleted(maasd_factory, tmp_path, config):
    args, hooks = config
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    assert groups_by_name(server)["from-file"]["source"] == "file"

    r = server.post("/api/v1/alerts/rules", json=API_GROUP)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "api" and r.json()["rules"][0]["alert"] == "ApiErrors"
    assert error_of(server.post("/api/v1/alerts/rules", json=API_GROUP))["code"] == "ALREADY_EXISTS"
    assert groups_by_name(server)["api-errors"]["rules"] == ["ApiErrors"]

    # The engine evaluates it like a file's rule: errors make it fire and the route's webhook hears it.
    fired = lambda: [h for h in hooks.received if h["commonLabels"].get("alertname") == "ApiErrors"]
    fail_requests(server, fired)
    alert = fired()[0]["alerts"][0]
    assert alert["labels"]["team"] == "api" and alert["annotations"]["summary"] == "ghost fails"

    audit = server.get("/api/v1/audit").json()["records"]
    assert any(a["method"] == "POST" and a["path"] == "/api/v1/alerts/rules" and a["status"] == 201 for a in audit)

    assert server.stop() == 0
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    group = server.get("/api/v1/alerts/rules/api-errors").json()
    assert group["source"] == "api" and group["rules"][0]["expr"] == API_GROUP["rules"][0]["expr"]

    # PUT replaces (YAML accepted); the replaced rule's alert resolves instead of lingering.
    r = server.put("/api/v1/alerts/rules/api-errors", data=API_GROUP_YAML,
                   headers={"Content-Type": "application/yaml"})
    assert r.status_code == 200, r.text
    rules = {x["alert"]: x for x in server.get("/api/v1/alerts/rules").json()["rules"]}
    assert "ApiErrors" not in rules and rules["ApiErrorsReplaced"]["for_ms"] == 300_000

    assert server.delete("/api/v1/alerts/rules/api-errors").status_code == 204
    assert error_of(server.get("/api/v1/alerts/rules/api-errors"))["code"] == "NOT_FOUND"
    assert error_of(server.delete("/api/v1/alerts/rules/api-errors"))["code"] == "NOT_FOUND"
    assert server.stop() == 0
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    assert set(groups_by_name(server)) == {"from-file"}
    assert server.stop() == 0


@pytest.mark.parametrize("rule, field", [
    ({"alert": "A", "expr": "rate(x)"}, "expr"),
    ({"expr": "up > 0"}, "alert"),
    ({"alert": "bad name", "expr": "up > 0"}, "alert"),
    ({"alert": "A", "expr": "up > 0", "for": "soon"}, "for"),
    ({"alert": "A", "expr": "up > 0", "labels": {"x": {"nested": 1}}}, "labels.x"),
    ({"alert": "A", "expr": "up > 0", "record": "x"}, "recording rules"),
])
def test_invalid_rules_are_refused_naming_the_field(maasd, rule, field):
    r = maasd.post("/api/v1/alerts/rules", json={"name": "bad", "rules": [rule]})
    assert r.status_code == 400, r.text
    error = error_of(r)
    assert error["code"] == "INVALID_ARGUMENT" and field in error["message"], error


def test_file_groups_are_read_only_and_roles_apply(maasd_factory, tmp_path, config):
    args, _ = config
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    for r in (server.put("/api/v1/alerts/rules/from-file", json={**API_GROUP, "name": "from-file"}),
              server.delete("/api/v1/alerts/rules/from-file")):
        assert r.status_code == 409 and error_of(r)["code"] == "FAILED_PRECONDITION"
        assert "rule file" in error_of(r)["message"]
    assert server.get("/api/v1/alerts/rules/from-file").json()["source"] == "file"
    assert error_of(server.put("/api/v1/alerts/rules/other", json=API_GROUP))["code"] == "INVALID_ARGUMENT"
    assert server.post("/api/v1/alerts/rules", data="x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert error_of(server.post("/api/v1/alerts/rules", data="{", headers={"Content-Type": "application/json"}))[
        "code"] == "INVALID_ARGUMENT"

    viewer, deployer = make_key(server, "viewer"), make_key(server, "deployer")
    assert server.get("/api/v1/alerts/rules", key=viewer).status_code == 200
    assert server.post("/api/v1/alerts/rules", json=API_GROUP, key=viewer).status_code == 403
    assert server.post("/api/v1/alerts/rules", json=API_GROUP, key=deployer).status_code == 201
    assert server.delete("/api/v1/alerts/rules/api-errors", key=viewer).status_code == 403
    assert server.delete("/api/v1/alerts/rules/api-errors", key=deployer).status_code == 204
    assert server.stop() == 0
