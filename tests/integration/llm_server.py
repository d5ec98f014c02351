"""A maasd with a tiny random-weight GGUF model loaded, for the LLM tests. The model comes from the ctest fixture
step (maas-tiny-gguf, see CMakeLists.txt) through MAAS_LLM_FIXTURES_DIR; without llama.cpp in the build the tests
skip."""
import os
import pathlib

import pytest

from conftest import BIN_DIR, Maasd

MODEL = "tiny-chat"
EMBEDDING_LENGTH = 64


def gguf_plugin_path():
    """The gguf backend plugin maas-worker loads for GGUF models (built with llama.cpp only)."""
    return BIN_DIR / "backends" / "libmaas_backend_gguf.so"


def tiny_model_path(file="tiny-chat.gguf"):
    fixtures = os.environ.get("MAAS_LLM_FIXTURES_DIR")
    if not gguf_plugin_path().exists() or not fixtures:
        pytest.skip("this build has no llama.cpp (run scripts/llama.sh, then reconfigure)")
    path = pathlib.Path(fixtures) / file
    assert path.exists(), f"{path} missing: the llm_models fixture did not run"
    return path


def start_llm_server(data_dir, config, model=MODEL, file="tiny-chat.gguf"):
    """Starts maasd, registers the tiny model (`file` of the fixtures, as `model`) and loads it with `config` (the
    gguf load config)."""
    path = tiny_model_path(file)
    server = Maasd(data_dir).start()
    assert server.post("/api/v1/models", json={"name": model}).status_code == 201
    r = server.upload(model, path)
    assert r.status_code == 201, r.text
    r = server.post(f"/v2/repository/models/{model}/load", json={"parameters": {"config": config}})
    assert r.status_code == 200, r.text
    return server


def metric(server, name, model=MODEL):
    """The value of `name{model=...}` from /metrics (0 when absent)."""
    for line in server.get("/metrics").text.splitlines():
        if line.startswith(name + "{") and f'model="{model}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0
