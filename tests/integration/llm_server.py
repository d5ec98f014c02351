"""A maasd with a tiny random-weight GGUF model loaded, for the LLM tests. The model comes from the ctest fixture
step (maas-tiny-gguf, see CMakeLists.txt) through MAAS_LLM_FIXTURES_DIR; without llama.cpp in the build the tests
skip."""
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import BIN_DIR, ROOT, Maasd

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


def run_node_test(server, file, model, package="openai"):
    """Runs tests/js/`file` with node's test runner against `server` (skips when node or the npm `package` is
    missing) and asserts that it passed."""
    js = ROOT / "tests" / "js"
    if not (js / "node_modules" / package).exists() or not shutil.which("node"):
        pytest.skip(f"the npm package {package} is not installed (scripts/setup.sh runs npm ci in tests/js)")
    env = dict(os.environ, MAAS_URL=server.url, MAAS_API_KEY=server.admin_key, MAAS_MODEL=model)
    run = subprocess.run(["node", "--test", "--test-reporter=spec", str(js / file)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr + server.log()
