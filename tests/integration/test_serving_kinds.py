"""Every loaded version answers the same health, metadata, statistics, repository and unload calls whatever its
kind — a tensor model (XGBoost) and a generative one (a tiny GGUF) side by side in one maasd — and each kind's own
call refuses the other kind with a 400 that names the API to use."""
import numpy as np
import pytest

from llm_server import MODEL as LLM, tiny_model_path
from serving import infer, load, register

TENSOR = "trees"


@pytest.fixture(scope="module")
def both(tmp_path_factory, models_dir):
    from conftest import Maasd
    server = Maasd(tmp_path_factory.mktemp("kinds") / "data").start()
    register(server, TENSOR, models_dir / "xgb_iris.json")
    load(server, TENSOR)
    register(server, LLM, tiny_model_path())
    load(server, LLM, context=256, max_sequences=2)
    yield server
    assert server.stop() == 0, server.log()


@pytest.mark.parametrize("name,platform", [(TENSOR, "xgboost_json"), (LLM, "llama_cpp")])
def test_a_loaded_version_of_either_kind_is_ready_with_metadata_stats_and_an_index_entry(both, name, platform):
    for path in (f"/v2/models/{name}/ready", f"/v2/models/{name}/versions/1/ready"):
        r = both.get(path)
        assert r.status_code == 200, r.text
        assert r.json() == {"name": name, "ready": True}
    r = both.get(f"/v2/models/{name}")
    assert r.status_code == 200, r.text
    meta = r.json()
    assert meta["name"] == name and meta["versions"] == ["1"] and meta["platform"] == platform
    assert isinstance(meta["inputs"], list) and isinstance(meta["outputs"], list)
    r = both.get(f"/v2/models/{name}/stats")
    assert r.status_code == 200, r.text
    [stats] = r.json()["model_stats"]
    assert stats["name"] == name and stats["version"] == "1" and stats["worker_restarts"] == 0
    [instance] = stats["instances"]
    assert instance["alive"] and instance["ready"] and instance["pid"] > 0 and instance["rss_bytes"] > 0
    index = both.post("/v2/repository/index").json()
    assert {"name": name, "version": "1", "state": "READY"} in index
    # The server-wide statistics list both kinds.
    assert {s["name"] for s in both.get("/v2/models/stats").json()["model_stats"]} >= {TENSOR, LLM}


def test_statistics_count_the_requests_of_either_kind(both):
    assert infer(both, TENSOR, {"input": np.array([[5.1, 3.5, 1.4, 0.2]], np.float32)}).status_code == 200
    r = both.post("/v1/completions", json={"model": LLM, "prompt": "Hi", "max_tokens": 2, "temperature": 0})
    assert r.status_code == 200, r.text
    for name in (TENSOR, LLM):
        [stats] = both.get(f"/v2/models/{name}/stats").json()["model_stats"]
        assert stats["inference_count"] >= 1 and stats["inference_stats"]["success"]["count"] >= 1, stats
        assert stats["last_inference"] > 0


def test_each_kind_refuses_the_other_kinds_call_naming_the_api_to_use(both):
    r = infer(both, LLM, {"input": np.ones((1, 1), np.float32)})
    assert r.status_code == 400, r.text
    assert "does not support infer" in r.json()["error"] and "/v1/chat/completions" in r.json()["error"]
    r = both.post("/v1/chat/completions", json={"model": TENSOR, "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["param"] == "model" and f"/v2/models/{TENSOR}/infer" in error["message"]
    # /v1/models lists the versions that generate, only.
    assert [m["id"] for m in both.get("/v1/models").json()["data"]] == [LLM]


def test_either_kind_unloads_the_same_way(both):
    for name in (TENSOR, LLM):
        r = both.post(f"/v2/repository/models/{name}/unload", json={})
        assert r.status_code == 200, r.text
        assert both.get(f"/v2/models/{name}/ready").status_code == 404
        entry = next(e for e in both.post("/v2/repository/index").json() if e["name"] == name)
        assert entry["state"] in ("UNAVAILABLE", "UNLOADING"), entry
