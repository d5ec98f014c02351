"""The gRPC Open Inference Protocol (grpc.port, docs/GRPC.md) with clients generated at test time by Debian's
grpc_tools: every RPC, ModelInfer equal to HTTP /v2 infer for xgboost, onnx and torchscript, the same authorization,
errors and limits as HTTP, the request log and metrics; and a Node client (@grpc/grpc-js) passing ModelInfer."""
import json
import os
import pathlib
import shutil
import subprocess
import time

import grpc
import numpy as np
import pytest

from grpc_client import PROTO, generate_stubs, infer_request, outputs_of
from peers import free_port
from serving import infer, load, register
from test_shared_memory import key_of, load_doubler, shm  # noqa: F401 (shm: a fixture)
from v2_client import decode_response

JS = pathlib.Path(__file__).resolve().parents[1] / "js"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    return generate_stubs(tmp_path_factory.mktemp("grpc_stubs"))


@pytest.fixture
def served(maasd_factory):
    """A maasd with a gRPC port, and a channel to it."""
    port = free_port()
    server = maasd_factory(extra_args=["--grpc-port", str(port)]).start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")  # listening before maasd wrote its port file
    yield server, channel, port
    channel.close()
    rc = server.stop()
    assert rc == 0, f"maasd exited with {rc} on SIGTERM: {server.log()}"


def stub_of(stubs, channel):
    return stubs[1].GRPCInferenceServiceStub(channel)


def auth(key):
    return [("authorization", f"Bearer {key}")]


def test_every_rpc(served, stubs, models_dir):
    server, channel, _ = served
    pb, stub = stubs[0], stub_of(stubs, channel)
    md = auth(server.admin_key)
    assert stub.ServerLive(pb.ServerLiveRequest()).live  # public, as /v2/health/live
    assert stub.ServerReady(pb.ServerReadyRequest()).ready
    meta = stub.ServerMetadata(pb.ServerMetadataRequest(), metadata=md)
    assert meta.name == "maas" and "binary_tensor_data" in meta.extensions

    register(server, "iris", models_dir / "xgb_iris.json")
    index = stub.RepositoryIndex(pb.RepositoryIndexRequest(), metadata=md)
    assert [(m.name, m.state, m.reason) for m in index.models] == [("iris", "UNAVAILABLE", "unloaded")]
    assert not stub.RepositoryIndex(pb.RepositoryIndexRequest(ready=True), metadata=md).models
    with pytest.raises(grpc.RpcError) as e:
        stub.ModelReady(pb.ModelReadyRequest(name="iris"), metadata=md)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    assert "POST /v2/repository/models/iris/load" in e.value.details()  # the HTTP route's own message

    load_req = pb.RepositoryModelLoadRequest(model_name="iris")
    load_req.parameters["version"].string_param = "1"
    stub.RepositoryModelLoad(load_req, metadata=md)
    assert stub.ModelReady(pb.ModelReadyRequest(name="iris"), metadata=md).ready
    assert stub.ModelReady(pb.ModelReadyRequest(name="iris", version="1"), metadata=md).ready
    assert [m.state for m in stub.RepositoryIndex(pb.RepositoryIndexRequest(ready=True), metadata=md).models] == ["READY"]

    http_meta = server.get("/v2/models/iris").json()
    m = stub.ModelMetadata(pb.ModelMetadataRequest(name="iris"), metadata=md)
    assert (m.name, list(m.versions), m.platform) == ("iris", ["1"], http_meta["platform"])
    assert [(t.name, t.datatype, list(t.shape)) for t in m.inputs] == \
        [(t["name"], t["datatype"], t["shape"]) for t in http_meta["inputs"]]
    assert [(t.name, t.datatype, list(t.shape)) for t in m.outputs] == \
        [(t["name"], t["datatype"], t["shape"]) for t in http_meta["outputs"]]

    x = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    res = stub.ModelInfer(infer_request(pb, "iris", {"input": x}), metadata=md)
    assert res.model_name == "iris" and res.model_version == "1"
    stats = stub.ModelStatistics(pb.ModelStatisticsRequest(name="iris"), metadata=md)
    assert stats.model_stats[0].name == "iris" and stats.model_stats[0].inference_count == 1
    assert stats.model_stats[0].inference_stats.success.count == 1
    assert [b.batch_size for b in stats.model_stats[0].batch_stats] == [5]
    assert len(stub.ModelStatistics(pb.ModelStatisticsRequest(), metadata=md).model_stats) == 1

    stub.RepositoryModelUnload(pb.RepositoryModelUnloadRequest(model_name="iris"), metadata=md)
    with pytest.raises(grpc.RpcError) as e:
        stub.ModelMetadata(pb.ModelMetadataRequest(name="iris"), metadata=md)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("framework", ["xgboost", "onnx", "torchscript"])
