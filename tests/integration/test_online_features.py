"""The online feature store over a real maasd (docs/FEATURES.md#online-features): a feature view's rows fed in time
order through POST /api/v1/feature-views/{name}/observations give, row by row, exactly (bit for bit) the features
the offline features.timeseries job writes for the same entity and time, over entities with missing values, gaps
longer than the windows and repeated timestamps; GET .../entities/{key} serves the latest. Bad input is a clear
4xx and maasd stays up; views survive a restart, entity state does not; the entity bound evicts the least
recently used."""
import json

import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from test_timeseries_features import run_features, spec_features, upload_csv

ENTITIES = ["north", "south", "west"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("online") / "data").start()
    yield s
    assert s.stop() == 0


def online_features():
    """Every feature of the offline test that can be served online: all but leads and whole-series kinds."""
    return [f for f in spec_features()
            if f["kind"] in ("lag", "diff", "rolling", "ewm", "calendar") and f.get("periods", 1) >= 0]


@pytest.fixture(scope="module")
def events():
    """Three entities at irregular times (gaps up to hours, repeated timestamps), y with missing values and large
    magnitudes (the compensated sums matter), rows shuffled so that the file is in no time order."""
    rng = np.random.RandomState(31)
    frames = []
    for e in ENTITIES:
        n = 120
        steps = rng.choice([1, 2, 5, 7, 30, 180], n, p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05])
        steps[rng.rand(n) < 0.05] = 0
        ts = pd.Timestamp("2024-02-27 21:00:00") + pd.to_timedelta(np.cumsum(steps), unit="min")
        y = (1e6 + rng.normal(0, 15, n)).round(3)
        y[rng.rand(n) < 0.08] = np.nan
        z = rng.gamma(2, 2, n).round(4)
        frames.append(pd.DataFrame({"k": e, "ts": ts, "y": y, "z": z}))
    df = pd.concat(frames, ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def offline(server, df, features):
    """The features.timeseries job's output for `df`, in df's row order."""
    upload_csv(server, "events", df)
    run_features(server, "events", {"entity": "k", "time": "ts", "features": features}, "events_f")
    r = server.get("/api/v1/datasets/events_f/versions/latest/download", params={"format": "jsonl"})
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines() if line]


