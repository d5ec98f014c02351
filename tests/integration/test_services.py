"""Services through the gateway against a real maasd and real workers: the weighted split and its stickiness,
the debug override, limits with their headers, canary promotion and automatic rollback, shadow traffic and the
fallback."""
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import requests

from conftest import error_of
from fixture_names import GOOD
from serving import register
from v2_client import json_request

ROW = {"input": np.zeros((1, 30), dtype=np.float32)}
MLP_ROW = {"features": np.zeros((1, 4), dtype=np.float32)}


def create(maasd, body, status=201):
    r = maasd.post("/api/v1/services", json=body)
    assert r.status_code == status, r.text
    return r.json()


def call(session, maasd, service, inputs=ROW, headers=None, key=None):
    body, h = json_request(inputs)
    h = {**h, "Authorization": "Bearer " + (key or maasd.admin_key), **(headers or {})}
    return session.post(f"{maasd.url}/v2/models/{service}/infer", data=body, headers=h, timeout=60)


def flood(maasd, service, n, threads=4, headers_of=lambda i: None, inputs=ROW):
    """n requests over `threads` keep-alive connections; the responses in request order."""
    def worker(indexes):
        with requests.Session() as s:
            return [(i, call(s, maasd, service, inputs, headers_of(i))) for i in indexes]
    with ThreadPoolExecutor(threads) as pool:
        parts = pool.map(worker, [range(t, n, threads) for t in range(threads)])
    return [r for _, r in sorted((pair for part in parts for pair in part), key=lambda p: p[0])]


@pytest.fixture
def two_versions(maasd, models_dir):
    register(maasd, "bc", models_dir / GOOD["xgboost-json"])
    assert maasd.upload("bc", models_dir / GOOD["xgboost-json"]).status_code == 201
    return maasd


def test_service_lifecycle_and_validation(two_versions):
    maasd = two_versions
    svc = create(maasd, {"name": "ab", "routes": [{"model": "bc", "version": "1", "weight": 80},
                                                  {"model": "bc", "version": 2, "weight": 20}],
                         "rate_limit": {"rps": 50, "burst": 10}})
    assert svc["status"]["ready"] is True
    assert [(r["version"], r["weight"], r["loaded"]) for r in svc["status"]["routes"]] == [(1, 80, True), (2, 20, True)]
    assert svc["rate_limit"] == {"rps": 50, "burst": 10}
    assert [s["name"] for s in maasd.get("/api/v1/services").json()["services"]] == ["ab"]
    for body, status, needle in [
            ({"name": "ab", "routes": [{"model": "bc", "version": 1}]}, 409, "already exists"),
            ({"name": "bc", "routes": [{"model": "bc", "version": 1}]}, 409, "model's name"),
            ({"name": "x", "routes": [{"model": "nope", "version": 1}]}, 404, "nope"),
            ({"name": "x", "routes": [{"model": "bc", "version": 9}]}, 404, "version 9"),
            ({"name": "x", "routes": []}, 400, "'routes' is required"),
            ({"name": "x", "routes": [{"model": "bc", "version": 1, "weight": 120}, {"model": "bc", "version": 2}]},
             400, "weight"),
            ({"name": "x", "routes": [{"model": "bc", "version": 1}], "colour": "red"}, 400, "unknown field"),
            ({"name": "x", "routes": [{"model": "bc", "version": 1}], "rate_limit": {"rps": -1}}, 400, "rate_limit.rps"),
            ({"name": "X!", "routes": [{"model": "bc", "version": 1}]}, 400, "service name")]:
        r = maasd.post("/api/v1/services", json=body)
        assert r.status_code == status and needle in error_of(r)["message"], (body, r.text)
    r = maasd.patch("/api/v1/services/ab", json={"routes": [{"model": "bc", "version": 1, "weight": 50},
                                                            {"model": "bc", "version": 2, "weight": 50}]})
    assert r.status_code == 200 and [x["weight"] for x in r.json()["status"]["routes"]] == [50, 50]
    assert r.json()["revision"] == 2
    r = maasd.patch("/api/v1/services/ab", json={"max_body_bytes": 64})
    assert r.status_code == 200 and r.json()["max_body_bytes"] == 64
    with requests.Session() as s:
        big = call(s, maasd, "ab")
        assert big.status_code == 413 and "max_body_bytes" in big.json()["error"]
    assert maasd.patch("/api/v1/services/ab", json={"max_body_bytes": None}).status_code == 200
    kinds = [e["kind"] for e in maasd.get("/api/v1/services/ab/events").json()["events"]]
    assert kinds == ["created", "updated", "updated", "updated"]
    with requests.Session() as s:
        ok = call(s, maasd, "ab")
        assert ok.status_code == 200 and ok.headers["x-maas-service"] == "ab"
        assert ok.json()["model_name"] == "ab" and ok.json()["model_version"] == ok.headers["x-maas-model-version"]
        assert maasd.delete("/api/v1/services/ab").status_code == 204
        assert call(s, maasd, "ab").status_code == 404  # the name is free again; no model is called "ab"
    assert maasd.get("/api/v1/services/ab").status_code == 404


