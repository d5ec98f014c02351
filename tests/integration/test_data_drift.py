"""Drift between dataset versions and between parts of a split (GET /api/v1/datasets/{name}/versions/{ref}/drift,
docs/DATA.md): the Kolmogorov–Smirnov statistic and p-value equal scipy.stats.ks_2samp(method="auto")'s to 1e-9
(the exact distribution at these sizes; tests/unit/data/ks_test.cc covers the asymptotic one); PSI equals its stated definition (deciles of the first side,
proportions floored at 1e-4, missing values a bin of their own) computed with numpy; bad requests are 400s."""
import io

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import error_of
from data_jobs import finished, new_version
from jobs_client import wait_for

FLOOR = 1e-4


def psi(a_counts, b_counts):
    pa = np.maximum(np.asarray(a_counts, float) / sum(a_counts), FLOOR)
    pb = np.maximum(np.asarray(b_counts, float) / sum(b_counts), FLOOR)
    return float(np.sum((pb - pa) * np.log(pb / pa)))


def numeric_psi(a, b, bins=10):
    """Deciles of a's present values (linear), the distinct ones; a value's bin is how many edges lie below it."""
    present = a[~np.isnan(a)]
    edges = []
    for i in range(1, bins):
        q = np.quantile(present, i / bins)
        if not edges or q > edges[-1]:
            edges.append(q)

    def counts(x):
        bins_of = np.searchsorted(np.asarray(edges), x[~np.isnan(x)], side="left")
        c = [int((bins_of == k).sum()) for k in range(len(edges) + 1)]
        return c + [int(np.isnan(x).sum())]
    ca, cb = counts(a), counts(b)
    keep = [i for i in range(len(ca)) if ca[i] or cb[i]]
    return psi([ca[i] for i in keep], [cb[i] for i in keep])


def categorical_psi(a, b):
    keys = sorted(set(a.fillna("\0missing")) | set(b.fillna("\0missing")))
    va, vb = a.fillna("\0missing").value_counts(), b.fillna("\0missing").value_counts()
    return psi([int(va.get(k, 0)) for k in keys], [int(vb.get(k, 0)) for k in keys])