def test_model_infer_equals_http(served, stubs, models_dir, framework):
    server, channel, _ = served
    pb, stub = stubs[0], stub_of(stubs, channel)
    fixture = {"xgboost": "xgb_breast_cancer.json", "onnx": "mlp.onnx", "torchscript": "mlp.pt"}[framework]
    register(server, "m", models_dir / fixture)
    load(server, "m")
    meta = server.get("/v2/models/m").json()
    width = {"xgboost": 30, "onnx": 4, "torchscript": 4}[framework]
    x = np.random.default_rng(7).standard_normal((6, width)).astype(np.float32)
    name = meta["inputs"][0]["name"]
    http_out = decode_response(infer(server, "m", {name: x}, binary=True))[1]
    for raw in (True, False):  # raw_input_contents and typed fp32_contents
        res = stub.ModelInfer(infer_request(pb, "m", {name: x}, raw=raw), metadata=auth(server.admin_key))
        got = outputs_of(res)
        assert list(got) == list(http_out)
        for k in got:
            assert got[k].dtype == http_out[k].dtype and got[k].shape == http_out[k].shape
            np.testing.assert_array_equal(got[k], http_out[k])
    # An output asked for by name, and the version asked for by number.
    out_name = meta["outputs"][0]["name"]
    res = stub.ModelInfer(infer_request(pb, "m", {name: x}, version="1", outputs=[out_name]),
                          metadata=auth(server.admin_key))
    assert [o.name for o in res.outputs] == [out_name] and res.model_version == "1"


def test_authorization_errors_and_limits_as_http(served, stubs, models_dir):
    server, channel, _ = served
    pb, stub = stubs[0], stub_of(stubs, channel)
    register(server, "cancer", models_dir / "xgb_breast_cancer.json")
    load(server, "cancer")
    x = np.zeros((2, 30), dtype=np.float32)
    req = infer_request(pb, "cancer", {"input": x})

    def code_and_message(metadata, request=req):
        with pytest.raises(grpc.RpcError) as e:
            stub.ModelInfer(request, metadata=metadata)
        return e.value.code(), e.value.details()

    code, message = code_and_message([])
    assert code == grpc.StatusCode.UNAUTHENTICATED
    http = server.post("/v2/models/cancer/infer", key=None, data=b"{}")
    assert http.status_code == 401 and message == http.json()["error"]
    assert code_and_message(auth("maas_nope_" + "0" * 32))[0] == grpc.StatusCode.UNAUTHENTICATED
    invoker = server.post("/api/v1/keys", json={"name": "inv", "role": "invoker", "services": ["other"]}).json()["key"]
    code, message = code_and_message(auth(invoker))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "not granted 'cancer'" in message
    granted = server.post("/api/v1/keys", json={"name": "g", "role": "invoker", "services": ["cancer"]}).json()["key"]
    assert outputs_of(stub.ModelInfer(req, metadata=auth(granted)))

    # A malformed request: the HTTP route's own message.
    bad = infer_request(pb, "cancer", {"input": np.zeros((2, 29), dtype=np.float32)})
    code, message = code_and_message(auth(server.admin_key), bad)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "input" in message
    http = infer(server, "cancer", {"input": np.zeros((2, 29), dtype=np.float32)}, binary=True)
    assert http.status_code == 400 and message == http.json()["error"]
    # Data both raw and typed; raw entries that do not match the inputs.
    both = infer_request(pb, "cancer", {"input": x})
    both.inputs[0].contents.fp32_contents.extend([0.0])
    assert code_and_message(auth(server.admin_key), both)[0] == grpc.StatusCode.INVALID_ARGUMENT
    short = infer_request(pb, "cancer", {"input": x})
    short.raw_input_contents.append(b"")
    code, message = code_and_message(auth(server.admin_key), short)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "raw_input_contents has 2 entries for 1 inputs" in message
    slash = infer_request(pb, "cancer/versions/1", {"input": x})
    assert code_and_message(auth(server.admin_key), slash)[0] == grpc.StatusCode.INVALID_ARGUMENT
    unknown = infer_request(pb, "nosuch", {"input": x})
    assert code_and_message(auth(server.admin_key), unknown)[0] == grpc.StatusCode.NOT_FOUND


