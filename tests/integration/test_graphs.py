"""Inference graphs (docs/GRAPHS.md): a maas-graph version served as one model over other versions, each step in
its own workers. An ensemble of an XGBoost and a TorchScript version answers exactly the documented combination of
what each answers alone (and of what python3-xgboost and python3-torch compute); a sequence equals calling its
steps by hand; switch and splitter pick as documented; bad graphs are refused at upload and bad requests at infer
with messages that name the problem; a step's worker killed gives an error naming the step, and the graph
recovers."""
import json
import os
import signal

import numpy as np
import pytest

from jobs_client import wait_for
from peers import metric
from serving import infer, load, register
from v2_client import decode_response

X = None  # iris rows, float32, set by the fixture


def fnv1a64(text):
    h = 14695981039346656037
    for byte in text.encode():
        h = ((h ^ byte) * 1099511628211) % (1 << 64)
    return h


def torchscript(tmp_path, name, module):
    import torch

    path = tmp_path / f"{name}.pt"
    torch.jit.script(module).save(str(path))
    return path


def make_modules():
    import torch

    torch.manual_seed(0)

    class IrisMlp(torch.nn.Module):
        """4 iris features -> 3 class probabilities, as XGBoost's multi:softprob answers."""

        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(4, 8)
            self.fc2 = torch.nn.Linear(8, 3)

        def forward(self, features: torch.Tensor) -> torch.Tensor:
            return torch.softmax(self.fc2(torch.relu(self.fc1(features))), dim=1)

    class Scale(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 0.5 + 1.0

    class Meta(torch.nn.Module):
        """The stacking model: 6 columns (two sets of probabilities) -> 3."""

        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(6, 3)

        def forward(self, stacked: torch.Tensor) -> torch.Tensor:
            return self.fc(stacked)

    return IrisMlp().eval(), Scale().eval(), Meta().eval()


@pytest.fixture
def steps(maasd, models_dir, tmp_path):
    """iris-xgb (XGBoost multi:softprob), iris-torch (TorchScript softmax, alias prod), scale and meta, loaded."""
    global X
    from sklearn.datasets import load_iris

    X = load_iris(return_X_y=True)[0][::15].astype(np.float32)  # 10 rows across the three classes
    mlp, scale, meta = make_modules()
    register(maasd, "iris-xgb", models_dir / "xgb_iris.json")
    register(maasd, "iris-torch", torchscript(tmp_path, "mlp", mlp))
    assert maasd.put("/api/v1/models/iris-torch/aliases/prod", json={"version": 1}).status_code == 200
    register(maasd, "scale", torchscript(tmp_path, "scale", scale))
    register(maasd, "meta", torchscript(tmp_path, "meta", meta))
    for name in ("iris-xgb", "iris-torch", "scale", "meta"):
        load(maasd, name)
    return {"xgb": models_dir / "xgb_iris.json", "mlp": mlp, "scale": scale, "meta": meta}


def alone(maasd, model, name, rows):
    r = infer(maasd, model, {name: rows})
    assert r.status_code == 200, r.text
    return next(iter(decode_response(r)[1].values()))


def upload_graph(maasd, name, nodes, root=None):
    document = {"format": "maas-graph", "nodes": nodes}
    if root:
        document["root"] = root
    if maasd.get(f"/api/v1/models/{name}").status_code == 404:
        assert maasd.post("/api/v1/models", json={"name": name}).status_code == 201
    return maasd.upload(name, json.dumps(document).encode())


def serve_graph(maasd, name, nodes, root=None):
    r = upload_graph(maasd, name, nodes, root)
    assert r.status_code == 201, r.text
    assert r.json()["framework"] == "maas-graph"
    load(maasd, name)


XGB = {"model": "iris-xgb", "version": "1"}
TORCH = {"model": "iris-torch", "version": "prod", "input_map": {"features": "input"}}


def graph_infer(maasd, name, rows, trace=False, request_id=None):
    body = {"inputs": [{"name": "input", "shape": list(rows.shape), "datatype": "FP32",
                        "data": rows.flatten().tolist()}]}
    if trace:
        body["parameters"] = {"trace": True}
    if request_id:
        body["id"] = request_id
    return maasd.post(f"/v2/models/{name}/infer", json=body)


def test_an_ensemble_average_of_xgboost_and_torchscript_is_exactly_the_documented_combination(maasd, steps):
    import torch
    import xgboost as xgb

    serve_graph(maasd, "ens", {"main": {"kind": "ensemble", "combine": "average", "output": "probabilities",
                                        "steps": [dict(XGB, weight=1), dict(TORCH, weight=3)]}})
    p_xgb = alone(maasd, "iris-xgb", "input", X)
    p_torch = alone(maasd, "iris-torch", "features", X)
    # Each model served alone is its framework's own answer.
    booster = xgb.Booster(model_file=str(steps["xgb"]))
    np.testing.assert_allclose(p_xgb, booster.predict(xgb.DMatrix(X)), rtol=0, atol=1e-6)
    np.testing.assert_allclose(p_torch, steps["mlp"](torch.from_numpy(X)).detach().numpy(), rtol=0, atol=1e-6)

    r = graph_infer(maasd, "ens", X, trace=True)
    assert r.status_code == 200, r.text
    got = decode_response(r)[1]["probabilities"]
    # docs/GRAPHS.md: (Σ wᵢ·xᵢ) / Σ wᵢ in double, in step order, rounded to FP32 once.
    expected = ((1.0 * p_xgb.astype(np.float64) + 3.0 * p_torch.astype(np.float64)) / 4.0).astype(np.float32)
    assert got.dtype == np.float32 and got.shape == (len(X), 3)
    assert np.array_equal(got, expected)
    trace = r.json()["parameters"]["trace"]
    assert [(s["node"], s["step"], s["model"], s["version"]) for s in trace["steps"]] in (
        [("main", "iris-xgb", "iris-xgb", 1), ("main", "iris-torch", "iris-torch", 1)],
        [("main", "iris-torch", "iris-torch", 1), ("main", "iris-xgb", "iris-xgb", 1)])
    assert all(s["ms"] >= 0 for s in trace["steps"])
    # Without trace: no parameters.
    assert "parameters" not in graph_infer(maasd, "ens", X).json()

    # Its signature is derived from the steps, on the metadata route.
    meta = maasd.get("/v2/models/ens").json()
    assert meta["platform"] == "maas_graph"
    assert [i["name"] for i in meta["inputs"]] == ["input"]
    assert [o["name"] for o in meta["outputs"]] == ["probabilities"]
    # A metric per step.
    assert metric(maasd, "maas_graph_step_duration_seconds_count", graph="ens", step="main.iris-xgb") >= 2


def test_vote_and_stack(maasd, steps):
    import torch

    serve_graph(maasd, "vote", {"v": {"kind": "ensemble", "combine": "vote", "output": "label",
                                      "steps": [XGB, TORCH]}})
    p_xgb = alone(maasd, "iris-xgb", "input", X)
    p_torch = alone(maasd, "iris-torch", "features", X)
    r = graph_infer(maasd, "vote", X)
    assert r.status_code == 200, r.text
    a, b = p_xgb.argmax(axis=1), p_torch.argmax(axis=1)
    # Two voters: agreement wins, a tie goes to the smaller label.
    assert decode_response(r)[1]["label"].tolist() == np.minimum(a, b).tolist()

    serve_graph(maasd, "stack", {"s": {"kind": "ensemble", "combine": "stack", "steps": [XGB, TORCH],
                                       "final": {"model": "meta", "version": "1"}}})
    r = graph_infer(maasd, "stack", X)
    assert r.status_code == 200, r.text
    stacked = np.concatenate([p_xgb, p_torch], axis=1)
    by_hand = alone(maasd, "meta", "stacked", stacked)
    assert np.array_equal(decode_response(r)[1]["output__0"], by_hand)
    np.testing.assert_allclose(by_hand, steps["meta"](torch.from_numpy(stacked)).detach().numpy(), atol=1e-6)


def test_a_sequence_equals_calling_its_steps_by_hand(maasd, steps):
    serve_graph(maasd, "seq", {"s": {"kind": "sequence", "steps": [
        {"model": "scale", "input_map": {"x": "input"}, "output_map": {"output__0": "scaled"}},
        {"model": "iris-xgb", "input_map": {"input": "scaled"}}]}})
    scaled = alone(maasd, "scale", "x", X)
    by_hand = alone(maasd, "iris-xgb", "input", scaled)
    r = graph_infer(maasd, "seq", X)
    assert r.status_code == 200, r.text
    assert np.array_equal(decode_response(r)[1]["output"], by_hand)
    # The same Server-Timing grammar as a tensor version's answer; the graph itself is never queued nor batched.
    timing = r.headers["Server-Timing"].split(", ")
    assert [entry.split(";")[0] for entry in timing] == ["queue", "batch", "compute", "total"], timing
    assert timing[:3] == ["queue;dur=0.000", "batch;dur=0.000", "compute;dur=0.000"], timing


def test_switch_and_splitter_pick_as_documented(maasd, steps):
    serve_graph(maasd, "sw", {"w": {"kind": "switch", "steps": [
        dict(TORCH, when={"tensor": "input", "op": ">", "value": 6.5, "any": True}), XGB]}})
    small = X[:3]  # setosa rows: every feature under 6.5
    big = np.array([[7.7, 3.0, 6.1, 2.3]], np.float32)
    r = graph_infer(maasd, "sw", small, trace=True)
    assert r.json()["parameters"]["trace"]["branches"] == {"w": "iris-xgb"}
    assert np.array_equal(decode_response(r)[1]["output"], alone(maasd, "iris-xgb", "input", small))
    r = graph_infer(maasd, "sw", big, trace=True)
    assert r.json()["parameters"]["trace"]["branches"] == {"w": "iris-torch"}
    assert np.array_equal(decode_response(r)[1]["output__0"], alone(maasd, "iris-torch", "features", big))

    serve_graph(maasd, "split", {"split": {"kind": "splitter", "steps": [dict(XGB, weight=1), dict(TORCH, weight=2)]}})
    picked = set()
    for i in range(12):
        rid = f"req-{i}"
        expected = "iris-xgb" if fnv1a64(rid + "/split") % 3 < 1 else "iris-torch"
        for _ in range(2):  # the same id picks the same step
            r = graph_infer(maasd, "split", X[:1], trace=True, request_id=rid)
            assert r.status_code == 200, r.text
            assert r.json()["parameters"]["trace"]["branches"] == {"split": expected}, rid
        picked.add(expected)
    assert picked == {"iris-xgb", "iris-torch"}


BAD_GRAPHS = [
    ({"a": {"kind": "sequence", "steps": [{"node": "b"}]}, "b": {"kind": "sequence", "steps": [{"node": "a"}]}},
     "a", "cycle"),
    ({"a": {"kind": "sequence", "steps": [{"model": "nope"}]}}, None, "step model 'nope'"),
    ({"a": {"kind": "sequence", "steps": [{"model": "iris-xgb", "version": "staging"}]}}, None, "'staging'"),
    ({"a": {"kind": "loop", "steps": [XGB]}}, None, "'kind' must be"),
    ({"a": {"kind": "ensemble", "combine": "average", "steps": [dict(XGB, name=f"s{i}") for i in range(9)]}},
     None, "graph.max_fan_out"),
    ({"a": {"kind": "ensemble", "combine": "stack", "steps": [XGB]}}, None, "'final'"),
    ({"a": {"kind": "switch", "steps": [dict(XGB, when={"tensor": "input", "op": "matches", "value": "("})]}},
     None, "RE2"),
    ({"a": {"kind": "sequence", "steps": [dict(XGB, colour="red")]}}, None, "unknown field 'colour'"),
]


def test_bad_graphs_are_refused_at_upload(maasd, models_dir):
    register(maasd, "iris-xgb", models_dir / "xgb_iris.json")  # registered, not loaded: the upload needs no worker
    for nodes, root, message in BAD_GRAPHS:
        r = upload_graph(maasd, "bad", nodes, root)
        assert r.status_code == 400, r.text
        assert message in r.json()["error"]["message"], (message, r.text)
    assert maasd.get("/api/v1/models/bad/versions").json()["versions"] == []
    r = maasd.upload("bad", b'{"format": "maas-graph", "nodes": ')
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]["message"], r.text