def observation(row):
    out = {"k": row.k, "ts": int(row.ts.value // 1000), "y": None if np.isnan(row.y) else float(row.y)}
    if "z" in row.index:
        out["z"] = float(row.z)
    return out


def same(online, offline_value):
    """Bit for bit: JSON carries every double's digits; null is NaN (missing) on both sides."""
    if online is None or offline_value is None:
        return online is None and (offline_value is None or np.isnan(offline_value))
    return float(online) == float(offline_value)


def test_observations_give_the_offline_features_row_by_row(server, events):
    features = online_features()
    want = offline(server, events, features)
    r = server.post("/api/v1/feature-views", json={"name": "events", "entity": "k", "time": "ts",
                                                   "values": ["y", "z"], "features": features})
    assert r.status_code == 201, r.text
    assert r.json()["values"] == ["y", "z"]
    assert r.json()["feature_columns"] == [f["name"] for f in features]
    # Arrival order: by time, and for equal times in the file's order (the offline job's stable sort).
    order = events.sort_values("ts", kind="stable").index
    for start in range(0, len(order), 50):
        batch = order[start:start + 50]
        r = server.post("/api/v1/feature-views/events/observations",
                        json={"rows": [observation(events.loc[i]) for i in batch]})
        assert r.status_code == 200, r.text
        for i, got in zip(batch, r.json()["rows"]):
            assert got["entity"] == events.k[i]
            for f in features:
                name = f["name"]
                assert same(got["features"][name], want[i][name]), (i, name, got["features"][name], want[i][name])
    for e in ENTITIES:
        last = events[events.k == e].sort_values("ts", kind="stable").index[-1]
        r = server.get(f"/api/v1/feature-views/events/entities/{e}")
        assert r.status_code == 200, r.text
        assert r.json()["rows"] == (events.k == e).sum()
        assert all(same(r.json()["features"][f["name"]], want[last][f["name"]]) for f in features)


def test_bad_input_is_a_clear_error_and_maasd_stays_up(server):
    view = {"entity": "k", "time": "ts", "features": [{"name": "m", "kind": "rolling", "column": "y", "window": 3,
                                                       "statistic": "mean", "min_periods": 1}]}
    assert server.post("/api/v1/feature-views", json={"name": "bad", **view}).status_code == 201
    assert server.post("/api/v1/feature-views", json={"name": "bad", **view}).status_code == 409
    cases = [
        ({"name": "x", **view, "features": [{"name": "a", "kind": "acf", "column": "y"}]}, "whole series"),
        ({"name": "x", **view, "features": [{"name": "a", "kind": "lag", "column": "y", "periods": -1}]}, "lead"),
        ({"name": "x", **view, "values": ["q"]}, "not one of 'values'"),
        ({"name": "x", **view, "windows": 3}, "windows"),
        ({"name": "x", "time": "ts", "features": view["features"]}, "'entity' is required"),
    ]
    for body, words in cases:
        r = server.post("/api/v1/feature-views", json=body)
        assert r.status_code == 400 and words in error_of(r)["message"], (body, r.text)

    def observe(name, rows):
        return server.post(f"/api/v1/feature-views/{name}/observations", json={"rows": rows})

    assert observe("nope", [{"k": "a", "ts": 1, "y": 1}]).status_code == 404
    r = observe("bad", [{"k": "a", "ts": 1, "y": 1, "w": 2}])
    assert r.status_code == 400 and "no column 'w'" in error_of(r)["message"], r.text
    r = observe("bad", [{"k": "a", "ts": 1, "y": "one"}])
    assert r.status_code == 400 and "rows[0].y must be a number" in error_of(r)["message"], r.text
    r = observe("bad", [{"k": "a", "ts": "yesterday", "y": 1}])
    assert r.status_code == 400 and "rows[0].ts" in error_of(r)["message"], r.text
    r = observe("bad", [{"ts": 1, "y": 1}])
    assert r.status_code == 400 and "no entity" in error_of(r)["message"], r.text
    assert observe("bad", [{"k": "a", "ts": 10, "y": 1}, {"k": "b", "ts": 5, "y": 1}]).status_code == 200
    r = observe("bad", [{"k": "b", "ts": 6, "y": 3}, {"k": "a", "ts": 9, "y": 1}])
    assert r.status_code == 409 and "entity 'a'" in error_of(r)["message"], r.text
    got = server.get("/api/v1/feature-views/bad/entities/b").json()  # the row before the bad one was recorded
    assert got["rows"] == 2 and got["features"]["m"] == 2.0
    assert server.get("/api/v1/feature-views/bad/entities/zzz").status_code == 404
    assert server.get("/api/v1/health").status_code == 200


def test_views_survive_a_restart_and_the_entity_bound_evicts(maasd_factory, tmp_path):
    server = maasd_factory(tmp_path / "d", env={"MAAS_FEATURES_ONLINE_MAX_ENTITIES": "2"}).start()
    view = {"name": "v", "entity": "k", "time": "ts",
            "features": [{"name": "s", "kind": "rolling", "column": "y", "window": 10, "statistic": "sum",
                          "min_periods": 1}]}
    assert server.post("/api/v1/feature-views", json=view).status_code == 201

    def observe(rows):
        return server.post("/api/v1/feature-views/v/observations", json={"rows": rows})

    r = observe([{"k": e, "ts": 1, "y": 1} for e in "abc"])
    assert r.status_code == 400 and "3 entities" in error_of(r)["message"], r.text
    for e in "abca":
        assert observe([{"k": e, "ts": 2, "y": 1}]).status_code == 200
    # c evicted a (the least recently used), then a's return evicted b: a started over with one row.
    assert server.get("/api/v1/feature-views/v/entities/b").status_code == 404
    assert server.get("/api/v1/feature-views/v/entities/a").json()["features"]["s"] == 1.0
    metrics = server.get("/metrics").text
    assert "maas_online_features_entities 2" in metrics
    assert [line for line in metrics.splitlines() if line.startswith("maas_online_features_memory_bytes ")]
    assert server.stop() == 0
    server.start()
    assert server.get("/api/v1/feature-views/v").json()["feature_columns"] == ["s"]
    assert server.get("/api/v1/feature-views/v/entities/a").status_code == 404  # state is memory only
    r = server.put("/api/v1/feature-views/v", json={**view, "name": "w"})
    assert r.status_code == 400, r.text
    assert server.delete("/api/v1/feature-views/v").status_code == 204
    assert server.get("/api/v1/feature-views/v").status_code == 404
    assert server.stop() == 0


IRIS_FEATURES = [{"name": "y_lag1", "kind": "lag", "column": "y"},
                 {"name": "y_r3_mean", "kind": "rolling", "column": "y", "window": 3, "statistic": "mean",
                  "min_periods": 1},
                 {"name": "y_t30_std", "kind": "rolling", "column": "y", "window": "30min", "statistic": "std"},
                 {"name": "y_ewm", "kind": "ewm", "column": "y", "span": 5}]


def raw_request(rows):
    """A raw-column KServe v2 request: the entity as BYTES, the time as INT64 microseconds, y as FP64."""
    return {"inputs": [
        {"name": "k", "shape": [len(rows)], "datatype": "BYTES", "data": [r["k"] for r in rows]},
        {"name": "ts", "shape": [len(rows)], "datatype": "INT64", "data": [r["ts"] for r in rows]},
        {"name": "y", "shape": [len(rows)], "datatype": "FP64", "data": [r["y"] for r in rows]}]}


def test_inference_requests_feed_the_store_and_the_model_gets_the_offline_features(maasd_factory, tmp_path,
                                                                                 models_dir):
    from serving import load, register
    from v2_client import binary_request, decode_response
    server = maasd_factory(tmp_path / "d").start()
    rng = np.random.RandomState(5)
    frames = []
    for e in ["north", "south"]:
        ts = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.cumsum(rng.choice([1, 4, 20, 90], 40)), unit="min")
        frames.append(pd.DataFrame({"k": e, "ts": ts, "y": rng.normal(5, 2, 40).round(4)}))
    df = pd.concat(frames, ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    want = offline(server, df, IRIS_FEATURES)
    view = {"name": "iris_view", "entity": "k", "time": "ts", "features": IRIS_FEATURES}
    assert server.post("/api/v1/feature-views", json=view).status_code == 201
    register(server, "iris", models_dir / "xgb_iris.json")
    register(server, "iris_plain", models_dir / "xgb_iris.json")
    r = server.put("/api/v1/models/iris/versions/latest/feature-view", json={"view": "iris_view"})
    assert r.status_code == 200 and r.json()["version"] == 1, r.text
    assert server.get("/api/v1/models/iris/versions/1/feature-view").json()["view"] == "iris_view"
    assert server.put("/api/v1/models/iris/versions/7/feature-view", json={"view": "iris_view"}).status_code == 404
    r = server.put("/api/v1/models/iris/versions/1/feature-view", json={"view": "nope"})
    assert r.status_code == 404, r.text
    load(server, "iris")
    load(server, "iris_plain")

    order = list(df.sort_values("ts", kind="stable").index)
    for start in range(0, len(order), 7):
        batch = order[start:start + 7]
        rows = [observation(df.loc[i]) for i in batch]
        r = server.post("/v2/models/iris/infer", json=raw_request(rows))
        assert r.status_code == 200, r.text
        _, got = decode_response(r)
        # The same model called with the offline features (FP32, as the model's input is) answers the same.
        offline_rows = np.array([[want[i][f["name"]] if want[i][f["name"]] is not None else np.nan
                                  for f in IRIS_FEATURES] for i in batch], dtype=np.float32)
        body, headers = binary_request({"input": offline_rows})
        r = server.post("/v2/models/iris_plain/infer", data=body, headers=headers)
        assert r.status_code == 200, r.text
        _, expected = decode_response(r)
        assert expected and set(got) == set(expected)
        for name in expected:
            assert np.array_equal(got[name], expected[name]), (batch, name, got[name], expected[name])
    for e in ["north", "south"]:
        last = df[df.k == e].sort_values("ts", kind="stable").index[-1]
        features = server.get(f"/api/v1/feature-views/iris_view/entities/{e}").json()["features"]
        assert all(same(features[f["name"]], want[last][f["name"]]) for f in IRIS_FEATURES)

    late = raw_request([{"k": "north", "ts": 0, "y": 1.0}])
    r = server.post("/v2/models/iris/infer", json=late)
    assert r.status_code == 409 and "entity 'north'" in r.text, r.text
    no_y = raw_request([{"k": "north", "ts": 2**62, "y": 1.0}])
    no_y["inputs"].pop()
    r = server.post("/v2/models/iris/infer", json=no_y)
    assert r.status_code == 400 and "'y'" in r.text, r.text
    r = server.delete("/api/v1/feature-views/iris_view")
    assert r.status_code == 409 and "iris" in error_of(r)["message"], r.text
    assert server.delete("/api/v1/models/iris/versions/1/feature-view").status_code == 204
    assert server.delete("/api/v1/feature-views/iris_view").status_code == 204
    assert server.stop() == 0
