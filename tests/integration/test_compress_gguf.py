"""compress.gguf over a real maasd (docs/COMPRESSION.md): a tiny random-weight f32 GGUF quantized to Q8_0 by maas has
the same tensors, byte for byte, as llama.cpp's own llama-quantize makes of the same file; maas's version serves with
the same greedy completion as the reference loaded as another version; the lineage names the source, the method and
its type; the report's sizes are the files'. Unknown types and non-GGUF sources are 400s."""
import os
import pathlib
import subprocess

import pytest

from cli_driver import INVALID_INPUT, cli_for
from conftest import BIN_DIR, Maasd
from gguf_tensors import read_gguf
from jobs_client import submit, wait_state

MODEL = "tiny-q"
PLUGIN = BIN_DIR / "jobs" / "libmaas_jobs_gguf.so"


def llama_quantize():
    path = os.environ.get("MAAS_LLAMA_QUANTIZE")
    if not path:
        prefix = subprocess.run(["bash", str(pathlib.Path(__file__).parents[2] / "scripts" / "llama.sh"), "--prefix"],
                                capture_output=True, text=True, check=True).stdout.strip()
        path = os.path.join(prefix, "bin", "llama-quantize")
    assert os.access(path, os.X_OK), f"{path} missing: run scripts/llama.sh --quantize"
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not PLUGIN.exists():
        pytest.skip("this build has no llama.cpp (run scripts/llama.sh, then reconfigure)")
    s = Maasd(tmp_path_factory.mktemp("compress-gguf") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("gguf") / "tiny-f32.gguf"
    subprocess.run([str(BIN_DIR / "maas-tiny-gguf"), "--out", str(path), "--layers", "2", "--width", "64",
                    "--type", "f32", "--name", MODEL], check=True, capture_output=True)
    return path


def compress(server, params):
    j = submit(server, "compress.gguf", params, cpu_slots=2)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=180)
    assert done["state"] == "succeeded", done.get("error")
    return done


def complete(server, version, prompt):
    r = server.post(f"/v2/repository/models/{MODEL}/load", json={"parameters": {"version": version}})
    assert r.status_code == 200, r.text
    r = server.post("/v1/completions", json={"model": f"{MODEL}@{version}", "prompt": prompt, "max_tokens": 24,
                                              "temperature": 0})
    assert r.status_code == 200, r.text
    assert r.headers["x-maas-model-version"] == str(version)
    return r.json()["choices"][0]["text"]


def test_q8_0_equals_llama_quantize_and_serves_the_same_greedy_text(server, source, tmp_path):
    assert server.post("/api/v1/models", json={"name": MODEL}).status_code == 201
    assert server.upload(MODEL, source).status_code == 201
    done = compress(server, {"model": MODEL, "type": "q8_0", "measure_tokens": 8})
    assert done["result"]["version"]["version"] == 2, done["result"]

    ours = tmp_path / "maas-q8_0.gguf"
    r = server.get(f"/api/v1/models/{MODEL}/versions/2/artifact")
    assert r.status_code == 200
    ours.write_bytes(r.content)
    reference = tmp_path / "llama-quantize-q8_0.gguf"
    subprocess.run([llama_quantize(), str(source), str(reference), "Q8_0", "2"], check=True, capture_output=True)
    _, our_tensors, our_data = read_gguf(ours)
    _, reference_tensors, reference_data = read_gguf(reference)
    assert our_tensors == reference_tensors
    assert {t[2] for t in our_tensors if len(t[1]) == 2} == {8}  # GGML_TYPE_Q8_0: every matrix quantized
    assert our_data == reference_data

    version = server.get(f"/api/v1/models/{MODEL}/versions/2").json()
    lineage = version["lineage"]
    assert lineage["parent"] == f"{MODEL}@1" and lineage["parent_version"] == 1
    assert lineage["method"] == "compress.gguf" and lineage["parameters"] == {"type": "Q8_0"}
    assert lineage["run_id"] == done["id"]
    report = done["result"]["report"]
    assert report["size_bytes"]["before"] == source.stat().st_size
    assert report["size_bytes"]["after"] == len(r.content) == version["size_bytes"]
    assert report["size_bytes"]["after"] < report["size_bytes"]["before"]
    assert report["latency"]["before_tokens_per_second"] > 0 and report["latency"]["after_tokens_per_second"] > 0
    assert 1 <= report["greedy"]["tokens"] <= 8
    assert lineage["report"] == report

    assert server.upload(MODEL, reference).status_code == 201  # version 3
    prompt = "Once upon a time"
    assert complete(server, 2, prompt) == complete(server, 3, prompt)


def test_an_unknown_type_is_a_400_listing_the_valid_ones(server, source):
    if server.get(f"/api/v1/models/{MODEL}").status_code == 404:
        assert server.post("/api/v1/models", json={"name": MODEL}).status_code == 201
        assert server.upload(MODEL, source).status_code == 201
    r = server.post("/api/v1/jobs", json={"kind": "compress.gguf", "params": {"model": MODEL, "type": "Q9_9"}})
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "Q9_9" in message and "Q8_0" in message and "Q4_K_M" in message and "Q6_K" in message
    r = server.post("/api/v1/jobs", json={"kind": "compress.gguf", "params": {"model": MODEL}})
    assert r.status_code == 400 and "params.type" in r.json()["error"]["message"]
    r = server.post("/api/v1/jobs", json={"kind": "compress.gguf", "params": {"model": MODEL, "type": "Q8_0",
                                                                             "bits": 3}})
    assert r.status_code == 400 and "params.bits" in r.json()["error"]["message"]


def test_a_model_that_is_not_gguf_is_a_400(server, models_dir):
    assert server.post("/api/v1/models", json={"name": "trees"}).status_code == 201
    assert server.upload("trees", models_dir / "xgb_breast_cancer.json").status_code == 201
    r = server.post("/api/v1/jobs", json={"kind": "compress.gguf", "params": {"model": "trees", "type": "Q8_0"}})
    assert r.status_code == 400
    assert "is xgboost" in r.json()["error"]["message"]


def test_the_cli_submits_and_an_unknown_type_exits_with_the_servers_message(server, source):
    cli = cli_for(server)
    result = cli.fails(INVALID_INPUT, "compress", "gguf", "--model", MODEL, "--type", "Q3_X")
    assert "Q3_X" in result.stderr and "Q4_K_M" in result.stderr
