"""Retraining over a real maasd (docs/TRAINING.md#retraining): a model's policy (its recipe taken from the version's
lineage) starts runs — now (POST .../retraining/run), when an alert rule fires, on a new dataset version — each a
record of its steps: the recipe's training job on the dataset's newest version, the model's validation policy, and
on a pass the new version as a canary of the policy's service, promoted by the gateway's controller (or rolled back
when it breaks the plan's thresholds); a version that fails validation starts no canary; a run survives a kill -9 of maasd; bad policies are 400s naming the field and
only deployers write."""
import json

import numpy as np
import pytest
import requests
from sklearn import datasets

from conftest import error_of
from jobs_client import wait_for
from test_train_xgboost import frames, registered, train, upload
from v2_client import json_request

ROW = {"input": np.zeros((1, 30), dtype=np.float32)}
ALERTS = """
alerting:
  evaluation_interval: 200ms
"""
RULE = {"name": "retrain", "interval": "200ms", "rules": [{
    "alert": "RetrainNow", "expr": 'sum(maas_http_requests_total{route="unmatched"}) > 0', "for": "0s"}]}
RECIPE = {"label": "y", "num_boost_round": 20, "params": {"objective": "binary:logistic", "max_depth": 3, "eta": 0.3}}


def start(factory, tmp_path, name):
    (tmp_path / "maasd.yaml").write_text(ALERTS)
    return factory(tmp_path / name, extra_args=["--jobs-slots", "3", "--retraining-min-interval-floor-ms", "0",
                                                "--config", str(tmp_path / "maasd.yaml")]).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("retrain")
    (d / "maasd.yaml").write_text(ALERTS)
    s = Maasd(d / "data", extra_args=["--jobs-slots", "3", "--retraining-min-interval-floor-ms", "0",
                                      "--config", str(d / "maasd.yaml")]).start()
    yield s
    assert s.stop() == 0


def prepare(server, model, policy):
    """Datasets (once), a model with a first trained version and a validation policy."""
    train_frame, holdout = frames(datasets.load_breast_cancer, seed=4)
    if server.get("/api/v1/datasets/rt-holdout").status_code == 404:
        upload(server, "rt-train", train_frame)
        upload(server, "rt-holdout", holdout)
    assert server.post("/api/v1/models", json={"name": model}).status_code == 201
    done = train(server, {"model": model, "dataset": "rt-train", **RECIPE})
    first = registered(server, model, done["id"])["version"]
    r = server.put(f"/api/v1/models/{model}/validation-policy", json={"holdout": {"dataset": "rt-holdout"}, **policy})
    assert r.status_code == 200, r.text
    return first, train_frame


GOOD = {"thresholds": {"roc_auc": {"min": 0.9}}}


def put_retraining(server, model, body, status=200):
    r = server.put(f"/api/v1/models/{model}/retraining", json=body)
    assert r.status_code == status, r.text
    return r.json()


def finished_run(server, model, run_id, timeout_s=300):
    def done():
        r = server.get(f"/api/v1/models/{model}/retraining/runs/{run_id}")
        assert r.status_code == 200, r.text
        return r.json() if r.json()["finished"] else None
    return wait_for(done, timeout_s, f"retraining run {run_id} to finish")


def runs(server, model):
    r = server.get(f"/api/v1/models/{model}/retraining/runs")
    assert r.status_code == 200, r.text
    return r.json()["runs"]


def events(server, model):
    query = '{job="maasd", kind="event"} | json | model="%s"' % model
    r = server.get("/loki/api/v1/query_range", params={"query": query, "since": "1h", "limit": 1000})
    assert r.status_code == 200, r.text
    return [json.loads(line)["event"] for s in r.json()["data"]["result"] for _, line in s["values"]]


def test_a_manual_run_trains_on_the_newest_version_and_validates(server):
    prepare(server, "rt", GOOD)
    policy = put_retraining(server, "rt", {"min_interval_seconds": 0})
    assert policy["recipe"]["kind"] == "train.xgboost" and policy["dataset"] == "rt-train"
    assert policy["recipe"]["params"]["num_boost_round"] == 20  # from version 1's lineage
    newest = upload(server, "rt-train", frames(datasets.load_breast_cancer, seed=5)[0])
    r = server.post("/api/v1/models/rt/retraining/run")
    assert r.status_code == 202, r.text
    run = finished_run(server, "rt", r.json()["id"])
    assert run["outcome"] == "validated", run
    assert run["trigger"]["type"] == "manual" and run["dataset"] == f"rt-train@{newest}"
    assert [s["step"] for s in run["steps"]] == ["train", "validate"]
    assert all(s["state"] == "succeeded" and s["job_id"].startswith("j-") for s in run["steps"]), run["steps"]
    version = server.get(f"/api/v1/models/rt/versions/{run['version']}").json()
    assert version["state"] == "ready" and version["lineage"]["run_id"] == run["train_job"]
    assert version["lineage"]["dataset"] == f"rt-train@{newest}"
    assert version["lineage"]["validation"]["job_id"] == run["validate_job"]
    logged = wait_for(lambda: (lambda e: e if "retraining_validated" in e else None)(events(server, "rt")), 30,
                      "the retraining events")
    assert {"retraining_started", "retraining_trained", "retraining_validated"} <= set(logged)
    assert runs(server, "rt")[0]["id"] == run["id"]