def test_a_deeply_nested_description_is_refused_and_maasd_stays_up(maasd, models_dir):
    # Once accepted, a 500k-deep description crashed maasd (stack overflow) when the version's details were copied.
    register(maasd, "iris-xgb", models_dir / "xgb_iris.json")
    nodes = {"a": {"kind": "sequence", "steps": [{"model": "iris-xgb", "version": "1"}]}}
    head = b'{"format": "maas-graph", "nodes": ' + json.dumps(nodes).encode() + b', "description": '
    depth = 500_000
    assert maasd.post("/api/v1/models", json={"name": "deep"}).status_code == 201
    r = maasd.upload("deep", head + b"[" * depth + b"]" * depth + b"}")
    assert r.status_code == 400 and "nested deeper than" in r.json()["error"]["message"], r.text
    r = maasd.upload("deep", head + b"[" * 100 + b"]" * 100 + b"}")
    assert r.status_code == 400 and "'description' must be a string" in r.json()["error"]["message"], r.text
    assert maasd.get("/api/v1/models/deep/versions").json()["versions"] == []
    r = maasd.upload("deep", head + b'"a described graph"}')
    assert r.status_code == 201 and r.json()["framework"] == "maas-graph", r.text


def test_a_graph_cannot_be_a_step(maasd, steps):
    serve_graph(maasd, "inner", {"a": {"kind": "sequence", "steps": [XGB]}})
    r = upload_graph(maasd, "outer", {"a": {"kind": "sequence", "steps": [{"model": "inner"}]}})
    assert r.status_code == 400 and "a step must be a tensor model" in r.json()["error"]["message"], r.text


