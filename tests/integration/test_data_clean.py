"""Cleaning recipes over a real maasd (POST /api/v1/datasets/{name}/versions/{ref}/clean, docs/DATA.md): each step
gives what pandas 1.5 / scikit-learn's SimpleImputer give on the same data, to 1e-9 (mean, median, mode, constant and
grouped forward fill; IQR, z-score and quantile clipping; deduplication; casts; filters), counts are recorded on the
new version with its lineage, rejected casts are kept, and bad recipes are clear 400s."""
import io

import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer

from conftest import error_of
from data_jobs import new_version

ROWS = 3000


def frame(seed=5):
    rng = np.random.RandomState(seed)
    x = rng.normal(50.0, 12.0, ROWS)
    x[rng.rand(ROWS) < 0.1] = np.nan
    x[::97] = x[::97] * 8  # outliers
    y = rng.randint(0, 9, ROWS).astype(object)
    y[rng.rand(ROWS) < 0.15] = None
    cat = np.array(["red", "green", "blue", "grey"])[rng.randint(0, 4, ROWS)].astype(object)
    cat[rng.rand(ROWS) < 0.1] = None
    s = np.array([str(v) for v in rng.randint(-5, 5, ROWS)], dtype=object)
    s[rng.rand(ROWS) < 0.05] = "n/a"
    df = pd.DataFrame({"id": np.arange(ROWS) % 2500, "grp": rng.randint(0, 7, ROWS), "t": rng.randint(0, 400, ROWS),
                       "x": x, "y": y, "cat": cat, "s": s})
    return df


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("clean")
    server = Maasd(d / "data").start()
    df = frame()
    # Half of x's missing values are written as the text NaN (DuckDB reads a DOUBLE NaN, pandas a missing value), the
    # other half as empty fields (NULL).
    written = df.copy()
    written["x"] = [("NaN" if i % 2 else "") if np.isnan(v) else repr(float(v)) for i, v in enumerate(df.x)]
    csv = written.to_csv(index=False)
    r = server.post("/api/v1/datasets", json={"name": "raw"})
    assert r.status_code == 201, r.text
    r = server.post("/api/v1/datasets/raw/versions", params={"filename": "raw.csv", "column_type": ["s:VARCHAR", "x:DOUBLE"]},
                    data=csv.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    reference = pd.read_csv(io.StringIO(csv), dtype={"s": str}, keep_default_na=False,
                            na_values={"x": ["", "NaN"], "y": [""], "cat": [""]})
    yield server, reference
    assert server.stop() == 0


def clean(server, steps, ref="1", **fields):
    return server.post(f"/api/v1/datasets/raw/versions/{ref}/clean", json={"steps": steps, **fields})


def download(server, version, dataset="raw"):
    r = server.get(f"/api/v1/datasets/{dataset}/versions/{version}/download", params={"format": "csv"})
    assert r.status_code == 200, r.text
    return pd.read_csv(io.StringIO(r.text), dtype={"s": str, "cat": str}, keep_default_na=False,
                       na_values={c: ["", "NaN"] for c in ["x", "y", "cat"]})


def cleaned(server, steps):
    v = new_version(server, clean(server, steps))
    return v, download(server, v["version"])


def close(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert a.shape == b.shape
    both_nan = np.isnan(a) & np.isnan(b)
    assert np.allclose(a[~both_nan], b[~both_nan], rtol=1e-9, atol=0), np.max(np.abs(a[~both_nan] - b[~both_nan]))
    assert (np.isnan(a) == np.isnan(b)).all()


@pytest.mark.parametrize("strategy,sklearn", [("mean", "mean"), ("median", "median"), ("mode", "most_frequent")])
def test_numeric_imputation_equals_pandas_and_simple_imputer(loaded, strategy, sklearn):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "fill_missing", "column": "x", "strategy": strategy}])
    expected = {"mean": ref.x.mean(), "median": ref.x.median(), "mode": ref.x.mode()[0]}[strategy]
    imputer = SimpleImputer(strategy=sklearn).fit(ref[["x"]])
    assert abs(imputer.statistics_[0] - expected) <= 1e-9 * abs(expected)
    step = v["lineage"]["details"]["clean"]["steps"][0]
    assert abs(step["value"] - expected) <= 1e-9 * abs(expected)
    assert step["filled"] == ref.x.isna().sum() and step["rows_in"] == step["rows_out"] == ROWS
    close(out.x, ref.x.fillna(expected))
    close(out.x, imputer.transform(ref[["x"]])[:, 0])
    assert v["lineage"]["parents"] == [{"dataset": "raw", "version": 1}]
    assert v["lineage"]["source"] == "clean:raw@1"
    assert v["row_count"] == ROWS