def loaded(maasd, model, version):
    return maasd.get(f"/v2/models/{model}/versions/{version}/ready").status_code == 200


def test_a_service_unloads_the_versions_it_loaded_once_nothing_uses_them(two_versions, models_dir):
    maasd = two_versions
    # Version 1 is loaded by hand first; version 2 only by the service.
    assert maasd.post("/v2/repository/models/bc/load", json={"parameters": {"version": 1}}).status_code == 200
    create(maasd, {"name": "ab", "routes": [{"model": "bc", "version": 1, "weight": 50},
                                            {"model": "bc", "version": 2, "weight": 50}]})
    create(maasd, {"name": "solo", "routes": [{"model": "bc", "version": 2}]})
    assert loaded(maasd, "bc", 1) and loaded(maasd, "bc", 2)
    # A route removed: version 2 is still used by "solo".
    assert maasd.patch("/api/v1/services/ab", json={"routes": [{"model": "bc", "version": 1}]}).status_code == 200
    assert loaded(maasd, "bc", 2)
    # "solo" deleted: nothing uses version 2, which the gateway loaded -> unloaded.
    assert maasd.delete("/api/v1/services/solo").status_code == 204
    assert not loaded(maasd, "bc", 2)
    # "ab" deleted: version 1 was loaded by hand, not by the gateway -> it stays.
    assert maasd.delete("/api/v1/services/ab").status_code == 204
    assert loaded(maasd, "bc", 1)


def test_changing_a_routes_replica_count_scales_its_loaded_version(two_versions):
    maasd = two_versions
    create(maasd, {"name": "one", "routes": [{"model": "bc", "version": 1, "config": {"instances": 1}}]})

    def replicas():
        stats = maasd.get("/v2/models/bc/versions/1/stats").json()["model_stats"][0]["instances"]
        return sum(1 for i in stats if i.get("ready") and not i.get("retiring"))

    assert replicas() == 1
    r = maasd.patch("/api/v1/services/one", json={"routes": [{"model": "bc", "version": 1, "config": {"instances": 2}}]})
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 60
    while replicas() != 2:
        assert time.monotonic() < deadline, maasd.get("/v2/models/bc/versions/1/stats").text
        time.sleep(0.05)
    r = maasd.patch("/api/v1/services/one", json={"routes": [{"model": "bc", "version": 1, "config": {"instances": 99}}]})
    assert r.status_code == 400 and "config.instances" in error_of(r)["message"], r.text


def test_an_80_20_split_lands_within_two_points_and_sticky_users_never_flip(two_versions):
    maasd = two_versions
    create(maasd, {"name": "ab", "routes": [{"model": "bc", "version": 1, "weight": 80},
                                            {"model": "bc", "version": 2, "weight": 20}]})
    responses = flood(maasd, "ab", 5000)
    assert all(r.status_code == 200 for r in responses)
    share = Counter(r.headers["x-maas-model-version"] for r in responses)
    assert abs(share["1"] / 5000 - 0.8) <= 0.02, share

    create(maasd, {"name": "sticky", "sticky_header": "x-user-id",
                   "routes": [{"model": "bc", "version": 1, "weight": 50}, {"model": "bc", "version": 2, "weight": 50}]})
    responses = flood(maasd, "sticky", 1000, headers_of=lambda i: {"x-user-id": f"user-{i % 100}"})
    seen = {}
    for i, r in enumerate(responses):
        assert r.status_code == 200
        seen.setdefault(i % 100, set()).add(r.headers["x-maas-model-version"])
    assert all(len(v) == 1 for v in seen.values()), seen
    assert {next(iter(v)) for v in seen.values()} == {"1", "2"}  # both versions get users
    # The debug override picks a version whatever the split says; an unknown one is a 404.
    with requests.Session() as s:
        assert all(call(s, maasd, "sticky", headers={"x-maas-version": "2", "x-user-id": "user-1"})
                   .headers["x-maas-model-version"] == "2" for _ in range(10))
        assert call(s, maasd, "sticky", headers={"x-maas-version": "7"}).status_code == 404


