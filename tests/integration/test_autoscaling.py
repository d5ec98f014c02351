"""Autoscaling of services against a real maasd and real workers: a burst of concurrent clients scales a version
from 1 to N replicas and back down after the stable window; with min_replicas 0 an idle version goes to zero
replicas and the next requests start one (a cold start) and wait for it, none failing. Every decision is a service
event with its inputs. Small windows keep it short; every wait polls for its condition with a generous deadline."""
import threading

import numpy as np
import pytest
import requests

from peers import poll
from v2_client import json_request

# Generous: workers start slowly under ASan on a loaded 2-core machine; a poll returns as soon as its condition holds.
WAIT_S = 90
BODY = json_request({"x": np.ones((1, 4), np.float32)})


@pytest.fixture
def slow_model(maasd, tmp_path):
    """A TorchScript model that computes for tens of milliseconds per request, so that concurrent clients queue."""
    import torch

    class Slow(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            w = torch.ones(192, 192) / 192
            y = x.sum() * torch.ones(192, 192)
            for _ in range(40):
                y = torch.tanh(y @ w)
            return x + y[0, 0]

    path = tmp_path / "slow.pt"
    torch.jit.script(Slow()).save(str(path))
    assert maasd.post("/api/v1/models", json={"name": "slow"}).status_code == 201
    assert maasd.upload("slow", path).status_code == 201
    return maasd


def create(maasd, name, autoscaling):
    r = maasd.post("/api/v1/services", json={
        "name": name,
        "routes": [{"model": "slow", "version": 1, "config": {"max_batch_size": 0, "warmup": False}}],
        "autoscaling": autoscaling})
    assert r.status_code == 201, r.text
    return r.json()


def replicas(maasd, name):
    """(desired, ready) of the service's only version, as its autoscaler last saw them; (None, None) before that."""
    status = maasd.get(f"/api/v1/services/{name}").json()["status"].get("autoscaling") or [{}]
    return status[0].get("desired"), status[0].get("ready")


def instances(maasd):
    return maasd.get("/v2/models/slow/stats").json()["model_stats"][0]["instances"]


def events(maasd, name, kind):
    return [e for e in maasd.get(f"/api/v1/services/{name}/events").json()["events"] if e["kind"] == kind]


def call(session, maasd, name):
    data, headers = BODY
    return session.post(f"{maasd.url}/v2/models/{name}/infer", data=data,
                        headers={**headers, "Authorization": "Bearer " + maasd.admin_key}, timeout=120)


class Clients:
    """`n` threads calling the service back to back until stopped; every status code they got."""

    def __init__(self, maasd, name, n):
        self.codes, self.errors = [], []
        self.stopped = threading.Event()
        lock = threading.Lock()

        def run():
            with requests.Session() as s:
                while not self.stopped.is_set():
                    r = call(s, maasd, name)
                    with lock:
                        self.codes.append(r.status_code)
                        if r.status_code != 200:
                            self.errors.append(r.text)
        self.threads = [threading.Thread(target=run) for _ in range(n)]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopped.set()
        for t in self.threads:
            t.join()


def test_a_burst_scales_a_service_up_and_it_comes_back_down_after_the_stable_window(slow_model):
    maasd = slow_model
    create(maasd, "burst", {"min_replicas": 1, "max_replicas": 3, "target": {"metric": "concurrency", "value": 1},
                            "stable_window_s": 3, "panic_window_s": 1})
    poll(lambda: replicas(maasd, "burst") == (1, 1), timeout_s=WAIT_S, what="the autoscaler's first reading")

    clients = Clients(maasd, "burst", 6)
    try:
        # Six clients against one replica: the panic window sees six times the target; up at once, to the max.
        poll(lambda: replicas(maasd, "burst") == (3, 3), timeout_s=WAIT_S, what="3 ready replicas under the burst")
        assert len([i for i in instances(maasd) if i["ready"]]) == 3
        assert maasd.get("/v2/models/slow/ready").status_code == 200
    finally:
        clients.stop()
    assert clients.codes and not clients.errors, clients.errors[:3]

    up = events(maasd, "burst", "scaled_up")
    first = up[0]["detail"] if up else None
    assert first and first["current"] == 1 and first["desired"] >= 2, up
    # Its inputs: the load it saw over both windows (at least twice one replica's target in one of them).
    assert max(first["stable_average"], first["panic_average"]) > first["target"], first
    assert {"panic", "target", "metric", "why", "ready"} <= first.keys()

    # The burst is over: back to min_replicas once the panic has been quiet for a stable window.
    poll(lambda: replicas(maasd, "burst") == (1, 1), timeout_s=WAIT_S, what="back to 1 replica")
    poll(lambda: len(instances(maasd)) == 1, timeout_s=WAIT_S, what="the retired workers gone")
    down = events(maasd, "burst", "scaled_down")
    assert down and down[-1]["detail"]["desired"] == 1 and down[-1]["detail"]["panic"] is False, down
    metrics = maasd.get("/metrics").text
    assert 'maas_service_desired_replicas{service="burst",model="slow",version="1"} 1' in metrics
    assert 'maas_service_scale_decisions_total{service="burst",kind="scaled_up"}' in metrics
    with requests.Session() as s:
        assert call(s, maasd, "burst").status_code == 200


def test_replicas_scaled_down_under_load_finish_their_batches_and_no_request_fails(slow_model):
    maasd = slow_model
    policy = {"min_replicas": 1, "max_replicas": 3, "stable_window_s": 3, "panic_window_s": 1}
    create(maasd, "shrink", policy)
    clients = Clients(maasd, "shrink", 6)
    try:
        poll(lambda: replicas(maasd, "shrink") == (3, 3), timeout_s=WAIT_S, what="3 ready replicas under the burst")
        # The ceiling drops while every replica is busy: two retire, each after the batch it is running.
        r = maasd.patch("/api/v1/services/shrink", json={"autoscaling": {**policy, "max_replicas": 1}})
        assert r.status_code == 200, r.text
        poll(lambda: replicas(maasd, "shrink") == (1, 1), timeout_s=WAIT_S, what="down to 1 under load")
        poll(lambda: len(instances(maasd)) == 1, timeout_s=WAIT_S, what="the retired workers gone")
        served = len(clients.codes)
        poll(lambda: len(clients.codes) > served + 3, timeout_s=WAIT_S, what="requests served by the one left")
    finally:
        clients.stop()
    assert clients.codes and not clients.errors, clients.errors[:3]
    down = events(maasd, "shrink", "scaled_down")
    assert down and down[-1]["detail"]["current"] == 3 and down[-1]["detail"]["desired"] == 1, down


def test_an_idle_service_scales_to_zero_and_the_next_requests_cold_start_without_failing(slow_model):
    maasd = slow_model
    create(maasd, "idle", {"min_replicas": 0, "max_replicas": 2, "stable_window_s": 2, "panic_window_s": 0.5,
                           "scale_to_zero_grace_s": 1})
    with requests.Session() as s:
        assert call(s, maasd, "idle").status_code == 200

    poll(lambda: replicas(maasd, "idle") == (0, 0), timeout_s=WAIT_S, what="scale to zero")
    poll(lambda: instances(maasd) == [], timeout_s=WAIT_S, what="no worker left")
    zero = events(maasd, "idle", "scaled_to_zero")
    assert zero and zero[0]["detail"]["desired"] == 0 and zero[0]["detail"]["current"] == 1, zero
    # At zero the version stays READY: requests are taken, and wait for the replica they start.
    assert maasd.get("/v2/models/slow/ready").status_code == 200

    results = []
    lock = threading.Lock()

    def one():
        with requests.Session() as s:
            r = call(s, maasd, "idle")
            with lock:
                results.append((r.status_code, r.text))
    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [code for code, _ in results] == [200] * 4, results
    cold = events(maasd, "idle", "cold_start")
    assert cold and cold[0]["detail"]["current"] == 0 and cold[0]["detail"]["desired"] == 1, cold
    assert len([i for i in instances(maasd) if i["ready"]]) >= 1


def test_autoscaling_fields_are_validated(slow_model):
    maasd = slow_model
    for autoscaling, needle in [({"min_replicas": 3, "max_replicas": 2}, "at least min_replicas"),
                                ({"target": {"metric": "rps"}}, "autoscaling.target.metric"),
                                ({"stable_window_s": 5, "panic_window_s": 10}, "autoscaling.panic_window_s"),
                                ({"max_replicas": 1000}, "autoscaling.max_replicas"),
                                ({"colour": "red"}, "unknown field 'autoscaling.colour'")]:
        r = maasd.post("/api/v1/services", json={"name": "bad", "routes": [{"model": "slow", "version": 1}],
                                                 "autoscaling": autoscaling})
        assert r.status_code == 400 and needle in r.json()["error"]["message"], (autoscaling, r.text)
