"""Validation policies before `ready` over a real maasd (docs/TRAINING.md#validation-policies): a version of a model
with a policy stays `registered` and gets a train.validate job on the policy's holdout; passing makes it ready
(the report is the transition's reason), failing keeps it registered with the report on the version and an event
in the log center; not_worse_than compares with the champion (directly or by the paired bootstrap); a manual
`ready` is a 409 naming the policy unless an admin forces it; bad policies are 400s naming the field."""
import json

import numpy as np
import pytest
import xgboost as xgb
from sklearn import datasets, metrics

from conftest import error_of
from jobs_client import logs, wait_for, wait_state
from test_train_xgboost import booster_of, frames, registered, train, upload


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("validate") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def cancer(server):
    """Training rows and a holdout dataset version of breast_cancer."""
    train_frame, holdout = frames(datasets.load_breast_cancer, seed=4)
    return upload(server, "val-train", train_frame), upload(server, "val-holdout", holdout), holdout


def make_model(server, name):
    r = server.post("/api/v1/models", json={"name": name})
    assert r.status_code == 201, r.text


def put_policy(server, model, policy):
    r = server.put(f"/api/v1/models/{model}/validation-policy", json=policy)
    assert r.status_code == 200, r.text
    return r.json()


def train_version(server, model, tv, rounds, depth):
    done = train(server, {"model": model, "dataset": "val-train", "version": tv, "label": "y",
                          "num_boost_round": rounds, "params": {"objective": "binary:logistic",
                                                                "max_depth": depth, "eta": 0.3}})
    return registered(server, model, done["id"])["version"]


def validated(server, model, version):
    """The version once its validation report is on it (train.validate's job finished)."""
    def report():
        v = server.get(f"/api/v1/models/{model}/versions/{version}").json()
        return v if "validation" in v["lineage"] else None
    v = wait_for(report, 180, f"the validation of {model} version {version}")
    job_id = v["lineage"]["validation"].get("job_id")
    if job_id:
        assert wait_state(server, job_id, {"succeeded", "failed"})["state"] == "succeeded", logs(server, job_id)[-20:]
    return v


def events(server, event, model):
    query = '{job="maasd", kind="event"} | json | event="%s" | model="%s"' % (event, model)
    r = server.get("/loki/api/v1/query_range", params={"query": query, "since": "1h", "limit": 100})
    assert r.status_code == 200, r.text
    return [json.loads(line) for s in r.json()["data"]["result"] for _, line in s["values"]]


def test_a_good_model_passes_and_becomes_ready(server, cancer):
    tv, hv, holdout = cancer
    make_model(server, "good")
    put_policy(server, "good", {"holdout": {"dataset": "val-holdout"},
                                "thresholds": {"roc_auc": {"min": 0.95}, "log_loss": {"max": 0.5}}})
    version = train_version(server, "good", tv, 30, 3)
    v = validated(server, "good", version)
    report = v["lineage"]["validation"]
    assert report["passed"] is True and v["state"] == "ready", report
    assert report["dataset"] == f"val-holdout@{hv}" and report["rows"] == len(holdout)
    # The checked value is scikit-learn's on python3-xgboost's predictions of the holdout.
    features = [c for c in holdout.columns if c != "y"]
    p = booster_of(server, "good", version)[0].predict(xgb.DMatrix(holdout[features].to_numpy(),
                                                                   feature_names=features))
    auc = next(c for c in report["checks"] if c["metric"] == "roc_auc")
    assert abs(auc["value"] - metrics.roc_auc_score(holdout["y"], p.astype(np.float64))) <= 1e-9
    assert v["state_history"][-1]["to"] == "ready" and v["state_history"][-1]["reason"].startswith("validation passed")
    assert wait_for(lambda: events(server, "validation_passed", "good"), 30, "the validation_passed event")


def test_a_missed_threshold_keeps_it_registered_with_the_report(server, cancer):
    tv, _, _ = cancer
    make_model(server, "weak")
    put_policy(server, "weak", {"holdout": {"dataset": "val-holdout"}, "thresholds": {"accuracy": {"min": 0.999}}})
    version = train_version(server, "weak", tv, 2, 1)
    v = validated(server, "weak", version)
    report = v["lineage"]["validation"]
    assert report["passed"] is False and v["state"] == "registered", report
    assert report["checks"][0]["metric"] == "accuracy" and report["checks"][0]["passed"] is False
    assert "accuracy" in report["reason"] and "min 0.999" in report["reason"]
    logged = wait_for(lambda: events(server, "validation_failed", "weak"), 30, "the validation_failed event")
    assert logged[0]["version"] == str(version) and "accuracy" in logged[0]["reason"]