def test_a_rate_limit_admits_the_burst_plus_the_rate_under_a_flood(two_versions):
    maasd = two_versions
    rps, burst, seconds = 40, 10, 3.0
    create(maasd, {"name": "limited", "routes": [{"model": "bc", "version": 1}],
                   "rate_limit": {"rps": rps, "burst": burst}})
    admitted, refused = [], []
    stop = time.monotonic() + seconds

    def client():
        with requests.Session() as s:
            while time.monotonic() < stop:
                sent = time.monotonic()
                r = call(s, maasd, "limited")
                (admitted if r.status_code == 200 else refused).append((sent, r))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused, "the flood never hit the limit"
    for _, r in refused[:20]:
        assert r.status_code == 429 and "rate limit" in r.json()["error"]
        assert int(r.headers["Retry-After"]) >= 1 and r.headers["X-RateLimit-Limit"] == str(burst)
        assert r.headers["X-RateLimit-Remaining"] == "0" and "X-RateLimit-Reset" in r.headers
    first = min(t for t, _ in admitted + refused)
    span = max(t for t, _ in admitted) - first
    expected = burst + rps * span
    assert abs(len(admitted) - expected) <= 0.02 * expected + 2, (len(admitted), expected, span)
    rejected = maasd.get("/metrics").text
    assert f'maas_gateway_rejections_total{{service="limited",reason="rate_limit_service"}} {len(refused)}' in rejected
    # Counted as what the client got (429), not as an overload.
    assert f'maas_inference_requests_total{{service="limited",model="",version="",code="429"}} {len(refused)}' in rejected
    assert 'maas_gateway_rejections_total{service="limited",reason="unavailable"}' not in rejected


def test_a_key_rate_limit_and_the_concurrency_limit(two_versions):
    maasd = two_versions
    create(maasd, {"name": "svc", "routes": [{"model": "bc", "version": 1}]})
    key = maasd.post("/api/v1/keys", json={"name": "slow", "role": "invoker", "services": ["svc"],
                                           "rate_limit": {"rps": 1, "burst": 3}}).json()["key"]
    with requests.Session() as s:
        codes = [call(s, maasd, "svc", key=key).status_code for _ in range(6)]
    assert codes[:3] == [200, 200, 200] and 429 in codes[3:]


def mlp_model(maasd, models_dir, tmp_path):
    import torch

    class Failing(torch.nn.Module):
        def forward(self, features: torch.Tensor) -> torch.Tensor:
            if features.shape[0] >= 0:
                raise RuntimeError("this version fails on purpose")
            return features

    path = tmp_path / "failing.pt"
    torch.jit.script(Failing()).save(str(path))
    register(maasd, "mlp", models_dir / GOOD["torchscript-mlp"])               # 1: good
    assert maasd.upload("mlp", path).status_code == 201                          # 2: fails
    assert maasd.upload("mlp", models_dir / GOOD["torchscript-mlp"]).status_code == 201  # 3: good


def wait_for_event(maasd, service, kind, timeout=60):
    deadline = time.monotonic() + timeout
    with requests.Session() as s:
        while True:
            events = maasd.get(f"/api/v1/services/{service}/events").json()["events"]
            if any(e["kind"] == kind for e in events):
                return events
            assert time.monotonic() < deadline, (kind, events)
            call(s, maasd, service, MLP_ROW)  # traffic drives the analysis