def test_a_run_that_fails_validation_starts_no_canary(server):
    first, _ = prepare(server, "rt-weak", {"thresholds": {"accuracy": {"min": 0.9999}}})
    r = server.post("/api/v1/services", json={"name": "weak-svc", "routes": [{"model": "rt-weak", "version": first}]})
    assert r.status_code == 201, r.text
    put_retraining(server, "rt-weak", {"min_interval_seconds": 0, "canary": {"service": "weak-svc", "weight": 50}})
    r = server.post("/api/v1/models/rt-weak/retraining/run")
    assert r.status_code == 202, r.text
    run = finished_run(server, "rt-weak", r.json()["id"])
    assert run["outcome"] == "not_validated" and "accuracy" in run["reason"], run
    assert [s["step"] for s in run["steps"]] == ["train", "validate"] and run["steps"][-1]["state"] == "failed"
    assert server.get(f"/api/v1/models/rt-weak/versions/{run['version']}").json()["state"] == "registered"
    service = server.get("/api/v1/services/weak-svc").json()
    assert "canary" not in service or not service["canary"], service
    kinds = [e["kind"] for e in server.get("/api/v1/services/weak-svc/events").json()["events"]]
    assert "retraining_not_validated" in kinds and "retraining_canary_started" not in kinds, kinds


def test_a_new_dataset_version_triggers_a_run(server):
    put_retraining(server, "rt", {"min_interval_seconds": 0, "triggers": {"dataset": True}})
    assert runs(server, "rt")[0]["trigger"]["type"] == "manual"  # setting the policy starts nothing
    newest = upload(server, "rt-train", frames(datasets.load_breast_cancer, seed=6)[0])
    run = wait_for(lambda: (lambda r: r[0] if r[0]["trigger"]["type"] == "dataset" else None)(runs(server, "rt")),
                   60, "a run triggered by the new dataset version")
    assert run["trigger"]["version"] == newest and run["dataset"] == f"rt-train@{newest}"
    assert finished_run(server, "rt", run["id"])["outcome"] == "validated"
    put_retraining(server, "rt", {"min_interval_seconds": 0})  # no more triggers for the tests below


def call(server, service):
    body, h = json_request(ROW)
    h = {**h, "Authorization": "Bearer " + server.admin_key}
    return requests.post(f"{server.url}/v2/models/{service}/infer", data=body, headers=h, timeout=60)


def test_a_firing_alert_trains_validates_and_promotes_a_canary(server):
    current = [v for v in server.get("/api/v1/models/rt/versions").json()["versions"] if v["state"] == "ready"][0]
    r = server.post("/api/v1/services", json={"name": "rt-svc", "routes": [{"model": "rt",
                                                                             "version": current["version"]}]})
    assert r.status_code == 201, r.text
    put_retraining(server, "rt", {"min_interval_seconds": 0, "triggers": {"alert": "RetrainNow"},
                                  "canary": {"service": "rt-svc", "weight": 50, "interval_seconds": 0.5,
                                             "min_requests": 5}})
    before = runs(server, "rt")[0]["id"]
    r = server.post("/api/v1/alerts/rules", json=RULE)
    assert r.status_code == 201, r.text
    assert requests.get(f"{server.url}/retrain-now", timeout=10).status_code == 404  # the metric the rule watches
    run = wait_for(lambda: (lambda r: r[0] if r[0]["id"] != before else None)(runs(server, "rt")), 60,
                   "a run triggered by the alert")
    assert run["trigger"]["type"] == "alert" and run["trigger"]["alert"] == "RetrainNow"

    def canary():
        r = server.get(f"/api/v1/models/rt/retraining/runs/{run['id']}").json()
        assert not r["finished"], r
        return r if r["state"] == "canary" else None
    started = wait_for(canary, 300, "the run's canary")
    shown = server.get("/api/v1/services/rt-svc").json()
    assert shown["canary"]["version"] == str(started["version"]), shown

    def promoted():
        for _ in range(10):
            assert call(server, "rt-svc").status_code == 200
        r = server.get(f"/api/v1/models/rt/retraining/runs/{run['id']}").json()
        return r if r["finished"] else None
    done = wait_for(promoted, 120, "the canary's promotion")
    assert done["outcome"] == "promoted", done
    assert [s["step"] for s in done["steps"]] == ["train", "validate", "canary"]
    routes = server.get("/api/v1/services/rt-svc").json()["routes"]
    assert [r["resolved_version"] for r in routes] == [started["version"]], routes
    kinds = [e["kind"] for e in server.get("/api/v1/services/rt-svc/events").json()["events"]]
    for kind in ["retraining_canary_started", "canary_promoted", "retraining_promoted"]:
        assert kind in kinds, kinds
    assert server.delete("/api/v1/alerts/rules/retrain").status_code == 204