def test_bad_requests_are_clear_errors(maasd, steps):
    serve_graph(maasd, "ens", {"main": {"kind": "ensemble", "combine": "average", "steps": [XGB, TORCH]}})
    r = maasd.post("/v2/models/ens/infer", json={"inputs": [{"name": "other", "shape": [1], "datatype": "FP32",
                                                               "data": [1]}]})
    assert r.status_code == 400 and "unknown input 'other'" in r.json()["error"], r.text
    r = graph_infer(maasd, "ens", np.zeros((1, 3), np.float32))  # 3 features, the models take 4
    assert r.status_code == 400, r.text
    assert "graph node 'main' step 'iris-" in r.json()["error"], r.text
    body = {"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}],
            "parameters": {"trace": "maybe"}}
    r = maasd.post("/v2/models/ens/infer", json=body)
    assert r.status_code == 400 and "'trace'" in r.json()["error"], r.text


def test_a_killed_step_worker_is_an_error_naming_the_step_and_the_graph_recovers(maasd, steps):
    serve_graph(maasd, "ens", {"main": {"kind": "ensemble", "combine": "average", "steps": [XGB, TORCH]}})
    assert graph_infer(maasd, "ens", X).status_code == 200
    pid = maasd.get("/v2/models/iris-xgb/stats").json()["model_stats"][0]["instances"][0]["pid"]
    os.kill(pid, signal.SIGKILL)
    r = graph_infer(maasd, "ens", X)
    assert r.status_code == 503, r.text
    assert "step 'iris-xgb' (model 'iris-xgb' version 1)" in r.json()["error"], r.text
    wait_for(lambda: graph_infer(maasd, "ens", X).status_code == 200, 60, "the graph answering again")


