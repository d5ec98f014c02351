"""Backends are plugins: a worker maps the one plugin its model's framework needs and none of the others' libraries
(a worker serving XGBoost never maps LibTorch), and a small model's worker stays small."""
import os

import pytest

from serving import load, register

# What each framework's worker maps, and the other frameworks' libraries it must not. (Debian's LibTorch links OpenCV
# itself, so a TorchScript worker maps OpenCV through LibTorch; no other worker maps either.)
OWN = {"xgboost": ["libxgboost"], "onnx": ["libopencv_dnn"], "torchscript": ["libtorch", "libc10"]}
FOREIGN = {"xgboost": ["libtorch", "libc10", "libopencv", "libllama", "libggml"],
           "onnx": ["libtorch", "libc10", "libxgboost", "libllama", "libggml"],
           "torchscript": ["libxgboost", "libllama", "libggml"]}
RSS_LIMIT = 30 << 20  # issue 11's target for an XGBoost or ONNX worker


def worker_pid(maasd, model):
    [stats] = maasd.get(f"/v2/models/{model}/stats").json()["model_stats"]
    [instance] = stats["instances"]
    assert instance["alive"], stats
    return instance["pid"]


def mapped_files(pid):
    with open(f"/proc/{pid}/maps") as f:
        return {line.split()[5] for line in f if len(line.split()) >= 6}


def vm_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))


@pytest.mark.parametrize("framework,model_file", [("xgboost", "xgb_breast_cancer.json"), ("onnx", "mlp.onnx"),
                                                  ("torchscript", "mlp.pt")])
def test_a_worker_maps_its_frameworks_plugin_and_no_other_frameworks_libraries(maasd, models_dir, framework,
                                                                                model_file):
    register(maasd, "m", models_dir / model_file)
    load(maasd, "m")
    files = mapped_files(worker_pid(maasd, "m"))
    names = [os.path.basename(f) for f in files]
    assert f"libmaas_backend_{framework}.so" in names, sorted(names)
    for library in OWN[framework]:
        assert [n for n in names if n.startswith(library)], f"the {framework} worker maps no {library}: {sorted(names)}"
    for library in FOREIGN[framework]:
        mapped = [n for n in names if n.startswith(library)]
        assert not mapped, f"the {framework} worker maps {mapped}"
    assert not [n for n in names if n.startswith("libmaas_backend_") and n != f"libmaas_backend_{framework}.so"]


@pytest.mark.skipif(bool(os.environ.get("MAAS_SANITIZED")), reason="AddressSanitizer's shadow memory is resident")
@pytest.mark.parametrize("model_file", ["xgb_breast_cancer.json", "mlp.onnx"])
def test_an_xgboost_or_onnx_worker_serving_a_small_model_holds_at_most_30_mib(maasd, models_dir, model_file):
    register(maasd, "m", models_dir / model_file)
    load(maasd, "m")
    rss = vm_rss(worker_pid(maasd, "m"))
    assert rss <= RSS_LIMIT, f"the worker holds {rss / 2**20:.1f} MiB"
