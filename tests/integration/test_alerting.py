"""Alerting end to end: a rule with `for: 2s` on the error rate fires once errors start, sends one webhook with
Alertmanager's payload and one e-mail to receivers the test runs, resolves with a second webhook when errors stop,
and a silence keeps the next firing quiet."""
import time

import pytest

from peers import poll
from receivers import Smtp, Webhooks, fail_requests

RULES = """
groups:
  - name: maas
    rules:
      - alert: InferenceErrors
        expr: sum by (model) (rate(maas_inference_requests_total{code!="200"}[1s])) > 0
        for: 2s
        labels: {severity: page}
        annotations: {summary: "model {{ $labels.model }} fails {{ $value }} requests/s"}
"""


@pytest.fixture
def alerting_maasd(maasd_factory, tmp_path):
    hooks, smtp, alertmanager = Webhooks(), Smtp(), Webhooks()
    (tmp_path / "rules.yaml").write_text(RULES)
    (tmp_path / "maasd.yaml").write_text(f"""
alerting:
  evaluation_interval: 200ms
  alertmanager_url: "{alertmanager.url.rsplit('/', 1)[0]}"
  rule_files: [rules.yaml]
  route: {{receiver: oncall, group_by: [alertname], group_wait: 0s, group_interval: 200ms, repeat_interval: 1h}}
  receivers:
    - name: oncall
      webhook_configs: [{{url: "{hooks.url}"}}]
      email_configs: [{{to: oncall@example.com, from: maas@example.com, smarthost: "{smtp.smarthost}"}}]
""")
    server = maasd_factory(tmp_path / "d", extra_args=["--config", str(tmp_path / "maasd.yaml")]).start()
    yield server, hooks, smtp, alertmanager
    server.stop()


def test_rule_fires_notifies_resolves_and_silences(alerting_maasd):
    server, hooks, smtp, alertmanager = alerting_maasd
    rules = server.get("/api/v1/alerts/rules").json()["rules"]
    assert rules[0]["alert"] == "InferenceErrors" and rules[0]["for_ms"] == 2000

    started = time.monotonic()
    fail_requests(server, lambda: hooks.received)
    assert time.monotonic() - started >= 2.0, "fired before its for: 2s"
    firing = hooks.received[0]
    assert firing["version"] == "4" and firing["status"] == "firing" and firing["receiver"] == "oncall"
    assert firing["groupLabels"] == {"alertname": "InferenceErrors"}
    alert = firing["alerts"][0]
    assert alert["labels"] == {"alertname": "InferenceErrors", "model": "ghost", "severity": "page"}
    assert alert["annotations"]["summary"].startswith("model ghost fails ")
    assert alert["status"] == "firing" and alert["endsAt"] == "0001-01-01T00:00:00Z" and alert["fingerprint"]
    forwarded = poll(lambda: alertmanager.received, what="the alert forwarded to Alertmanager")[0]
    assert forwarded[0]["labels"]["alertname"] == "InferenceErrors" and "endsAt" not in forwarded[0]
    mail = poll(lambda: smtp.messages, what="the e-mail")[0]
    assert "Subject: [FIRING:1] InferenceErrors" in mail and "oncall@example.com" in mail

    # Errors stop: the rate drops to 0 within its 1 s window and the alert resolves, once.
    resolved = poll(lambda: len(hooks.received) >= 2 and hooks.received[1], what="the resolved webhook")
    assert resolved["status"] == "resolved" and resolved["alerts"][0]["status"] == "resolved"
    assert len(hooks.received) == 2
    events = server.get("/loki/api/v1/query_range", params={
        "query": '{job="maasd", kind="event"} |= "alert_firing"'}).json()["data"]["result"]
    assert events, "the firing is an event in the log center"

    # A silence keeps the next firing quiet.
    r = server.post("/api/v1/alerts/silences", json={
        "matchers": [{"name": "alertname", "value": "InferenceErrors", "isRegex": False}],
        "endsAt": "2099-01-01T00:00:00Z", "createdBy": "test", "comment": "maintenance"})
    assert r.status_code == 201, r.text
    firing_now = lambda: [a for a in server.get("/api/v1/alerts").json()["alerts"] if a["state"] == "firing"]
    fail_requests(server, firing_now)
    deadline = time.monotonic() + 1.0  # five evaluations: a notification would have gone out by then
    while time.monotonic() < deadline:
        assert server.post("/v2/models/ghost/infer", json={"inputs": []}).status_code == 404
        time.sleep(0.05)
    assert len(hooks.received) == 2 and len(smtp.messages) == 2  # mails: firing, resolved
    silences = server.get("/api/v1/alerts/silences").json()["silences"]
    assert silences[0]["status"]["state"] == "active"
    assert server.delete("/api/v1/alerts/silences/" + silences[0]["id"]).status_code == 204


def test_bad_rules_stop_maasd_with_a_clear_message(maasd_factory, tmp_path):
    (tmp_path / "rules.yaml").write_text("groups: [{name: g, rules: [{alert: A, expr: 'rate(x)'}]}]")
    (tmp_path / "maasd.yaml").write_text("alerting: {rule_files: [rules.yaml]}\n")
    server = maasd_factory(tmp_path / "d", extra_args=["--config", str(tmp_path / "maasd.yaml")])
    with pytest.raises(RuntimeError, match="alert 'A'"):
        server.start()