def frame(rng, rows, shift):
    x = rng.normal(10 + shift, 3, rows)
    x[rng.rand(rows) < 0.05] = np.nan
    c = rng.choice(["a", "b", "c", "d"], rows, p=[0.4, 0.3, 0.2 - shift / 10, 0.1 + shift / 10]).astype(object)
    c[rng.rand(rows) < 0.03] = None
    return pd.DataFrame({"x": x, "n": rng.randint(0, 20 + int(shift * 10), rows), "c": c})


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("drift")
    server = Maasd(d / "data").start()
    rng = np.random.RandomState(11)
    frames = [frame(rng, 4000, 0.0), frame(rng, 3000, 0.5)]
    assert server.post("/api/v1/datasets", json={"name": "m"}).status_code == 201
    for df in frames:
        r = server.post("/api/v1/datasets/m/versions", params={"filename": "m.csv", "column_type": "x:DOUBLE"},
                        data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
        assert r.status_code == 201, r.text
    yield server, frames
    assert server.stop() == 0


def by_name(answer):
    return {c["name"]: c for c in answer["columns"]}


def test_drift_between_two_versions_equals_scipy_and_the_stated_psi(loaded):
    server, (a, b) = loaded
    viewer = server.post("/api/v1/keys", json={"name": "reader", "role": "viewer"}).json()["key"]
    r = server.get("/api/v1/datasets/m/versions/1/drift", params={"against": "m:2"}, key=viewer)
    assert r.status_code == 200, r.text
    cols = by_name(r.json())
    for name in ["x", "n"]:
        xa, xb = a[name].to_numpy(float), b[name].to_numpy(float)
        expected = stats.ks_2samp(xa[~np.isnan(xa)], xb[~np.isnan(xb)], method="auto")
        ks = cols[name]["ks"]
        assert abs(ks["statistic"] - expected.statistic) <= 1e-12
        assert abs(ks["pvalue"] - expected.pvalue) <= 1e-9 * max(expected.pvalue, 1e-3), (name, ks, expected)
        assert ks["method"] == "exact"
        assert abs(cols[name]["psi"] - numeric_psi(xa, xb)) <= 1e-9, name
        assert cols[name]["kind"] == "numeric"
    assert cols["x"]["missing_a"] == a.x.isna().sum() and cols["x"]["count_b"] == b.x.notna().sum()
    assert cols["c"]["kind"] == "categorical" and "ks" not in cols["c"]
    assert abs(cols["c"]["psi"] - categorical_psi(a.c, b.c)) <= 1e-9
    assert r.json()["max_psi"] == max(c["psi"] for c in r.json()["columns"])
    assert r.json()["a"] == {"dataset": "m", "version": 1} and r.json()["b"] == {"dataset": "m", "version": 2}


def test_a_version_against_itself_has_no_drift(loaded):
    server, _ = loaded
    r = server.get("/api/v1/datasets/m/versions/1/drift", params={"against": "m:1", "columns": "x,c"})
    assert r.status_code == 200, r.text
    cols = by_name(r.json())
    assert set(cols) == {"x", "c"}
    assert cols["x"]["psi"] == 0 and cols["x"]["ks"]["statistic"] == 0 and cols["x"]["ks"]["pvalue"] == 1


def test_drift_between_parts_of_a_split(loaded):
    server, (a, _) = loaded
    v = new_version(server, server.post("/api/v1/datasets/m/versions/1/split",
                                        json={"method": "random", "fractions": {"train": 0.75, "test": 0.25},
                                              "seed": 3}))["version"]
    r = server.get(f"/api/v1/datasets/m/versions/{v}/drift", params={"part": "train", "against": f"m:{v}:test"})
    assert r.status_code == 200, r.text
    got = server.get(f"/api/v1/datasets/m/versions/{v}/download", params={"format": "csv"})
    df = pd.read_csv(io.StringIO(got.text), keep_default_na=False, na_values={"x": ["", "NaN"], "c": [""]})
    train, test = df[df.split == "train"], df[df.split == "test"]
    cols = by_name(r.json())
    assert "split" not in cols
    expected = stats.ks_2samp(train.x.dropna(), test.x.dropna(), method="auto")
    assert abs(cols["x"]["ks"]["statistic"] - expected.statistic) <= 1e-12
    assert abs(cols["x"]["ks"]["pvalue"] - expected.pvalue) <= 1e-9 * max(expected.pvalue, 1e-3)
    assert abs(cols["x"]["psi"] - numeric_psi(train.x.to_numpy(float), test.x.to_numpy(float))) <= 1e-9
    assert cols["x"]["count_a"] + cols["x"]["missing_a"] == 3000
    assert r.json()["a"]["part"] == "train"


@pytest.mark.parametrize("params,words", [
    ({}, "'against'"),
    ({"against": "m"}, "<dataset>:<version>"),
    ({"against": "m:1", "part": "train"}, "has no column 'split'"),
    ({"against": "m:1:holdout"}, "train, validation or test"),
    ({"against": "m:1", "columns": "nope"}, "column 'nope'"),
    ({"against": "m:1", "bins": "1"}, "'bins'"),
])
def test_bad_drift_requests_are_400s(loaded, params, words):
    server, _ = loaded
    r = server.get("/api/v1/datasets/m/versions/1/drift", params=params)
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"], r.text


def test_missing_versions_are_404s(loaded):
    server, _ = loaded
    assert server.get("/api/v1/datasets/m/versions/9/drift", params={"against": "m:1"}).status_code == 404
    assert server.get("/api/v1/datasets/m/versions/1/drift", params={"against": "nope:1"}).status_code == 404


def test_an_empty_side_answers_null_statistics_not_an_error(loaded):
    server, _ = loaded
    r = server.post("/api/v1/datasets/m/versions/1/split", json={"method": "random", "fractions": {"train": 1}})
    v = new_version(server, r)["version"]
    r = server.get(f"/api/v1/datasets/m/versions/{v}/drift", params={"part": "train", "against": f"m:{v}:test"})
    assert r.status_code == 200, r.text
    cols = by_name(r.json())
    assert cols["x"]["psi"] is None and cols["x"]["ks"] is None and cols["x"]["count_b"] == 0
    assert r.json()["max_psi"] is None


def test_drift_runs_as_a_job_whose_result_is_the_report(loaded):
    server, _ = loaded
    query = {"against": "m:2", "columns": "x,c", "bins": 5}
    now = server.get("/api/v1/datasets/m/versions/1/drift", params=query)
    assert now.status_code == 200, now.text
    r = server.post("/api/v1/datasets/m/versions/1/drift", json={**query, "columns": ["x", "c"], "priority": 2})
    assert r.json()["kind"] == "data.drift" and r.json()["priority"] == 2
    job = finished(server, r)
    # The same report (the sums may differ in their last bits: the job's DuckDB runs on its own threads).
    got, want = job["result"], now.json()
    assert {k: got[k] for k in ("a", "b", "bins")} == {k: want[k] for k in ("a", "b", "bins")}
    assert got["max_psi"] == pytest.approx(want["max_psi"], rel=1e-12)
    for g, w in zip(got["columns"], want["columns"]):
        assert g.keys() == w.keys() and g["psi"] == pytest.approx(w["psi"], rel=1e-12)
        assert {k: v for k, v in g.items() if k != "psi"} == {k: v for k, v in w.items() if k != "psi"}
    assert job["progress"]["metrics"]["steps_done"] == job["progress"]["metrics"]["steps_total"] == 1
    # The job's log lines reach the log center a moment after the job ends.
    wait_for(lambda: any("drift of 'm' version 1 against 'm' version 2" in line["line"]
                         for line in server.get(f"/api/v1/jobs/{job['id']}/logs").json()["lines"]), 30,
             "the drift job's log line")
    # A bad request is refused before any job exists.
    r = server.post("/api/v1/datasets/m/versions/1/drift", json={"against": "m:2", "bins": 1})
    assert r.status_code == 400 and "'bins'" in error_of(r)["message"], r.text
    assert server.post("/api/v1/datasets/m/versions/1/drift", json={"against": "nope:1"}).status_code == 404