def test_not_worse_than_a_better_champion_fails(server, cancer):
    tv, _, _ = cancer
    make_model(server, "champ")
    put_policy(server, "champ", {"holdout": {"dataset": "val-holdout"},
                                 "not_worse_than": {"version": "champion", "metric": "log_loss", "margin": 0.01,
                                                    "significance": {"resamples": 200, "seed": 3}}})
    strong = train_version(server, "champ", tv, 30, 3)
    first = validated(server, "champ", strong)  # no champion yet: nothing to be worse than
    assert first["state"] == "ready", first["lineage"]["validation"]
    assert "does not name a version yet" in first["lineage"]["validation"]["checks"][0]["message"]
    assert server.put("/api/v1/models/champ/aliases/champion", json={"version": strong}).status_code == 200
    weak = train_version(server, "champ", tv, 2, 1)
    v = validated(server, "champ", weak)
    check = v["lineage"]["validation"]["checks"][0]
    assert v["state"] == "registered" and check["passed"] is False, check
    assert check["check"] == "not_worse_than" and check["champion_version"] == strong
    assert check["value"] > check["champion_value"] + 0.01 and check["p_value"] < 0.05
    # A version as good as the champion (the same recipe, the same bytes) passes.
    again = train_version(server, "champ", tv, 30, 3)
    assert validated(server, "champ", again)["state"] == "ready"


def make_key(server, role):
    r = server.post("/api/v1/keys", json={"name": role + "-validate", "role": role})
    assert r.status_code == 201, r.text
    return r.json()["key"]


def test_manual_ready_is_409_naming_the_policy_and_force_is_for_admins(server, cancer):
    versions = server.get("/api/v1/models/weak/versions").json()["versions"]
    version = versions[0]["version"]
    r = server.patch(f"/api/v1/models/weak/versions/{version}", json={"state": "ready"})
    assert r.status_code == 409, r.text
    message = error_of(r)["message"]
    assert "validation policy" in message and "accuracy" in message and "force" in message
    # The report cannot be written by hand (a client's lineage has no such field).
    r = server.patch(f"/api/v1/models/weak/versions/{version}", json={"lineage": {"validation": {"passed": True}}})
    assert r.status_code == 400 and "validation" in error_of(r)["message"]
    deployer = make_key(server, "deployer")
    r = server.patch(f"/api/v1/models/weak/versions/{version}", json={"state": "ready", "force": True}, key=deployer)
    assert r.status_code == 403 and "admin" in error_of(r)["message"]
    r = server.patch(f"/api/v1/models/weak/versions/{version}",
                     json={"state": "ready", "force": True, "reason": "accepted by hand"})
    assert r.status_code == 200 and r.json()["state"] == "ready", r.text
    assert r.json()["state_history"][-1]["reason"] == "accepted by hand"


def test_an_upload_is_validated_too_and_says_why_it_cannot_be(server, cancer):
    make_model(server, "uploaded")
    put_policy(server, "uploaded", {"holdout": {"dataset": "val-holdout"}, "thresholds": {"roc_auc": {"min": 0.5}}})
    _, content = booster_of(server, "good", 1)
    version = server.upload("uploaded", content, framework="xgboost").json()["version"]
    v = validated(server, "uploaded", version)
    assert v["state"] == "registered" and "not trained by maas" in v["lineage"]["validation"]["reason"]
    r = server.post(f"/api/v1/models/uploaded/versions/{version}/validate")
    assert r.status_code == 400 and "not trained by maas" in error_of(r)["message"]


