"""Time-series features over a real maasd (docs/FEATURES.md#time-series-features): a features.timeseries job
submitted through POST /api/v1/jobs turns a dataset version into a new version with the feature columns added, and
each feature equals pandas 1.5 / statsmodels 0.13 computed here to 1e-9, per entity, over rows stored out of time
order, with missing values, gaps in time and repeated timestamps; seasonal_decompose and STL also on statsmodels' co2 and
sunspots data sets. Bad specs are clear 400s; a window larger than
the data fails the job with a message naming the feature."""
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from jobs_client import wait_for

ENTITIES = ["north", "south", "west"]
TOL = 1e-9


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("timeseries") / "data").start()
    yield s
    assert s.stop() == 0


def upload_csv(server, name, df):
    server.post("/api/v1/datasets", json={"name": name})
    r = server.post(f"/api/v1/datasets/{name}/versions", params={"filename": f"{name}.csv"},
                    data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()


def run_features(server, dataset, spec, into, expect="succeeded"):
    r = server.post("/api/v1/jobs", json={"kind": "features.timeseries",
                                          "params": {"dataset": dataset, "spec": spec, "into": into}})
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]
    job = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 180, f"features job {job_id}")
    assert job["state"] == expect, job
    return job


def rows_of(server, dataset, version="latest"):
    """The version's rows in order; JSON Lines keeps every double's digits (NULL is NaN)."""
    r = server.get(f"/api/v1/datasets/{dataset}/versions/{version}/download", params={"format": "jsonl"})
    assert r.status_code == 200, r.text
    return pd.DataFrame([json.loads(line) for line in r.text.splitlines() if line]).fillna(value=np.nan)


def assert_close(got, want, what):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape, what
    both_nan = np.isnan(got) & np.isnan(want)
    assert (np.isnan(got) == np.isnan(want)).all(), (what, np.where(np.isnan(got) != np.isnan(want))[0][:10])
    diff = np.abs(np.where(both_nan, 0, got - want))
    scale = np.maximum(1.0, np.abs(np.where(both_nan, 0, want)))
    assert (diff <= TOL * scale).all(), (what, float(diff.max()))


