"""The per-request latency split: every /v2 infer answer, direct or through a service, carries a Server-Timing
header with this request's queue, batch and compute time and maasd's total (docs/INFERENCE.md)."""
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import requests

from fixture_names import GOOD
from serving import register
from v2_client import json_request

ROW = {"input": np.zeros((1, 30), dtype=np.float32)}
ENTRY = re.compile(r"^([a-z]+);dur=([0-9]+\.[0-9]{3})$")


def server_timing(response):
    """{'queue': ms, 'batch': ms, 'compute': ms, 'total': ms}, checking the header's grammar on the way."""
    parts = {}
    for entry in response.headers["Server-Timing"].split(", "):
        m = ENTRY.match(entry)
        assert m, response.headers["Server-Timing"]
        parts[m.group(1)] = float(m.group(2))
    assert list(parts) == ["queue", "batch", "compute", "total"]
    return parts


def call(session, maasd, name):  # session: a requests.Session or the module itself
    body, headers = json_request(ROW)
    headers = {**headers, "Authorization": "Bearer " + maasd.admin_key}
    return session.post(f"{maasd.url}/v2/models/{name}/infer", data=body, headers=headers, timeout=60)


def test_each_answer_says_where_its_time_went_directly_and_through_a_service(maasd, models_dir):
    register(maasd, "bc", models_dir / GOOD["xgboost-json"])
    assert maasd.post("/v2/repository/models/bc/load", json={}).status_code == 200
    r = maasd.post("/api/v1/services", json={"name": "front", "routes": [{"model": "bc", "version": 1}]})
    assert r.status_code == 201, r.text
    # Concurrent calls, so that some wait in the queue or share a batch: each answer reports its own split.
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda i: call(requests, maasd, "bc" if i % 2 else "front"), range(40)))
    for r in answers:
        assert r.status_code == 200, r.text
        t = server_timing(r)
        assert t["compute"] > 0 and t["total"] > 0
        assert min(t.values()) >= 0
        # Rounded to microseconds, the parts still never sum past the total.
        assert t["queue"] + t["batch"] + t["compute"] <= t["total"] + 0.002, t
    assert {r.headers.get("x-maas-service") for r in answers} == {None, "front"}
    # A refusal never ran: no split to report.
    missing = call(requests, maasd, "nope")
    assert missing.status_code == 404 and "Server-Timing" not in missing.headers