def test_a_canary_that_breaks_the_services_thresholds_is_rolled_back(server):
    # A plan whose p99 bound no real version meets: the gateway's controller rolls the canary back.
    stable = server.get("/api/v1/services/rt-svc").json()["routes"][0]["resolved_version"]
    put_retraining(server, "rt", {"min_interval_seconds": 0, "canary": {"service": "rt-svc", "weight": 50,
                                                                        "max_p99_ms": 0.001, "min_requests": 5}})
    r = server.post("/api/v1/models/rt/retraining/run")
    assert r.status_code == 202, r.text
    run_id = r.json()["id"]

    def rolled_back():
        r = server.get(f"/api/v1/models/rt/retraining/runs/{run_id}").json()
        if r["state"] == "canary":
            for _ in range(10):
                assert call(server, "rt-svc").status_code == 200
        return r if r["finished"] else None
    done = wait_for(rolled_back, 300, "the canary's rollback")
    assert done["outcome"] == "rolled_back" and "p99" in done["reason"], done
    assert done["steps"][-1]["step"] == "canary" and done["steps"][-1]["state"] == "failed"
    routes = server.get("/api/v1/services/rt-svc").json()["routes"]
    assert [(r["resolved_version"], r["weight"]) for r in routes if r["weight"] > 0] == [(stable, 100.0)], routes
    kinds = [e["kind"] for e in server.get("/api/v1/services/rt-svc/events").json()["events"]]
    assert "canary_rolled_back" in kinds and "retraining_rolled_back" in kinds, kinds


def make_key(server, role):
    r = server.post("/api/v1/keys", json={"name": role + "-retrain", "role": role})
    assert r.status_code == 201, r.text
    return r.json()["key"]


@pytest.mark.parametrize("body, field", [
    ({"triggers": {"schedule": "61 * * * *"}}, "triggers.schedule"),
    ({"triggers": {"alert": ""}}, "triggers.alert"),
    ({"canary": {"weight": 5}}, "canary.service"),
    ({"canary": {"service": "no-such-service"}}, "canary.service"),
    ({"recipe": {"kind": "train.cv", "params": {}}}, "recipe.kind"),
    ({"dataset": "rt-train",
      "recipe": {"kind": "train.xgboost", "params": {"label": "nope", "params": {"objective": "binary:logistic"}}}},
     "recipe.params"),
    ({"dataset": "no-such-dataset"}, "dataset"),
    ({"min_interval_seconds": -1}, "min_interval_seconds"),
    ({"colour": "red"}, "colour"),
])
def test_bad_policies_are_400s_naming_the_field(server, body, field):
    r = server.put("/api/v1/models/rt/retraining", json=body)
    assert r.status_code == 400, r.text
    assert field in error_of(r)["message"], error_of(r)


def test_refusals_and_roles(server):
    assert server.post("/api/v1/models", json={"name": "rt-nopolicy"}).status_code == 201
    r = server.put("/api/v1/models/rt-nopolicy/retraining", json={})
    assert r.status_code == 409 and "validation policy" in error_of(r)["message"], r.text
    assert server.put("/api/v1/models/rt-none/retraining", json={}).status_code == 404
    assert server.post("/api/v1/models/rt-nopolicy/retraining/run").status_code == 404
    viewer, deployer = make_key(server, "viewer"), make_key(server, "deployer")
    assert server.get("/api/v1/models/rt/retraining", key=viewer).status_code == 200
    assert server.get("/api/v1/models/rt/retraining/runs", key=viewer).status_code == 200
    assert server.put("/api/v1/models/rt/retraining", json={}, key=viewer).status_code == 403
    assert server.post("/api/v1/models/rt/retraining/run", key=viewer).status_code == 403
    assert server.delete("/api/v1/models/rt/retraining", key=viewer).status_code == 403
    # The minimum interval holds manual runs back too.
    assert put_retraining(server, "rt", {"min_interval_seconds": 3600})["min_interval_seconds"] == 3600
    r = server.post("/api/v1/models/rt/retraining/run", key=deployer)
    assert r.status_code == 409 and "min_interval_seconds" in error_of(r)["message"], r.text
    assert server.delete("/api/v1/models/rt/retraining", key=deployer).status_code == 204
    assert server.get("/api/v1/models/rt/retraining").status_code == 404


def test_a_run_survives_a_kill9_of_maasd(maasd_factory, tmp_path):
    server = start(maasd_factory, tmp_path, "d")
    prepare(server, "rt-kill", GOOD)
    put_retraining(server, "rt-kill", {"min_interval_seconds": 0})
    r = server.post("/api/v1/models/rt-kill/retraining/run")
    assert r.status_code == 202, r.text
    run_id = r.json()["id"]
    server.kill9()
    server.start()
    run = finished_run(server, "rt-kill", run_id)
    assert run["outcome"] == "validated", run
    trained = [v for v in server.get("/api/v1/models/rt-kill/versions").json()["versions"]
               if v["lineage"].get("run_id") == run["train_job"]]
    assert len(trained) == 1 and trained[0]["state"] == "ready", trained
    assert server.stop() == 0
