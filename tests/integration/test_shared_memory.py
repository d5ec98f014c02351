"""Triton's system shared memory extension against a real maasd: a client creates a POSIX shm object, registers it,
and infers with inputs read from it and outputs written to it; status, unregister, bad ranges, roles and limits."""
import json
import os
from multiprocessing import shared_memory

import numpy as np
import pytest

from serving import infer, register, load
from test_auth import make_key
from v2_client import decode_response

BASE = "/v2/systemsharedmemory"


@pytest.fixture
def shm():
    """Shared memory objects the test creates, closed and unlinked at its end."""
    made = []

    def create(size):
        region = shared_memory.SharedMemory(create=True, size=size, name=f"shmtest-{os.getpid()}-{len(made)}")
        made.append(region)
        return region

    yield create
    for region in made:
        region.close()
        region.unlink()


def key_of(region):
    return "/" + region.name


def load_doubler(maasd, tmp_path, name="double"):
    """A TorchScript model answering 2 * x for any shape; returns its input and output names."""
    import torch

    class Double(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 2

    path = tmp_path / f"{name}.pt"
    torch.jit.script(Double()).save(str(path))
    register(maasd, name, path)
    load(maasd, name)
    meta = maasd.get(f"/v2/models/{name}").json()
    return meta["inputs"][0]["name"], meta["outputs"][0]["name"]


def shm_infer(maasd, model, x, input_name, output_name, region="io", in_offset=0, out_offset=None, key="admin",
              in_size=None, out_size=None):
    out_offset = x.nbytes if out_offset is None else out_offset
    body = {"inputs": [{"name": input_name, "datatype": "FP32", "shape": list(x.shape),
                        "parameters": {"shared_memory_region": region, "shared_memory_offset": in_offset,
                                       "shared_memory_byte_size": x.nbytes if in_size is None else in_size}}],
            "outputs": [{"name": output_name,
                         "parameters": {"shared_memory_region": region, "shared_memory_offset": out_offset,
                                        "shared_memory_byte_size": x.nbytes if out_size is None else out_size}}]}
    return maasd.post(f"/v2/models/{model}/infer", data=json.dumps(body), key=key,
                      headers={"Content-Type": "application/json"})


def test_inputs_are_read_from_and_outputs_written_to_a_registered_region(maasd, tmp_path, shm):
    input_name, output_name = load_doubler(maasd, tmp_path)
    x = np.random.default_rng(5).standard_normal((4, 256)).astype(np.float32)
    region = shm(2 * x.nbytes + 64)
    region.buf[64:64 + x.nbytes] = x.tobytes()
    r = maasd.post(f"{BASE}/region/io/register", json={"key": key_of(region), "offset": 64, "byte_size": 2 * x.nbytes})
    assert r.status_code == 200, r.text
    assert "system_shared_memory" in maasd.get("/v2").json()["extensions"]

    r = shm_infer(maasd, "double", x, input_name, output_name)
    assert r.status_code == 200, r.text
    body = r.json()
    (output,) = body["outputs"]
    assert output == {"name": output_name, "datatype": "FP32", "shape": [4, 256],
                      "parameters": {"shared_memory_region": "io", "shared_memory_byte_size": x.nbytes}}
    written = np.frombuffer(bytes(region.buf[64 + x.nbytes: 64 + 2 * x.nbytes]), dtype=np.float32).reshape(x.shape)
    # Exactly what the same request over plain HTTP answers.
    expected = decode_response(infer(maasd, "double", {input_name: x}))[1][output_name]
    np.testing.assert_array_equal(written, expected)
    np.testing.assert_array_equal(written, x * 2)

    # An input in the region with the output answered in the body.
    body = {"inputs": [{"name": input_name, "datatype": "FP32", "shape": [4, 256],
                        "parameters": {"shared_memory_region": "io", "shared_memory_byte_size": x.nbytes}}]}
    r = maasd.post("/v2/models/double/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    np.testing.assert_array_equal(decode_response(r)[1][output_name], expected)


def test_status_and_unregister(maasd, shm):
    region = shm(4096)
    for name, offset in (("a", 0), ("b", 1024)):
        r = maasd.post(f"{BASE}/region/{name}/register", json={"key": key_of(region), "offset": offset,
                                                                "byte_size": 1024})
        assert r.status_code == 200, r.text
    status = maasd.get(f"{BASE}/status").json()
    assert sorted(status, key=lambda s: s["name"]) == [
        {"name": "a", "key": key_of(region), "offset": 0, "byte_size": 1024},
        {"name": "b", "key": key_of(region), "offset": 1024, "byte_size": 1024}]
    assert maasd.get(f"{BASE}/region/b/status").json() == [
        {"name": "b", "key": key_of(region), "offset": 1024, "byte_size": 1024}]
    assert maasd.post(f"{BASE}/region/a/unregister").status_code == 200
    r = maasd.get(f"{BASE}/region/a/status")
    assert r.status_code == 400 and r.json() == {"error": "shared memory region 'a' is not registered"}
    r = maasd.post(f"{BASE}/region/a/unregister")
    assert r.status_code == 400 and "not registered" in r.json()["error"]
    assert maasd.post(f"{BASE}/unregister").status_code == 200
    assert maasd.get(f"{BASE}/status").json() == []


def test_bad_registrations_are_400s_that_say_why(maasd, shm):
    region = shm(4096)
    cases = [
        ({"key": "/../../etc/passwd", "byte_size": 1}, "shared memory key must be '/'"),
        ({"key": "/a/b", "byte_size": 1}, "shared memory key must be '/'"),
        ({"key": "relative", "byte_size": 1}, "shared memory key must be '/'"),
        ({"key": "/maas-arena", "byte_size": 1}, "maasd's own"),
        ({"key": "/shmtest-does-not-exist", "byte_size": 1}, "cannot open shared memory key"),
        ({"key": key_of(region), "offset": 4000, "byte_size": 200}, "reach past its end"),
        ({"key": key_of(region), "byte_size": 0}, "byte_size must be from 1"),
        ({"key": key_of(region), "byte_size": -1}, "'byte_size' must be a byte count"),
        ({"key": key_of(region)}, "has no 'byte_size'"),
        ({"byte_size": 1}, "has no 'key'"),
        ({"key": key_of(region), "byte_size": 1, "extra": 1}, "extra"),
    ]
    for body, needle in cases:
        r = maasd.post(f"{BASE}/region/r/register", json=body)
        assert r.status_code == 400, (body, r.text)
        assert needle in r.json()["error"], (body, r.text)
    assert maasd.post(f"{BASE}/region/r/register", json={"key": key_of(region), "byte_size": 8}).status_code == 200
    r = maasd.post(f"{BASE}/region/r/register", json={"key": key_of(region), "byte_size": 8})
    assert r.status_code == 400 and "already registered" in r.json()["error"]
    r = maasd.post(f"{BASE}/region/a%2Fb/register", json={"key": key_of(region), "byte_size": 8})
    assert r.status_code in (400, 404)


def test_bad_tensor_ranges_are_400s(maasd, tmp_path, shm):
    input_name, output_name = load_doubler(maasd, tmp_path)
    x = np.ones((2, 8), dtype=np.float32)
    region = shm(256)
    assert maasd.post(f"{BASE}/region/io/register", json={"key": key_of(region), "byte_size": 256}).status_code == 200
    cases = [
        (dict(region="nope"), "shared memory region 'nope' is not registered"),
        (dict(in_offset=250), "reach past its end"),
        (dict(in_size=60), "needs 64 bytes but shared_memory_byte_size is 60"),
        (dict(out_offset=200), "reach past its end"),
        (dict(out_size=32), "it needs 64 bytes but its shared_memory_byte_size is 32"),
    ]
    for kw, needle in cases:
        r = shm_infer(maasd, "double", x, input_name, output_name, **kw)
        assert r.status_code == 400, (kw, r.text)
        assert needle in r.json()["error"], (kw, r.text)
    # An input with both data and a region.
    body = {"inputs": [{"name": input_name, "datatype": "FP32", "shape": [1], "data": [1],
                        "parameters": {"shared_memory_region": "io", "shared_memory_byte_size": 4}}]}
    r = maasd.post("/v2/models/double/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "must not also have data" in r.json()["error"]
    # The server is still serving.
    assert shm_infer(maasd, "double", x, input_name, output_name).status_code == 200


def test_only_deployers_register_and_invokers_use_regions(maasd, tmp_path, shm):
    input_name, output_name = load_doubler(maasd, tmp_path)
    invoker = make_key(maasd, "invoker")["key"]
    viewer = make_key(maasd, "viewer")["key"]
    deployer = make_key(maasd, "deployer")["key"]
    x = np.arange(8, dtype=np.float32).reshape(1, 8)
    region = shm(64)
    region.buf[:32] = x.tobytes()
    body = {"key": key_of(region), "byte_size": 64}
    assert maasd.post(f"{BASE}/region/io/register", key=invoker, json=body).status_code == 403
    assert maasd.post(f"{BASE}/region/io/register", key=viewer, json=body).status_code == 403
    assert maasd.post(f"{BASE}/region/io/register", key=None, json=body).status_code == 401
    assert maasd.post(f"{BASE}/region/io/register", key=deployer, json=body).status_code == 200
    assert maasd.get(f"{BASE}/status", key=viewer).status_code == 200
    assert maasd.post(f"{BASE}/unregister", key=invoker).status_code == 403
    r = shm_infer(maasd, "double", x, input_name, output_name, key=invoker)
    assert r.status_code == 200, r.text
    np.testing.assert_array_equal(np.frombuffer(bytes(region.buf[32:64]), dtype=np.float32), x.reshape(-1) * 2)


def test_limits_are_settings(maasd_factory, shm):
    region = shm(4096)
    server = maasd_factory(extra_args=["--shared-memory-max-regions", "1",
                                       "--shared-memory-max-region-bytes", "1024"]).start()
    r = server.post(f"{BASE}/region/a/register", json={"key": key_of(region), "byte_size": 2048})
    assert r.status_code == 400 and "shared_memory.max_region_bytes" in r.json()["error"]
    assert server.post(f"{BASE}/region/a/register", json={"key": key_of(region), "byte_size": 1024}).status_code == 200
    r = server.post(f"{BASE}/region/b/register", json={"key": key_of(region), "byte_size": 8})
    assert r.status_code == 400 and "shared_memory.max_regions" in r.json()["error"]
    assert server.stop() == 0
    off = maasd_factory(env={"MAAS_SHARED_MEMORY_MAX_REGIONS": "0"}).start()
    assert "system_shared_memory" not in off.get("/v2").json()["extensions"]
    r = off.post(f"{BASE}/region/a/register", json={"key": key_of(region), "byte_size": 8})
    assert r.status_code == 400 and "extension is off" in r.json()["error"]
    assert off.stop() == 0


def test_inputs_read_from_regions_are_bounded_per_request(maasd_factory, tmp_path, shm):
    """Each input's size is checked against its shape before a read, and all a request's inputs in regions add up
    to at most shared_memory.max_region_bytes: what is read is held in memory while maasd answers."""
    server = maasd_factory(extra_args=["--shared-memory-max-region-bytes", "1024"]).start()
    input_name, output_name = load_doubler(server, tmp_path)
    region = shm(1024)
    assert server.post(f"{BASE}/region/io/register", json={"key": key_of(region), "byte_size": 1024}).status_code == 200

    def ref(offset, size):
        return {"shared_memory_region": "io", "shared_memory_offset": offset, "shared_memory_byte_size": size}

    body = {"inputs": [{"name": input_name, "datatype": "FP32", "shape": [192], "parameters": ref(0, 768)},
                       {"name": "extra", "datatype": "FP32", "shape": [192], "parameters": ref(256, 768)}]}
    r = server.post("/v2/models/double/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "add up to more than shared_memory.max_region_bytes" in r.json()["error"], r.text
    # A size that does not match the shape is refused as such (before anything is read).
    body = {"inputs": [{"name": input_name, "datatype": "FP32", "shape": [2], "parameters": ref(0, 1024)}]}
    r = server.post("/v2/models/double/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "needs 8 bytes but shared_memory_byte_size is 1024" in r.json()["error"], r.text
    assert server.stop() == 0
