"""/metrics after traffic to every kind of endpoint passes `promtool check metrics`, and a real Prometheus scrapes
maasd with the admin key and answers queries for maas metrics."""
import shutil
import subprocess

import numpy as np
import pytest
import requests

from peers import Process, free_port, poll


def drive_traffic(maasd, models_dir):
    """Registry, inference, errors and system endpoints: every kind of series appears at least once."""
    assert maasd.post("/api/v1/models", json={"name": "m"}).status_code == 201
    assert maasd.upload("m", models_dir / "xgb_breast_cancer.json").status_code == 201
    assert maasd.get("/api/v1/models").status_code == 200
    assert maasd.get("/api/v1/models/m/versions/1").status_code == 200
    assert maasd.get("/api/v1/models/absent").status_code == 404
    assert maasd.post("/api/v1/models", json={"name": "bad name!"}).status_code == 400
    assert maasd.get("/no/such/route").status_code == 404
    assert maasd.delete("/api/v1/version").status_code == 405
    assert maasd.get("/api/v1/health").status_code == 200
    assert maasd.post("/v2/repository/models/m/load").status_code == 200
    rows = np.zeros((2, 30), dtype=np.float32).tolist()
    body = {"inputs": [{"name": "input", "shape": [2, 30], "datatype": "FP32", "data": rows}]}
    assert maasd.post("/v2/models/m/infer", json=body).status_code == 200
    assert maasd.post("/v2/models/m/infer", json={"inputs": []}).status_code == 400
    assert maasd.post("/v2/models/absent/infer", json=body).status_code == 404
    assert maasd.get("/v2/models/m/stats").status_code == 200


def promtool_finds_nothing(text):
    check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout.strip() == "" and check.stderr.strip() == "", \
        check.stdout + check.stderr


def scrape(maasd):
    r = maasd.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return r.text


def test_promtool_finds_nothing_after_traffic(maasd, models_dir, tmp_path):
    drive_traffic(maasd, models_dir)
    text = scrape(maasd)
    for name in ("maas_http_requests_total", "maas_inference_requests_total", "maas_inference_request_duration_seconds_bucket",
                 "maas_worker_cpu_seconds_total", "maas_registry_models", "maas_artifact_store_bytes",
                 "process_resident_memory_bytes"):
        assert name in text, name
    assert 'maas_http_requests_total{method="other",route="unmatched",code="404"} 1' in text
    promtool_finds_nothing(text)


def test_promtool_finds_nothing_after_llm_traffic(tmp_path):
    from llm_server import MODEL, start_llm_server
    llm = start_llm_server(tmp_path / "llm", {"max_sequences": 2, "context": 512, "threads": 1})
    try:
        body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "temperature": 0}
        assert llm.post("/v1/chat/completions", json=body).status_code == 200
        assert llm.post("/v1/chat/completions", json={"model": MODEL}).status_code == 400
        text = scrape(llm)
        assert "maas_llm_" in text
        promtool_finds_nothing(text)
    finally:
        assert llm.stop() == 0, llm.log()


@pytest.mark.skipif(shutil.which("prometheus") is None, reason="Debian's prometheus is not installed")
def test_a_real_prometheus_scrapes_maasd(maasd, models_dir, tmp_path):
    drive_traffic(maasd, models_dir)
    host, port = maasd.host_port
    config = tmp_path / "prometheus.yml"
    config.write_text(f"""
global: {{scrape_interval: 1s, evaluation_interval: 1s}}
scrape_configs:
  - job_name: maas
    scrape_interval: 500ms
    scrape_timeout: 400ms
    authorization: {{credentials: "{maasd.admin_key}"}}
    static_configs: [{{targets: ["{host}:{port}"]}}]
""")
    prom_port = free_port()
    args = ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prom_port}"]
    with Process(args, tmp_path / "prometheus.log") as prometheus:
        def query(q):
            try:
                r = requests.get(f"http://127.0.0.1:{prom_port}/api/v1/query", params={"query": q}, timeout=5)
            except requests.ConnectionError:
                return None
            assert prometheus.proc.poll() is None, prometheus.log()
            return r.json()["data"]["result"] if r.status_code == 200 else None

        result = poll(lambda: query('maas_inference_requests_total{model="m",code="200"}'), timeout_s=60,
                      what="Prometheus answering for maas_inference_requests_total")
        assert result[0]["metric"]["job"] == "maas" and result[0]["value"][1] == "1"
        up = query('up{job="maas"}')
        assert up and up[0]["value"][1] == "1"