def test_a_failing_canary_is_rolled_back_and_a_healthy_one_promoted(maasd, models_dir, tmp_path):
    mlp_model(maasd, models_dir, tmp_path)
    canary = {"steps": [20, 50, 100], "interval_seconds": 0.5, "max_error_rate": 0.1, "min_requests": 10}
    create(maasd, {"name": "bad", "routes": [{"model": "mlp", "version": 1}],
                   "canary": {"model": "mlp", "version": 2, **canary}})
    events = wait_for_event(maasd, "bad", "canary_rolled_back")
    rollback = [e for e in events if e["kind"] == "canary_rolled_back"][0]
    assert "error rate" in rollback["message"] and rollback["detail"]["errors"] > 0
    shown = maasd.get("/api/v1/services/bad").json()
    assert shown["status"]["canary"]["phase"] == "rolled_back"
    assert [(r["version"], r["weight"]) for r in shown["status"]["routes"]] == [(1, 100)]
    with requests.Session() as s:  # after the rollback, no client sees an error
        assert all(call(s, maasd, "bad", MLP_ROW).status_code == 200 for _ in range(50))
    assert "canary_rolled_back" in maasd.get("/metrics").text

    create(maasd, {"name": "good", "routes": [{"model": "mlp", "version": 1}],
                   "canary": {"model": "mlp", "version": 3, **canary}})
    events = wait_for_event(maasd, "good", "canary_promoted")
    assert [e["kind"] for e in events] == ["created", "canary_advanced", "canary_advanced", "canary_promoted"]
    shown = maasd.get("/api/v1/services/good").json()
    assert [(r["version"], r["weight"]) for r in shown["status"]["routes"]] == [(3, 100)] and "canary" not in shown
    with requests.Session() as s:
        assert all(call(s, maasd, "good", MLP_ROW).headers["x-maas-model-version"] == "3" for _ in range(10))


def test_shadow_traffic_is_compared_and_a_fallback_answers_for_a_failing_primary(maasd, models_dir, tmp_path):
    mlp_model(maasd, models_dir, tmp_path)
    create(maasd, {"name": "mirror", "routes": [{"model": "mlp", "version": 1}],
                   "shadow": {"model": "mlp", "version": 3, "percent": 100}})
    create(maasd, {"name": "broken", "routes": [{"model": "mlp", "version": 2}],
                   "fallback": {"model": "mlp", "version": 1}})
    with requests.Session() as s:
        for _ in range(20):
            r = call(s, maasd, "mirror", MLP_ROW)
            assert r.status_code == 200 and r.headers["x-maas-model-version"] == "1"
    deadline = time.monotonic() + 30
    metric = 'maas_gateway_shadow_requests_total{service="mirror",outcome="match"} 20'
    while metric not in maasd.get("/metrics").text:
        assert time.monotonic() < deadline, maasd.get("/metrics").text
        time.sleep(0.05)
    with requests.Session() as s:
        r = call(s, maasd, "broken", MLP_ROW)
    assert r.status_code == 200 and r.headers["x-maas-model-version"] == "1", r.text
    assert "fails on purpose" in r.headers["x-maas-fallback"]
    metrics = maasd.get("/metrics").text
    assert 'maas_inference_requests_total{service="broken",model="mlp",version="1",code="200"} 1' in metrics


def test_a_daily_quota_holds_across_a_restart(two_versions):
    maasd = two_versions
    assert maasd.post("/v2/repository/models/bc/load", json={}).status_code == 200
    created = maasd.post("/api/v1/keys", json={"name": "metered", "role": "invoker", "quota": {"daily_requests": 3}})
    key, key_id = created.json()["key"], created.json()["id"]
    with requests.Session() as s:
        assert [call(s, maasd, "bc", key=key).status_code for _ in range(3)] == [200, 200, 200]
        r = call(s, maasd, "bc", key=key)
    assert r.status_code == 429 and "daily request quota of 3" in r.json()["error"] and int(r.headers["Retry-After"]) >= 1
    # The key's use is in its listing (the gateway writes its counts every half second): 3 of 3 today.
    deadline = time.monotonic() + 30
    while maasd.get(f"/api/v1/keys/{key_id}").json().get("usage", {}).get("daily_requests") != 3:
        assert time.monotonic() < deadline, maasd.get(f"/api/v1/keys/{key_id}").text
        time.sleep(0.1)
    usage = maasd.get(f"/api/v1/keys/{key_id}").json()["usage"]
    assert usage["monthly_requests"] == 3 and usage["day"] == time.strftime("%Y-%m-%d", time.gmtime())
    listed = maasd.get("/api/v1/keys").json()["keys"]
    assert [k["usage"] for k in listed if k["id"] == key_id] == [usage]
    assert all("usage" not in k for k in listed if "quota" not in k)  # keys without quotas are not counted
    assert maasd.stop() == 0
    maasd.start()
    assert maasd.post("/v2/repository/models/bc/load", json={}).status_code == 200
    with requests.Session() as s:
        assert call(s, maasd, "bc", key=key).status_code == 429
        assert call(s, maasd, "bc").status_code == 200  # the admin has no quota