def test_the_policy_is_read_back_replaced_and_deleted(server, cancer):
    make_model(server, "crud")
    got = put_policy(server, "crud", {"holdout": {"dataset": "val-holdout", "split_column": "f0"},
                                      "not_worse_than": "champion"})
    assert got["holdout"] == {"dataset": "val-holdout", "version": "latest", "split_column": "f0",
                              "split_value": "test"}
    assert got["not_worse_than"] == {"version": "champion", "margin": 0.0} and got["thresholds"] == {}
    assert server.get("/api/v1/models/crud/validation-policy").json()["not_worse_than"]["version"] == "champion"
    put_policy(server, "crud", {"holdout": {"dataset": "val-holdout"}, "thresholds": {"rmse": {"max": 1}}})
    assert server.get("/api/v1/models/crud/validation-policy").json()["thresholds"] == {"rmse": {"max": 1}}
    assert server.delete("/api/v1/models/crud/validation-policy").status_code == 204
    assert server.get("/api/v1/models/crud/validation-policy").status_code == 404
    assert server.delete("/api/v1/models/crud/validation-policy").status_code == 404


@pytest.mark.parametrize("body,words", [
    ({"thresholds": {"accuracy": {"min": 0.9}}}, "holdout is required"),
    ({"holdout": {"dataset": "d"}}, "needs thresholds or not_worse_than"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"acuracy": {"min": 0.9}}}, "thresholds.acuracy"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {"least": 0.9}}}, "thresholds.accuracy.least"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {"min": "high"}}}, "must be a number"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {"min": 0.9, "max": 0.5}}}, "above its max"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {}}}, "needs min or max"),
    ({"holdout": {"dataset": ""}, "thresholds": {"accuracy": {"min": 0.9}}}, "holdout.dataset"),
    ({"holdout": {"dataset": "d", "split_value": "x"}, "thresholds": {"accuracy": {"min": 0.9}}}, "split_column"),
    ({"holdout": {"dataset": "d"}, "not_worse_than": {"version": "champion", "margin": -1}}, "margin"),
    ({"holdout": {"dataset": "d"}, "not_worse_than": {"metric": "auc"}}, "not_worse_than.version"),
    ({"holdout": {"dataset": "d"}, "not_worse_than": {"version": "c", "metric": "ndcg"}}, "ranking"),
    ({"holdout": {"dataset": "d"}, "not_worse_than": {"version": "c", "significance": {"confidence": 2}}},
     "confidence"),
    ({"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {"min": 0.9}}, "extra": 1}, "extra"),
])
def test_bad_policy_bodies_are_400s_naming_the_field(server, body, words):
    make_model(server, "bad-policy") if server.get("/api/v1/models/bad-policy").status_code == 404 else None
    r = server.put("/api/v1/models/bad-policy/validation-policy", json=body)
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"], error_of(r)


def test_a_policy_needs_a_model(server):
    r = server.put("/api/v1/models/no-such-model/validation-policy",
                   json={"holdout": {"dataset": "d"}, "thresholds": {"accuracy": {"min": 0.9}}})
    assert r.status_code == 404


def test_the_cli_sets_shows_and_deletes_a_policy_and_validates_a_version(server, cancer, tmp_path):
    from cli_driver import INVALID_INPUT, NOT_FOUND, cli_for
    cli = cli_for(server)
    make_model(server, "cli-policy")
    policy = tmp_path / "policy.yaml"
    policy.write_text("holdout:\n  dataset: val-holdout\nthresholds:\n  roc_auc:\n    min: 0.9\n")
    assert cli.json("models", "validation-policy", "set", "cli-policy", "--file", policy)["thresholds"] == \
        {"roc_auc": {"min": 0.9}}
    assert cli.json("models", "validation-policy", "get", "cli-policy")["holdout"]["version"] == "latest"
    policy.write_text("holdout:\n  dataset: val-holdout\nthresholds:\n  auc:\n    min: 0.9\n")
    assert "thresholds.auc" in cli.fails(INVALID_INPUT, "models", "validation-policy", "set", "cli-policy",
                                         "--file", policy).stderr
    # `maas models validate` submits the job again for a version of a model with a policy.
    version = server.get("/api/v1/models/good/versions").json()["versions"][0]["version"]
    job = cli.json("models", "validate", "good", version)
    assert job["kind"] == "train.validate" and job["params"]["model_version"] == version
    assert wait_state(server, job["id"], {"succeeded", "failed"})["result"]["passed"] is True
    cli.ok("models", "validation-policy", "delete", "cli-policy")
    cli.fails(NOT_FOUND, "models", "validation-policy", "get", "cli-policy")
