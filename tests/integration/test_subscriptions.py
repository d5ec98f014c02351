"""Subscriptions of the log center against a real maasd and real receivers: log records matching a LogQL query
reach a webhook, rendered through the subscription's template and batched; a failing receiver gets the message
after retries, counted in /metrics; event records (an alert firing) reach a local SMTP receiver; subscriptions
survive a restart; bad ones are refused naming the field."""
import time

import pytest

from conftest import error_of
from peers import metric, poll
from receivers import Smtp, Webhooks


def push(server, labels, *lines):
    now = time.time_ns()
    values = [[str(now + i), line] for i, line in enumerate(lines)]
    r = server.post("/loki/api/v1/push", json={"streams": [{"stream": labels, "values": values}]})
    assert r.status_code == 204, r.text


def subscribe(server, **body):
    r = server.post("/api/v1/subscriptions", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_log_records_reach_a_webhook_batched_and_rendered(maasd):
    hooks = Webhooks()
    sub = subscribe(maasd, name="shop errors", source="logs", query='{app="shop"} |= "error" != "ignore"',
                    webhook={"url": hooks.url}, template="{{ .labels.app }}/{{ .level }}: {{ .line }}",
                    min_interval_s=0.2)
    assert sub["id"].startswith("sub_") and sub["created_by"]

    push(maasd, {"app": "shop"}, '{"level": "warn", "msg": "error: payment failed"}', "all fine",
         "error but ignore this", "error two")
    push(maasd, {"app": "other"}, "error elsewhere")
    message = poll(lambda: hooks.received, what="the subscription's webhook")[0]
    assert message["subscription"] == {"id": sub["id"], "name": "shop errors", "source": "logs"}
    assert [r["message"] for r in message["records"]] == [
        'shop/warn: {"level": "warn", "msg": "error: payment failed"}', "shop/: error two"]
    assert message["records"][0]["labels"] == {"app": "shop"} and message["dropped"] == 0
    assert message["text"].splitlines() == [r["message"] for r in message["records"]]

    # Later records go in a later message.
    push(maasd, {"app": "shop"}, "error three")
    later = poll(lambda: len(hooks.received) > 1 and hooks.received[1], what="the second message")
    assert [r["line"] for r in later["records"]] == ["error three"]
    poll(lambda: metric(maasd, "maas_subscription_deliveries_total", integration="webhook", result="success",
                        subscription=sub["id"]) == 2, what="two successes counted")


def test_a_failing_receiver_gets_the_message_after_retries(maasd):
    hooks = Webhooks(fail_first=2)
    sub = subscribe(maasd, name="retried", source="logs", query='{app="flaky"}', webhook={"url": hooks.url})
    push(maasd, {"app": "flaky"}, "hello")
    message = poll(lambda: hooks.received, what="the retried delivery")[0]
    assert message["records"][0]["message"] == "hello" and hooks.attempts == 3
    assert metric(maasd, "maas_subscription_deliveries_total", integration="webhook", result="failure",
                  subscription=sub["id"]) == 2


def test_event_records_reach_an_email_and_subscriptions_survive_a_restart(maasd_factory, tmp_path):
    smtp = Smtp()
    (tmp_path / "maasd.yaml").write_text("alerting: {evaluation_interval: 200ms}\n")
    args = ["--config", str(tmp_path / "maasd.yaml")]
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    sub = subscribe(server, name="alerts by mail", source="events", filter={"events": ["alert_firing"]},
                    email={"to": "ops@example.com", "from": "maas@example.com", "smarthost": smtp.smarthost},
                    template="{{ .event }} {{ .alertname }}")
    assert sub["filter"] == {"events": ["alert_firing"]}
    # A rule that fires at once makes an alert_firing event (and an alert_pending one, which the filter skips).
    r = server.post("/api/v1/alerts/rules", json={"name": "always", "rules": [
        {"alert": "AlwaysOn", "expr": "process_start_time_seconds > 0"}]})
    assert r.status_code == 201, r.text
    mail = poll(lambda: smtp.messages, what="the e-mail")[0]
    assert "Subject: [maas] alerts by mail: 1 new record" in mail and "To: ops@example.com" in mail
    assert "alert_firing AlwaysOn" in mail and "alert_pending" not in mail

    assert server.stop() == 0
    server = maasd_factory(tmp_path / "d", extra_args=args).start()
    listed = server.get("/api/v1/subscriptions").json()["subscriptions"]
    assert [s["id"] for s in listed] == [sub["id"]] and listed[0]["email"]["to"] == "ops@example.com"
    assert server.get("/api/v1/subscriptions/" + sub["id"]).json()["template"] == "{{ .event }} {{ .alertname }}"
    assert server.delete("/api/v1/subscriptions/" + sub["id"]).status_code == 204
    assert error_of(server.get("/api/v1/subscriptions/" + sub["id"]))["code"] == "NOT_FOUND"
    assert error_of(server.delete("/api/v1/subscriptions/" + sub["id"]))["code"] == "NOT_FOUND"
    assert server.stop() == 0


GOOD = {"name": "n", "source": "logs", "query": '{app="x"}', "webhook": {"url": "http://127.0.0.1:9/h"}}


@pytest.mark.parametrize("change, field", [
    ({"source": "metrics"}, "source"),
    ({"query": "{app=}"}, "query"),
    ({"query": 'count_over_time({app="x"}[1m])'}, "query"),
    ({"template": "{{ .line }} {{ exec }}"}, "template"),
    ({"template": "{{ .line "}, "template"),
    ({"email": {"to": "a@b", "smarthost": "h:25"}}, "webhook, email"),
    ({"webhook": {"url": "https://x/h"}}, "webhook.url"),
    ({"min_interval_s": 0}, "min_interval_s"),
    ({"name": "two\nlines"}, "name"),
    ({"owner": "me"}, "owner"),
    ({"filter": {"model": "m"}}, "filter"),
])
def test_bad_subscriptions_are_refused_naming_the_field(maasd, change, field):
    r = maasd.post("/api/v1/subscriptions", json={**GOOD, **change})
    assert r.status_code == 400, r.text
    error = error_of(r)
    assert error["code"] == "INVALID_ARGUMENT" and field in error["message"], error


def test_event_filters_are_checked_and_roles_apply(maasd):
    body = {"name": "e", "source": "events", "webhook": {"url": "http://127.0.0.1:9/h"}}
    assert error_of(maasd.post("/api/v1/subscriptions", json={**body, "filter": {"events": ["a|b"]}}))[
        "code"] == "INVALID_ARGUMENT"
    assert error_of(maasd.post("/api/v1/subscriptions", json={**body, "email": {"to": "x\r\nBcc: y@z", "smarthost": "h:1"},
                                                              "webhook": None}))["code"] == "INVALID_ARGUMENT"
    viewer = maasd.post("/api/v1/keys", json={"name": "v", "role": "viewer"}).json()["key"]
    assert maasd.post("/api/v1/subscriptions", json=body, key=viewer).status_code == 403
    assert maasd.get("/api/v1/subscriptions", key=viewer).status_code == 200
    created = subscribe(maasd, **body, filter={"model": "m", "events": ["loaded", "crashed"]})
    assert maasd.delete("/api/v1/subscriptions/" + created["id"], key=viewer).status_code == 403
