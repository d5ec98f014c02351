"""`make demo`'s script (scripts/demo.sh) end to end: it trains the demo models, starts maasd, registers and loads
them with the admin key, and the models answer; SIGTERM (as Ctrl-C's trap) stops it cleanly. A second start on the
same data dir reuses what is there."""
import signal
import subprocess
import time

import requests

from conftest import BIN_DIR, ROOT
from peers import free_port


def run_demo(data_dir, port):
    env = {"PATH": "/usr/bin:/bin", "MAAS_DATA_DIR": str(data_dir), "MAAS_LISTEN": f"127.0.0.1:{port}"}
    proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "demo.sh"), str(BIN_DIR)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.monotonic() + 180
    for line in proc.stdout:
        lines.append(line)
        if "Press Ctrl-C to stop." in line or time.monotonic() > deadline:
            break
    assert any("Press Ctrl-C to stop." in l for l in lines), "".join(lines[-40:])
    return proc, "".join(lines)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.stdout.read()
    assert proc.wait(timeout=60) is not None


def test_demo_serves_its_models_with_the_admin_key(tmp_path):
    data_dir, port = tmp_path / "demo", free_port()
    proc, output = run_demo(data_dir, port)
    try:
        assert "demo: iris loaded into its worker" in output
        key = (data_dir / "admin.key").read_text().strip()
        url = f"http://127.0.0.1:{port}/v2/models/iris/infer"
        body = {"inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32",
                            "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}]}
        assert requests.post(url, json=body, timeout=30).status_code == 401
        r = requests.post(url, json=body, headers={"Authorization": "Bearer " + key}, timeout=30)
        assert r.status_code == 200, r.text
        probs = r.json()["outputs"][0]["data"]
        assert probs[0] > 0.9 and probs[5] > 0.9  # setosa, then virginica
        # The console opens the demo: its address and the key are printed, and it shows the breadth of the product.
        assert f"http://127.0.0.1:{port}/ui/" in output and key in output
        headers = {"Authorization": "Bearer " + key}
        base = f"http://127.0.0.1:{port}"
        assert requests.get(base + "/ui/", timeout=30).status_code == 200
        services = {s["name"]: s for s in requests.get(base + "/api/v1/services", headers=headers, timeout=30).json()["services"]}
        assert [r["weight"] for r in services["flowers"]["status"]["routes"]] == [90, 10]
        assert services["flowers-canary"]["canary"]["version"] == "2"
        r = requests.post(base + "/v2/models/iris-onnx/infer", headers=headers, timeout=30, json={"inputs": [
            {"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2]]}]})
        assert r.status_code == 200 and r.json()["outputs"][0]["data"][0] > 0.8, r.text
        assert "demo" in [g["name"] for g in requests.get(base + "/api/v1/alerts/rules", headers=headers, timeout=30).json()["groups"]]
        if "demo: tiny-chat loaded" in output:
            r = requests.post(base + "/v1/chat/completions", headers=headers, timeout=60, json={
                "model": "tiny-chat", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4})
            assert r.status_code == 200 and r.json()["usage"]["completion_tokens"] >= 1, r.text
    finally:
        stop(proc)
    # Again on the same data dir: the models are there already, the key file still opens the door.
    proc, output = run_demo(data_dir, port)
    try:
        assert "demo: iris already registered" in output and "demo: iris loaded into its worker" in output
    finally:
        stop(proc)
