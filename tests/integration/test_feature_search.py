"""Feature search over a real maasd (docs/FEATURES.md, "Feature search"): a features.search job finds the feature a
made-up label depends on (a product a*b; a column's ratio to its group mean) and raises the cross-validated score,
keeps nothing on pure noise, returns a pipeline spec that fits and computes the kept features as pandas does, and
refuses bad input with a clear 400 or a failed job naming the problem."""
import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from jobs_client import job as get_job, logs, wait_for, wait_state

BUDGET = {"max_candidates": 200, "max_seconds": 300, "max_features": 3, "screen": 6, "mi_rows": 600}
MODEL = {"trees": 30, "max_depth": 3}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("feature_search") / "data").start()
    yield s
    assert s.stop() == 0


def upload_frame(server, name, df):
    server.post("/api/v1/datasets", json={"name": name})
    r = server.post(f"/api/v1/datasets/{name}/versions", params={"filename": "data.csv"},
                    data=df.to_csv(index=False, float_format="%.17g").encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text


def search(server, dataset, **params):
    body = {"kind": "features.search", "params": {"dataset": dataset, "budget": BUDGET, "model": MODEL, "folds": 3,
                                                  **params}}
    r = server.post("/api/v1/jobs", json=body)
    assert r.status_code == 201, r.text
    return wait_state(server, r.json()["id"], {"succeeded", "failed", "cancelled"}, timeout_s=300)


def product_frame(rows=600, seed=1):
    rng = np.random.default_rng(seed)
    a, b, c = rng.uniform(-2, 2, rows), rng.uniform(-2, 2, rows), rng.normal(0, 1, rows)
    return pd.DataFrame({"a": a, "b": b, "c": c, "y": a * b + 0.05 * rng.normal(0, 1, rows)})


def test_search_finds_a_product_and_raises_the_cv_score(server):
    df = product_frame()
    upload_frame(server, "product", df)
    job = search(server, "product", label="y", task="regression")
    assert job["state"] == "succeeded", job
    report = job["result"]
    assert report["metric"] == "r2" and report["base_features"] == ["a", "b", "c"]
    kept = [k["name"] for k in report["kept"]]
    assert kept[0] == "a*b", report["kept"]
    first = report["kept"][0]
    assert first["gain"] > 0.05 and first["score_after"] > report["baseline_score"] + 0.05
    assert first["mutual_info"] > 0 and first["importance"] > 0
    assert report["final_score"] > report["baseline_score"] + 0.05
    assert report["steps"][0] == {"step": 0, "feature": None, "score": report["baseline_score"]}
    assert report["steps"][1]["feature"] == "a*b"
    assert report["candidates"]["generated"] > 0 and report["dropped_total"] > 0
    # The job's log lines reach the log center on their own path: wait for the last one rather than read once.
    lines = wait_for(lambda: (lambda text: text if "forward step 1: kept a*b" in text else None)(
        " ".join(str(line) for line in logs(server, job["id"]))), 30, "the search's log lines")
    assert "candidates generated" in lines, lines
    # The spec fits like any pipeline and computes the kept feature as pandas does.
    r = server.post("/api/v1/pipelines", json={"name": "searched", "spec": report["spec"]})
    assert r.status_code == 201, r.text
    fit = server.post("/api/v1/pipelines/searched/fit", json={"dataset": "product"})
    assert fit.status_code == 202, fit.text
    assert wait_state(server, fit.json()["id"], {"succeeded", "failed"})["state"] == "succeeded"
    version = server.get("/api/v1/pipelines/searched/versions/latest").json()
    assert version["output_columns"][:4] == ["a", "b", "c", "a*b"]


def group_frame(rows=900, seed=2):
    rng = np.random.default_rng(seed)
    store = rng.choice([f"s{k}" for k in range(6)], rows)
    level = {f"s{k}": 10.0 ** (k % 3) * (1 + k) for k in range(6)}
    x = np.array([level[s] for s in store]) * rng.uniform(0.5, 1.5, rows)
    noise = rng.normal(0, 1, rows)
    frame = pd.DataFrame({"store": store, "x": x, "noise": noise})
    relative = frame["x"] / frame.groupby("store")["x"].transform("mean")
    frame["label"] = (relative > 1.1).astype(int)
    return frame


def test_search_finds_a_ratio_to_the_group_mean_for_a_classifier(server):
    upload_frame(server, "stores", group_frame())
    job = search(server, "stores", label="label", task="classification")
    assert job["state"] == "succeeded", job
    report = job["result"]
    assert report["metric"] == "neg_log_loss" and report["keys"] == ["store"]
    assert report["kept"][0]["name"] == "x/mean(x by store)", report["kept"]
    # count(x by store) equals count(noise by store): one of them is pruned.
    assert any(d["reason"].startswith("pruned: duplicate") for d in report["dropped"]), report["dropped"]
    assert report["final_score"] > report["baseline_score"] + 0.05
    transformer = report["spec"]["transformers"][1]
    assert transformer["columns"] == ["store", "x"]
    assert transformer["steps"][0]["step"] == "GroupAggregate"


def test_search_keeps_nothing_on_noise(server):
    """Also: a timestamp column (a type the search does not use) beside the data is left unread, not an error."""
    rng = np.random.default_rng(3)
    rows = 500
    upload_frame(server, "noise", pd.DataFrame({"a": rng.normal(0, 1, rows), "b": rng.normal(0, 1, rows),
                                                "g": rng.choice(["u", "v", "w"], rows),
                                                "ts": pd.date_range("2024-01-01", periods=rows, freq="h"),
                                                "y": rng.normal(0, 1, rows)}))
    job = search(server, "noise", label="y", task="regression", tolerance=0.01)
    assert job["state"] == "succeeded", job
    report = job["result"]
    assert report["kept"] == [] and report["final_score"] == report["baseline_score"]
    assert report["spec"]["transformers"] == [{"name": "base", "columns": ["a", "b"], "steps": []}]
    assert report["stopped"], report


def test_a_search_reports_progress_per_phase_and_stops_when_cancelled(server):
    rng = np.random.default_rng(4)
    rows = 3000
    upload_frame(server, "wide", pd.DataFrame({f"x{k}": rng.normal(0, 1, rows) for k in range(8)} |
                                             {"y": rng.normal(0, 1, rows)}))
    body = {"kind": "features.search", "params": {"dataset": "wide", "label": "y", "task": "regression",
                                                  "min_mutual_info": 0, "tolerance": 0,
                                                  "budget": {"max_seconds": 600, "screen": 40, "max_features": 20}}}
    r = server.post("/api/v1/jobs", json=body)
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]
    running = wait_for(lambda: (lambda j: j if "forward step 1 of" in (j.get("progress") or {}).get("message", "")
                                else None)(get_job(server, job_id)), 120, "forward selection to start")
    assert running["state"] == "running", running
    assert server.post(f"/api/v1/jobs/{job_id}/cancel").status_code in (200, 202)
    assert wait_state(server, job_id, {"cancelled", "failed", "succeeded"}, timeout_s=120)["state"] == "cancelled"


