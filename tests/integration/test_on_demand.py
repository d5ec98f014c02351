"""Loading on first request and evicting the least recently used version under a memory budget
(runtime.load_on_demand, runtime.memory_budget), with real workers."""
import concurrent.futures

import numpy as np

from peers import metric, poll
from serving import infer, load, register
from v2_client import decode_response


def row():
    from sklearn.datasets import load_breast_cancer
    return load_breast_cancer().data[:1].astype(np.float32)


def index(maasd):
    r = maasd.post("/v2/repository/index", json={})
    assert r.status_code == 200, r.text
    return {e["name"]: e for e in r.json()}


def rss_of(maasd, name):
    stats = maasd.get(f"/v2/models/{name}/stats").json()["model_stats"][0]
    return sum(i["rss_bytes"] for i in stats["instances"])


def test_off_by_default_a_request_to_an_unloaded_model_is_404(maasd, models_dir):
    register(maasd, "idle", models_dir / "xgb_breast_cancer.json")
    r = infer(maasd, "idle", {"input": row()})
    assert r.status_code == 404 and "is not loaded" in r.json()["error"]
    assert index(maasd)["idle"]["state"] == "UNAVAILABLE"


def test_first_request_loads_the_version_and_concurrent_ones_share_the_load(maasd_factory, models_dir):
    import xgboost as xgb
    maasd = maasd_factory(extra_args=["--load-on-demand", "true"]).start()
    register(maasd, "cancer", models_dir / "xgb_breast_cancer.json")
    expected = xgb.Booster(model_file=str(models_dir / "xgb_breast_cancer.json")).predict(xgb.DMatrix(row()))
    # Eight clients at once on a version nobody loaded: one load, every answer right.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: infer(maasd, "cancer", {"input": row()}), range(8)))
    for r in answers:
        assert r.status_code == 200, r.text
        np.testing.assert_array_equal(decode_response(r)[1]["output"].reshape(expected.shape), expected)
    assert metric(maasd, "maas_model_on_demand_loads_total", model="cancer", version="1") == 1
    entry = index(maasd)["cancer"]
    assert entry["state"] == "READY" and entry["loaded_on_demand"] is True
    # Not registered at all: still a 404 that says so; an LLM-free build's unknown version likewise.
    r = infer(maasd, "nope", {"input": row()})
    assert r.status_code == 404, r.text
    r = infer(maasd, "cancer", {"input": row()}, version=7)
    assert r.status_code == 404, r.text
    # A version that cannot load answers with why (an operator OpenCV DNN lacks), and nothing stays loaded.
    import onnx
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node("NonMaxSuppression", ["boxes", "scores"], ["selected"])], "nms",
        [helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, 4, 4]),
         helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 1, 4])],
        [helper.make_tensor_value_info("selected", TensorProto.INT64, [None, 3])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    assert maasd.post("/api/v1/models", json={"name": "nms"}).status_code == 201
    assert maasd.upload("nms", model.SerializeToString(), framework="onnx").status_code == 201
    r = infer(maasd, "nms", {"boxes": np.zeros((1, 4, 4), np.float32), "scores": np.zeros((1, 1, 4), np.float32)})
    assert r.status_code == 400, r.text
    assert "failed to load model 'nms'" in r.json()["error"] and "NonMaxSuppression" in r.json()["error"]
    assert index(maasd)["nms"]["state"] == "UNAVAILABLE"
    assert maasd.stop() == 0


def test_memory_budget_evicts_the_least_recently_used_on_demand_version(maasd_factory, models_dir):
    # One worker's resident memory, measured on a first server: the budget below holds two such workers.
    probe = maasd_factory().start()
    register(probe, "probe", models_dir / "xgb_breast_cancer.json")
    load(probe, "probe")
    assert infer(probe, "probe", {"input": row()}).status_code == 200
    one = rss_of(probe, "probe")
    assert one > 0
    assert probe.stop() == 0

    budget = int(one * 2.6)
    maasd = maasd_factory(extra_args=["--load-on-demand", "true", "--memory-budget", str(budget)]).start()
    for name in ("a", "b", "c", "pinned"):
        register(maasd, name, models_dir / "xgb_breast_cancer.json")
    # Loaded explicitly: counts against the budget, never evicted.
    load(maasd, "pinned")
    assert infer(maasd, "a", {"input": row()}).status_code == 200
    # pinned + a fit; b makes three workers (over 2.6): a, the only on-demand one, goes.
    assert infer(maasd, "b", {"input": row()}).status_code == 200
    loaded = index(maasd)
    assert loaded["pinned"]["state"] == "READY" and loaded["b"]["state"] == "READY"
    assert loaded["a"]["state"] == "UNAVAILABLE", loaded
    assert metric(maasd, "maas_model_evictions_total", model="a", version="1") == 1

    maasd2 = maasd_factory(extra_args=["--load-on-demand", "true", "--memory-budget", str(int(one * 3.6))]).start()
    for name in ("a", "b", "c"):
        register(maasd2, name, models_dir / "xgb_breast_cancer.json")
    # Three fit; a fourth worker does not. a is used after b, so b is the least recently used and goes.
    for name in ("a", "b", "c", "a"):
        assert infer(maasd2, name, {"input": row()}).status_code == 200
    register(maasd2, "d", models_dir / "xgb_breast_cancer.json")
    assert infer(maasd2, "d", {"input": row()}).status_code == 200
    loaded = index(maasd2)
    assert {n for n, e in loaded.items() if e["state"] == "READY"} == {"a", "c", "d"}, loaded
    # An evicted version comes back on its next request.
    assert infer(maasd2, "b", {"input": row()}).status_code == 200
    assert index(maasd2)["b"]["state"] == "READY"
    assert metric(maasd2, "maas_model_on_demand_loads_total", model="b", version="1") == 2
    # The eviction is an event in the log center, with why (records reach the store within its flush interval).
    def eviction_lines():
        r = maasd2.get("/loki/api/v1/query_range", params={"query": '{kind="event"} |= "evicted"', "limit": 100})
        assert r.status_code == 200, r.text
        lines = [v[1] for s in r.json()["data"]["result"] for v in s["values"]]
        return lines if any('"model":"b"' in line.replace(" ", "") and "memory budget" in line for line in lines) else None
    poll(eviction_lines, what="the eviction event of b")
    assert maasd.stop() == 0 and maasd2.stop() == 0
