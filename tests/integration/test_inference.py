"""Serving through the Open Inference Protocol with real workers: fidelity against the frameworks themselves,
JSON vs binary tensors, malformed requests, repository load/unload, statistics and metrics."""
import json

import numpy as np
import pytest

from conftest import error_of
from serving import infer, load, register
from v2_client import decode_response, json_request


@pytest.fixture(scope="module")
def cancer_rows():
    from sklearn.datasets import load_breast_cancer
    return load_breast_cancer().data[:64].astype(np.float32)


def test_xgboost_probabilities_equal_the_librarys_exactly(maasd, models_dir, cancer_rows):
    import xgboost as xgb
    register(maasd, "cancer", models_dir / "xgb_breast_cancer.json")
    loaded = load(maasd, "cancer")
    assert loaded["state"] == "READY"
    booster = xgb.Booster(model_file=str(models_dir / "xgb_breast_cancer.json"))
    expected = booster.predict(xgb.DMatrix(cancer_rows))
    r = infer(maasd, "cancer", {"input": cancer_rows})
    assert r.status_code == 200, r.text
    assert r.headers["x-maas-model-version"] == "1"
    body, out = decode_response(r)
    assert body["model_name"] == "cancer" and body["model_version"] == "1"
    np.testing.assert_array_equal(out["output"].reshape(expected.shape), expected)
    margin = decode_response(infer(maasd, "cancer", {"input": cancer_rows},
                                   parameters={"output": "margin", "timeout": 5_000_000, "priority": 1}))[1]
    np.testing.assert_array_equal(margin["output"].reshape(-1),
                                  booster.predict(xgb.DMatrix(cancer_rows), output_margin=True).reshape(-1))
    # The binary tensor extension gives identical numbers.
    rb = infer(maasd, "cancer", {"input": cancer_rows}, binary=True)
    assert rb.status_code == 200, rb.text
    assert "Inference-Header-Content-Length" in rb.headers
    np.testing.assert_array_equal(decode_response(rb)[1]["output"].reshape(expected.shape), expected)


def test_xgboost_contributions_equal_the_librarys_pred_contribs(maasd, models_dir, cancer_rows):
    """output=contribs: each feature's SHAP value and the bias, as Booster.predict(pred_contribs=True) computes them,
    for a binary and a multi-class model (whose contributions have a class axis)."""
    import xgboost as xgb
    from sklearn.datasets import load_iris
    iris_rows = load_iris().data[::10].astype(np.float32)
    for name, fixture, rows in (("cancer", "xgb_breast_cancer.json", cancer_rows), ("iris", "xgb_iris.json", iris_rows)):
        register(maasd, name, models_dir / fixture)
        assert load(maasd, name)["state"] == "READY"
        booster = xgb.Booster(model_file=str(models_dir / fixture))
        expected = booster.predict(xgb.DMatrix(rows), pred_contribs=True)
        r = infer(maasd, name, {"input": rows}, parameters={"output": "contribs"})
        assert r.status_code == 200, r.text
        body, out = decode_response(r)
        assert body["outputs"][0]["shape"] == list(expected.shape)
        np.testing.assert_allclose(out["output"].reshape(expected.shape), expected, rtol=1e-5, atol=1e-6)
        # Contributions add up to the margin.
        margin = booster.predict(xgb.DMatrix(rows), output_margin=True)
        np.testing.assert_allclose(expected.sum(axis=-1), margin, rtol=1e-4, atol=1e-4)
    r = infer(maasd, "iris", {"input": iris_rows}, parameters={"output": "shap"})
    assert r.status_code == 400 and "'contribs'" in r.json()["error"]


@pytest.mark.parametrize("kind", ["onnx", "torchscript"])
def test_torch_models_match_pytorch(maasd, models_dir, kind):
    import torch
    rng = np.random.default_rng(3)
    for name, shape in [("mlp", (8, 4)), ("cnn", (3, 1, 8, 8))]:
        path = models_dir / (name + (".onnx" if kind == "onnx" else ".pt"))
        model = f"{name}-{kind}"
        register(maasd, model, path)
        load(maasd, model)
        x = rng.standard_normal(shape).astype(np.float32)
        expected = torch.jit.load(str(models_dir / (name + ".pt")))(torch.from_numpy(x)).detach().numpy()
        meta = maasd.get(f"/v2/models/{model}").json()
        input_name = meta["inputs"][0]["name"]
        r = infer(maasd, model, {input_name: x})
        assert r.status_code == 200, r.text
        got = list(decode_response(r)[1].values())[0]
        np.testing.assert_allclose(got.reshape(expected.shape), expected, atol=1e-5, rtol=0)