def test_gateway_service_metrics_and_request_log(served, stubs, models_dir):
    """A call to a service goes through the gateway (its rate limit refuses with RESOURCE_EXHAUSTED and the HTTP
    message), and is counted and logged as the same HTTP call is."""
    server, channel, _ = served
    pb, stub = stubs[0], stub_of(stubs, channel)
    register(server, "cancer", models_dir / "xgb_breast_cancer.json")
    load(server, "cancer")
    r = server.post("/api/v1/services", json={"name": "svc", "routes": [{"model": "cancer", "version": "1", "weight": 100}],
                                             "rate_limit": {"rps": 0.001, "burst": 1}})
    assert r.status_code == 201, r.text
    x = np.zeros((1, 30), dtype=np.float32)
    md = auth(server.admin_key) + [("x-request-id", "grpc-trace-1")]
    res, rpc = stub.ModelInfer.with_call(infer_request(pb, "svc", {"input": x}), metadata=md)
    headers = dict(rpc.initial_metadata())
    assert headers["x-maas-service"] == "svc" and headers["x-maas-model"] == "cancer"
    assert res.model_name == "svc"
    with pytest.raises(grpc.RpcError) as e:
        stub.ModelInfer(infer_request(pb, "svc", {"input": x}), metadata=auth(server.admin_key))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "retry-after" in dict(e.value.initial_metadata())
    metrics = server.get("/metrics").text
    assert 'maas_grpc_requests_total{method="ModelInfer",code="OK"} 1' in metrics
    assert 'maas_grpc_requests_total{method="ModelInfer",code="RESOURCE_EXHAUSTED"} 1' in metrics
    assert 'maas_inference_requests_total{service="svc",model="cancer",version="1",code="200"} 1' in metrics
    assert any(line.startswith('maas_inference_requests_total{service="svc"') and 'code="429"' in line
               for line in metrics.splitlines())
    # The request log holds the call under its /v2 route, with the client's request id.
    query = '{job="maasd", kind="request"} |= "grpc-trace-1"'
    deadline = time.monotonic() + 30
    while True:
        r = server.get("/loki/api/v1/query_range", params={"query": query})
        lines = [v[1] for s in r.json()["data"]["result"] for v in s["values"]] if r.status_code == 200 else []
        if lines:
            break
        assert time.monotonic() < deadline, r.text
        time.sleep(0.1)
    line = json.loads(lines[0])
    assert line["route"] == "/v2/models/{model}/infer" and line["status"] == 200 and line["service"] == "svc"


def test_message_limit(maasd_factory, stubs):
    port = free_port()
    server = maasd_factory(extra_args=["--grpc-port", str(port), "--grpc-max-message-bytes", "4KiB"]).start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        pb, stub = stubs[0], stub_of(stubs, channel)
        big = infer_request(pb, "m", {"input": np.zeros((100, 30), dtype=np.float32)})
        with pytest.raises(grpc.RpcError) as e:
            stub.ModelInfer(big, metadata=auth(server.admin_key))
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_bad_settings_exit_2(maasd_factory, tmp_path):
    import subprocess as sp
    from conftest import BIN_DIR
    r = sp.run([str(BIN_DIR / "maasd"), "--data-dir", str(tmp_path / "d"), "--grpc-max-message-bytes", "3GiB"],
               capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "grpc.max_message_bytes" in r.stderr


@pytest.mark.skipif(not shutil.which("node") or not (JS / "node_modules" / "@grpc" / "grpc-js").exists(),
                    reason="node or @grpc/grpc-js missing (scripts/setup.sh installs them)")
def test_node_grpc_js_client(served, models_dir):
    server, _, port = served
    register(server, "cancer", models_dir / "xgb_breast_cancer.json")
    load(server, "cancer")
    env = dict(os.environ, MAAS_GRPC_ADDRESS=f"127.0.0.1:{port}", MAAS_KEY=server.admin_key, MAAS_PROTO=str(PROTO))
    run = subprocess.run(["node", "--test", "--test-reporter=spec", str(JS / "grpc_infer.test.mjs")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_model_infer_with_tensors_in_shared_memory(served, stubs, tmp_path, shm):
    """Triton's clients name shared memory regions over gRPC too: the input is read from the region, the output
    written to it, and the answer names it with an empty raw entry (before, every input was sent a
    binary_data_size, which a region forbids)."""
    server, channel, _ = served
    pb, stub = stubs[0], stub_of(stubs, channel)
    input_name, output_name = load_doubler(server, tmp_path)
    x = np.arange(16, dtype=np.float32).reshape(2, 8)
    region = shm(2 * x.nbytes)
    region.buf[:x.nbytes] = x.tobytes()
    r = server.post("/v2/systemsharedmemory/region/io/register", json={"key": key_of(region), "byte_size": 2 * x.nbytes})
    assert r.status_code == 200, r.text
    req = pb.ModelInferRequest(model_name="double")
    t = req.inputs.add(name=input_name, datatype="FP32", shape=list(x.shape))
    t.parameters["shared_memory_region"].string_param = "io"
    t.parameters["shared_memory_byte_size"].int64_param = x.nbytes
    o = req.outputs.add(name=output_name)
    o.parameters["shared_memory_region"].string_param = "io"
    o.parameters["shared_memory_offset"].int64_param = x.nbytes
    o.parameters["shared_memory_byte_size"].int64_param = x.nbytes
    res = stub.ModelInfer(req, metadata=auth(server.admin_key))
    (out,) = res.outputs
    assert out.name == output_name and list(out.shape) == [2, 8]
    assert out.parameters["shared_memory_region"].string_param == "io"
    assert list(res.raw_output_contents) == [b""]
    np.testing.assert_array_equal(np.frombuffer(bytes(region.buf[x.nbytes:]), dtype=np.float32), x.reshape(-1) * 2)
