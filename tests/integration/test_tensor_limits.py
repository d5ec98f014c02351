"""A model's declared shapes cannot make maasd run out of memory (issue 10, finding 4): uploads whose inputs no
request could fill are refused with 400 naming the input and limits.max_tensor_elements; a version stored before
that check fails to load cleanly; warm-up runs inside the worker, under its memory limit; a worker's answer over
the limit is refused without taking the worker down; a request shape claiming too much is a 400."""
import json
import os

import numpy as np

from serving import infer, load, register
from v2_client import json_request

HUGE_SHAPE = ["batch", 2147483647, 16]  # 2^35 elements per row: the probe's 22.9 GB load
LIMIT = 268435456  # limits.max_tensor_elements by default (2^28)
# How much maasd's peak memory may grow while it loads such models: far below the gigabytes a fill would take
# (AddressSanitizer's quarantine keeps freed memory around, hence not less).
PEAK_GROWTH = 128 << 20


def relu_onnx(path, input_shape):
    """A real ONNX graph (one Relu) whose input is declared with `input_shape`."""
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, input_shape)])
    onnx.save(helper.make_model(graph, producer_name="test_tensor_limits",
                                opset_imports=[helper.make_opsetid("", 13)]), str(path))
    return path


def assert_alive(maasd):
    assert maasd.proc.poll() is None, maasd.log()
    assert maasd.get("/v2/health/live").status_code == 200


def error_message(r):
    body = r.json()
    return body["error"]["message"] if isinstance(body["error"], dict) else body["error"]


def test_upload_refuses_an_onnx_input_no_request_could_fill(maasd, tmp_path):
    assert maasd.post("/api/v1/models", json={"name": "huge"}).status_code == 201
    r = maasd.upload("huge", relu_onnx(tmp_path / "huge.onnx", HUGE_SHAPE))
    assert r.status_code == 400, r.text
    message = error_message(r)
    assert "input 'x' declares shape [-1,2147483647,16]" in message, message
    assert "34359738352 elements per row" in message and str(LIMIT) in message
    assert "limits.max_tensor_elements" in message
    assert maasd.get("/api/v1/models/huge/versions").json()["versions"] == []
    assert_alive(maasd)


def test_upload_refuses_an_xgboost_model_declaring_2_31_features(maasd, models_dir, tmp_path):
    # A real model with its learner_model_param.num_feature edited, as an attacker would.
    model = json.loads((models_dir / "xgb_breast_cancer.json").read_text())
    model["learner"]["learner_model_param"]["num_feature"] = "2147483647"
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(model))
    assert maasd.post("/api/v1/models", json={"name": "wide"}).status_code == 201
    r = maasd.upload("wide", path)
    assert r.status_code == 400, r.text
    message = error_message(r)
    assert "input 'input' declares shape [-1,2147483647]" in message and str(LIMIT) in message, message
    assert_alive(maasd)


def test_a_version_stored_under_a_larger_limit_fails_to_load_cleanly(maasd_factory, tmp_path):
    # Stored by a server with a far larger limit: what a version uploaded before the check looks like.
    data = tmp_path / "data"
    lax = maasd_factory(data_dir=data, extra_args=["--max-tensor-elements", str(1 << 40)]).start()
    register(lax, "huge", relu_onnx(tmp_path / "huge.onnx", HUGE_SHAPE))
    assert lax.stop() == 0
    maasd = maasd_factory(data_dir=data, extra_args=["--load-on-demand", "true"]).start()
    before = maasd.rss_bytes("VmHWM")
    r = maasd.post("/v2/repository/models/huge/load", json={})
    assert r.status_code == 400, r.text
    message = error_message(r)
    assert "failed to load model 'huge' version 1" in message, message
    assert "input 'x' declares shape [-1,2147483647,16]" in message and "limits.max_tensor_elements" in message
    # Loaded on demand by a request: the same clean refusal.
    body, headers = json_request({"x": np.zeros((1, 1, 16), np.float32)})
    r = maasd.post("/v2/models/huge/infer", data=body, headers=headers)
    assert r.status_code == 400 and "limits.max_tensor_elements" in r.json()["error"], r.text
    assert maasd.rss_bytes("VmHWM") - before < PEAK_GROWTH
    assert_alive(maasd)
    assert maasd.stop() == 0


def test_warm_up_runs_inside_the_worker_under_its_memory_limit(maasd, tmp_path):
    # One row is exactly the limit (2^28 FP32 = 1 GiB of zeros): accepted at upload, too big for a 512 MiB worker.
    register(maasd, "wide", relu_onnx(tmp_path / "wide.onnx", ["batch", LIMIT]))
    before = maasd.rss_bytes("VmHWM")
    r = maasd.post("/v2/repository/models/wide/load",
                   json={"parameters": {"config": {"memory_limit_bytes": 512 << 20}}})
    assert r.status_code == 400, r.text
    message = error_message(r)
    if os.environ.get("MAAS_SANITIZED"):
        # AddressSanitizer's allocator aborts on a failed allocation instead of failing it: the worker dies.
        assert "warm-up request failed" in message, message
    else:
        assert "warm-up" in message and "cannot allocate 1073741824 bytes" in message, message
        assert "memory limit" in message
    # maasd itself never held the zeros.
    assert maasd.rss_bytes("VmHWM") - before < PEAK_GROWTH
    assert_alive(maasd)
    # The same model without warm-up loads: nothing was wrong with it but the fill.
    load(maasd, "wide", memory_limit_bytes=512 << 20, warmup=False)
    assert maasd.rss_bytes("VmHWM") - before < PEAK_GROWTH


def test_answers_and_requests_over_the_limit_are_refused_and_the_worker_stays_up(maasd_factory, tmp_path):
    import torch

    class Widen(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x.repeat(1, 1000)  # 1000 times as many elements out as in

    path = tmp_path / "widen.pt"
    torch.jit.script(Widen()).save(str(path))
    maasd = maasd_factory(extra_args=["--max-tensor-elements", "1024"]).start()
    register(maasd, "widen", path)
    load(maasd, "widen", max_batch_size=0)
    # 4 elements in, 4,000 out: 16,000 bytes, over 1024 x 8.
    r = infer(maasd, "widen", {"x": np.ones((1, 4), np.float32)})
    assert r.status_code == 400, r.text
    assert "the model's answer holds 16000 bytes" in r.json()["error"], r.text
    assert "8192 bytes maasd accepts" in r.json()["error"]
    # The answer was skipped, not half-read: the same worker answers the next request correctly.
    r = infer(maasd, "widen", {"x": np.full((1, 2), 3, np.float32)})
    assert r.status_code == 200, r.text
    assert r.json()["outputs"][0]["shape"] == [1, 2000]
    stats = maasd.get("/v2/models/widen/stats").json()["model_stats"][0]
    assert stats["worker_restarts"] == 0
    # A shape with a zero dimension holds nothing but still claims its other dimensions.
    r = maasd.post("/v2/models/widen/infer",
                   json={"inputs": [{"name": "x", "datatype": "FP32", "shape": [0, 1 << 40], "data": []}]})
    assert r.status_code == 400, r.text
    assert "shape [0,1099511627776] has more than the 1024 elements" in r.json()["error"], r.text
    assert_alive(maasd)
    assert maasd.stop() == 0
