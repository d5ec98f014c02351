"""Feature pipelines over a real maasd (docs/FEATURES.md): /api/v1/pipelines stores a spec (checked whole), fits it
on a dataset version as a features.fit job into an immutable, numbered version whose fitted state (a blob) equals
scikit-learn's fit of the same data, with aliases and tags; bad input is a clear 400 or a failed job naming the
column."""
import io

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from conftest import error_of
from jobs_client import wait_for

SPEC = {"transformers": [
    {"name": "num", "columns": ["x", "n"], "steps": [{"step": "StandardScaler"}]},
    {"name": "cat", "columns": ["city"], "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("pipelines") / "data").start()
    yield s
    assert s.stop() == 0


def frame(rows=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(5, 2, rows)
    x[::7] = np.nan
    return pd.DataFrame({"x": x, "n": rng.integers(0, 100, rows), "city": rng.choice(["Lyon", "Paris", "Nice"], rows),
                         "y": rng.normal(0, 1, rows)})


def upload_frame(server, name, df):
    server.post("/api/v1/datasets", json={"name": name})
    r = server.post(f"/api/v1/datasets/{name}/versions", params={"filename": "data.csv"},
                    data=df.to_csv(index=False, float_format="%.17g").encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()


def fit(server, pipeline, expect_state="succeeded", **body):
    r = server.post(f"/api/v1/pipelines/{pipeline}/fit", json=body)
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "features.fit"
    job_id = r.json()["id"]
    return wait_for(lambda: (lambda j: j if j["state"] in (expect_state, "failed", "succeeded", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 120, f"fit job {job_id}")


def test_a_fitted_version_holds_sklearns_statistics_and_its_lineage(server):
    df = frame()
    upload_frame(server, "raw", df)
    r = server.post("/api/v1/pipelines", json={"name": "prep", "spec": SPEC, "tags": {"team": "ml"}})
    assert r.status_code == 201, r.text
    assert r.json()["latest_version"] == 0
    job = fit(server, "prep", dataset="raw")
    assert job["state"] == "succeeded", job
    v = server.get("/api/v1/pipelines/prep/versions/latest", params={"state": "true"})
    assert v.status_code == 200, v.text
    version = v.json()
    assert version["version"] == 1 and version["fitted_on"] == {"dataset": "raw", "version": 1}
    assert version["job_id"] == job["id"]
    assert version["output_columns"] == ["num__x", "num__n", "cat__city_Lyon", "cat__city_Nice", "cat__city_Paris"]
    assert {c["name"]: c["type"] for c in version["input_schema"]} == {"x": "number", "n": "number",
                                                                         "city": "text"}
    state = version["fitted_state"]["transformers"]
    scaler = StandardScaler().fit(df[["x", "n"]])
    np.testing.assert_allclose(state[0][0]["center"], scaler.mean_, rtol=1e-12)
    np.testing.assert_allclose(state[0][0]["scale"], scaler.scale_, rtol=1e-12)
    assert state[1][0]["categories"][0]["values"] == list(OneHotEncoder().fit(df[["city"]]).categories_[0])
    # A second fit is version 2; aliases and tags name versions.
    assert fit(server, "prep", dataset="raw", version=1)["state"] == "succeeded"
    assert server.get("/api/v1/pipelines/prep").json()["latest_version"] == 2
    assert server.put("/api/v1/pipelines/prep/aliases/prod", json={"version": 1}).status_code == 200
    assert server.get("/api/v1/pipelines/prep/versions/prod").json()["version"] == 1
    assert server.get("/api/v1/pipelines/prep").json()["aliases"] == {"prod": 1}
    r = server.patch("/api/v1/pipelines/prep/versions/2", json={"tags": {"stage": "test"}})
    assert r.status_code == 200 and r.json()["tags"] == {"stage": "test"}
    listed = server.get("/api/v1/pipelines/prep/versions").json()["versions"]
    assert [x["version"] for x in listed] == [1, 2]


def wait_job(server, r):
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    return wait_for(lambda: (lambda j: j if j["state"] in ("failed", "succeeded", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 120, f"job {job_id}")


def test_a_transform_writes_sklearns_features_into_a_new_dataset_version_with_lineage(server):
    from sklearn.compose import ColumnTransformer
    df = frame(150, seed=3)
    upload_frame(server, "train", df)
    server.post("/api/v1/pipelines", json={"name": "tf", "spec": SPEC})
    assert fit(server, "tf", dataset="train")["state"] == "succeeded"
    fresh = frame(40, seed=4)
    fresh.loc[0, "city"] = "Brest"  # unseen: all zeros (handle_unknown ignore)
    upload_frame(server, "fresh", fresh)
    job = wait_job(server, server.post("/api/v1/pipelines/tf/versions/latest/transform",
                                       json={"dataset": "fresh", "into": "fresh_features"}))
    assert job["state"] == "succeeded", job
    version = server.get("/api/v1/datasets/fresh_features/versions/1").json()
    assert version["lineage"]["source"] == "dataset:fresh@1" and version["lineage"]["rule"] == "pipeline:tf@1"
    assert version["lineage"]["job_id"] == job["id"]
    r = server.get("/api/v1/datasets/fresh_features/versions/1/preview", params={"limit": 1000})
    assert r.status_code == 200, r.text
    names = [c["name"] for c in r.json()["columns"]]
    ours = np.array([[np.nan if v is None else v for v in row] for row in r.json()["rows"]], dtype=float)
    ct = ColumnTransformer([("num", StandardScaler(), ["x", "n"]),
                            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["city"])])
    theirs = ct.fit(df).transform(fresh)
    assert names == list(ct.get_feature_names_out())
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True)
    # The pipeline's columns must be there, with the types it was fitted on: a 400 naming the column.
    upload_frame(server, "retyped", fresh.assign(n=fresh["city"]))
    r = server.post("/api/v1/pipelines/tf/versions/1/transform", json={"dataset": "retyped", "into": "z"})
    assert r.status_code == 400 and "column 'n'" in error_of(r)["message"], r.text
    r = server.post("/api/v1/pipelines/tf/versions/9/transform", json={"dataset": "fresh", "into": "z"})
    assert r.status_code == 404, r.text


def test_columns_the_pipeline_does_not_use_are_not_read(server):
    """A timestamp (a type no step takes) beside the features fails neither the fit nor the transform: the jobs read
    only the columns the pipeline uses (and the output holds only the pipeline's columns)."""
    df = frame(60, seed=5).assign(ts=pd.date_range("2024-01-01", periods=60, freq="h").strftime("%Y-%m-%d %H:%M:%S"))
    assert upload_frame(server, "stamped", df)["schema"][-1]["type"].startswith("TIMESTAMP")
    server.post("/api/v1/pipelines", json={"name": "stamped", "spec": SPEC})
    job = fit(server, "stamped", dataset="stamped")
    assert job["state"] == "succeeded", job
    job = wait_job(server, server.post("/api/v1/pipelines/stamped/versions/1/transform",
                                       json={"dataset": "stamped", "into": "stamped_features"}))
    assert job["state"] == "succeeded", job
    schema = server.get("/api/v1/datasets/stamped_features/versions/1").json()["schema"]
    assert [c["name"] for c in schema] == ["num__x", "num__n", "cat__city_Lyon", "cat__city_Nice", "cat__city_Paris"]


def test_a_spec_is_checked_whole_when_created(server):
    bad = {"transformers": [{"name": "s", "columns": ["x"], "steps": [{"step": "StandardScaler", "with_mean": 1}]}]}
    r = server.post("/api/v1/pipelines", json={"name": "bad", "spec": bad})
    assert r.status_code == 400 and "'with_mean'" in error_of(r)["message"], r.text
    assert server.post("/api/v1/pipelines", json={"name": "twice", "spec": SPEC}).status_code == 201
    assert server.post("/api/v1/pipelines", json={"name": "twice", "spec": SPEC}).status_code == 409
    assert server.post("/api/v1/pipelines", json={"name": "nospec"}).status_code == 400
    assert server.get("/api/v1/pipelines/none").status_code == 404


def test_a_column_the_dataset_lacks_is_a_400_naming_it(server):
    upload_frame(server, "narrow", frame().drop(columns=["city"]))
    server.post("/api/v1/pipelines", json={"name": "wide", "spec": SPEC})
    r = server.post("/api/v1/pipelines/wide/fit", json={"dataset": "narrow"})
    assert r.status_code == 400 and "no column 'city'" in error_of(r)["message"], r.text
    assert server.post("/api/v1/pipelines/wide/fit", json={}).status_code == 400
    assert server.post("/api/v1/pipelines/wide/fit", json={"dataset": "nope"}).status_code == 404


def test_data_a_step_refuses_fails_the_job_naming_the_column(server):
    upload_frame(server, "gappy", frame())
    spec = {"transformers": [{"name": "k", "columns": ["x"], "steps": [{"step": "KBinsDiscretizer"}]}]}
    server.post("/api/v1/pipelines", json={"name": "bins", "spec": spec})
    job = fit(server, "bins", expect_state="failed", dataset="gappy")
    assert job["state"] == "failed" and "column 'x'" in job["error"], job
    assert server.get("/api/v1/pipelines/bins").json()["latest_version"] == 0


def test_a_deleted_pipeline_is_gone(server):
    server.post("/api/v1/pipelines", json={"name": "gone", "spec": SPEC})
    assert server.delete("/api/v1/pipelines/gone").status_code == 204
    assert server.get("/api/v1/pipelines/gone").status_code == 404
    names = [p["name"] for p in server.get("/api/v1/pipelines").json()["pipelines"]]
    assert "gone" not in names and "prep" in names