def test_integer_and_string_modes_are_the_smallest_of_ties_and_constants_fill(loaded):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "fill_missing", "column": "y", "strategy": "mode"},
                              {"step": "fill_missing", "column": "cat", "strategy": "mode"},
                              {"step": "fill_missing", "column": "x", "strategy": "constant", "value": -1.5}])
    steps = v["lineage"]["details"]["clean"]["steps"]
    assert steps[0]["value"] == ref.y.mode()[0]
    assert steps[1]["value"] == ref.cat.mode()[0]
    assert SimpleImputer(strategy="most_frequent").fit(ref[["cat"]].astype(object)).statistics_[0] == ref.cat.mode()[0]
    assert (out.y == ref.y.fillna(ref.y.mode()[0])).all()
    assert (out.cat == ref.cat.fillna(ref.cat.mode()[0])).all()
    close(out.x, ref.x.fillna(-1.5))
    assert steps[2]["filled"] == ref.x.isna().sum()


def test_forward_fill_within_groups_ordered_by_a_column(loaded):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "fill_missing", "column": "x", "strategy": "ffill", "group_by": ["grp"],
                               "order_by": "t"}])
    ordered = ref.sort_values("t", kind="stable")
    expected = ordered.groupby("grp")["x"].ffill().reindex(ref.index)
    close(out.x, expected)
    assert v["lineage"]["details"]["clean"]["steps"][0]["filled"] == ref.x.isna().sum() - expected.isna().sum()


@pytest.mark.parametrize("method,params", [("iqr", {"k": 1.5}), ("zscore", {"k": 2.0}),
                                           ("quantile", {"lower": 0.05, "upper": 0.9})])
def test_clipping_bounds_equal_pandas(loaded, method, params):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "clip", "column": "x", "method": method, **params}])
    x = ref.x
    if method == "iqr":
        q1, q3 = x.quantile(0.25), x.quantile(0.75)
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    elif method == "zscore":
        lo, hi = x.mean() - 2 * x.std(ddof=1), x.mean() + 2 * x.std(ddof=1)
    else:
        lo, hi = x.quantile(0.05), x.quantile(0.9)
    step = v["lineage"]["details"]["clean"]["steps"][0]
    assert abs(step["lower"] - lo) <= 1e-9 * abs(lo) and abs(step["upper"] - hi) <= 1e-9 * abs(hi)
    assert step["clipped_low"] == (x < lo).sum() and step["clipped_high"] == (x > hi).sum()
    close(out.x, x.clip(lo, hi))


def test_deduplicate_keeps_the_first_row_by_key_or_whole_row(loaded):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "deduplicate", "columns": ["id"]}])
    expected = ref.drop_duplicates(subset=["id"], keep="first")
    assert list(out.t) == list(expected.t) and list(out.id) == list(expected.id)
    step = v["lineage"]["details"]["clean"]["steps"][0]
    assert step["rows_in"] - step["rows_out"] == ROWS - len(expected)
    v, out = cleaned(server, [{"step": "deduplicate", "columns": ["grp", "cat"]}, {"step": "deduplicate"}])
    assert len(out) == len(ref.drop_duplicates(subset=["grp", "cat"]))


def test_drop_missing_and_filters(loaded):
    server, ref = loaded
    v, out = cleaned(server, [{"step": "drop_missing", "columns": ["x", "y"]},
                              {"step": "filter", "column": "grp", "op": "in", "value": [1, 2, 3]},
                              {"step": "filter", "column": "x", "op": ">=", "value": 40},
                              {"step": "filter", "column": "cat", "op": "!=", "value": "grey"}])
    e = ref.dropna(subset=["x", "y"])
    e = e[e.grp.isin([1, 2, 3])]
    e = e[e.x >= 40]
    e = e[e.cat.notna() & (e.cat != "grey")]
    assert list(out.t) == list(e.t) and v["row_count"] == len(e)
    counts = [(s["rows_in"], s["rows_out"]) for s in v["lineage"]["details"]["clean"]["steps"]]
    assert counts[0] == (ROWS, len(ref.dropna(subset=["x", "y"]))) and counts[-1][1] == len(e)