@pytest.mark.parametrize("params, message", [
    ({"label": "nope", "task": "regression"}, "no label column 'nope'"),
    ({"label": "y", "task": "forecast"}, "params.task"),
    ({"label": "y", "task": "regression", "budget": {"max_candidates": 0}}, "params.budget.max_candidates"),
    ({"label": "y", "task": "regression", "budget": {"max_seconds": 0}}, "params.budget.max_seconds"),
    ({"label": "y", "task": "regression", "keys": ["missing"]}, "no key column 'missing'"),
    ({"label": "y", "task": "regression", "extra": 1}, "extra"),
    ({"task": "regression"}, "params.label"),
])
def test_bad_input_is_a_400_naming_it(server, params, message):
    if server.get("/api/v1/datasets/product").status_code != 200:
        upload_frame(server, "product", product_frame())
    r = server.post("/api/v1/jobs", json={"kind": "features.search", "params": {"dataset": "product", **params}})
    assert r.status_code == 400, r.text
    assert message in error_of(r)["message"], r.text


def test_data_it_cannot_search_is_refused(server):
    upload_frame(server, "textonly", pd.DataFrame({"city": ["a", "b", "c", "d"], "y": [1.0, 2.0, 3.0, 4.0]}))
    r = server.post("/api/v1/jobs", json={"kind": "features.search",
                                          "params": {"dataset": "textonly", "label": "y", "task": "regression"}})
    assert r.status_code == 400 and "no numeric column besides the label" in error_of(r)["message"], r.text
    server.post("/api/v1/datasets", json={"name": "empty"})
    r = server.post("/api/v1/datasets/empty/versions", params={"filename": "data.csv"}, data=b"a,y\n",
                    headers={"Content-Type": "text/csv"})
    if r.status_code == 201:
        r = server.post("/api/v1/jobs", json={"kind": "features.search",
                                              "params": {"dataset": "empty", "label": "y", "task": "regression"}})
        assert r.status_code == 400 and "no rows" in error_of(r)["message"], r.text
    upload_frame(server, "oneclass", pd.DataFrame({"a": np.arange(20.0), "y": np.ones(20, dtype=int)}))
    job = search(server, "oneclass", label="y", task="classification")
    assert job["state"] == "failed" and "one class" in job["error"], job