@pytest.fixture(scope="module")
def events():
    """Three entities at irregular times (gaps up to hours, a few repeated timestamps), y with missing values, z
    positive and complete; rows shuffled so that the file is in no time order."""
    rng = np.random.RandomState(13)
    frames = []
    for e in ENTITIES:
        n = 150
        steps = rng.choice([1, 2, 5, 7, 30, 180], n, p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05])
        steps[rng.rand(n) < 0.03] = 0  # repeated timestamps
        ts = pd.Timestamp("2024-02-27 21:00:00") + pd.to_timedelta(np.cumsum(steps), unit="min")
        y = rng.normal(100, 15, n).round(3)
        y[rng.rand(n) < 0.08] = np.nan
        z = (50 + 10 * np.sin(np.arange(n) * 2 * np.pi / 7) + rng.gamma(2, 2, n)).round(4)
        frames.append(pd.DataFrame({"k": e, "ts": ts, "y": y, "z": z}))
    df = pd.concat(frames, ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


ROLLING_STATS = ["mean", "sum", "std", "var", "min", "max", "median", "count"]


def spec_features():
    f = [{"name": "y_lag1", "kind": "lag", "column": "y", "periods": 1},
         {"name": "y_lead2", "kind": "lag", "column": "y", "periods": -2},
         {"name": "y_diff2", "kind": "diff", "column": "y", "periods": 2}]
    for stat in ROLLING_STATS:
        f.append({"name": f"y_r5_{stat}", "kind": "rolling", "column": "y", "window": 5, "statistic": stat})
        f.append({"name": f"y_r5m2_{stat}", "kind": "rolling", "column": "y", "window": 5, "statistic": stat,
                  "min_periods": 2})
        f.append({"name": f"y_t30_{stat}", "kind": "rolling", "column": "y", "window": "30min", "statistic": stat})
    f += [{"name": "y_r7_q90", "kind": "rolling", "column": "y", "window": 7, "statistic": "quantile",
           "quantile": 0.9, "min_periods": 1},
          {"name": "y_t2h_q25", "kind": "rolling", "column": "y", "window": "2h", "statistic": "quantile",
           "quantile": 0.25},
          {"name": "y_ewm_span5", "kind": "ewm", "column": "y", "span": 5},
          {"name": "y_ewm_span5_std", "kind": "ewm", "column": "y", "span": 5, "statistic": "std"},
          {"name": "y_ewm_a3", "kind": "ewm", "column": "y", "alpha": 0.3, "adjust": False, "ignore_na": True},
          {"name": "y_ewm_hl4_std", "kind": "ewm", "column": "y", "halflife": 4, "statistic": "std",
           "min_periods": 3},
          {"name": "y_ewm_com2", "kind": "ewm", "column": "y", "com": 2, "ignore_na": True}]
    for field in ["hour", "weekday", "month", "day_of_year", "is_weekend", "hour_sin", "hour_cos", "weekday_sin",
                  "weekday_cos", "month_sin", "month_cos"]:
        f.append({"name": f"cal_{field}", "kind": "calendar", "field": field})
    f += [{"name": "z_acf1", "kind": "acf", "column": "z", "lag": 1},
          {"name": "z_acf7", "kind": "acf", "column": "z", "lag": 7},
          {"name": "y_acf2_drop", "kind": "acf", "column": "y", "lag": 2, "missing": "drop"},
          {"name": "z_dtw", "kind": "dtw", "column": "z", "reference": REFERENCE, "band": 140}]
    for model in ["additive", "multiplicative"]:
        for comp in ["trend", "seasonal", "resid"]:
            f.append({"name": f"z_{model}_{comp}", "kind": "decompose", "column": "z", "period": 7, "model": model,
                      "component": comp})
    f.append({"name": "z_trend_freq", "kind": "decompose", "column": "z", "period": 7, "component": "trend",
              "extrapolate_trend": "freq"})
    for robust in [False, True]:
        for comp in ["trend", "seasonal", "resid", "weights"]:
            f.append({"name": f"z_stl_{comp}_{robust}", "kind": "stl", "column": "z", "period": 7, "robust": robust,
                      "component": comp})
    f.append({"name": "z_stl_custom", "kind": "stl", "column": "z", "period": 7, "seasonal": 13, "trend": 21,
              "low_pass": 9, "component": "seasonal"})
    return f


REFERENCE = [50 + 10 * math.sin(i * 2 * math.pi / 7) for i in range(145)]


def dtw_reference(a, b, band):
    """Dynamic time warping with |a_i - b_j| costs inside a Sakoe-Chiba band, written out plainly (Debian packages
    no DTW library to compare with)."""
    n, m = len(a), len(b)
    d = np.full((n + 1, m + 1), np.inf)
    d[0, 0] = 0
    for i in range(1, n + 1):
        for j in range(max(1, i - band), min(m, i + band) + 1):
            d[i, j] = abs(a[i - 1] - b[j - 1]) + min(d[i - 1, j], d[i, j - 1], d[i - 1, j - 1])
    return d[n, m]


def expected_features(df):
    """Each feature as pandas/statsmodels compute it, entity by entity in time order, back in the file's order."""
    from statsmodels.tsa.seasonal import STL, seasonal_decompose
    from statsmodels.tsa.stattools import acf
    out = pd.DataFrame(index=df.index)
    for e, g in df.groupby("k"):
        g = g.sort_values("ts", kind="stable")
        y, z, ts = g.y, g.z, g.ts
        yt = pd.Series(y.values, index=pd.DatetimeIndex(ts.values))
        col = {"y_lag1": y.shift(1), "y_lead2": y.shift(-2), "y_diff2": y.diff(2)}
        for stat in ROLLING_STATS:
            mp = {"min_periods": 0} if stat == "count" else {}
            col[f"y_r5_{stat}"] = getattr(y.rolling(5, **mp), stat)()
            col[f"y_r5m2_{stat}"] = getattr(y.rolling(5, min_periods=2), stat)()
            col[f"y_t30_{stat}"] = getattr(yt.rolling("30min"), stat)().values
        col["y_r7_q90"] = y.rolling(7, min_periods=1).quantile(0.9)
        col["y_t2h_q25"] = yt.rolling("2h").quantile(0.25).values
        col["y_ewm_span5"] = y.ewm(span=5).mean()
        col["y_ewm_span5_std"] = y.ewm(span=5).std()
        col["y_ewm_a3"] = y.ewm(alpha=0.3, adjust=False, ignore_na=True).mean()
        col["y_ewm_hl4_std"] = y.ewm(halflife=4, min_periods=3).std()
        col["y_ewm_com2"] = y.ewm(com=2, ignore_na=True).mean()
        dt = ts.dt
        col.update({"cal_hour": dt.hour, "cal_weekday": dt.dayofweek, "cal_month": dt.month,
                    "cal_day_of_year": dt.dayofyear, "cal_is_weekend": (dt.dayofweek >= 5).astype(float),
                    "cal_hour_sin": np.sin(2 * np.pi * dt.hour / 24), "cal_hour_cos": np.cos(2 * np.pi * dt.hour / 24),
                    "cal_weekday_sin": np.sin(2 * np.pi * dt.dayofweek / 7),
                    "cal_weekday_cos": np.cos(2 * np.pi * dt.dayofweek / 7),
                    "cal_month_sin": np.sin(2 * np.pi * (dt.month - 1) / 12),
                    "cal_month_cos": np.cos(2 * np.pi * (dt.month - 1) / 12)})
        zacf = acf(z.values, nlags=7, adjusted=False, fft=True)
        col["z_acf1"] = np.full(len(g), zacf[1])
        col["z_acf7"] = np.full(len(g), zacf[7])
        col["y_acf2_drop"] = np.full(len(g), acf(y.values, nlags=2, adjusted=False, missing="drop")[2])
        col["z_dtw"] = np.full(len(g), dtw_reference(z.values, REFERENCE, 140))
        for model in ["additive", "multiplicative"]:
            d = seasonal_decompose(z.values, model=model, period=7)
            col[f"z_{model}_trend"], col[f"z_{model}_seasonal"], col[f"z_{model}_resid"] = d.trend, d.seasonal, d.resid
        col["z_trend_freq"] = seasonal_decompose(z.values, period=7, extrapolate_trend="freq").trend
        for robust in [False, True]:
            r = STL(z.values, period=7, robust=robust).fit()
            for comp, values in [("trend", r.trend), ("seasonal", r.seasonal), ("resid", r.resid),
                                 ("weights", r.weights)]:
                col[f"z_stl_{comp}_{robust}"] = values
        col["z_stl_custom"] = STL(z.values, period=7, seasonal=13, trend=21, low_pass=9).fit().seasonal
        for name, values in col.items():
            out.loc[g.index, name] = np.asarray(values, dtype=float)
    return out


def test_every_feature_equals_pandas_and_statsmodels_per_entity(server, events):
    pytest.importorskip("statsmodels")
    upload_csv(server, "events", events)
    spec = {"entity": "k", "time": "ts", "features": spec_features()}
    job = run_features(server, "events", spec, "events_features")
    assert job["result"]["rows"] == len(events)
    version = server.get("/api/v1/datasets/events_features/versions/latest").json()
    assert version["lineage"]["parents"] == [{"dataset": "events", "version": 1}]
    assert version["lineage"]["rule"] == "features.timeseries"
    assert version["lineage"]["details"]["features_spec"] == spec
    got = rows_of(server, "events_features")
    # The input's rows in the input's order, its columns first, then the features in the spec's order.
    assert list(got.columns) == ["k", "ts", "y", "z"] + [f["name"] for f in spec["features"]]
    assert list(got.k) == list(events.k)
    assert_close(got.z, events.z, "z")
    want = expected_features(events)
    for f in spec["features"]:
        assert_close(got[f["name"]], want[f["name"]], f["name"])


@pytest.mark.parametrize("name,model", [("co2", "additive"), ("co2", "multiplicative"), ("sunspots", "additive")])
def test_seasonal_decompose_equals_statsmodels_on_its_data_sets(server, name, model):
    sm = pytest.importorskip("statsmodels.api")
    from statsmodels.tsa.seasonal import seasonal_decompose
    if name == "co2":
        # As statsmodels' docs: the weekly series resampled to monthly means, gaps filled forward.
        series = sm.datasets.co2.load_pandas().data["co2"].resample("M").mean().ffill()
        period, times = 12, series.index
    else:
        series = sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"]
        period = 11
        times = pd.date_range("1700-01-01", periods=len(series), freq="D")  # yearly data; only the order matters
    df = pd.DataFrame({"t": times, "v": series.values})
    dataset = f"{name}_{model[:3]}"
    upload_csv(server, dataset, df.iloc[::-1])  # stored newest first: the job orders by time
    features = [{"name": f"{c}_{x}", "kind": "decompose", "column": "v", "period": period, "model": model,
                 "component": c, "extrapolate_trend": x}
                for c in ["trend", "seasonal", "resid"] for x in [0, "freq", 3]]
    run_features(server, dataset, {"time": "t", "features": features}, dataset + "_parts")
    got = rows_of(server, dataset + "_parts").iloc[::-1].reset_index(drop=True)
    for x in [0, "freq", 3]:
        d = seasonal_decompose(series.values, model=model, period=period, extrapolate_trend=x)
        for c in ["trend", "seasonal", "resid"]:
            assert_close(got[f"{c}_{x}"], getattr(d, c), f"{name} {model} {c} extrapolate_trend={x}")


@pytest.mark.parametrize("robust", [False, True])
def test_stl_equals_statsmodels_on_co2(server, robust):
    sm = pytest.importorskip("statsmodels.api")
    from statsmodels.tsa.seasonal import STL
    series = sm.datasets.co2.load_pandas().data["co2"].resample("M").mean().ffill()
    dataset = f"co2_stl_{robust}".lower()
    upload_csv(server, dataset, pd.DataFrame({"t": series.index, "v": series.values}))
    parts = ["trend", "seasonal", "resid", "weights"]
    features = [{"name": c, "kind": "stl", "column": "v", "period": 12, "robust": robust, "component": c}
                for c in parts]
    run_features(server, dataset, {"time": "t", "features": features}, dataset + "_parts")
    got = rows_of(server, dataset + "_parts")
    r = STL(series, robust=robust).fit()  # the period (12) from the monthly index, as statsmodels' docs
    for c in parts:
        assert_close(got[c], getattr(r, c), f"co2 STL robust={robust} {c}")


def test_bad_specs_are_clear_400s(server):
    df = pd.DataFrame({"k": ["a", "a", "b"], "ts": pd.date_range("2024-01-01", periods=3, freq="H"),
                       "y": [1.0, 2.0, 3.0], "label": ["x", "y", "z"]})
    upload_csv(server, "small", df)

    def refused(spec, words, **params):
        r = server.post("/api/v1/jobs", json={"kind": "features.timeseries",
                                              "params": {"dataset": "small", "spec": spec, "into": "out", **params}})
        assert r.status_code == 400, r.text
        assert words in error_of(r)["message"], error_of(r)

    lag = {"name": "l", "kind": "lag", "column": "y"}
    refused({"time": "ts", "features": [dict(lag, column="nope")]}, "has no column 'nope'")
    refused({"time": "ts", "features": [dict(lag, column="label")]}, "the column 'label' is VARCHAR, not numeric")
    refused({"time": "y", "features": [lag]}, "the time column 'y' is DOUBLE, not a TIMESTAMP or DATE")
    refused({"entity": "who", "time": "ts", "features": [lag]}, "no entity column 'who'")
    refused({"time": "ts", "features": [dict(lag, name="y")]}, "has a column of that name already")
    refused({"time": "ts", "features": [{"name": "r", "kind": "rolling", "column": "y", "window": "3 days",
                                         "statistic": "mean"}]}, "spec.features[0].window must be")
    refused({"time": "ts", "features": [{"name": "e", "kind": "ewm", "column": "y"}]},
            "exactly one of com, span, halflife, alpha")
    refused({"time": "ts", "features": []}, "spec.features must be a non-empty array")
    refused({"time": "ts", "features": [lag]}, "params.surprise", surprise=1)


def test_features_timeseries_max_features_bounds_a_spec(tmp_path):
    from conftest import Maasd
    small = Maasd(tmp_path / "data", extra_args=["--features-timeseries-max-features", "2"]).start()
    try:
        upload_csv(small, "few", pd.DataFrame({"ts": pd.date_range("2024-01-01", periods=4, freq="H"),
                                               "y": [1.0, 2, 3, 4]}))
        features = [{"name": f"l{i}", "kind": "lag", "column": "y", "periods": i} for i in range(1, 4)]
        body = {"kind": "features.timeseries", "params": {"dataset": "few", "into": "out",
                                                          "spec": {"time": "ts", "features": features}}}
        r = small.post("/api/v1/jobs", json=body)
        assert r.status_code == 400, r.text
        assert "spec.features has 3 features; at most 2 are allowed" in error_of(r)["message"]
        body["params"]["spec"]["features"] = features[:2]
        assert small.post("/api/v1/jobs", json=body).status_code == 201
    finally:
        assert small.stop() == 0


def test_an_empty_version_is_a_400(server):
    upload_csv(server, "nothing", pd.DataFrame({"ts": pd.to_datetime([]), "y": pd.Series([], dtype=float)}))
    r = server.post("/api/v1/jobs", json={"kind": "features.timeseries", "params": {
        "dataset": "nothing", "into": "out",
        "spec": {"time": "ts", "features": [{"name": "l", "kind": "lag", "column": "y"}]}}})
    assert r.status_code == 400, r.text
    assert "has no rows to compute features over" in error_of(r)["message"]


def test_a_window_larger_than_the_data_fails_the_job_naming_it(server):
    df = pd.DataFrame({"k": ["a", "a", "b"], "ts": pd.date_range("2024-01-01", periods=3, freq="H"), "y": [1.0, 2, 3]})
    upload_csv(server, "tiny", df)
    spec = {"entity": "k", "time": "ts",
            "features": [{"name": "wide", "kind": "rolling", "column": "y", "window": 3, "statistic": "mean"}]}
    job = run_features(server, "tiny", spec, "tiny_out", expect="failed")
    assert "feature 'wide': the window of 3 rows is larger than the data" in json.dumps(job["error"])
    spec["features"][0]["window"] = "1d"
    job = run_features(server, "tiny", spec, "tiny_out", expect="failed")
    assert "larger than the data's whole time span" in json.dumps(job["error"])
    # No version was recorded for the failed jobs.
    assert server.get("/api/v1/datasets/tiny_out").status_code == 404