def test_metadata_readiness_and_repository(maasd, models_dir):
    register(maasd, "meta", models_dir / "xgb_iris.json")
    assert maasd.get("/v2/models/meta").status_code == 404
    index = maasd.post("/v2/repository/index").json()
    assert {"name": "meta", "version": "1", "state": "UNAVAILABLE", "reason": "unloaded"} in index
    load(maasd, "meta")
    meta = maasd.get("/v2/models/meta").json()
    assert meta["name"] == "meta" and meta["versions"] == ["1"] and meta["platform"] == "xgboost_json"
    assert meta["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 4]}]
    assert meta["outputs"][0]["shape"] == [-1, 3]
    assert maasd.get("/v2/models/meta/ready").json() == {"name": "meta", "ready": True}
    assert maasd.get("/v2/models/meta/versions/1/ready").status_code == 200
    server = maasd.get("/v2").json()
    assert {"binary_tensor_data", "model_repository", "statistics"} <= set(server["extensions"])
    assert maasd.get("/v2/health/live").status_code == 200 and maasd.get("/v2/health/ready").status_code == 200
    # A deployed version cannot be deleted from the registry.
    r = maasd.delete("/api/v1/models/meta/versions/1")
    assert r.status_code == 409 and "deployed" in error_of(r)["message"]
    assert maasd.post("/v2/repository/models/meta/unload").status_code == 200
    assert maasd.get("/v2/models/meta/ready").status_code == 404
    assert maasd.delete("/api/v1/models/meta/versions/1").status_code == 204


def test_malformed_requests_get_precise_400s(maasd, models_dir, cancer_rows):
    register(maasd, "bad", models_dir / "xgb_breast_cancer.json")
    load(maasd, "bad")
    good = {"name": "input", "shape": [1, 30], "datatype": "FP32", "data": [0.0] * 30}
    cases = [
        ({"inputs": [dict(good, data=[0.0] * 29)]}, "30"),
        ({"inputs": [dict(good, datatype="FP31")]}, "FP31"),
        ({"inputs": [dict(good, name="nope")]}, "nope"),
        ({"inputs": [dict(good, datatype="INT64", data=[0] * 30)]}, "INT64"),
        ({"inputs": [dict(good, shape=[1, 29], data=[0.0] * 29)]}, "29"),
        ({"inputs": []}, "input"),
        ({"inputs": [good], "outputs": [{"name": "nosuch"}]}, "nosuch"),
    ]
    for body, needle in cases:
        r = maasd.post("/v2/models/bad/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (body, r.text)
        assert needle in r.json()["error"], (body, r.text)
    r = maasd.post("/v2/models/bad/infer", data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "error" in r.json()
    head = json.dumps({"inputs": [{"name": "input", "shape": [1, 30], "datatype": "FP32",
                                   "parameters": {"binary_data_size": 120}}]}).encode()
    r = maasd.post("/v2/models/bad/infer", data=head + b"\0" * 100,
                   headers={"Inference-Header-Content-Length": str(len(head))})
    assert r.status_code == 400 and "120" in r.json()["error"]
    r = maasd.post("/v2/models/bad/infer", data=head, headers={"Inference-Header-Content-Length": "99999"})
    assert r.status_code == 400
    big = np.zeros((70 * 1024 * 1024 // 120, 30), np.float32)  # over the 64 MiB default of max_infer_body_bytes
    r = infer(maasd, "bad", {"input": big}, binary=True)
    assert r.status_code == 413 and "max_infer_body_bytes" in r.json()["error"]
    r = maasd.post("/v2/models/ghost/infer", data=json.dumps({"inputs": [good]}))
    assert r.status_code == 404 and "not loaded" in r.json()["error"]
    assert infer(maasd, "bad", {"input": cancer_rows[:2]}).status_code == 200  # still serving


def test_concurrent_clients_are_batched(maasd, models_dir, cancer_rows):
    from concurrent.futures import ThreadPoolExecutor
    import requests
    import xgboost as xgb
    register(maasd, "batched", models_dir / "xgb_breast_cancer.json")
    load(maasd, "batched", max_batch_size=32, max_queue_delay_us=5000)
    booster = xgb.Booster(model_file=str(models_dir / "xgb_breast_cancer.json"))
    expected = booster.predict(xgb.DMatrix(cancer_rows))

    def call(i):
        row = cancer_rows[i: i + 1]
        body, headers = json_request({"input": row})
        with requests.Session() as s:
            for _ in range(5):
                r = s.post(maasd.url + "/v2/models/batched/infer", data=body, headers={**headers, **maasd.auth_headers},
                           timeout=60)
                assert r.status_code == 200, r.text
                assert decode_response(r)[1]["output"].reshape(-1)[0] == expected[i]
        return True

    with ThreadPoolExecutor(64) as pool:
        assert all(pool.map(call, range(64)))
    stats = maasd.get("/v2/models/batched/stats").json()["model_stats"][0]
    assert stats["inference_count"] == 64 * 5
    assert max(b["batch_size"] for b in stats["batch_stats"]) > 1
    assert stats["execution_count"] < stats["inference_count"]


def test_metrics_expose_runtime_series(maasd, models_dir, cancer_rows):
    register(maasd, "m", models_dir / "xgb_breast_cancer.json")
    load(maasd, "m")
    assert infer(maasd, "m", {"input": cancer_rows[:3]}).status_code == 200
    text = maasd.get("/metrics").text
    assert 'maas_inference_requests_total{service="",model="m",version="1",code="200"} 1' in text
    assert 'maas_model_batch_size_bucket{model="m",version="1",le="+Inf"}' in text
    assert 'maas_worker_resident_memory_bytes{model="m",version="1",instance="0"}' in text
    assert 'maas_worker_cpu_seconds_total{model="m",version="1",instance="0"}' in text
    assert "maas_inference_request_duration_seconds_count" in text