def test_a_cast_nulls_or_rejects_what_does_not_convert_and_counts_it(loaded):
    server, ref = loaded
    bad = (ref.s == "n/a").sum()
    assert bad > 0
    v, out = cleaned(server, [{"step": "cast", "column": "s", "type": "BIGINT"}])
    step = v["lineage"]["details"]["clean"]["steps"][0]
    assert step["failed"] == step["nulled"] == bad and v["rejected_rows"] == 0
    assert {"name": "s", "type": "BIGINT"} in v["schema"]
    v = new_version(server, clean(server, [{"step": "cast", "column": "s", "type": "BIGINT", "on_error": "reject"}]))
    assert v["rejected_rows"] == bad and v["row_count"] == ROWS - bad
    rejects = server.get(f"/api/v1/datasets/raw/versions/{v['version']}/rejects", params={"limit": 10000}).json()
    lines = [row[0] for row in rejects["rows"]]
    assert lines == [i + 1 for i in ref.index[ref.s == "n/a"]]
    assert all(row[1] == "s" and row[4] == "n/a" for row in rejects["rows"])


def test_the_new_version_can_join_another_dataset(loaded):
    server, _ = loaded
    assert server.post("/api/v1/datasets", json={"name": "clean"}).status_code == 201
    r = clean(server, [{"step": "drop_missing"}], dataset="clean", description="no gaps", tags={"stage": "clean"})
    assert r.json()["kind"] == "data.clean"
    v = new_version(server, r)
    assert v["dataset"] == "clean" and v["version"] == 1 and v["tags"] == {"stage": "clean"}
    assert v["description"] == "no gaps" and v["lineage"]["source"] == "clean:raw@1"


@pytest.mark.parametrize("steps,words", [
    ([{"step": "fill_missing", "column": "nope", "strategy": "mean"}], "unknown column 'nope'"),
    ([{"step": "fill_missing", "column": "cat", "strategy": "median"}], "need a number"),
    ([{"step": "fill_missing", "column": "y", "strategy": "constant", "value": "x"}], "does not fit"),
    ([{"step": "fill_missing", "column": "y", "strategy": "constant", "value": 2.5}], "does not fit"),
    ([{"step": "clip", "column": "x", "method": "quantile", "lower": 0.9, "upper": 0.1}], "lower < upper"),
    ([{"step": "clip", "column": "cat", "method": "iqr"}], "needs a number"),
    ([{"step": "clip", "column": "x", "method": "iqr", "k": "big"}], "'k' must be a finite number"),
    ([{"step": "explode"}], "unknown step 'explode'"),
    ([{"step": "drop_missing", "colums": ["x"]}], "unknown field 'colums'"),
    ([{"step": "cast", "column": "s", "type": "VARCHAR; DROP TABLE x"}], "'type' must be one of"),
    ([{"step": "filter", "column": "x", "op": "like", "value": 1}], "'op' must be one of"),
    ([{"step": "filter", "column": "x", "op": ">"}], "needs a 'value'"),
    ([], "non-empty array"),
    ("steps", "non-empty array"),
])
def test_bad_recipes_are_400s_that_name_the_problem(loaded, steps, words):
    server, _ = loaded
    r = clean(server, steps)
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"], r.text


def test_missing_inputs_are_404s(loaded):
    server, _ = loaded
    assert clean(server, [{"step": "drop_missing"}], ref="99").status_code == 404
    assert clean(server, [{"step": "drop_missing"}], dataset="nowhere").status_code == 404
    r = server.post("/api/v1/datasets/raw/versions/1/clean", json={"steps": [{"step": "drop_missing"}], "x": 1})
    assert r.status_code == 400


def test_a_clean_is_a_job_with_step_progress_logs_and_events(loaded):
    from jobs_client import job_events, logs, wait_for
    server, _ = loaded
    steps = [{"step": "drop_missing"}, {"step": "deduplicate"}]
    r = clean(server, steps, priority=1)
    assert r.json()["kind"] == "data.clean" and r.json()["priority"] == 1
    v = new_version(server, r)
    job = server.get(f"/api/v1/jobs/{r.json()['id']}").json()
    # Steps done of total: loading the input, each step, writing the result.
    assert job["progress"]["metrics"]["steps_done"] == job["progress"]["metrics"]["steps_total"] == len(steps) + 2
    assert job["result"]["rows"] == v["row_count"] and job["result"]["version"] == v["version"]
    assert [s["step"] for s in job["result"]["steps"]] == ["drop_missing", "deduplicate"]
    wait_for(lambda: any("step 2 (deduplicate) done" in line["line"] for line in logs(server, job["id"])), 30,
             "the job's step lines in its log")
    assert any("cleaning 'raw' version 1: 2 steps" in line["line"] for line in logs(server, job["id"]))
    events = wait_for(lambda: (lambda e: e if "job_succeeded" in e else None)(
        [e["event"] for e in job_events(server, job["id"])]), 30, "the job's events")
    assert events[0] == "job_submitted" and "job_started" in events, events