def test_a_step_unloaded_since_the_graph_loaded_loads_again_and_the_request_log_has_step_versions(maasd, steps):
    serve_graph(maasd, "seq", {"s": {"kind": "sequence", "steps": [XGB]}})
    assert maasd.post("/v2/repository/models/iris-xgb/unload", json={}).status_code == 200
    r = graph_infer(maasd, "seq", X)
    assert r.status_code == 200, r.text
    assert maasd.get("/v2/models/iris-xgb/ready").status_code == 200

    def logged():
        r = maasd.get("/loki/api/v1/query_range",
                      params={"query": '{job="maasd", kind="request"} |= "graph_steps"', "limit": 10})
        return r.status_code == 200 and '\\"graph_steps\\":\\"iris-xgb:1\\"' in r.text
    wait_for(logged, 30, "the request log line with the graph's steps")


def test_the_limits_are_settings(maasd_factory, models_dir):
    server = maasd_factory(extra_args=["--graph-max-fan-out", "1"]).start()
    register(server, "iris-xgb", models_dir / "xgb_iris.json")
    r = upload_graph(server, "g", {"a": {"kind": "sequence", "steps": [dict(XGB, name="a"), dict(XGB, name="b")]}})
    assert r.status_code == 400 and "graph.max_fan_out (1)" in r.json()["error"]["message"], r.text
    assert upload_graph(server, "g", {"a": {"kind": "sequence", "steps": [XGB]}}).status_code == 201
    assert server.stop() == 0
